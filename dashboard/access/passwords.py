"""Password hashing with argon2id (argon2-cffi: a maintained binding of the reference
implementation, with sane default costs; nothing home-made here)."""

from __future__ import annotations

import contextlib
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()

MIN_LENGTH = 8


class PasswordError(ValueError):
    """A new password is not acceptable (the message never contains it)."""


def check_new(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"the password must have at least {MIN_LENGTH} characters")
    if password != password.strip():
        raise PasswordError("the password must not start or end with spaces")


def hash_password(password: str) -> str:
    check_new(password)
    return _HASHER.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; False for a wrong password or an unusable hash."""
    if not stored_hash:
        # Still spend the time of a check, so "no password set" is not told apart by timing.
        _HASHER.hash(password or "x")
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash("not-a-real-password")


def verify_unknown(password: str) -> bool:
    """The cost of a check for an unknown user name (no timing hint that the name is free)."""
    with contextlib.suppress(VerificationError):
        _HASHER.verify(_dummy_hash(), password)
    return False
