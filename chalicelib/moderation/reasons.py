"""The reasons a user may report something, and their weights: light (no I/O), for the
body models in schema.moderation as much as for the queue."""
from __future__ import annotations

from typing import Dict

# The reasons a user may pick (schema.moderation.ReportReason checks bodies against these
# keys) and how much one report of each weighs in the queue: harm to a person outweighs a
# nuisance; a child-safety report alone outranks a pile of spam reports.
REASONS: Dict[str, int] = {
    "spam": 1, "misinformation": 1, "other": 1, "copyright": 2, "harassment": 3,
    "hate": 3, "sexual_content": 3, "violence": 3, "self_harm": 5, "child_safety": 10,
}
