"""Configuration from environment variables, read once per execution environment."""
from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from typing import Dict, Optional, Tuple

import msgspec

from .errors import ServiceUnavailable

log = logging.getLogger("trendke.config")

# The dev stage's fixed, documented secrets (contract section 5): a person can mint a token
# and sign a Cloudinary notification by hand against the local stack.
DEV_JWT_SECRET = "trendke-dev-secret-do-not-use-in-prod"
DEV_CLOUDINARY_URL = "cloudinary://111111111111111:trendke-dev-api-secret@trendke-dev"

API_VERSION = "2.0.0"

# Per user: at most `hits` writes of an action per window of `seconds` (RATE_LIMITS overrides).
DEFAULT_RATE_LIMITS = ("comment=20/60,like=120/60,follow=60/60,upload=10/3600,report=20/3600,block=60/3600,"
                       "live_chat=20/30,live_reaction=60/30,live_signal=600/60,live_start=20/3600,"
                       "live_guest_request=20/600")
# Per client address (and, for mail, per account): sign-ups, mail sent, token and code tries.
DEFAULT_AUTH_RATE_LIMITS = (
    "signup=10/3600,mail_address=20/3600,mail_account=5/3600,token_try=30/3600,2fa_challenge=10/3600"
)
# Views and shares (issue 15): per client address, per anonymous viewer key, per user.
DEFAULT_VIEWER_RATE_LIMITS = "event_address=600/3600,event_key=120/3600,event_user=600/3600"

# The actions each list may name: an unknown name (a typo) would silently remove a limit,
# so settings() refuses it (issue 15).
RATE_LIMIT_ACTIONS = ("comment", "like", "follow", "upload", "report", "block", "live_chat", "live_reaction",
                      "live_signal", "live_start", "live_guest_request")
AUTH_RATE_LIMIT_ACTIONS = ("signup", "mail_address", "mail_account", "token_try", "2fa_challenge")

# Secrets never sit in .chalice/config.json. A stage either sets the value itself (dev, tests)
# or names an SSM Parameter Store SecureString in `<NAME>_SSM_PARAMETER` (prod); the value is
# then fetched on first use through Powertools Parameters and cached in this execution
# environment for SECRET_MAX_AGE_S (a rotated secret is picked up within that time).
# CURSOR_SECRET and VIEWER_KEY_SECRET are optional: unset, keys are derived from JWT_SECRET.
# ORIGIN_SECRET is "current[,previous]": the value CloudFront adds to every origin request
# (chalice_app/origin.py), with the one it replaces while a rotation rolls out.
SECRET_NAMES = ("DATABASE_URL", "JWT_SECRET", "CLOUDINARY_URL", "CURSOR_SECRET", "VIEWER_KEY_SECRET",
                "PESAPAL_CONSUMER_KEY", "PESAPAL_CONSUMER_SECRET", "STRIPE_SECRET_KEY",
                "STRIPE_WEBHOOK_SECRET", "ORIGIN_SECRET")
SECRET_PARAMETER_SUFFIX = "_SSM_PARAMETER"
SECRET_MAX_AGE_S = 300


def _env(name: str, default: Optional[str] = None) -> Optional[str]:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw is not None else default


