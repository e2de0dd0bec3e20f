"""Partner contributors' places on actions: which actions an invitation names, the partner
joining them on accepting, and an administrator changing them later.

A partner comes from outside the council (health, police, schools): what they may reach is
settled here, row by row, and read by core/tenancy.py.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionPartner,
    ActionStatus,
    Authority,
    Invitation,
    InvitationAction,
    Recommendation,
    Role,
    User,
)

NO_ACTIONS = "Select at least one action for the partner to report on"


def actions_to_offer(authority: Authority) -> list[Action]:
    """The authority's open actions, which partners may be invited to, in reference order."""
    query = (
        sa.select(Action)
        .join(Action.recommendation)
        .where(
            Action.authority_id == authority.id,
            Action.status != ActionStatus.COMPLETE,
            Recommendation.closed_at.is_(None),
        )
        .options(joinedload(Action.recommendation))
        .order_by(Recommendation.number, Action.id)
    )
    return list(db.session.scalars(query))


def offered_actions(
    authority: Authority, action_ids: Sequence[int], already: Sequence[Action] = ()
) -> list[Action]:
    """The actions chosen, each one open and of this authority (or one the partner already
    reports on, which may since have been completed); refused otherwise."""
    if not action_ids:
        raise RuleError(NO_ACTIONS, "action_ids")
    offered = {action.id: action for action in [*actions_to_offer(authority), *already]}
    if any(action_id not in offered for action_id in action_ids):
        raise RuleError("Select open actions of this authority", "action_ids")
    return [offered[action_id] for action_id in dict.fromkeys(action_ids)]


def name_actions(invitation: Invitation, actions: Sequence[Action]) -> None:
    """The actions a partner's invitation names (checked by offered_actions)."""
    for action in actions:
        db.session.add(InvitationAction(invitation=invitation, action=action))
    flush()


def invited_actions(invitation: Invitation) -> list[Action]:
    query = (
        sa.select(Action)
        .join(InvitationAction, InvitationAction.action_id == Action.id)
        .where(InvitationAction.invitation_id == invitation.id)
        .order_by(Action.id)
    )
    return list(db.session.scalars(query))


def named_references(invitations: Sequence[Invitation]) -> dict[int, list[str]]:
    """{invitation id: the references of the actions it names}, in one query."""
    query = (
        sa.select(InvitationAction.invitation_id, Action.reference)
        .join(Action, Action.id == InvitationAction.action_id)
        .where(InvitationAction.invitation_id.in_([i.id for i in invitations]))
        .order_by(Action.id)
    )
    named: dict[int, list[str]] = {}
    for invitation_id, reference in db.session.execute(query):
        named.setdefault(invitation_id, []).append(reference)
    return named


def join_invited_actions(invitation: Invitation, partner: User, now: datetime) -> None:
    """On accepting, the partner takes their place on each action the invitation named that
    is still open (one closed meanwhile is left out)."""
    still_open = {action.id for action in actions_to_offer(invitation.authority)}
    for action in invited_actions(invitation):
        if action.id in still_open:
            # The partner acts (joining); the administrator who invited them gave the access.
            add_to_action(partner, partner, action, now, invitation.invited_by_id)


def partner_actions(partner: User) -> list[Action]:
    """The actions the partner reports on, in reference order."""
    query = (
        sa.select(Action)
        .join(ActionPartner, ActionPartner.action_id == Action.id)
        .where(ActionPartner.user_id == partner.id)
        .options(joinedload(Action.recommendation))
        .order_by(Action.id)
    )
    return list(db.session.scalars(query))


def set_partner_actions(
    actor: User, partner: User, version: int | None, action_ids: Sequence[int], now: datetime
) -> tuple[list[Action], list[Action]]:
    """The partner now reports on exactly these open actions; (added, removed)."""
    check_version(partner, version)
    if partner.role is not Role.PARTNER:
        raise RuleError("Only a partner contributor is given actions this way")
    current = {action.id: action for action in partner_actions(partner)}
    wanted = offered_actions(partner.authority, action_ids, list(current.values()))
    added = [action for action in wanted if action.id not in current]
    kept = {action.id for action in wanted}
    removed = [action for action in current.values() if action.id not in kept]
    for action in added:
        add_to_action(actor, partner, action, now)
    for action in removed:
        _remove(actor, partner, action)
    return added, removed


def add_to_action(
    actor: User, partner: User, action: Action, now: datetime, invited_by_id: int | None = None
) -> None:
    """The partner may now see the action and report on it."""
    if partner.role is not Role.PARTNER:
        raise RuleError("Only a partner contributor is invited to an action")
    if action.authority_id != partner.authority_id:
        raise RuleError("Select an action of this authority", "action_ids")
    place = ActionPartner(
        action_id=action.id,
        user_id=partner.id,
        authority_id=action.authority_id,
        invited_by_id=invited_by_id or actor.id,
        created_at=now,
    )
    db.session.add(place)
    flush(unique_race=True)  # two administrators adding the same partner at once
    summary = f"{partner.name} (partner contributor) may now report on action {action.reference}"
    record_event(
        actor, action.authority_id, partner, "partner_added", summary,
        {"action": action.reference}, action_id=action.id,
    )  # fmt: skip


def _remove(actor: User, partner: User, action: Action) -> None:
    db.session.execute(
        sa.delete(ActionPartner).where(
            ActionPartner.user_id == partner.id, ActionPartner.action_id == action.id
        )
    )
    summary = f"{partner.name} (partner contributor) no longer reports on action {action.reference}"
    record_event(
        actor, action.authority_id, partner, "partner_removed", summary,
        {"action": action.reference}, action_id=action.id,
    )  # fmt: skip
