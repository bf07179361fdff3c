"""The money model (README "Gifts, coins and payments"): integers only.

- A coin is the unit of the ledger. Its price is what a package costs: a package of C coins
  (plus its bonus) for P Kenyan shillings.
- A gift of T coins splits into the creator's share and the platform's: the platform takes
  floor(T x PLATFORM_FEE_BPS / 10000) and the creator the rest, so a remainder of the
  rounding is the creator's (a 15-coin gift at 20 %: platform 3, creator 12).
- A package's KES price is its `price_kes_minor` column when set, else price_usd x
  KES_PER_USD rounded half up to whole shillings (M-Pesa takes whole shillings); amounts are
  in cents (minor units) with their currency, "KES".
- Bonus coins are floor(coin_amount x bonus_percentage / 100).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Tuple

from ..config import settings

CURRENCY = "KES"
MINOR_PER_MAJOR = 100


def split(total: int) -> Tuple[int, int]:
    """(creator, platform) shares of a gift of `total` coins; they add up to `total`."""
    platform = total * settings().platform_fee_bps // 10_000
    return total - platform, platform


def bonus_coins(package: dict) -> int:
    return int(package["coin_amount"]) * int(package.get("bonus_percentage") or 0) // 100


def coins_for(package: dict) -> int:
    return int(package["coin_amount"]) + bonus_coins(package)


def price_kes_minor(package: dict) -> int:
    """The package's price in KES cents (whole shillings when derived from the USD price)."""
    stored = package.get("price_kes_minor")
    if stored is not None:
        return int(stored)
    rate = Decimal(settings().kes_per_usd)
    shillings = (Decimal(package["price_usd"]) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(shillings) * MINOR_PER_MAJOR


def major(amount_minor: int) -> Decimal:
    """Minor units as an exact decimal amount (what PesaPal's JSON and the answers show)."""
    return Decimal(amount_minor) / MINOR_PER_MAJOR


def minor_from(value: Any) -> int:
    """A provider's decimal amount (a JSON number or string) as exact minor units; a value
    with a fraction of a cent is refused (ValueError), never rounded."""
    amount = Decimal(str(value)) * MINOR_PER_MAJOR
    if amount != amount.to_integral_value():
        raise ValueError(f"amount {value!r} has a fraction of a cent")
    return int(amount)


def coins_out(value: Any) -> Any:
    """A coin amount for JSON: an int (a live DECIMAL that is whole), else the Decimal."""
    if value is None:
        return 0
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else number
