"""What the planning pages show, each gathered in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from workflow.core.measures import MeasureSeries, approved_series
from workflow.core.rag import delivery_rag_sql
from workflow.core.tenancy import updates_of
from workflow.extensions import db
from workflow.models import (
    Action,
    AuditEvent,
    Evidence,
    Inspection,
    MonitoringNote,
    ProgressUpdate,
    Rag,
    Recommendation,
    ReportParagraph,
    Role,
    UpdateState,
    User,
)


@dataclass
class ActionPage:
    updates: list[ProgressUpdate]
    evidence: list[Evidence]
    measures: list[MeasureSeries]
    timeline: Pagination  # of AuditEvent, newest first
    findings: list[ReportParagraph]


HISTORY_PER_PAGE = 20


def action_page(action: Action, viewer: User, history_page: int = 1) -> ActionPage:
    return ActionPage(
        updates=visible_updates(action, viewer),
        evidence=approved_evidence(action, viewer),
        measures=approved_series(action.id),
        timeline=timeline(action, viewer, history_page),
        findings=linked_paragraphs(action.recommendation),
    )


def visible_updates(action: Action, viewer: User) -> list[ProgressUpdate]:
    """Every update the viewer may see but other people's drafts, newest first."""
    query = (
        updates_of(viewer)
        .where(
            ProgressUpdate.action_id == action.id,
            sa.or_(
                ProgressUpdate.state != UpdateState.DRAFT,
                ProgressUpdate.author_id == viewer.id,
            ),
        )
        .options(
            joinedload(ProgressUpdate.author),
            joinedload(ProgressUpdate.reviewer),
            selectinload(ProgressUpdate.evidence),
        )
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )
    return list(db.session.scalars(query))


def approved_evidence(action: Action, viewer: User) -> list[Evidence]:
    """Evidence that came with approved updates; superseded items stay, marked as such.
    A partner sees only what came with their own updates."""
    query = (
        sa.select(Evidence)
        .join(Evidence.update)
        .where(Evidence.action_id == action.id, ProgressUpdate.state == UpdateState.APPROVED)
        .order_by(Evidence.superseded_by_id.is_not(None), Evidence.added_at.desc())
    )
    if viewer.role is Role.PARTNER:
        query = query.where(ProgressUpdate.author_id == viewer.id)
    return list(db.session.scalars(query))


def timeline(action: Action, viewer: User, page: int) -> Pagination:
    """A page of the action's history: every update adds to it, for as long as the plan runs.
    Read-only people see the history of approved updates only; partners that of their own."""
    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.action_id == action.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if viewer.role in (Role.VIEWER, Role.PARTNER):
        readable = updates_of(viewer).where(ProgressUpdate.action_id == action.id)
        on_hidden = sa.and_(
            AuditEvent.object_type == ProgressUpdate.__tablename__,
            AuditEvent.object_id.not_in(readable.with_only_columns(ProgressUpdate.id)),
        )
        query = query.where(~on_hidden)
    return db.paginate(query, page=page, per_page=HISTORY_PER_PAGE, error_out=False)


def rag_counts_by_recommendation(inspection: Inspection, today: date) -> dict[int, dict[Rag, int]]:
    """{recommendation id: {delivery RAG: number of actions}} in one query."""
    rated = (
        sa.select(
            Action.recommendation_id,
            delivery_rag_sql(today, inspection.authority).label("rag"),
        )
        .join(Action.recommendation)
        .where(Recommendation.inspection_id == inspection.id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(rated.c.recommendation_id, rated.c.rag, sa.func.count()).group_by(
            rated.c.recommendation_id, rated.c.rag
        )
    )
    counts: dict[int, dict[Rag, int]] = {}
    for recommendation_id, rag, count in rows:
        counts.setdefault(recommendation_id, {})[rag] = count
    return counts


def actions_with_owners(recommendation) -> list[Action]:
    """The recommendation's actions with their owners in one query, not one per owner."""
    query = (
        sa.select(Action)
        .where(Action.recommendation_id == recommendation.id)
        .options(joinedload(Action.owner))
        .order_by(Action.id)
    )
    return list(db.session.scalars(query))


def linked_paragraphs(recommendation: Recommendation) -> list[ReportParagraph]:
    """The report paragraphs behind a recommendation, best evidence first."""
    numbers = recommendation.paragraph_numbers or []
    if not numbers:
        return []
    query = sa.select(ReportParagraph).where(
        ReportParagraph.inspection_id == recommendation.inspection_id,
        ReportParagraph.number.in_(numbers),
    )
    found = {p.number: p for p in db.session.scalars(query)}
    return [found[n] for n in numbers if n in found]


def monitoring_notes(recommendation: Recommendation) -> list[MonitoringNote]:
    """What monitoring visits said about a recommendation, the latest visit first."""
    query = (
        sa.select(MonitoringNote)
        .where(MonitoringNote.recommendation_id == recommendation.id)
        .order_by(MonitoringNote.visit_start.desc(), MonitoringNote.id)
    )
    return list(db.session.scalars(query))


@dataclass
class MonitoringVisit:
    start: date
    end: date
    notes: list[MonitoringNote]


def monitoring_visits(inspection: Inspection) -> list[MonitoringVisit]:
    """The monitoring visits since an inspection, latest first, each with its notes."""
    query = (
        sa.select(MonitoringNote)
        .join(MonitoringNote.recommendation)
        .where(Recommendation.inspection_id == inspection.id)
        .options(contains_eager(MonitoringNote.recommendation))
        .order_by(MonitoringNote.visit_start.desc(), Recommendation.number, MonitoringNote.id)
    )
    visits: dict[tuple[date, date], list[MonitoringNote]] = {}
    for note in db.session.scalars(query):
        visits.setdefault((note.visit_start, note.visit_end), []).append(note)
    return [MonitoringVisit(start, end, notes) for (start, end), notes in visits.items()]
