"""What each role's home page shows: the work waiting for that person, in a few queries."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload

from workflow.core.rag import delivery_rag_sql
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
    ReportImport,
    UpdateState,
    User,
)
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
    """The open actions the person reports on (owned, delegated, or a partner's invited
    ones), soonest due first."""
    return listing(queues.my_actions(user).where(Action.status != ActionStatus.COMPLETE))


def returned_updates(user: User) -> list[ProgressUpdate]:
    return queues.returned_updates(user)


def approval_queue(user: User, today: date) -> Listing:
    queue = listing(queues.awaiting_approval(user, today))
    queues.remember_waiting_count(user, queue.total)
    return queue


def escalated_updates(user: User, today: date) -> Listing:
    """Updates that have waited more than five working days for anyone's decision."""
    return listing(queues.escalated(user, today))


def area_overdue(user: User, today: date) -> Listing:
    return listing(_open_in_area(user).where(Action.due_date < today))


def area_at_risk(user: User, today: date) -> Listing:
    """Open and not yet overdue, but rated red or amber (so not started with the due date
    near, as the RAG rules have it, unless a reviewer's exception says otherwise)."""
    risky = delivery_rag_sql(today, user.authority).in_([Rag.RED, Rag.AMBER])
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


# Made once, as in permissions: an alias copies every column of the table.
_LATEST_VERSION = aliased(PlanVersion, name="latest_version")


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
    latest = _LATEST_VERSION
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


# The administrator's home: what is set up only halfway, or left without an owner.


@dataclass
class ToDo:
    """A kind of loose end: how many there are, and the first few, each with its page."""

    key: str  # the section's id on the page
    what: str  # "import waiting for review"; the first word takes an s for several
    hint: str  # why it matters, in a sentence
    total: int
    items: list[tuple[str, str, str]] = field(default_factory=list)  # text, detail, url

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    @property
    def counted(self) -> str:
        """'1 import waiting for review', '3 imports waiting for review'."""
        noun, _, rest = self.what.partition(" ")
        return f"{self.total} {noun if self.total == 1 else noun + 's'} {rest}"


def admin_to_do(user: User, url_for: Callable[..., str]) -> list[ToDo]:
    """Every loose end of the administrator's authority, in the order to tidy them."""
    return [check(user, url_for) for check in ADMIN_CHECKS]


def _to_do(query: sa.Select, key: str, what: str, hint: str, item) -> ToDo:
    found = listing(query)
    return ToDo(key, what, hint, found.total, [item(record) for record in found.items])


def imports_waiting(user: User, url_for) -> ToDo:
    query = (
        sa.select(ReportImport)
        .where(ReportImport.authority_id == user.authority_id, ReportImport.inspection_id.is_(None))
        .order_by(ReportImport.created_at, ReportImport.id)
    )
    return _to_do(
        query,
        "imports",
        "import waiting for review",
        "Reports read but not yet confirmed: nothing is created until you check them.",
        lambda found: (
            found.source_name,
            f"Read on {found.created_at:%-d %B %Y}",
            url_for("imports.review", import_id=found.id),
        ),
    )


def inspections_without_recommendations(user: User, url_for) -> ToDo:
    has_any = sa.exists().where(Recommendation.inspection_id == Inspection.id)
    query = inspections_of(user).where(~has_any).order_by(Inspection.start_date.desc())
    return _to_do(
        query,
        "inspections",
        "inspection with no recommendations",
        "Add the report's recommendations, or import the report.",
        lambda found: (
            found.title,
            "",
            url_for("inspections.show", inspection_id=found.id),
        ),
    )


def recommendations_without_actions(user: User, url_for) -> ToDo:
    has_any = sa.exists().where(Action.recommendation_id == Recommendation.id)
    query = (
        recommendations_of(user)
        .where(Recommendation.closed_at.is_(None), ~has_any)
        .options(joinedload(Recommendation.inspection))
        .order_by(Inspection.start_date.desc(), Recommendation.number)
    )
    return _to_do(
        query,
        "recommendations",
        "recommendation with no actions",
        "Nobody is yet doing anything about these: agree actions and owners.",
        lambda found: (
            f"Recommendation {found.number}: {found.text}",
            found.inspection.title,
            url_for("recommendations.show", recommendation_id=found.id),
        ),
    )


def actions_without_owner(user: User, url_for) -> ToDo:
    """Open actions whose owner's account is disabled: nobody can write their updates."""
    query = (
        actions_of(user)
        .join(Action.owner)
        .where(User.active.is_(False), Action.status != ActionStatus.COMPLETE)
        .options(contains_eager(Action.owner))
        .order_by(Action.due_date, Action.id)
    )
    return _to_do(
        query,
        "actions",
        "action with no owner",
        "Their owner's account is disabled: choose a new owner.",
        lambda found: (
            f"Action {found.reference}: {found.description}",
            f"Owner was {found.owner.name}",
            url_for("actions.edit", action_id=found.id),
        ),
    )


# Each check is (user, url_for) -> ToDo. Invitations not yet accepted and background jobs
# that failed go here as checks of their own when those features land.
ADMIN_CHECKS: list[Callable[[User, Callable[..., str]], ToDo]] = [
    imports_waiting,
    inspections_without_recommendations,
    recommendations_without_actions,
    actions_without_owner,
]
