"""Rules for authorities, users, signing in and its throttling."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from workflow.accounts.passwords import hash_password, password_problem, verify_password
from workflow.core.audit import diff, record_edit, record_event, snapshot
from workflow.core.errors import RuleError, Throttled
from workflow.core.locking import check_version, flush
from workflow.extensions import db
from workflow.models import Authority, Role, ServiceArea, SignInAttempt, User, utcnow

USER_FIELDS = ["name", "email", "role", "service_area_id", "active"]


def create_authority(name: str, email_domain: str | None = None) -> Authority:
    name = name.strip()
    if not name:
        raise RuleError("Enter the authority's name", "name")
    if db.session.scalar(sa.select(Authority).where(Authority.name == name)):
        raise RuleError(f"An authority called {name} already exists", "name")
    authority = Authority(name=name, email_domain=email_domain)
    db.session.add(authority)
    record_event(None, _flushed(authority).id, authority, "created", f"Authority {name} created")
    return authority


def create_service_area(authority: Authority, name: str) -> ServiceArea:
    area = ServiceArea(authority=authority, name=name)
    db.session.add(area)
    record_event(None, authority.id, _flushed(area), "created", f"Service area {name} created")
    return area


def create_user(
    actor: User | None,
    authority: Authority,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    service_area: ServiceArea | None = None,
) -> User:
    """Add a user to an authority; the password must meet the policy."""
    email = email.strip().lower()
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise RuleError("A user with this email address already exists", "email")
    problem = password_problem(password, email)
    if problem:
        raise RuleError(problem, "password")
    _check_service_area(role, service_area, authority)
    user = User(
        authority=authority,
        email=email,
        name=name.strip(),
        role=role,
        service_area=service_area,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    summary = f"User {user.name} created as {role.label}"
    record_event(actor, authority.id, _flushed(user), "created", summary, {"email": email})
    return user


def edit_user(actor: User, user: User, version: int | None, **values) -> User:
    check_version(user, version)
    taken = sa.select(User.id).where(User.email == values["email"], User.id != user.id)
    if db.session.scalar(taken):
        raise RuleError("A user with this email address already exists", "email")
    before = snapshot(user, USER_FIELDS)
    _check_service_area(values["role"], values.get("service_area"), user.authority)
    if user.id == actor.id and (values["role"] is not user.role or not values["active"]):
        raise RuleError("You cannot change your own role or disable your own account", "role")
    for field, value in values.items():
        setattr(user, field, value)
    if not user.active:
        user.session_epoch += 1  # a disabled account loses every session at once
    changes = diff(user, before, USER_FIELDS)
    record_edit(actor, user.authority_id, user, f"User {user.name} edited", changes)
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise RuleError("Your current password is not correct", "current_password")
    problem = password_problem(new, user.email)
    if problem:
        raise RuleError(problem, "new_password")
    user.password_hash = hash_password(new)
    user.session_epoch += 1
    record_event(user, user.authority_id, user, "password_changed", "Password changed")


def end_sessions(user: User) -> None:
    """Sign-out ends every session of the user, on every device."""
    user.session_epoch += 1


def sign_in(email: str, password: str, address: str) -> User:
    """The active user these credentials belong to; throttled per account and per address."""
    email = email.strip().lower()
    if is_throttled(email, address):
        raise Throttled(
            "Too many failed sign-in attempts. Wait 5 minutes before you try again", "email"
        )
    user = db.session.scalar(sa.select(User).where(User.email == email))
    valid = verify_password(user.password_hash if user else None, password)
    succeeded = bool(user and valid and user.active)
    db.session.add(SignInAttempt(email=email[:254], address=address[:64], succeeded=succeeded))
    if not succeeded:
        raise RuleError("Enter a correct email address and password", "email")
    return user


def is_throttled(email: str, address: str) -> bool:
    window = timedelta(seconds=current_app.config["SIGN_IN_WINDOW_SECONDS"])
    limit = current_app.config["SIGN_IN_MAX_FAILURES"]
    since = utcnow() - window
    failures = sa.select(sa.func.count(SignInAttempt.id)).where(
        SignInAttempt.succeeded.is_(False), SignInAttempt.at >= since
    )
    by_account = db.session.scalar(failures.where(SignInAttempt.email == email))
    by_address = db.session.scalar(failures.where(SignInAttempt.address == address))
    return by_account >= limit or by_address >= limit


def _check_service_area(role: Role, area: ServiceArea | None, authority: Authority) -> None:
    if role.needs_service_area and area is None:
        raise RuleError(f"Select a service area for a {role.label.lower()}", "service_area_id")
    if area is not None and area.authority_id != authority.id:
        raise RuleError("Select a service area of this authority", "service_area_id")


def _flushed(obj):
    flush()
    return obj


def set_at_risk_window(actor: User, authority: Authority, version: int | None, days: int) -> None:
    """The one part of the RAG rules an authority sets (workflow/core/rag.py writes out the
    rest): how near its due date a not-started action turns amber."""
    check_version(authority, version)
    before = snapshot(authority, ["rag_at_risk_days"])
    authority.rag_at_risk_days = days
    flush()
    changes = diff(authority, before, ["rag_at_risk_days"])
    summary = f"RAG rules changed: amber from {days} days before the due date"
    record_edit(actor, authority.id, authority, summary, changes)


def users_by_name(authority: Authority) -> sa.Select:
    """An authority's people in name order, each with their service area in the same query."""
    return (
        sa.select(User)
        .where(User.authority_id == authority.id)
        .options(joinedload(User.service_area))
        .order_by(User.name)
    )
