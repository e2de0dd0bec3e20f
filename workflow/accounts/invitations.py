"""Invitations: an administrator asks a person to join; the person chooses their own password
(or signs in with the council's single sign-on). No administrator sees anyone's password."""

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa

from workflow.accounts import partners
from workflow.accounts.link_tokens import hash_link_token, looks_like_token, new_link_token
from workflow.accounts.passwords import hash_password, password_problem
from workflow.accounts.sessions import begin_session
from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.extensions import db
from workflow.models import (
    Authority,
    IdentityProvider,
    Invitation,
    Role,
    ServiceArea,
    SignInMethod,
    User,
)

LIFETIME = timedelta(days=7)
EXPIRED = "This invitation has expired or was withdrawn. Ask your administrator to send a new one"
TAKEN = "An account with this email address already exists. Sign in instead"


def invite_user(
    actor: User,
    authority: Authority,
    *,
    email: str,
    name: str,
    role: Role,
    service_area: ServiceArea | None,
    now: datetime,
    action_ids: Sequence[int] = (),
) -> tuple[Invitation, str]:
    """A pending invitation and the secret for its link (emailed, never stored). A partner
    contributor's names the actions they will report on."""
    email = email.strip().lower()
    # Only this authority's people are named. An address another council's person has is
    # invited like any other: the page and the audit trail read the same, and only the
    # email to the address says it cannot join (see emails.send_invitation).
    in_authority = sa.select(User.id).where(User.email == email, User.authority_id == authority.id)
    if db.session.scalar(in_authority):
        raise RuleError("A user with this email address already exists", "email")
    if pending_for_email(authority, email, now):
        raise RuleError("This person has already been invited: resend the invitation", "email")
    if role.needs_service_area and service_area is None:
        raise RuleError(f"Select a service area for a {role.label.lower()}", "service_area_id")
    if service_area is not None and service_area.authority_id != authority.id:
        raise RuleError("Select a service area of this authority", "service_area_id")
    actions = partners.offered_actions(authority, action_ids) if role.is_partner else []
    if role.is_partner:
        service_area = None  # a partner reports on named actions, not on an area
    token, token_hash = new_link_token()
    invitation = Invitation(
        authority=authority,
        email=email,
        name=name.strip(),
        role=role,
        service_area=service_area,
        token_hash=token_hash,
        invited_by_id=actor.id,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    db.session.add(invitation)
    flush()
    partners.name_actions(invitation, actions)
    summary = f"{invitation.name} invited as {role.label}"
    changes = {"email": email}
    if actions:
        noun = "action" if len(actions) == 1 else "actions"
        summary += f" to report on {noun} " + ", ".join(a.reference for a in actions)
        changes["actions"] = [a.reference for a in actions]
    record_event(actor, authority.id, invitation, "created", summary, changes)
    return invitation, token


def resend_invitation(
    actor: User, invitation: Invitation, version: int | None, now: datetime
) -> str:
    """A new link for a pending or expired invitation; the old link stops working."""
    check_version(invitation, version)
    if invitation.accepted_at or invitation.withdrawn_at:
        raise RuleError("This invitation was already accepted or withdrawn")
    token, invitation.token_hash = new_link_token()
    invitation.expires_at = now + LIFETIME
    flush()
    record_event(
        actor,
        invitation.authority_id,
        invitation,
        "resent",
        f"Invitation to {invitation.name} sent again",
    )
    return token


def withdraw_invitation(
    actor: User, invitation: Invitation, version: int | None, now: datetime
) -> None:
    check_version(invitation, version)
    if invitation.accepted_at or invitation.withdrawn_at:
        raise RuleError("This invitation was already accepted or withdrawn")
    invitation.withdrawn_at = now
    flush()
    record_event(
        actor,
        invitation.authority_id,
        invitation,
        "withdrawn",
        f"Invitation to {invitation.name} withdrawn",
    )


def invitation_for_link(token: str, now: datetime) -> Invitation | None:
    """The pending invitation a link names, or None for any link that no longer works."""
    if not looks_like_token(token):
        return None
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_link_token(token))
    )
    return invitation if invitation and invitation.is_pending(now) else None


def accept_invitation(
    token: str, password: str, user_agent: str, now: datetime
) -> tuple[User, str]:
    """The person's account, with the password they chose, and the key of the session they
    begin; the link is spent."""
    invitation = invitation_for_link(token, now)
    if invitation is None:
        raise RuleError(EXPIRED)
    if not takes_password(invitation):
        raise RuleError("Your council signs in with single sign-on: use your council account")
    problem = password_problem(
        password, invitation.email, name=invitation.name, authority=invitation.authority.name
    )
    if problem:
        raise RuleError(problem, "password")
    user = _join(invitation, hash_password(password), now, "accepted")
    return user, begin_session(user, SignInMethod.INVITATION, user_agent, now)


def accept_by_single_sign_on(authority: Authority, email: str, now: datetime) -> User | None:
    """An invited person signing in with single sign-on joins without a password of their own."""
    invitation = pending_for_email(authority, email, now)
    if invitation is None:
        return None
    # A hash of a random secret nobody knows: the account has no usable password.
    return _join(
        invitation, hash_password(secrets.token_urlsafe(32)), now, "accepted by single sign-on"
    )


def _join(invitation: Invitation, password_hash: str, now: datetime, how: str) -> User:
    if db.session.scalar(sa.select(User.id).where(User.email == invitation.email)):
        raise RuleError(TAKEN)
    user = User(
        authority_id=invitation.authority_id,
        email=invitation.email,
        name=invitation.name,
        role=invitation.role,
        service_area_id=invitation.service_area_id,
        password_hash=password_hash,
    )
    db.session.add(user)
    invitation.accepted_at = now
    flush(TAKEN, unique_race=True)  # the same address joining elsewhere at this moment
    invitation.user_id = user.id
    summary = f"Invitation {how}: {user.name} joined as {user.role.label}"
    record_event(user, invitation.authority_id, user, "created", summary, {"email": user.email})
    if user.role.is_partner:
        partners.join_invited_actions(invitation, user, now)
    return user


def takes_password(invitation: Invitation) -> bool:
    """Whether the person invited chooses a password: not where the council signs in only with
    single sign-on, except a partner contributor, who has no council account."""
    return invitation.role.is_partner or not takes_no_passwords(invitation.authority)


def takes_no_passwords(authority: Authority) -> bool:
    """The authority made single sign-on the only way in."""
    provider = db.session.scalar(
        sa.select(IdentityProvider).where(IdentityProvider.authority_id == authority.id)
    )
    return bool(provider and provider.enabled and provider.sso_only)


def pending_for_email(authority: Authority, email: str, now: datetime) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.authority_id == authority.id,
            Invitation.email == email.strip().lower(),
            Invitation.accepted_at.is_(None),
            Invitation.withdrawn_at.is_(None),
            Invitation.expires_at > now,
        )
    )


def pending_invitations(authority: Authority, now: datetime) -> list[Invitation]:
    """Invitations not yet accepted or withdrawn, expired ones included (they can be resent)."""
    return db.session.scalars(
        sa.select(Invitation)
        .where(
            Invitation.authority_id == authority.id,
            Invitation.accepted_at.is_(None),
            Invitation.withdrawn_at.is_(None),
        )
        .order_by(Invitation.created_at.desc())
    ).all()
