"""Checks that must hold under `python -O` and at configuration load (issue 15, item 13):
SQL identifier allow-lists are real errors, a RATE_LIMITS typo fails loudly."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from chalicelib import ratelimit
from chalicelib.accounts import throttle
from chalicelib.repo import auth_codes, counters

ROOT = Path(__file__).resolve().parent.parent


def test_no_assert_statements_in_the_shipped_code():
    # `python -O` strips them: a check that guards anything must raise a real error.
    found = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for path in (ROOT / "chalicelib").rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Assert)]
    assert found == []


class _NoSQL:
    def execute(self, *args, **kwargs):
        raise AssertionError("an identifier off the allow-list reached SQL")


@pytest.mark.parametrize("call", [
    lambda c: auth_codes.put(c, "users", "u", "d", 60),
    lambda c: auth_codes.take(c, "users; --", "d"),
    lambda c: auth_codes.pending(c, "users", "u"),
    lambda c: auth_codes.valid(c, "users", "d"),
    lambda c: counters.fresh_video_count(c, "v", "password_hash"),
    lambda c: counters.fresh_user_count(c, "u", "likes"),
])
def test_identifiers_off_the_allow_lists_are_refused_before_any_sql(call):
    with pytest.raises(ValueError):
        call(_NoSQL())


@pytest.mark.parametrize("name, spec", [
    ("RATE_LIMITS", "comment=20/60,lik=120/60"),
    ("RATE_LIMITS", "comments=20/60"),
    ("AUTH_RATE_LIMITS", "signup=10/3600,token_tries=30/3600"),
    ("RATE_LIMITS", "like=lots/60"),
])
def test_a_rate_limit_typo_fails_at_configuration_load(settings_env, name, spec):
    with pytest.raises(ValueError, match=name):
        settings_env(**{name: spec})


def test_the_known_rate_limits_load(settings_env):
    cfg = settings_env(RATE_LIMITS="comment=1/60,like=2/60,follow=3/60,upload=4/3600",
                       AUTH_RATE_LIMITS="signup=1/60,mail_address=1/60,mail_account=1/60,"
                                        "token_try=1/60,2fa_challenge=1/60")
    assert ratelimit.limit_for("upload") == ratelimit.Limit(4, 3600)
    assert cfg.auth_rate_limits.startswith("signup=")


def test_a_call_site_naming_an_unknown_action_is_an_error_not_unlimited():
    with pytest.raises(ValueError):
        ratelimit.limit_for("coment")
    with pytest.raises(ValueError):
        throttle.over_limit("sign_up", "addr:1.2.3.4")


def test_every_action_the_code_limits_is_a_known_one():
    from chalicelib.config import AUTH_RATE_LIMIT_ACTIONS, DEFAULT_AUTH_RATE_LIMITS, DEFAULT_RATE_LIMITS, RATE_LIMIT_ACTIONS

    assert set(ratelimit.parse(DEFAULT_RATE_LIMITS)) == set(RATE_LIMIT_ACTIONS)
    assert set(ratelimit.parse(DEFAULT_AUTH_RATE_LIMITS)) == set(AUTH_RATE_LIMIT_ACTIONS)
    import re

    used = set()
    for path in (ROOT / "chalicelib").rglob("*.py"):
        text = path.read_text()
        used |= set(re.findall(r"ratelimit\.check\(conn, \w+, \"(\w+)\"\)", text))
        used |= set(re.findall(r"throttle\.(?:limit|over_limit)\(\"(\w+)\"", text))
    assert used and used <= set(RATE_LIMIT_ACTIONS) | set(AUTH_RATE_LIMIT_ACTIONS)
