"""make capacity: measured capacity, limits and cost per tier (docs/capacity.md)."""
