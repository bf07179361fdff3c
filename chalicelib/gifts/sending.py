"""Sending a gift: one database transaction that debits the sender only if the coins are
there, credits the creator's earnings and the platform, writes the gift_transactions row the
current backend reads, and posts the balanced ledger transaction. Any refusal rolls it all
back: nothing moves."""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from typing import Any, Dict, Optional, Tuple

from .. import db, rules
from ..errors import BadRequest, Conflict, NotFound, PaymentRequired
from ..moderation.blocks import refuse_if_blocked
from ..repo import gifts as repo
from . import events, ledger, money, shapes

MAX_COINS_PER_GIFT = 1_000_000


@dataclass(frozen=True)
class GiftRequest:
    recipient_id: str
    gift_type_id: str
    quantity: int
    video_id: Optional[str]
    live_session_id: Optional[str]

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


def clean_key(value: Optional[str], required: bool) -> Optional[str]:
    """The Idempotency-Key header under the shared rule (chalicelib/rules.py)."""
    try:
        return rules.idempotency_key(value, required=required)
    except rules.RuleError as error:
        raise BadRequest(str(error)) from None


def _check_target(conn: Any, req: GiftRequest) -> None:
    if req.video_id:
        owner = repo.video_owner(conn, req.video_id)
        if owner is None:
            raise NotFound("Video not found")
        if str(owner["user_id"]) != req.recipient_id:
            raise BadRequest("'recipient_id' must be the video's creator")
    if req.live_session_id:
        host = repo.live_session_host(conn, req.live_session_id)
        if host is None:
            raise NotFound("Live session not found")
        if str(host["user_id"]) != req.recipient_id:
            raise BadRequest("'recipient_id' must be the live session's host")


def _replay(conn: Any, earlier: dict, req: GiftRequest) -> Dict[str, Any]:
    if earlier["request_hash"] != req.digest():
        raise Conflict("Idempotency-Key was already used for a different gift")
    row = repo.gift_by_id(conn, str(earlier["gift_transaction_id"]))
    return shapes.gift(row)


def send(sender_id: str, req: GiftRequest, idempotency_key: Optional[str] = None) -> Tuple[Dict[str, Any], bool]:
    """Send the gift; (answer, created). A retried key answers the first gift (created False).

    Two users gifting each other at the same instant lock their rows in opposite orders:
    Postgres picks one as a deadlock victim, and db.in_transaction retries it once (its key
    makes the retry safe). Locking both in id order would avoid that, but would hold a hot
    creator's row through the whole gift.
    """
    if req.recipient_id == sender_id:
        raise BadRequest("You cannot send a gift to yourself")
    key = f"gift:{sender_id}:{idempotency_key or uuid.uuid4()}"
    gift_id = str(uuid.uuid4())

    def work(conn: Any) -> Tuple[Dict[str, Any], bool]:
        tx = ledger.repo.claim(conn, "gift", key, request_hash=req.digest(), gift_transaction_id=gift_id)
        if tx is None:
            return _replay(conn, ledger.repo.by_key(conn, key), req), False
        gift_type = repo.gift_type(conn, req.gift_type_id)
        if gift_type is None:
            raise NotFound("Gift type not found")
        total = int(gift_type["coin_cost"]) * req.quantity
        if total > MAX_COINS_PER_GIFT:
            raise BadRequest(f"A gift may cost at most {MAX_COINS_PER_GIFT} coins")
        if not repo.user_exists(conn, req.recipient_id):
            raise NotFound("Recipient not found")
        refuse_if_blocked(conn, sender_id, req.recipient_id, "send gifts to")
        _check_target(conn, req)
        # The sender's side first; the creator's row (hot under a popular live) is locked
        # last, so it is held only for the credit and the commit.
        balances = ledger.lock_and_open(conn, [sender_id])
        creator, platform = money.split(total)
        left = ledger.take_from_wallet(conn, sender_id, total)
        if left is None:
            have = int(balances[sender_id]["coin_balance"])
            raise PaymentRequired(f"Not enough coins: this gift costs {total}, the balance is {have}")
        row = {"id": gift_id, "sender_id": sender_id, "recipient_id": req.recipient_id,
               "gift_type_id": req.gift_type_id, "video_id": req.video_id,
               "live_session_id": req.live_session_id, "coin_amount": total,
               "quantity": req.quantity, "creator": creator, "platform": platform}
        created = repo.insert_gift(conn, row)
        ledger.post(conn, tx, [(ledger.wallet(sender_id), -total),
                               (ledger.earnings(req.recipient_id), creator),
                               (ledger.PLATFORM_FEES, platform)])
        balances[req.recipient_id] = ledger.credit_earnings(conn, req.recipient_id, creator)
        names = {u: balances[u]["username"] for u in balances}
        answer = shapes.new_gift(row, gift_type, created["created_at"], left, names)
        return answer, True

    answer, created = db.in_transaction(work)
    ledger.remember_opened([sender_id, req.recipient_id])
    if created:
        events.gift_sent(answer)
    return answer, created
