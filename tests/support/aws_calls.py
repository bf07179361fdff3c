"""Which AWS API calls the shipped code makes, found by reading it (ast), not by running it.

A module that creates a client (`boto3.client("s3")`, `session.client(service_name="s3")`)
or a resource (`boto3.resource("s3")`) is taken to call, on that service, every method named
like one of the service's operations (botocore's own model: `put_object` -> PutObject), plus
the transfer helpers (`upload_file`...) and resource actions (`Object(...).put()`...).
Powertools Parameters calls (`get_parameter`...) count as the SSM / Secrets Manager calls
they make. A method of the same name on something else is counted too: that only asks the
policy for more, never hides a call.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Set

# Calls that are not API operations of their own, and what they need in IAM.
S3_HELPERS = {
    "upload_file": ["s3:PutObject"],
    "upload_fileobj": ["s3:PutObject"],
    "download_file": ["s3:GetObject"],
    "download_fileobj": ["s3:GetObject"],
    "generate_presigned_url": [],  # signs locally; the caller's request needs the rights
}
S3_RESOURCE_ACTIONS = {  # boto3.resource("s3").Object(...).<action>()
    "put": ["s3:PutObject"],
    "get": ["s3:GetObject"],
    "load": ["s3:GetObject"],
    "reload": ["s3:GetObject"],
    "delete": ["s3:DeleteObject"],
    "copy_from": ["s3:GetObject", "s3:PutObject"],
}
# IAM names that differ from the operation's name.
IAM_ALIASES = {
    "s3:HeadObject": ["s3:GetObject"],
    "s3:ListObjectsV2": ["s3:ListBucket"],
    "s3:ListObjects": ["s3:ListBucket"],
    "s3:HeadBucket": ["s3:ListBucket"],
    "s3:CopyObject": ["s3:GetObject", "s3:PutObject"],
    "s3:DeleteObjects": ["s3:DeleteObject"],
    # API Gateway's management API: one IAM action for posting to and closing sockets.
    "execute-api:PostToConnection": ["execute-api:ManageConnections"],
    "execute-api:DeleteConnection": ["execute-api:ManageConnections"],
    "execute-api:GetConnection": ["execute-api:ManageConnections"],
    "lambda:Invoke": ["lambda:InvokeFunction"],
}
POWERTOOLS_PARAMETERS = {
    "get_parameter": ["ssm:GetParameter"],
    "get_parameters": ["ssm:GetParametersByPath"],
    "get_parameters_by_name": ["ssm:GetParameters"],
    "get_secret": ["secretsmanager:GetSecretValue"],
}


@dataclass(frozen=True)
class AwsCall:
    action: str  # IAM action, e.g. "s3:PutObject"
    module: str
    line: int


def _operations(service: str) -> Dict[str, str]:
    """snake_case method name -> OperationName, from botocore's model of the service."""
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


def _iam_prefix(service: str) -> str:
    import botocore.session

    model = botocore.session.get_session().get_service_model(service)
    return model.metadata.get("signingName") or model.endpoint_prefix


def _service_arg(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    for kw in call.keywords:
        if kw.arg == "service_name" and isinstance(kw.value, ast.Constant):
            return kw.value.value
    return None


def _method_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def calls_in_source(source: str, module: str = "<source>") -> List[AwsCall]:
    tree = ast.parse(source)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    clients: Set[str] = set()
    resources: Set[str] = set()
    for call in calls:
        name = _method_name(call)
        if name in ("client", "resource") and isinstance(call.func, ast.Attribute):
            service = _service_arg(call)
            if service:
                (clients if name == "client" else resources).add(service)
    imported_powertools = any(
        isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "aws_lambda_powertools.utilities.parameters")
        for node in ast.walk(tree)
    )

    found: List[AwsCall] = []

    def add(actions: Iterable[str], line: int) -> None:
        for action in actions:
            for final in IAM_ALIASES.get(action, [action]):
                found.append(AwsCall(final, module, line))

    for service in clients | resources:
        ops = _operations(service)
        prefix = _iam_prefix(service)
        for call in calls:
            name = _method_name(call)
            if not isinstance(call.func, ast.Attribute) or name is None:
                continue
            if name in ops:
                add([f"{prefix}:{ops[name]}"], call.lineno)
            elif service == "s3" and name in S3_HELPERS:
                add(S3_HELPERS[name], call.lineno)
            elif service == "s3" and service in resources and name in S3_RESOURCE_ACTIONS:
                add(S3_RESOURCE_ACTIONS[name], call.lineno)
    if imported_powertools:
        for call in calls:
            name = _method_name(call)
            if name in POWERTOOLS_PARAMETERS:
                add(POWERTOOLS_PARAMETERS[name], call.lineno)
    return found


def calls_in_tree(root: Path) -> List[AwsCall]:
    found: List[AwsCall] = []
    for path in sorted(root.rglob("*.py")):
        found.extend(calls_in_source(path.read_text(), str(path.relative_to(root.parent))))
    return found
