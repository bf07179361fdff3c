"""The gift and coin catalogues as the live database was seeded (SUPABASE_SCHEMA.sql), for
tests: conftest empties every table before each test, these included."""
from __future__ import annotations

from typing import Dict

GIFTS = [("Rose", "🌹", 10), ("Heart", "❤️", 50), ("Star", "⭐", 100), ("Fire", "🔥", 200),
         ("Crown", "👑", 500), ("Diamond", "💎", 1000), ("Rocket", "🚀", 2000)]
PACKAGES = [("Starter Pack", 100, "0.99", 0), ("Popular Pack", 500, "4.99", 10),
            ("Value Pack", 1200, "9.99", 20), ("Premium Pack", 2500, "19.99", 25),
            ("Ultimate Pack", 6500, "49.99", 30)]


def seed_catalogue(sql) -> Dict[str, Dict[str, str]]:
    """Insert the legacy seed rows (once: a second call finds them); {"gifts": {name: id}, "packages": {name: id}}."""
    gifts = {}
    for name, emoji, cost in GIFTS:
        sql("INSERT INTO gift_types (name, emoji, coin_cost) VALUES (%s, %s, %s)"
            " ON CONFLICT (name) DO NOTHING", (name, emoji, cost))
        gifts[name] = str(sql("SELECT id FROM gift_types WHERE name = %s", (name,))[0]["id"])
    packages = {}
    for name, coins, usd, bonus in PACKAGES:
        found = sql("SELECT id FROM coin_packages WHERE name = %s", (name,))
        packages[name] = str(found[0]["id"] if found else sql(
            "INSERT INTO coin_packages (name, coin_amount, price_usd, bonus_percentage)"
            " VALUES (%s, %s, %s, %s) RETURNING id", (name, coins, usd, bonus))[0]["id"])
    return {"gifts": gifts, "packages": packages}


def ledger_report():
    from chalicelib.gifts import audit

    return audit.check()
