"""Password hashing (Argon2) and the password policy (NCSC style: length and a deny-list)."""

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256
_hasher = PasswordHasher()
# A hash that verifies nothing, so an unknown email costs the same time as a wrong password.
# Written out rather than computed: hashing at import took a second of every cold start.
# Its parameters are the hasher's (a test holds them together).
DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$PSFzUxE9u7kpF/ndoSep+g$"
    "sF4PsVKDiOFVPJhY9+BeT0ZH6A45dj8U4I8FDkUi0Uw"
)


@cache
def _deny_list() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common-passwords.txt"
    lines = path.read_text().splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, email: str = "") -> str | None:
    """Why a password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    if _is_common(password) or _is_email_based(password, email):
        return "Password is too easy to guess: choose three random words, for example"
    return None


def _is_common(password: str) -> bool:
    lowered = password.lower()
    stem = re.sub(r"[\W\d_]+", "", lowered)
    if lowered in _deny_list() or stem in _deny_list() or len(set(lowered)) <= 3:
        return True
    # A deny-listed word repeated ("summersummer") is no stronger than the word itself.
    return any(stem == word * (len(stem) // len(word)) for word in _deny_list() if stem)


def _is_email_based(password: str, email: str) -> bool:
    name = email.split("@")[0].lower()
    return len(name) >= 4 and name in password.lower()
