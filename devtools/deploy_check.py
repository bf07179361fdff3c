"""What `chalice deploy` checks before its first AWS call, plus what it leaves to AWS.

`chalice deploy` runs chalice.deploy.validate.validate_configuration first (Deployer.
_validate_config); `chalice package` does not, which is how a route that only deploy refuses
reached main (issue #19). On top of Chalice's checks, the ones AWS would make later, mid-deploy:
schedule expressions EventBridge accepts, function and rule names Lambda and EventBridge accept.

    python -m devtools.deploy_check --stage prod   # one JSON summary line, or exit 1

Run it once per stage in a fresh interpreter, as the CLI does: Chalice sets the stage's
environment before it imports app.py, and the import is cached per process.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any, Dict

from chalice.config import Config
from chalice.deploy import models
from chalice.deploy.appgraph import ApplicationGraphBuilder, DependencyBuilder
from chalice.deploy.validate import validate_configuration

# EventBridge: rate(1 minute) singular, rate(N minutes) plural, N >= 1.
RATE = re.compile(r"rate\((\d+) (minute|hour|day)(s?)\)")
CRON = re.compile(r"cron\(([^ ()]+) ([^ ()]+) ([^ ()]+) ([^ ()]+) ([^ ()]+) ([^ ()]+)\)")
# Lambda function names; EventBridge rule names allow dots too. Both at most 64.
FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
RULE_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


def check_schedule_expression(expression: str) -> None:
    """Chalice formats Rate/Cron but checks neither, and takes a raw string as it is."""
    rate = RATE.fullmatch(expression)
    if rate:
        value, plural = int(rate.group(1)), rate.group(3) == "s"
        if value < 1 or plural != (value != 1):
            raise ValueError(f"EventBridge refuses {expression!r}: "
                             "rate(1 minute) singular, rate(N minutes) plural, N >= 1")
        return
    cron = CRON.fullmatch(expression)
    if not cron:
        raise ValueError(f"Not a schedule expression EventBridge accepts: {expression!r}")
    day_of_month, day_of_week = cron.group(3), cron.group(5)
    if (day_of_month == "?") == (day_of_week == "?"):
        raise ValueError(f"In {expression!r} exactly one of day-of-month and day-of-week must be '?'")


def check_websockets(app: Any) -> None:
    """A WebSocket API deploys only behind Chalice's experimental flag."""
    if app.websocket_handlers and "WEBSOCKETS" not in app.experimental_feature_flags:
        raise ValueError("WebSocket handlers need app.experimental_feature_flags.add('WEBSOCKETS')")


def check_config(config: Config, stage: str) -> Dict[str, Any]:
    """Every check; answers what the deployment will create (the plan is compared with it)."""
    app = config.chalice_app
    check_websockets(app)
    validate_configuration(config)  # what `chalice deploy` runs; ValueError on refusal
    application = ApplicationGraphBuilder().build(config, stage)
    resources = DependencyBuilder().build_dependencies(application)
    functions = [r for r in resources if isinstance(r, models.LambdaFunction)]
    names = [f.function_name for f in functions]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"Duplicate Lambda function names: {duplicates}")
    for name in names:
        if not FUNCTION_NAME.fullmatch(name):
            raise ValueError(f"Lambda refuses the function name {name!r} (A-Z a-z 0-9 - _, at most 64)")
    schedules = {}
    for event in (r for r in resources if isinstance(r, models.ScheduledEvent)):
        if not RULE_NAME.fullmatch(event.rule_name):
            raise ValueError(f"EventBridge refuses the rule name {event.rule_name!r} (at most 64)")
        check_schedule_expression(event.schedule_expression)
        schedules[event.rule_name] = event.schedule_expression
    rest_apis = [r for r in resources if isinstance(r, models.RestAPI)]
    return {
        "stage": stage,
        "functions": names,
        "api_handler": rest_apis[0].lambda_function.function_name if rest_apis else None,
        "api_gateway_stage": rest_apis[0].api_gateway_stage if rest_apis else None,
        "schedules": schedules,
        "binary_types": list(app.api.binary_types),
    }


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", default=os.getcwd())
    parser.add_argument("--stage", required=True)
    args = parser.parse_args(argv)
    from chalice.cli.factory import CLIFactory

    project_dir = os.path.abspath(args.project_dir)
    os.environ["AWS_CHALICE_CLI_MODE"] = "true"  # as the chalice CLI sets it
    os.chdir(project_dir)
    factory = CLIFactory(project_dir, environ=os.environ)  # the stage's variables, before the import
    try:
        config = factory.create_config_obj(chalice_stage_name=args.stage)
        summary = check_config(config, args.stage)
    except Exception as exc:  # noqa: BLE001 - any refusal is the answer; Chalice raises several kinds
        print(f"deploy check failed for stage {args.stage}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
