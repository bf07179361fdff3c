"""Password hashes in the live users table: bcrypt, as the current backend writes them."""
from __future__ import annotations

import base64
import secrets

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
    return "$2b$12$" + _bcrypt_b64(secrets.token_bytes(16)) + _bcrypt_b64(secrets.token_bytes(23))
