"""Password hashes in the live users table: bcrypt, as the current backend writes them."""
from __future__ import annotations

import base64
import os
import threading
from typing import Optional

_STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BCRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_TO_BCRYPT = str.maketrans(_STANDARD, _BCRYPT)


def _bcrypt_b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=").translate(_TO_BCRYPT)


def unusable_hash() -> str:
    """A well-formed bcrypt hash (random salt, random checksum) that no password matches.

    For a row that never set a password (a profile made on a token's first use): users.
    password_hash is NOT NULL, and the current backend runs bcrypt's check on whatever it
    holds. A malformed value such as '!' would make that check raise (a 500 on its login);
    this one makes it answer "wrong password" like any other, and nobody knows a preimage
    because there is none to know: the checksum is random, not computed from anything.
    """
    # os.urandom is what secrets.token_bytes calls; `secrets` (hmac, random) stays unimported
    return "$2b$12$" + _bcrypt_b64(os.urandom(16)) + _bcrypt_b64(os.urandom(23))


# ---- bcrypt, as the current backend hashes and checks -------------------------------------

# bcrypt reads at most 72 bytes; bcrypt 5 raises on more, the old backend cut to 72 first.
MAX_BYTES = 72

# The seeded demo users' password (devtools/seed.py): one precomputed hash (cost 12) shared
# by all of them, so seeding stays fast. Documented in the README; demo data only.
DEMO_PASSWORD = "trendke-demo"
DEMO_HASH = "$2b$12$l50zvFnx/cnITi2LppB3F.r1iyFp1DfkrraqbT4C5EPbDcMIUK2J6"

_dummy_lock = threading.Lock()
_dummy: dict = {}


def _secret(password: str) -> bytes:
    return password.encode("utf-8")[:MAX_BYTES]


def hash_password(password: str, rounds: int) -> str:
    """A `$2b$<rounds>$` hash of the password's first 72 bytes (what the old backend stored)."""
    import bcrypt

    return bcrypt.hashpw(_secret(password), bcrypt.gensalt(rounds)).decode("ascii")


def _dummy_hash(rounds: int) -> bytes:
    """A hash of a random secret at `rounds`, made once per execution environment."""
    with _dummy_lock:
        value = _dummy.get(rounds)
        if value is None:
            import secrets

            value = _dummy[rounds] = hash_password(secrets.token_urlsafe(16), rounds).encode("ascii")
        return value


def verify(password: str, stored: Optional[str], rounds: int) -> bool:
    """Does `password` match the stored hash? A missing or malformed hash ('!' from old demo
    data) is a non-match, after the same bcrypt work as a real check (the answer's timing
    does not tell an unknown email or a broken row from a wrong password)."""
    import bcrypt

    secret = _secret(password)
    try:
        if stored and stored.startswith("$2"):
            return bcrypt.checkpw(secret, stored.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        pass
    bcrypt.checkpw(secret, _dummy_hash(rounds))
    return False
