"""What happens after a gift is committed: the hook other issues fill in.

`gift_sent` is called once per new gift (never for a replayed Idempotency-Key), after its
transaction committed, with the gift's answer. Notifications (a `notifications` row for the
recipient) and the live room's chat event (`{"type": "gift", ...}` to `/ws/live/{id}`) go
here; they must not raise into the sender's request, the gift is already final.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List

log = logging.getLogger("trendke.gifts")

Listener = Callable[[Dict[str, Any]], None]
_listeners: List[Listener] = []


def subscribe(listener: Listener) -> None:
    """Register a listener (a notifications module, the live chat); once, however often
    the app is built."""
    if listener not in _listeners:
        _listeners.append(listener)


def gift_sent(gift: Dict[str, Any]) -> None:
    from .. import observability

    observability.metric("GiftSent", 1, "Count")
    for listener in list(_listeners):
        try:
            listener(gift)
        except Exception:  # the gift stands; a failed notification is logged, not raised
            log.exception("gift listener %r failed for gift %s", listener, gift.get("id"))
