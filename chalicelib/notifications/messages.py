"""The text of a grouped notification: "amina and 12 others liked your video "Sunset"".

Pure functions of the group's state, so the materialiser can rewrite a notification whenever
its group changes."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

SNIPPET_CHARS = 80


def _quote(text: Optional[str]) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def who(actors: List[Dict[str, str]], count: int) -> str:
    """"amina", "amina and brian", "amina and 12 others", or "12 people" when the named
    ones undid their action."""
    named = [a.get("username") or "someone" for a in actors]
    if not named:
        return f"{count} people" if count != 1 else "someone"
    if count <= 1:
        return named[0]
    if count == 2 and len(named) >= 2:
        return f"{named[0]} and {named[1]}"
    others = count - 1
    return f"{named[0]} and {others} other{'s' if others != 1 else ''}"


def render(group_type: str, reply: bool, count: int, actors: List[Dict[str, str]],
           context: Dict[str, Optional[str]]) -> Tuple[str, str]:
    """(title, message) of a group of `count` events."""
    people = who(actors, count)
    title_video = _quote(context.get("video_title"))
    on_video = f' "{title_video}"' if title_video else ""
    if group_type == "new_like":
        return ("New like" if count == 1 else "New likes", f"{people} liked your video{on_video}")
    if group_type == "new_follower":
        return ("New follower" if count == 1 else "New followers", f"{people} started following you")
    if group_type == "new_comment":
        said = _quote(context.get("comment_text"))
        if reply:
            title = "New reply" if count == 1 else "New replies"
            text = f"{people} replied to your comment"
        else:
            title = "New comment" if count == 1 else "New comments"
            text = f"{people} commented on your video{on_video}"
        if count == 1 and said:
            text += f': "{said}"'
        return title, text
    raise ValueError(f"not a grouped type: {group_type}")
