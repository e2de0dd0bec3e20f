"""Password hashing (Argon2) and the password policy.

The policy follows the NCSC and ASVS 6.2: at least 12 characters, no rules about symbols
or capitals, and no password that is easy to guess. zxcvbn judges that: it knows the
passwords people use most, common words and names (its frequency lists ship inside the
package), keyboard patterns, sequences, repeats, dates and letters swapped for digits, and
it is given the words that would be guessed first here (ASVS 6.2.11): the person's name and
email address, their council's name, and this service's own words.
"""

import re
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's best score ("very unguessable"): 10^10 guesses, so a stolen hash, even with
# Argon2 slowing each guess, is not worth attacking.
ENOUGH_GUESSES_LOG10 = 10
# zxcvbn's own limit: longer passwords are judged by their first 72 characters.
JUDGED_LENGTH = 72
# What people here reach for first (ASVS 6.2.11: context-specific words).
SERVICE_WORDS = (
    "ofsted",
    "action plans",
    "action plan",
    "improvement plan",
    "children's services",
    "childrens services",
    "children in care",
    "looked after children",
    "child protection",
    "safeguarding",
    "social care",
    "social work",
    "social worker",
    "corporate parenting",
    "care leavers",
    "early help",
    "inspection",
    "council",
    "borough",
    "county",
)
SEPARATORS = re.compile(r"[\s.\-_+'’]+")
TRY_INSTEAD = "Try 3 random words that have nothing to do with you or your work"

_hasher = PasswordHasher()
# A hash that verifies nothing, so an unknown email costs the same time as a wrong password.
# Written out rather than computed: hashing at import took a second of every cold start.
# Its parameters are the hasher's (a test holds them together).
DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$PSFzUxE9u7kpF/ndoSep+g$"
    "sF4PsVKDiOFVPJhY9+BeT0ZH6A45dj8U4I8FDkUi0Uw"
)

# zxcvbn keeps the words it is given in a module-wide dictionary: one judgement at a time.
_judging = threading.Lock()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(
    password: str, email: str = "", *, name: str = "", authority: str = ""
) -> str | None:
    """Why a password is refused, and what to choose instead; None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    local, _, domain = email.strip().lower().partition("@")
    person = _words_of(name, local)
    council = _words_of(authority, domain.rsplit(".", 1)[0])  # a work address: the council's
    result = _judge(password[:JUDGED_LENGTH], [*person, *council, *_service_words()])
    if result["guesses_log10"] >= ENOUGH_GUESSES_LOG10:
        return None
    reason = _reason(result["sequence"], set(person), set(council))
    return f"Password is too easy to guess because {reason}. {TRY_INSTEAD}"


def _judge(password: str, context: list[str]) -> dict:
    from zxcvbn import zxcvbn  # its frequency lists are large: loaded when a password is set

    with _judging:
        return zxcvbn(password, user_inputs=context, max_length=JUDGED_LENGTH)


def _words_of(*texts: str) -> list[str]:
    """Each text whole, run together, and its words of three letters or more, lower case."""
    words = []
    for text in texts:
        text = text.strip().lower()
        pieces = [piece for piece in SEPARATORS.split(text) if len(piece) >= 3]
        words += [text, SEPARATORS.sub("", text), *pieces]
    return [word for word in dict.fromkeys(words) if word]


def _service_words() -> list[str]:
    return [SEPARATORS.sub("", phrase) for phrase in SERVICE_WORDS]


def _reason(sequence: list[dict], person: set[str], council: set[str]) -> str:
    """The plainest reason among the weak parts zxcvbn found."""
    found = [m for m in sequence if m["pattern"] != "bruteforce"]
    for match in found:
        if match.get("dictionary_name") == "user_inputs":
            word = match["matched_word"]
            if word in person:
                return "it contains your name or your email address"
            if word in council:
                return "it contains your council's name"
            return "it contains a word people would guess for this service, like ‘Ofsted’"
    patterns = {m["pattern"] for m in found}
    dictionaries = {m.get("dictionary_name") for m in found}
    if "passwords" in dictionaries:
        return "it is, or is close to, a password that many people use"
    if "dictionary" in patterns:
        return "it is mostly a common word or name"
    if "spatial" in patterns:
        return "it follows a line of keys on the keyboard, like qwerty"
    if "repeat" in patterns:
        return "it repeats characters or words, like aaa or abcabc"
    if "sequence" in patterns:
        return "it is a sequence, like abcd or 1234"
    if {"date", "regex"} & patterns:
        return "it is mostly a date or a year"
    return "it could be guessed quickly by trying every combination"
