"""What each role's home page shows: the work waiting for that person, in a few queries."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from workflow.core.tenancy import actions_of, inspections_of, recommendations_of
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionStatus,
    Inspection,
    PlanVersion,
    ProgressUpdate,
    Rag,
    Recommendation,
    UpdateState,
    User,
)
from workflow.oversight.dashboard import DUE_SOON_DAYS
from workflow.signoff import queues

SHOWN = 10  # each home list shows the first few and links to the full list


@dataclass
class Listing:
    """The first few items of a list, and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class PlanToIssue:
    inspection: Inspection
    last_version: int | None
    last_issued_at: datetime | None
    approved_since: int
    approved_on: date | None = None
    sent_to_dfe_on: date | None = None
    published_on: date | None = None

    @property
    def waiting_for(self) -> str:
        """The plan's next step: issuing (approval and sending to Ofsted), the DfE, publication."""
        if self.last_version is None:
            return "Approval and sending to Ofsted"
        if self.approved_since:
            return "A new version with the updates approved since"
        if self.approved_on is None:
            return f"Version {self.last_version}: its approval to be recorded"
        if self.sent_to_dfe_on is None:
            return f"Version {self.last_version}: sending to the Department for Education"
        return f"Version {self.last_version}: publication"

    @property
    def done(self) -> bool:
        return (
            self.last_version is not None
            and not self.approved_since
            and all((self.approved_on, self.sent_to_dfe_on, self.published_on))
        )


def listing(query: sa.Select) -> Listing:
    items = list(db.session.scalars(query.limit(SHOWN)).unique())
    if len(items) < SHOWN:
        return Listing(items, len(items))
    counted = query.with_only_columns(sa.func.count()).order_by(None)
    return Listing(items, db.session.scalar(counted))


def open_actions_owned(user: User) -> Listing:
    """The manager's open actions (owned or delegated), soonest due first."""
    return listing(queues.my_actions(user).where(Action.status != ActionStatus.COMPLETE))


def returned_updates(user: User) -> list[ProgressUpdate]:
    return queues.returned_updates(user)


def approval_queue(user: User) -> Listing:
    return listing(queues.awaiting_approval(user))


def area_overdue(user: User, today: date) -> Listing:
    return listing(_open_in_area(user).where(Action.due_date < today))


def area_at_risk(user: User, today: date) -> Listing:
    """Open and not yet overdue, but rated red or amber, or due soon and not started."""
    due_soon = sa.and_(
        Action.due_date <= today + timedelta(days=DUE_SOON_DAYS),
        Action.status == ActionStatus.NOT_STARTED,
    )
    risky = sa.or_(Action.rag.in_([Rag.RED, Rag.AMBER]), due_soon)
    return listing(_open_in_area(user).where(Action.due_date >= today, risky))


def _open_in_area(user: User) -> sa.Select:
    return (
        actions_of(user)
        .where(
            Action.service_area_id == user.service_area_id,
            Action.status != ActionStatus.COMPLETE,
        )
        .options(joinedload(Action.owner))
        .order_by(Action.due_date, Action.id)
    )


def ready_to_close(user: User) -> list[Recommendation]:
    """Open recommendations whose actions are all complete: the director can close them."""
    complete = sa.func.sum(sa.case((Action.status == ActionStatus.COMPLETE, 1), else_=0))
    ready = (
        recommendations_of(user)
        .join(Recommendation.actions)
        .where(Recommendation.closed_at.is_(None))
        .group_by(Recommendation.id)
        .having(sa.func.count(Action.id) == complete)
        .with_only_columns(Recommendation.id)
    )
    query = (
        sa.select(Recommendation)
        .where(Recommendation.id.in_(ready))
        .options(joinedload(Recommendation.inspection))
        .order_by(Recommendation.inspection_id, Recommendation.number)
    )
    return list(db.session.scalars(query))


def plans_to_issue(user: User) -> list[PlanToIssue]:
    """Inspections with open recommendations whose plan was never issued, or has approved
    updates since its last issued version, in one query."""
    last = (
        sa.select(
            PlanVersion.inspection_id,
            sa.func.max(PlanVersion.number).label("number"),
            sa.func.max(PlanVersion.issued_at).label("issued_at"),
        )
        .group_by(PlanVersion.inspection_id)
        .subquery()
    )
    approved_since = (
        sa.select(sa.func.count(ProgressUpdate.id))
        .join(ProgressUpdate.action)
        .join(Action.recommendation)
        .where(
            Recommendation.inspection_id == Inspection.id,
            ProgressUpdate.state == UpdateState.APPROVED,
            sa.or_(last.c.issued_at.is_(None), ProgressUpdate.reviewed_at > last.c.issued_at),
        )
        .correlate(Inspection, last)
        .scalar_subquery()
    )
    has_open = sa.exists().where(
        Recommendation.inspection_id == Inspection.id, Recommendation.closed_at.is_(None)
    )
    latest = aliased(PlanVersion)
    query = (
        inspections_of(user)
        .outerjoin(last, last.c.inspection_id == Inspection.id)
        .outerjoin(
            latest,
            sa.and_(latest.inspection_id == Inspection.id, latest.number == last.c.number),
        )
        .add_columns(
            last.c.number,
            last.c.issued_at,
            approved_since,
            latest.approved_on,
            latest.sent_to_dfe_on,
            latest.published_on,
        )
        .where(has_open)
        .order_by(Inspection.start_date.desc(), Inspection.id)
    )
    plans = [PlanToIssue(*row) for row in db.session.execute(query)]
    return [plan for plan in plans if not plan.done]
