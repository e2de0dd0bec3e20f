"""Sign-in throttling, the NCSC way: slow guessing down, never lock the owner out.

Counted from the sign_in_attempt rows, so every app server sees the same numbers:

- one address guessing at one account is stopped after SIGN_IN_MAX_FAILURES failures in
  the window (SIGN_IN_WINDOW_SECONDS), until the window has passed;
- one address guessing at many accounts is stopped after SIGN_IN_MAX_FAILURES_PER_ADDRESS;
- an account guessed at from many addresses is never locked: once it has had
  SIGN_IN_MAX_FAILURES failures in the window, each address must wait between its own
  tries, a delay that doubles with every further failure, up to a minute. So the owner,
  from an address of their own, waits a minute at most, while a guesser with many
  addresses makes one guess a minute from each.

At the second step (a code after a right password) an account is stopped after
SIGN_IN_MAX_FAILURES wrong codes from anywhere: only someone who knows the password can
make those, so nobody else can hold the owner up this way, and a guesser with many
addresses cannot try a million codes.

The owner is emailed when their account is being guessed at, once in each clock hour at
most (the job's key makes that hold across app servers).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from workflow.core.errors import Throttled
from workflow.extensions import db
from workflow.models import SignInAttempt, User

LONGEST_DELAY = timedelta(minutes=1)
ALERT_JOB = "accounts.send_sign_in_alert"


@dataclass(frozen=True)
class Failures:
    """Failed attempts in the window: by this address at this account, by this address at
    any account, at this account from anywhere, wrong codes at this account; and when this
    address last failed here."""

    pair: int
    address: int
    account: int
    codes: int
    pair_last: datetime | None


def check(
    email: str, address: str, now: datetime, tries: str, field: str, second_step: bool = False
) -> Failures:
    """The failures so far; Throttled, saying how long to wait, if this try must wait."""
    found = failures(email, address, now)
    wait = seconds_to_wait(found, now, second_step)
    if wait:
        raise Throttled(f"Too many {tries}. Wait {_in_words(wait)} before you try again", field)
    return found


def seconds_to_wait(found: Failures, now: datetime, second_step: bool = False) -> int:
    config = current_app.config
    if found.pair >= config["SIGN_IN_MAX_FAILURES"]:
        return config["SIGN_IN_WINDOW_SECONDS"]
    if second_step and found.codes >= config["SIGN_IN_MAX_FAILURES"]:
        return config["SIGN_IN_WINDOW_SECONDS"]
    if found.address >= config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]:
        return config["SIGN_IN_WINDOW_SECONDS"]
    if found.account >= config["SIGN_IN_MAX_FAILURES"] and found.pair_last is not None:
        ready = found.pair_last + slowdown(found.account)
        return max(0, math.ceil((ready - now).total_seconds()))
    return 0


def slowdown(account_failures: int) -> timedelta:
    """The wait between one address's tries at an account under attack."""
    beyond = account_failures - current_app.config["SIGN_IN_MAX_FAILURES"]
    return min(timedelta(seconds=2 ** min(beyond, 10)), LONGEST_DELAY)


def failures(email: str, address: str, now: datetime) -> Failures:
    """The counts for one attempt, in one query."""
    window = timedelta(seconds=current_app.config["SIGN_IN_WINDOW_SECONDS"])
    same_pair = sa.and_(SignInAttempt.email == email, SignInAttempt.address == address)
    row = db.session.execute(
        sa.select(
            sa.func.count(sa.case((same_pair, 1))),
            sa.func.count(sa.case((SignInAttempt.address == address, 1))),
            sa.func.count(sa.case((SignInAttempt.email == email, 1))),
            sa.func.count(
                sa.case((sa.and_(SignInAttempt.email == email, SignInAttempt.second_step), 1))
            ),
            sa.func.max(sa.case((same_pair, SignInAttempt.at))),
        ).where(
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.at >= now - window,
            sa.or_(SignInAttempt.email == email, SignInAttempt.address == address),
        )
    ).one()
    return Failures(*row)


def note_success(email: str, address: str, now: datetime) -> None:
    db.session.add(SignInAttempt(email=email[:254], address=address[:64], succeeded=True, at=now))


def note_failure(
    email: str,
    address: str,
    now: datetime,
    user: User | None,
    before: Failures,
    second_step: bool = False,
) -> None:
    """Count a failed attempt; tell the owner when their account is being guessed at."""
    db.session.add(
        SignInAttempt(
            email=email[:254],
            address=address[:64],
            succeeded=False,
            second_step=second_step,
            at=now,
        )
    )
    account_failures = before.account + 1
    if user is None or not user.active:
        return
    if account_failures >= current_app.config["SIGN_IN_MAX_FAILURES"]:
        from workflow.jobs import enqueue

        enqueue(
            ALERT_JOB,
            key=f"{ALERT_JOB}:{user.id}:{now:%Y%m%dT%H}",
            authority_id=user.authority_id,
            user_id=user.id,
            failures=account_failures,
        )


def _in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second" + ("" if seconds == 1 else "s")
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute" + ("" if minutes == 1 else "s")
