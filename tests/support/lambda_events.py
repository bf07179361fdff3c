"""Events as AWS delivers them to a Lambda handler, and a context object like Lambda's."""
from __future__ import annotations

import json
import uuid
from typing import Dict, Optional


class LambdaContext:
    def __init__(self, function_name: str = "trendke-api-dev"):
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 512
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = f"arn:aws:lambda:eu-west-1:123456789012:function:{function_name}"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "2026/11/29/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def api_gateway_event(
    method: str,
    path: str,
    *,
    resource: Optional[str] = None,
    path_parameters: Optional[Dict[str, str]] = None,
    query: Optional[Dict[str, str]] = None,
    headers: Optional[Dict[str, str]] = None,
    body: Optional[object] = None,
) -> dict:
    """An API Gateway REST (v1) proxy event, the shape Chalice's handler reads."""
    raw = None if body is None else (body if isinstance(body, str) else json.dumps(body))
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method,
        "headers": headers or {},
        "multiValueHeaders": {k: [v] for k, v in (headers or {}).items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource or path,
            "httpMethod": method,
            "path": "/api" + path,
            "stage": "api",
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "pytest"},
        },
        "body": raw,
        "isBase64Encoded": False,
    }


def scheduled_event(rule_arn: str = "arn:aws:events:eu-west-1:123456789012:rule/trendke") -> dict:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2026-11-29T12:00:00Z",
        "region": "eu-west-1",
        "resources": [rule_arn],
        "detail": {},
    }
