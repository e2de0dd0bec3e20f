"""What every way of signing in shares in the browser: where the person lands afterwards,
and a fresh cookie naming the session that began (see accounts/session_cookie.py)."""

from urllib.parse import urlsplit

from flask import request, session, url_for
from flask_login import login_user

from workflow.accounts.session_cookie import SESSION_KEY
from workflow.models import User

# Longer than any address the app makes; a longer one is not worth following.
MOST_NEXT_CHARACTERS = 2000


def safe_next(target: str | None) -> str:
    """A next address only when it is a path on this site; anything else lands on the home page.

    Refused: other hosts and schemes (``https://``, ``javascript:``), scheme-relative ``//``,
    backslashes (browsers read ``/\\evil`` as ``//evil``), and control characters or spaces,
    which would split the Location header or be stripped by the browser into something else.
    """
    home = url_for("home.index")
    if not target or len(target) > MOST_NEXT_CHARACTERS or not target.startswith("/"):
        return home
    if "\\" in target or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return home
    return target


def user_agent() -> str:
    return request.headers.get("User-Agent", "")


def sign_in_as(user: User, key: str) -> None:
    """A fresh cookie for a new session (nothing from before signing in is carried over)."""
    session.clear()
    login_user(user)
    session[SESSION_KEY] = key
