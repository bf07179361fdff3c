"""The gift, coin and payment routes (issue 14), merged into OPERATIONS."""
from __future__ import annotations

from typing import Dict, Tuple

from .operations import (CURSOR, IDEMPOTENCY_KEY, LIMIT_COMPAT, LIMIT_CURSOR, UUID_SCHEMA, op,
                         path_param, query_param)

NUMBER = {"type": "number"}
STR_OR_NULL = {"type": ["string", "null"]}
UUID_OR_NULL = {"type": ["string", "null"], "format": "uuid"}
INT = {"type": "integer"}

GIFT_TYPE = {"type": "object", "required": ["id", "name", "emoji", "coin_cost"],
             "properties": {"id": UUID_SCHEMA, "name": {"type": "string"}, "emoji": STR_OR_NULL,
                            "coin_cost": {"type": "integer", "minimum": 1}}}
GIFT = {"type": "object",
        "required": ["id", "sender_id", "recipient_id", "amount", "total_coins", "creator_earnings",
                     "platform_fee", "gift_name", "sender_username", "recipient_username", "created_at"],
        "properties": {"id": UUID_SCHEMA, "sender_id": UUID_OR_NULL, "recipient_id": UUID_OR_NULL,
                       "gift_type_id": UUID_OR_NULL, "video_id": UUID_OR_NULL,
                       "live_session_id": UUID_OR_NULL, "amount": INT, "total_coins": INT,
                       "creator_earnings": NUMBER, "platform_fee": NUMBER, "gift_name": STR_OR_NULL,
                       "gift_emoji": STR_OR_NULL, "sender_username": STR_OR_NULL,
                       "recipient_username": STR_OR_NULL, "created_at": {"type": "string"},
                       "coin_balance": {"type": "integer", "description": "The sender's balance after (new gifts)"}}}
BALANCE = {"type": "object", "required": ["user_id", "coin_balance", "total_earnings"],
           "properties": {"user_id": UUID_SCHEMA, "coin_balance": {"type": "integer", "minimum": 0},
                          "total_earnings": NUMBER}}
PACKAGE = {"type": "object", "required": ["id", "name", "coin_amount", "bonus_coins", "price_kes"],
           "properties": {"id": UUID_SCHEMA, "name": {"type": "string"}, "coin_amount": INT,
                          "bonus_coins": INT, "total_coins": INT, "price_kes": NUMBER,
                          "price_usd": NUMBER, "price_minor": INT, "currency": {"type": "string"}}}
ORDER = {"type": "object", "required": ["id", "status", "coins_purchased", "payment_method"],
         "properties": {"id": UUID_SCHEMA, "transaction_id": UUID_SCHEMA, "status": {"type": "string"},
                        "coins_purchased": INT, "payment_method": STR_OR_NULL,
                        "payment_url": STR_OR_NULL, "amount_minor": {"type": ["integer", "null"]},
                        "currency": {"type": "string"}}}
LEADER = {"type": "object", "required": ["rank", "user_id", "username", "total_coins", "gift_count"],
          "properties": {"rank": INT, "user_id": UUID_SCHEMA, "username": {"type": "string"},
                         "total_coins": INT, "gift_count": INT}}
SEND_BODY = {"type": "object", "required": ["recipient_id", "gift_type_id"],
             "properties": {"recipient_id": UUID_SCHEMA, "gift_type_id": UUID_SCHEMA,
                            "amount": {"type": "integer", "minimum": 1, "maximum": 100, "default": 1},
                            "video_id": UUID_SCHEMA, "live_session_id": UUID_SCHEMA},
             "additionalProperties": False}
PURCHASE_BODY = {"type": "object", "required": ["coin_package_id"],
                 "properties": {"coin_package_id": UUID_SCHEMA,
                                "payment_method": {"type": "string", "enum": ["pesapal", "mpesa", "stripe", "card"],
                                                   "default": "pesapal"},
                                "phone_number": {"type": "string"}}}
PERIOD = query_param("period", {"type": "string", "enum": ["week", "all"], "default": "week"})
LIMIT_BOARD = query_param("limit", {"type": "integer", "minimum": 1, "default": 50}, "At most 100.")
ACK = {"type": "object"}


def page(item: dict) -> dict:
    return {"type": "object", "required": ["items", "next_cursor"],
            "properties": {"items": {"type": "array", "items": item}, "next_cursor": STR_OR_NULL}}


def array(item: dict) -> dict:
    return {"type": "array", "items": item}


KEY_REQUIRED = {**IDEMPOTENCY_KEY, "required": True}
CALLBACK = [query_param("OrderTrackingId", {"type": "string"}),
            query_param("OrderMerchantReference", {"type": "string"}),
            query_param("OrderNotificationType", {"type": "string"})]