class Settings(msgspec.Struct, frozen=True):
    stage: str
    db_statement_timeout_ms: int
    db_connect_timeout_s: int
    jwt_algorithm: str
    jwt_jwks_url: Optional[str]
    jwt_audience: Optional[str]
    jwt_issuer: Optional[str]
    jwt_role: Optional[str]
    trending_bucket: Optional[str]
    trending_prefix: str
    trending_local_dir: str
    trending_rate_minutes: int
    trending_revalidate_s: float
    trending_hashtag_lists: int
    # Issue 16: the distribution whose caches a removal invalidates; unset, no invalidation.
    cloudfront_distribution_id: Optional[str]
    # Cloudinary's moderation add-on for uploads (e.g. aws_rek_video); unset, none.
    cloudinary_moderation: Optional[str]
    cors_allow_origin: str
    public_base_url: Optional[str]
    # Uploads (issue 5): Cloudinary signing and the video lifecycle.
    cloudinary_signature_algorithm: str
    cloudinary_upload_prefix: Optional[str]
    cloudinary_upload_folder: str
    cloudinary_webhook_max_age_s: int
    upload_max_pending: int
    upload_daily_cap: int
    upload_pending_timeout_s: int
    # Engagement (issue 6): per-user write limits "action=hits/seconds,...", the watch time a
    # view needs before it counts (the viewer-key secret is a property, below).
    rate_limits: str
    view_min_watch_ms: int
    counter_fold_passes: int
    notification_group_window_s: int
    notification_poll_s: int
    notification_retention_days: int
    # Accounts (issue 11): password hashing, token lifetime, guessing limits, mail.
    bcrypt_rounds: int
    jwt_ttl_s: int
    auth_rate_limits: str
    login_account_failures: int
    login_address_failures: int
    login_lock_base_s: int
    login_lock_max_s: int
    mail_from: Optional[str]
    mail_outbox_dir: str
    frontend_url: str
    # Gifts and payments (issue 14): the platform's share in basis points, the USD->KES rate
    # of packages without a stored KES price, the providers' addresses and the browser's
    # return address after paying.
    platform_fee_bps: int
    kes_per_usd: str
    pesapal_api_base: str
    pesapal_ipn_id: Optional[str]
    stripe_api_base: Optional[str]
    payment_return_url: Optional[str]
    payment_recheck_after_s: int
    payment_give_up_after_s: int
    leaderboard_rate_minutes: int
    # Hardening (issue 15): whether requests must carry CloudFront's origin secret (on unless
    # the stage is dev), the limits on anonymous views and shares per address and viewer key,
    # and the upload limits signed into the Cloudinary parameters and checked on arrival.
    origin_check: bool
    viewer_rate_limits: str
    upload_max_bytes: int
    upload_max_duration_s: int
    # Values given directly, and parameter names to fetch; kept out of repr (logs).
    secret_values: Dict[str, Optional[str]] = msgspec.field(default_factory=dict)
    secret_parameters: Dict[str, Optional[str]] = msgspec.field(default_factory=dict)

    def __repr__(self) -> str:  # the secrets' values and their parameter names stay out of logs
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__struct_fields__
                          if name not in ("secret_values", "secret_parameters"))
        return f"Settings({shown})"

    def secret(self, name: str) -> Optional[str]:
        """A secret's value: given directly, else fetched from its SSM parameter, else None."""
        value = self.secret_values.get(name)
        if value is not None:
            return value
        parameter = self.secret_parameters.get(name)
        return _from_parameter_store(name, parameter) if parameter else None

    @property
    def database_url(self) -> Optional[str]:
        return self.secret("DATABASE_URL")

    @property
    def jwt_secret(self) -> Optional[str]:
        return self.secret("JWT_SECRET")

    @property
    def cloudinary_url(self) -> Optional[str]:
        return self.secret("CLOUDINARY_URL")

    @property
    def cursor_secret(self) -> Optional[str]:
        """Signs list cursors; unset, a key is derived from JWT_SECRET (see cursors.py)."""
        return self.secret("CURSOR_SECRET")

    @property
    def viewer_key_secret(self) -> Optional[str]:
        """Signs anonymous viewer keys; unset, a key derived from the JWT secret
        (engagement/viewer.py)."""
        return self.secret("VIEWER_KEY_SECRET")

    @property
    def origin_secrets(self) -> Tuple[str, ...]:
        """The origin secrets accepted now: current first, then the one being rotated out."""
        return _split_secrets(self.secret("ORIGIN_SECRET") or "")


@lru_cache(maxsize=4)  # read on every request; the value changes only on rotation
def _split_secrets(raw: str) -> Tuple[str, ...]:
    return tuple(v.strip() for v in raw.split(",") if v.strip())


