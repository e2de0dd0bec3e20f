"""Rules for authorities, users, their passwords and signing in with one."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflow.accounts import email_changes, sessions, sso, throttling, two_factor
from workflow.accounts.passwords import hash_password, password_problem, verify_password
from workflow.core.audit import diff, record_edit, record_event, snapshot
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.extensions import db
from workflow.models import (
    Authority,
    Role,
    ServiceArea,
    SessionEnd,
    SignInMethod,
    SignInSession,
    User,
)

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
    problem = password_problem(password, email, name=name, authority=authority.name)
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


def edit_user(actor: User, user: User, version: int | None, now: datetime, **values):
    """Save the person's details; a new email address waits for them to confirm it (see
    email_changes.py). The pending change and its link's secret, if the address changed."""
    check_version(user, version)
    email = values.pop("email").strip().lower()
    before = snapshot(user, USER_FIELDS)
    _check_service_area(values["role"], values.get("service_area"), user.authority)
    if user.id == actor.id and (values["role"] is not user.role or not values["active"]):
        raise RuleError("You cannot change your own role or disable your own account", "role")
    _check_partner_stays_partner(user, values["role"])
    for field, value in values.items():
        setattr(user, field, value)
    if not user.active:
        sessions.end_sessions(user, SessionEnd.ACCOUNT_DISABLED, now)
    changes = diff(user, before, USER_FIELDS)
    record_edit(actor, user.authority_id, user, f"User {user.name} edited", changes)
    if email == user.email:
        return None
    return email_changes.request_email_change(actor, user, email, now)


def change_password(
    user: User, current: str, new: str, keep: SignInSession | None, now: datetime
) -> None:
    """A new password; every session but `keep` (the one changing it) ends."""
    if not verify_password(user.password_hash, current):
        raise RuleError("Your current password is not correct", "current_password")
    problem = password_problem(new, user.email, name=user.name, authority=user.authority.name)
    if problem:
        raise RuleError(problem, "new_password")
    user.password_hash = hash_password(new)
    sessions.end_sessions(user, SessionEnd.PASSWORD_CHANGED, now, keep=keep)
    record_event(user, user.authority_id, user, "password_changed", "Password changed")


def sign_in(
    email: str, password: str, address: str, user_agent: str, now: datetime
) -> tuple[User, str | None]:
    """The active user these credentials belong to, and the key of the session they begin:
    None while a second step (a code) is still to come. Throttled: see throttling.py."""
    email = email.strip().lower()[:254]
    before = throttling.check(email, address, now, "failed sign-in attempts", "email")
    user = db.session.scalar(sa.select(User).where(User.email == email))
    valid = verify_password(user.password_hash if user else None, password)
    if not (user and valid and user.active):
        throttling.note_failure(email, address, now, user, before)
        raise RuleError("Enter a correct email address and password", "email")
    throttling.note_success(email, address, now)
    if sso.password_sign_in_closed(user):
        raise RuleError(sso.SSO_ONLY_MESSAGE, "email")
    if two_factor.needs_second_step(user):
        return user, None
    return user, sessions.begin_session(user, SignInMethod.PASSWORD, user_agent, now)


def _check_partner_stays_partner(user: User, role: Role) -> None:
    """Partners come from outside the council and reach only named actions: nobody becomes
    one, or stops being one, by an edit that would open or close the whole authority."""
    if user.role.is_partner and not role.is_partner:
        raise RuleError(
            "A partner contributor's role cannot be changed. Disable the account instead", "role"
        )
    if role.is_partner and not user.role.is_partner:
        raise RuleError(
            "Invite a partner contributor from the invitation page, naming their actions", "role"
        )


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
