"""`make bench`: benchmarks that print numbers (targets are printed beside them, never asserted)."""
