"""Tenancy: every load of council-owned data filters by the user's authority.

A row of another authority answers exactly like a missing one (404), so ids reveal nothing.
"""

from typing import TypeVar

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import contains_eager, joinedload

from workflow.extensions import db
from workflow.models import (
    Action,
    ActionPartner,
    Evidence,
    Inspection,
    PlanVersion,
    ProgressUpdate,
    Recommendation,
    ReportImport,
    Role,
    ServiceArea,
    UpdateState,
    User,
)

T = TypeVar("T")


def _first_or_404(query: sa.Select) -> T:
    found = db.session.scalar(query)
    if found is None:
        abort(404)
    return found


# A partner contributor (from outside the council) reaches only the actions they were
# invited to and their own updates on them: every other record of the authority answers
# them 404, exactly as another authority's would.


def invited_action_ids(user: User) -> sa.Select:
    """The ids of the actions a partner was invited to."""
    return sa.select(ActionPartner.action_id).where(
        ActionPartner.user_id == user.id, ActionPartner.authority_id == user.authority_id
    )


def _outside_partners(user: User) -> sa.ColumnElement[bool]:
    """True for the authority's own people; nothing matches for a partner."""
    return sa.true() if user.role is not Role.PARTNER else sa.false()


def inspections_of(user: User) -> sa.Select:
    return sa.select(Inspection).where(
        Inspection.authority_id == user.authority_id, _outside_partners(user)
    )


def recommendations_of(user: User) -> sa.Select:
    return (
        sa.select(Recommendation)
        .join(Recommendation.inspection)
        .where(Inspection.authority_id == user.authority_id, _outside_partners(user))
    )


# Actions, updates and evidence carry their authority's id (copied from the inspection on
# insert, held to it by a test), so scoping them needs no walk up to the inspection.
def actions_of(user: User) -> sa.Select:
    query = sa.select(Action).where(Action.authority_id == user.authority_id)
    if user.role is Role.PARTNER:
        query = query.where(Action.id.in_(invited_action_ids(user)))
    return query


def reported_on_by(user: User) -> sa.ColumnElement[bool]:
    """The actions the user writes updates for: owned, delegated, or (a partner) invited to."""
    ways = [Action.owner_id == user.id, Action.delegate_id == user.id]
    if user.role is Role.PARTNER:
        ways.append(Action.id.in_(invited_action_ids(user)))
    return sa.or_(*ways)


def updates_of(user: User) -> sa.Select:
    """The authority's updates; read-only people see approved ones only, as if the rest
    were not there; a partner sees their own, on the actions they were invited to."""
    query = sa.select(ProgressUpdate).where(ProgressUpdate.authority_id == user.authority_id)
    if user.role is Role.VIEWER:
        query = query.where(ProgressUpdate.state == UpdateState.APPROVED)
    if user.role is Role.PARTNER:
        query = query.where(
            ProgressUpdate.author_id == user.id,
            ProgressUpdate.action_id.in_(invited_action_ids(user)),
        )
    return query


def inspection_or_404(inspection_id: int, user: User) -> Inspection:
    return _first_or_404(inspections_of(user).where(Inspection.id == inspection_id))


def recommendation_or_404(recommendation_id: int, user: User) -> Recommendation:
    return _first_or_404(recommendations_of(user).where(Recommendation.id == recommendation_id))


def action_or_404(action_id: int, user: User) -> Action:
    """The action with its owner, service area and recommendation: every page of it shows them."""
    query = (
        actions_of(user)
        .join(Action.recommendation)
        .join(Recommendation.inspection)
        .where(Action.id == action_id)
        .options(
            joinedload(Action.owner),
            joinedload(Action.service_area),
            contains_eager(Action.recommendation).contains_eager(Recommendation.inspection),
        )
    )
    return _first_or_404(query)


def update_or_404(update_id: int, user: User) -> ProgressUpdate:
    return _first_or_404(updates_of(user).where(ProgressUpdate.id == update_id))


def evidence_or_404(evidence_id: int, user: User) -> Evidence:
    """Evidence of an update the user may see."""
    readable = updates_of(user).with_only_columns(ProgressUpdate.id)
    query = sa.select(Evidence).where(
        Evidence.authority_id == user.authority_id,
        Evidence.id == evidence_id,
        Evidence.update_id.in_(readable),
    )
    return _first_or_404(query)


def user_or_404(user_id: int, viewer: User) -> User:
    query = sa.select(User).where(User.id == user_id, User.authority_id == viewer.authority_id)
    if viewer.role is Role.PARTNER:
        query = query.where(User.id == viewer.id)
    return _first_or_404(query)


def report_import_or_404(import_id: int, viewer: User) -> ReportImport:
    query = sa.select(ReportImport).where(
        ReportImport.id == import_id,
        ReportImport.authority_id == viewer.authority_id,
        _outside_partners(viewer),
    )
    return _first_or_404(query)


def colleagues(user: User, active_only: bool = True, staff_only: bool = False) -> list[User]:
    """The authority's people; `staff_only` leaves out partners (for council roles such as
    the plan's owner)."""
    query = sa.select(User).where(User.authority_id == user.authority_id).order_by(User.name)
    if active_only:
        query = query.where(User.active.is_(True))
    if staff_only:
        query = query.where(User.role != Role.PARTNER)
    return list(db.session.scalars(query))


def service_areas(user: User) -> list[ServiceArea]:
    """The areas still in use, offered for people and actions (retired ones keep history)."""
    query = (
        sa.select(ServiceArea)
        .where(ServiceArea.authority_id == user.authority_id, ServiceArea.retired_at.is_(None))
        .order_by(ServiceArea.name)
    )
    return list(db.session.scalars(query))


def plan_version_or_404(version_id: int, user: User) -> PlanVersion:
    query = (
        sa.select(PlanVersion)
        .join(PlanVersion.inspection)
        .where(
            Inspection.authority_id == user.authority_id,
            PlanVersion.id == version_id,
            _outside_partners(user),
        )
    )
    return _first_or_404(query)
