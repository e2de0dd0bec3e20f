"""What every way of signing in shares in the browser: where the person lands afterwards."""

from urllib.parse import urlsplit

from flask import url_for

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
