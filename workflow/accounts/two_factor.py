"""Two-factor sign-in for password accounts: time-based codes (TOTP, RFC 6238) from an
authenticator app, and ten single-use recovery codes, shown once and stored hashed.

Administrators and directors who sign in with a password always need it; an authority can
require it of everyone. People who sign in with single sign-on use their council's own
multi-factor sign-in instead. The shared secret is stored encrypted with a key derived from
the application's SECRET_KEY, so a copy of the database alone does not reveal it.
"""

import base64
import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from workflow.accounts import throttling
from workflow.accounts.sessions import begin_session
from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.models import RecoveryCode, Role, SignInMethod, User

ISSUER = "Ofsted action plans"
RECOVERY_CODES = 10
STEP_SECONDS = 30
WRONG_CODE = "Enter the 6-digit code from your authenticator app, or a recovery code"


def must_use_two_factor(user: User) -> bool:
    return user.role in (Role.ADMINISTRATOR, Role.DIRECTOR) or user.authority.require_two_factor


def needs_second_step(user: User) -> bool:
    """After a right password: a code is asked for, or two-factor must be set up first."""
    return has_two_factor(user) or must_use_two_factor(user)


def has_two_factor(user: User) -> bool:
    return bool(user.totp_secret_encrypted)


def new_secret() -> str:
    import pyotp

    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    import pyotp

    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code(uri: str) -> str:
    """The QR code as an SVG data address, for an <img>: no script, nothing fetched."""
    import segno

    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def enrol_two_factor(user: User, secret: str, code: str, now: datetime) -> list[str]:
    """Turn two-factor on once the app shows a right code; the recovery codes, shown once."""
    step = _matching_step(secret, code, now, after=None)
    if step is None:
        raise RuleError("Enter the 6-digit code your authenticator app shows now", "code")
    user.totp_secret_encrypted = encrypt_secret(secret)
    user.totp_last_step = step
    codes = _replace_recovery_codes(user)
    record_event(user, user.authority_id, user, "two_factor_on", "Two-factor sign-in turned on")
    return codes


def verify_second_factor(
    user: User, code: str, address: str, user_agent: str, now: datetime
) -> tuple[SignInMethod, str]:
    """Accept a fresh TOTP code or an unused recovery code, and begin the session: how the
    person signed in, and the session's key. Wrong codes count as failed sign-ins."""
    before = throttling.check(user.email, address, now, "wrong codes", "code", second_step=True)
    code = "".join(code.split()).lower()
    secret = _fernet().decrypt(user.totp_secret_encrypted.encode()).decode()
    step = _matching_step(secret, code, now, after=user.totp_last_step)
    method = None
    if step is not None:
        user.totp_last_step, method = step, SignInMethod.TWO_FACTOR
    elif (recovery := _unused_recovery_code(user, code)) is not None:
        recovery.used_at, method = now, SignInMethod.RECOVERY_CODE
        flush()
        record_event(
            user, user.authority_id, user, "recovery_code_used", "Signed in with a recovery code"
        )
    if method is not None:
        return method, begin_session(user, method, user_agent, now)
    throttling.note_failure(user.email, address, now, user, before, second_step=True)
    raise RuleError(WRONG_CODE, "code")


def enrol_at_sign_in(
    user: User, secret: str, code: str, user_agent: str, now: datetime
) -> tuple[list[str], str]:
    """Set two-factor up half-way through signing in, then begin the session."""
    codes = enrol_two_factor(user, secret, code, now)
    return codes, begin_session(user, SignInMethod.TWO_FACTOR, user_agent, now)


def enrol_with_known_secret(user: User, secret: str, now: datetime) -> None:
    """Demo and test accounts: two-factor on with a published secret, no code step used yet."""
    import pyotp

    enrol_two_factor(user, secret, pyotp.TOTP(secret).at(now.timestamp()), now)
    user.totp_last_step = None


def turn_off_two_factor(user: User) -> None:
    if not has_two_factor(user):
        raise RuleError("Two-factor sign-in is not turned on")
    if must_use_two_factor(user):
        raise RuleError("Your account must use two-factor sign-in: it cannot be turned off")
    user.totp_secret_encrypted, user.totp_last_step = None, None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_event(user, user.authority_id, user, "two_factor_off", "Two-factor sign-in turned off")


def new_recovery_codes(user: User) -> list[str]:
    """Ten new codes; the old ones stop working."""
    if not has_two_factor(user):
        raise RuleError("Turn on two-factor sign-in first")
    codes = _replace_recovery_codes(user)
    record_event(user, user.authority_id, user, "recovery_codes", "New recovery codes made")
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def set_authority_requirement(actor: User, required: bool) -> None:
    authority = actor.authority
    if authority.require_two_factor is required:
        return
    authority.require_two_factor = required
    summary = "Two-factor sign-in " + (
        "required of everyone" if required else "no longer required of everyone"
    )
    record_event(
        actor, authority.id, authority, "edited", summary, {"require_two_factor": required}
    )


def _matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step whose code this is (this one or either neighbour), if not used before."""
    import pyotp

    if len(code) != 6 or not code.isdigit():
        return None
    totp, step = pyotp.TOTP(secret), int(now.timestamp()) // STEP_SECONDS
    for candidate in (step, step - 1, step + 1):
        if (after is None or candidate > after) and secrets.compare_digest(
            totp.generate_otp(candidate), code
        ):
            return candidate
    return None


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    flush()
    return codes


def _recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _unused_recovery_code(user: User, code: str) -> RecoveryCode | None:
    if len(code) > 20:
        return None
    code = code.replace("-", "")
    wanted = _hash(f"{code[:5]}-{code[5:]}")
    return db.session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == wanted,
            RecoveryCode.used_at.is_(None),
        )
    )


def _hash(code: str) -> str:
    # Recovery codes carry 50 random bits: a fast hash is enough, unlike a chosen password.
    return hashlib.sha256(code.encode()).hexdigest()


def encrypt_secret(secret: str, secret_key: str | None = None) -> str:
    """An authenticator secret as stored: encrypted under a key derived from SECRET_KEY (the
    app's, unless another is given for data made outside the app)."""
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def _fernet(secret_key: str | None = None):
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret_key = secret_key or current_app.config["SECRET_KEY"]
    key = HKDF(hashes.SHA256(), 32, salt=None, info=b"two-factor secrets").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))
