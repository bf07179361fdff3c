"""Stage throttling for the deployed API (issue 15): Chalice has no setting for it, so the
deploy sets it on the stage after `chalice deploy` (.github/workflows/ci.yml).

Every method of the stage is throttled to RATE_PER_S steady and BURST requests: what gets
past CloudFront's cache (misses, writes) then answers 429 from API Gateway before a Lambda
or a pooler connection is spent. BURST is the API function's reserved concurrency: more
requests at once than that would be throttled by Lambda anyway, as 502s.

    python -m devtools.stage_throttle --stage prod     # one JSON line, or exit 1
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parent.parent
RATE_PER_S = 300


def limits(stage: str) -> Dict[str, float]:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"][stage]
    burst = config.get("lambda_functions", {}).get("api_handler", {}).get("reserved_concurrency", 100)
    return {"rate": float(RATE_PER_S), "burst": int(burst)}


def patch_operations(rate: float, burst: int) -> List[Dict[str, str]]:
    return [
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(rate)},
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(burst)},
    ]


def rest_api_id(stage: str) -> str:
    deployed = json.loads((ROOT / ".chalice" / "deployed" / f"{stage}.json").read_text())
    [api] = [r for r in deployed["resources"] if r.get("resource_type") == "rest_api"]
    return api["rest_api_id"]


def apply(stage: str, client: Any = None) -> Dict[str, Any]:
    import boto3

    config = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"][stage]
    stage_name = config["api_gateway_stage"]
    wanted = limits(stage)
    client = client or boto3.client("apigateway")
    api_id = rest_api_id(stage)
    client.update_stage(restApiId=api_id, stageName=stage_name,
                        patchOperations=patch_operations(wanted["rate"], wanted["burst"]))
    return {"rest_api_id": api_id, "stage": stage_name, **wanted}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="prod")
    args = parser.parse_args(argv)
    print(json.dumps(apply(args.stage)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
