"""Gifts, coins and payments (issue 14): the request bodies and queries, and the answers."""
from __future__ import annotations

from typing import Annotated, ClassVar, List, Literal, Optional, Union

from msgspec import UNSET, Meta, UnsetType

from .. import rules
from .common import COMPAT_MAX_LIMIT, Limit
from .types import Answer, Body, Input, Uuid

MAX_QUANTITY = 100
LEADERBOARD_SIZE = 100
# What a buyer may name as the way to pay, and the provider that takes it.
PAYMENT_METHODS = {"pesapal": "pesapal", "mpesa": "pesapal", "m-pesa": "pesapal",
                   "stripe": "stripe", "card": "stripe"}

Quantity = Annotated[int, Meta(ge=1, le=MAX_QUANTITY)]
Method = Annotated[str, Meta(extra_json_schema={"enum": ["pesapal", "mpesa", "stripe", "card"]})]


# ---- requests ----------------------------------------------------------------------------


class GiftSend(Body):
    """A gift to send; `quantity` is the old name of `amount`."""

    __bare_string__: ClassVar[str] = (
        "The body must be a JSON object {\"recipient_id\", \"gift_type_id\", \"amount\"};"
        " a bare string names no gift, so nothing was sent")
    recipient_id: Uuid
    gift_type_id: Uuid
    amount: Annotated[Union[Quantity, UnsetType], Meta(extra_json_schema={"default": 1})] = UNSET
    quantity: Union[Quantity, UnsetType] = UNSET
    video_id: Optional[Uuid] = None
    live_session_id: Optional[Uuid] = None

    def __post_init__(self) -> None:
        if self.video_id and self.live_session_id:
            raise rules.RuleError("Give 'video_id' or 'live_session_id', not both")

    @property
    def count(self) -> int:
        return next((n for n in (self.amount, self.quantity) if n is not UNSET), 1)


class Purchase(Body):
    coin_package_id: Uuid
    payment_method: Method = "pesapal"
    phone_number: Optional[Annotated[str, Meta(max_length=20)]] = None

    def __post_init__(self) -> None:
        method = PAYMENT_METHODS.get(self.payment_method.lower())
        if method is None:
            raise rules.RuleError("'payment_method' must be 'pesapal' (M-Pesa) or 'stripe' (card)")
        self.payment_method = method  # the provider


class HistoryQuery(Input):
    """The old history routes: 50 by default, over 100 clamped."""

    __clamp__ = {"limit": COMPAT_MAX_LIMIT}
    limit: Limit = 50


class LeaderboardQuery(Input):
    __clamp__ = {"limit": LEADERBOARD_SIZE}
    limit: Annotated[Limit, Meta(description="At most 100.")] = 50
    period: Literal["week", "all"] = "week"


class PesapalCallback(Input):
    """PesaPal's IPN and the buyer's return: it proves nothing (the status is asked for)."""

    OrderTrackingId: Optional[str] = None
    OrderMerchantReference: Optional[str] = None
    OrderNotificationType: Optional[str] = None


# ---- answers -----------------------------------------------------------------------------

UuidOrNull = Optional[Uuid]
StrOrNull = Optional[str]


class GiftType(Answer):
    id: Uuid
    name: str
    emoji: StrOrNull
    coin_cost: Annotated[int, Meta(ge=1)]


class Gift(Answer):
    id: Uuid
    sender_id: UuidOrNull
    recipient_id: UuidOrNull
    amount: int
    total_coins: int
    creator_earnings: float
    platform_fee: float
    gift_name: StrOrNull
    sender_username: StrOrNull
    recipient_username: StrOrNull
    created_at: str
    gift_type_id: Union[UuidOrNull, UnsetType] = UNSET
    video_id: Union[UuidOrNull, UnsetType] = UNSET
    live_session_id: Union[UuidOrNull, UnsetType] = UNSET
    gift_emoji: Union[StrOrNull, UnsetType] = UNSET
    coin_balance: Union[Annotated[int, Meta(description="The sender's balance after (new gifts)")],
                        UnsetType] = UNSET


class Balance(Answer):
    user_id: Uuid
    coin_balance: Annotated[int, Meta(ge=0)]
    total_earnings: float


class CoinPackage(Answer):
    id: Uuid
    name: str
    coin_amount: int
    bonus_coins: int
    price_kes: float
    total_coins: Union[int, UnsetType] = UNSET
    price_usd: Union[float, UnsetType] = UNSET
    price_minor: Union[int, UnsetType] = UNSET
    currency: Union[str, UnsetType] = UNSET


class PaymentOrder(Answer):
    id: Uuid
    status: str
    coins_purchased: int
    payment_method: StrOrNull
    transaction_id: Union[Uuid, UnsetType] = UNSET
    payment_url: Union[StrOrNull, UnsetType] = UNSET
    amount_minor: Union[Optional[int], UnsetType] = UNSET
    currency: Union[str, UnsetType] = UNSET


class LeaderboardEntry(Answer):
    rank: int
    user_id: Uuid
    username: str
    total_coins: int
    gift_count: int


class GiftTypePage(Answer):
    items: List[GiftType]
    next_cursor: StrOrNull


class GiftPage(Answer):
    items: List[Gift]
    next_cursor: StrOrNull


class CoinPackagePage(Answer):
    items: List[CoinPackage]
    next_cursor: StrOrNull


class PaymentOrderPage(Answer):
    items: List[PaymentOrder]
    next_cursor: StrOrNull


class LeaderboardPage(Answer):
    items: List[LeaderboardEntry]
    next_cursor: StrOrNull
    period: Union[str, UnsetType] = UNSET
