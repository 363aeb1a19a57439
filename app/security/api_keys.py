"""API key material: generation, keyed hashing and constant-time verification.

A key reads ``bsk_<id>_<secret>``: the id (public, 48 random bits) finds the stored row, the
secret carries 256 random bits. Only HMAC-SHA256(pepper, key) is stored, so a copy of the
database does not yield usable keys, nor (without the pepper) a way to test guesses offline.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "bsk"
SECRET_BYTES = 32  # 256 bits
_FORMAT = re.compile(rf"^{PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9_-]{{43}})$")


@dataclass(frozen=True, slots=True)
class NewKey:
    key_id: str
    plaintext: str


def generate() -> NewKey:
    key_id = secrets.token_hex(6)
    return NewKey(key_id, f"{PREFIX}_{key_id}_{secrets.token_urlsafe(SECRET_BYTES)}")


def key_id_of(presented: str) -> str | None:
    """The id part of a well-formed key; None for anything else."""
    match = _FORMAT.match(presented)
    return match.group(1) if match else None


def hash_key(plaintext: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), plaintext.encode(), hashlib.sha256).hexdigest()


# Compared against when no stored key matches the id, so that an unknown id costs the same
# hashing and comparison as a known one. It matches no input (nothing hashes to it knowingly).
_DUMMY_HASH = hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def matches(presented: str, stored_hash: str | None, pepper: str) -> bool:
    """Constant-time check of a presented key against its stored hash (or the dummy)."""
    expected = stored_hash if stored_hash is not None else _DUMMY_HASH
    same = hmac.compare_digest(hash_key(presented, pepper).encode(), expected.encode())
    return same and stored_hash is not None