MONEY_OPERATIONS: Dict[Tuple[str, str], dict] = {
    ("GET", "/gifts/types"): op("The gift catalogue", "gifts", array(GIFT_TYPE), cacheable=True),
    ("GET", "/v1/gifts/types"): op("The gift catalogue", "gifts", page(GIFT_TYPE), cacheable=True),
    ("POST", "/gifts/send"): op(
        "Send a gift (the current frontend's route)", "gifts", GIFT, auth="required", body=SEND_BODY,
        params=[IDEMPOTENCY_KEY], errors=(402, 403, 404, 409),
        description="A bare JSON string body (the receiver id alone) is a 400 and moves nothing."),
    ("POST", "/v1/gifts"): op(
        "Send a gift", "gifts", GIFT, status=201, also_ok=(200,), auth="required", body=SEND_BODY,
        params=[KEY_REQUIRED], errors=(402, 403, 404, 409),
        description="201 for a new gift; 200 when the Idempotency-Key was seen (the first gift)."),
    ("GET", "/gifts/balance"): op("The caller's coins and earnings", "gifts", BALANCE, auth="required",
                                  errors=(404,)),
    ("GET", "/gifts/balance/{user_id}"): op("A balance (the caller's own only)", "gifts", BALANCE,
                                            auth="required", params=[path_param("user_id", UUID_SCHEMA)],
                                            errors=(403, 404)),
    ("GET", "/v1/me/balance"): op("The caller's coins and earnings", "gifts", BALANCE, auth="required",
                                  errors=(404,)),
    ("GET", "/gifts/history"): op("Gifts sent and received, newest first", "gifts", array(GIFT),
                                  auth="required", params=[LIMIT_COMPAT]),
    ("GET", "/v1/gifts/history"): op("Gifts sent and received, newest first", "gifts", page(GIFT),
                                     auth="required", params=[LIMIT_CURSOR, CURSOR]),
    ("GET", "/gifts/leaderboard"): op("Top creators by coins received", "gifts", array(LEADER),
                                      cacheable=True, params=[LIMIT_BOARD, PERIOD],
                                      description="From the stored board (every few minutes); 503 before the first run."),
    ("GET", "/v1/gifts/leaderboard"): op("Top creators by coins received", "gifts",
                                         {**page(LEADER), "properties": {**page(LEADER)["properties"],
                                                                         "period": {"type": "string"}}},
                                         cacheable=True, params=[LIMIT_BOARD, PERIOD]),
    ("GET", "/payments/packages"): op("Coin packages", "payments", array(PACKAGE), cacheable=True),
    ("GET", "/v1/payments/packages"): op("Coin packages", "payments", page(PACKAGE), cacheable=True),
    ("GET", "/payments/history"): op("The caller's orders, newest first", "payments", array(ORDER),
                                     auth="required", params=[LIMIT_COMPAT]),
    ("GET", "/v1/payments/history"): op("The caller's orders, newest first", "payments", page(ORDER),
                                        auth="required", params=[LIMIT_CURSOR, CURSOR]),
}

# The purchase flow (PesaPal, Stripe) and the providers' callbacks.
PAYMENT_FLOW_OPERATIONS: Dict[Tuple[str, str], dict] = {
    ("POST", "/payments/purchase/initiate"): op(
        "Start buying a package (the current frontend's route)", "payments", ORDER, auth="required",
        body=PURCHASE_BODY, params=[IDEMPOTENCY_KEY], errors=(404, 409, 502),
        description="Answers `payment_url`, the provider's page to pay on."),
    ("POST", "/v1/payments/purchases"): op(
        "Start buying a package", "payments", ORDER, status=201, also_ok=(200,), auth="required",
        body=PURCHASE_BODY, params=[KEY_REQUIRED], errors=(404, 409, 502)),
    ("GET", "/v1/payments/{id}"): op("One of the caller's orders (re-checked with the provider while pending)",
                                     "payments", ORDER, auth="required",
                                     params=[path_param("id", UUID_SCHEMA)], errors=(404, 502)),
    ("GET", "/v1/webhooks/pesapal"): op(
        "PesaPal's IPN (GET) and the browser's return (callback)", "payments", ACK, params=CALLBACK,
        errors=(404, 502),
        description="Proves nothing by itself: the order's status is read from GetTransactionStatus."),
    ("POST", "/v1/webhooks/pesapal"): op("PesaPal's IPN (POST)", "payments", ACK,
                                         body={"type": "object"}, errors=(404, 502)),
    ("POST", "/v1/webhooks/stripe"): op(
        "Stripe's events (Stripe-Signature checked on the raw body)", "payments", ACK,
        body={"type": "object"}, errors=(401,)),
}
