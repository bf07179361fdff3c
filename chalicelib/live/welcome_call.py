"""Starting the newcomer's welcome after $connect (realtime.welcome): an asynchronous Lambda
invocation when LIVE_WELCOME_FUNCTION is set, else a background thread. Its own module so
that only the $connect function reaches the lambda:InvokeFunction call (least privilege,
tests/test_iam_policy.py)."""
from __future__ import annotations

import os
import threading


def schedule_welcome(connection_id: str) -> None:
    function = os.environ.get("LIVE_WELCOME_FUNCTION")
    if function:
        from .. import invoke_async

        invoke_async.invoke(function, {"connection_id": connection_id})
        return
    from .realtime import welcome

    threading.Thread(target=welcome, args=(connection_id,), name="ws-welcome", daemon=True).start()
