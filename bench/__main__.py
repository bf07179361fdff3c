"""Run every benchmark section in order: `python -m bench [section ...]`."""
from __future__ import annotations

import importlib
import sys

SECTIONS = ["import_time", "declarations", "feed", "trending", "uploads", "engagement", "reconcile",
            "notifications", "accounts", "gifts", "search", "live", "observability", "overhead"]


def main(argv: list) -> None:
    # The handlers' log lines and metrics go where Lambda's would (a stream nobody reads
    # here), not between the numbers.
    import os

    from chalicelib import observability

    observability.send_output_to(open(os.devnull, "w"))
    for name in argv or SECTIONS:
        print(f"\n== {name} " + "=" * (60 - len(name)))
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