def _rate_limits(name: str, default: str, known: tuple) -> str:
    """The variable's spec, checked: every entry parses and names a known action."""
    from .ratelimit_spec import parse  # lazy, as before the split (no cycle now, no cost)

    spec = _env(name, default)
    try:
        unknown = sorted(set(parse(spec)) - set(known))
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
    if unknown:
        raise ValueError(f"{name} names unknown actions {unknown}; known: {', '.join(known)}")
    return spec


def _frontend_url() -> str:
    """Where mailed links point: FRONTEND_URL, else the CORS origin when it is one site."""
    origin = _env("CORS_ALLOW_ORIGIN", "*")
    fallback = origin if origin.startswith("http") else "http://localhost:5173"
    return _env("FRONTEND_URL", fallback).rstrip("/")


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of this execution environment (cached; `reset()` forgets them)."""
    return Settings(
        stage=_env("STAGE", "dev"),
        db_statement_timeout_ms=_int("DB_STATEMENT_TIMEOUT_MS", 5000),
        db_connect_timeout_s=_int("DB_CONNECT_TIMEOUT_S", 3),
        # Pinned by configuration, never read from a token's header.
        jwt_algorithm=_env("JWT_ALGORITHM", "HS256").upper(),
        jwt_jwks_url=_env("JWT_JWKS_URL"),
        jwt_audience=_env("JWT_AUDIENCE"),
        # Required with JWT_JWKS_URL (Supabase: https://<project>.supabase.co/auth/v1).
        jwt_issuer=_env("JWT_ISSUER"),
        # The `role` claim a token must carry; Supabase's user tokens say `authenticated`.
        jwt_role=_env("JWT_ROLE", "authenticated" if _env("JWT_JWKS_URL") else None),
        trending_bucket=_env("TRENDING_BUCKET"),
        trending_prefix=_env("TRENDING_PREFIX", "trending/"),
        trending_local_dir=_env("TRENDING_LOCAL_DIR", ".local/trending-store"),
        trending_rate_minutes=max(1, _int("TRENDING_RATE_MINUTES", 5)),
        # How stale a reader's in-memory copy may get before it asks the store again.
        trending_revalidate_s=float(_env("TRENDING_REVALIDATE_S", "5")),
        trending_hashtag_lists=_int("TRENDING_HASHTAG_LISTS", 20),
        cloudfront_distribution_id=_env("CLOUDFRONT_DISTRIBUTION_ID"),
        cloudinary_moderation=_env("CLOUDINARY_MODERATION"),
        cors_allow_origin=_env("CORS_ALLOW_ORIGIN", "*"),
        public_base_url=_env("PUBLIC_BASE_URL"),
        # Must match the account's setting (Console > Settings > Security): Cloudinary signs
        # its notifications with it. The SDK's and Cloudinary's default is sha1.
        cloudinary_signature_algorithm=_env("CLOUDINARY_SIGNATURE_ALGORITHM", "sha1").lower(),
        # Where the SDK sends Upload API calls; unset: https://api.cloudinary.com.
        cloudinary_upload_prefix=_env("CLOUDINARY_UPLOAD_PREFIX"),
        cloudinary_upload_folder=_env("CLOUDINARY_UPLOAD_FOLDER", "trendke/videos").strip("/"),
        # The SDK's own default freshness window for a notification's timestamp.
        cloudinary_webhook_max_age_s=_int("CLOUDINARY_WEBHOOK_MAX_AGE_S", 7200),
        upload_max_pending=_int("UPLOAD_MAX_PENDING", 3),
        upload_daily_cap=_int("UPLOAD_DAILY_CAP", 20),
        upload_pending_timeout_s=_int("UPLOAD_PENDING_TIMEOUT_S", 24 * 3600),
        rate_limits=_rate_limits("RATE_LIMITS", DEFAULT_RATE_LIMITS, RATE_LIMIT_ACTIONS),
        view_min_watch_ms=_int("VIEW_MIN_WATCH_MS", 3000),
        counter_fold_passes=max(1, _int("COUNTER_FOLD_PASSES", 3)),
        notification_group_window_s=max(0, _int("NOTIFICATION_GROUP_WINDOW_S", 3600)),
        notification_poll_s=max(1, _int("NOTIFICATION_POLL_S", 2)),
        notification_retention_days=max(1, _int("NOTIFICATION_RETENTION_DAYS", 30)),
        bcrypt_rounds=min(16, max(4, _int("BCRYPT_ROUNDS", 12))),
        jwt_ttl_s=_int("JWT_TTL_S", 7 * 86400),
        auth_rate_limits=_rate_limits("AUTH_RATE_LIMITS", DEFAULT_AUTH_RATE_LIMITS,
                                      AUTH_RATE_LIMIT_ACTIONS),
        login_account_failures=_int("LOGIN_ACCOUNT_FAILURES", 5),
        login_address_failures=_int("LOGIN_ADDRESS_FAILURES", 30),
        login_lock_base_s=_int("LOGIN_LOCK_BASE_S", 30),
        login_lock_max_s=_int("LOGIN_LOCK_MAX_S", 900),
        # Unset: no SES; every message is written to MAIL_OUTBOX_DIR (the local stack).
        mail_from=_env("MAIL_FROM"),
        mail_outbox_dir=_env("MAIL_OUTBOX_DIR", ".local/outbox"),
        frontend_url=_frontend_url(),
        platform_fee_bps=_int("PLATFORM_FEE_BPS", 2000),
        kes_per_usd=_env("KES_PER_USD", "130"),
        pesapal_api_base=_env("PESAPAL_API_BASE", "https://cybqa.pesapal.com/pesapalv3").rstrip("/"),
        pesapal_ipn_id=_env("PESAPAL_IPN_ID"),
        stripe_api_base=_env("STRIPE_API_BASE"),
        payment_return_url=_env("PAYMENT_RETURN_URL"),
        payment_recheck_after_s=_int("PAYMENT_RECHECK_AFTER_S", 120),
        payment_give_up_after_s=_int("PAYMENT_GIVE_UP_AFTER_S", 3 * 86400),
        leaderboard_rate_minutes=max(1, _int("LEADERBOARD_RATE_MINUTES", 5)),
        origin_check=_env("ORIGIN_CHECK", "off" if _env("STAGE", "dev") == "dev" else "on") == "on",
        viewer_rate_limits=_env("VIEWER_RATE_LIMITS", DEFAULT_VIEWER_RATE_LIMITS),
        upload_max_bytes=_int("UPLOAD_MAX_BYTES", 200 * 1024 * 1024),
        upload_max_duration_s=_int("UPLOAD_MAX_DURATION_S", 180),
        secret_values={name: _env(name) for name in SECRET_NAMES},
        secret_parameters={name: _env(name + SECRET_PARAMETER_SUFFIX) for name in SECRET_NAMES},
    )


_last_known_lock = threading.Lock()
_last_known: Dict[str, str] = {}


def _from_parameter_store(name: str, parameter: str) -> str:
    """Fetch (or reuse) a SecureString; Powertools and boto3 are imported only here.

    Powertools caches the value per execution environment for SECRET_MAX_AGE_S. When a
    refresh fails, the last value this environment saw keeps serving: a brief SSM outage must
    not take down warm environments that already know the secret.
    """
    try:
        from aws_lambda_powertools.utilities.parameters import get_parameter

        value = get_parameter(parameter, decrypt=True, max_age=SECRET_MAX_AGE_S)
    except Exception as exc:
        with _last_known_lock:
            known = _last_known.get(parameter)
        if known is not None:
            log.warning("refreshing %s from SSM failed (%s); keeping the known value",
                        name, type(exc).__name__)
            return known
        raise ServiceUnavailable(f"Configuration is unreachable ({name})") from exc
    with _last_known_lock:
        _last_known[parameter] = value
    return value


def reset() -> None:
    """Forget the cached settings (tests, and the CLI after it changes the environment)."""
    settings.cache_clear()
