"""The plan builder: an inspection's plan from approved data only, as plain dataclasses.

Every renderer reads what build_plan() returns and nothing else, so the Word, PDF, Excel,
CSV and on-screen plans cannot disagree. Drafts, submitted and returned updates, and the
evidence and measure values attached to them, never reach a plan: only what a reviewer
approved (and the action as it stands, which approval alone changes) does.
"""

import enum
import re
import types
import typing
import unicodedata
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workflow.core.audit import jsonable
from workflow.core.deadlines import Deadline, inspection_deadlines
from workflow.core.measures import MeasureSeries, approved_series_for
from workflow.extensions import db
from workflow.models import (
    Action,
    Evidence,
    EvidenceKind,
    Inspection,
    ProgressUpdate,
    Rag,
    Recommendation,
    UpdateState,
)
from workflow.plans.render.style import long_date, number, short_date

# Characters Word, Excel (XML 1.0) and PDF cannot carry: C0 controls but tab and newline,
# DEL, and the non-characters U+FFFE/U+FFFF. Text pasted from Word brings them along.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: str | None) -> str:
    """Text safe for every format: line endings unified, unprintable characters dropped."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if not 0xD800 <= ord(c) <= 0xDFFF)  # lone surrogates
    return unicodedata.normalize("NFC", _UNPRINTABLE.sub("", value)).strip()


@dataclass(frozen=True)
class PlanEvidence:
    title: str
    kind: str  # "file" or "link"
    url: str | None
    added_on: date


@dataclass(frozen=True)
class PlanMeasure:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    target_date: date
    latest: Decimal | None
    latest_on: date | None
    status: str

    @property
    def summary(self) -> str:
        unit, by = self.unit, short_date(self.target_date)
        latest = f"{number(self.latest)}{unit}" if self.latest is not None else "none yet"
        return (
            f"{self.name}: baseline {number(self.baseline)}{unit}, latest {latest}, "
            f"target {number(self.target)}{unit} by {by} ({self.status.lower()})"
        )


@dataclass(frozen=True)
class PlanAction:
    id: int
    reference: str
    description: str
    lead_officer: str
    service_area: str
    start_date: date
    original_due_date: date
    due_date: date
    status: str
    status_label: str
    rag: Rag
    measure_of_success: str
    progress: str
    progress_on: date | None
    evidence: list[PlanEvidence] = field(default_factory=list)
    measures: list[PlanMeasure] = field(default_factory=list)

    @property
    def due_revised(self) -> bool:
        return self.due_date != self.original_due_date


@dataclass(frozen=True)
class PlanRecommendation:
    number: int
    text: str
    senior_lead: str
    priority: bool
    closed: bool
    actions: list[PlanAction]


@dataclass(frozen=True)
class SignOff:
    director_name: str
    director_signed_on: date
    lead_member_name: str
    lead_member_signed_on: date


@dataclass(frozen=True)
class PlanCover:
    authority: str
    inspection_kind: str
    inspection_dates: str
    lead_inspector: str
    judgements: list[tuple[str, str]]
    plan_owner: str
    published_on: date | None
    received_on: date | None
    deadlines: list[Deadline]
    version_label: str
    prepared_on: date
    sign_off: SignOff | None

    def rows(self) -> list[tuple[str, str]]:
        """The cover's facts as (label, text), in the order every format shows them."""
        deadlines = [(d.label, f"{long_date(d.due)} ({d.summary.lower()})") for d in self.deadlines]
        return [
            ("Authority", self.authority),
            ("Inspection", self.inspection_kind),
            ("Inspection dates", self.inspection_dates),
            ("Lead inspector", self.lead_inspector),
            ("Report published", long_date(self.published_on) or "Not yet published"),
            ("Report received", long_date(self.received_on) or "Not yet received"),
            *deadlines,
            ("Plan owner", self.plan_owner),
            ("Version", self.version_label),
            ("Date", long_date(self.prepared_on)),
        ]


@dataclass(frozen=True)
class Plan:
    cover: PlanCover
    recommendations: list[PlanRecommendation]

    @property
    def title(self) -> str:
        return f"{self.cover.authority}: Ofsted action plan"

    def actions(self) -> list[tuple[PlanRecommendation, PlanAction]]:
        return [(r, a) for r in self.recommendations for a in r.actions]

    def snapshot(self) -> dict[str, Any]:
        """The plan as plain JSON, frozen with an issued version and compared between them."""
        return jsonable(asdict(self))

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> "Plan":
        """The plan a snapshot was taken of, equal to it field for field (for rendering later)."""
        return _rebuild(cls, snapshot)


def _rebuild(kind: Any, value: Any) -> Any:
    """A snapshot's JSON value turned back into the type the dataclass field declares."""
    if value is None:
        return None
    origin, parts = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        return _rebuild(next(p for p in parts if p is not type(None)), value)
    if origin is list:
        return [_rebuild(parts[0], item) for item in value]
    if origin is tuple:
        return tuple(_rebuild(p, item) for p, item in zip(parts, value, strict=True))
    if is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: _rebuild(hints[f.name], value[f.name]) for f in fields(kind)})
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    return value


def build_plan(
    inspection: Inspection,
    today: date,
    version_label: str = "Working draft (not issued)",
    sign_off: SignOff | None = None,
) -> Plan:
    """The plan as it stands today, from approved data only."""
    actions = _actions(inspection)
    ids = [a.id for a in actions]
    progress = _latest_approved_updates(ids)
    evidence = _approved_evidence(ids)
    measures = approved_series_for(ids)
    by_recommendation: dict[int, list[PlanAction]] = {}
    for action in actions:
        item = _plan_action(action, progress.get(action.id), evidence, measures.get(action.id, []))
        by_recommendation.setdefault(action.recommendation_id, []).append(item)
    recommendations = [
        _plan_recommendation(r, by_recommendation.get(r.id, [])) for r in inspection.recommendations
    ]
    return Plan(_cover(inspection, today, version_label, sign_off), recommendations)


def _actions(inspection: Inspection) -> list[Action]:
    query = (
        sa.select(Action)
        .join(Action.recommendation)
        .where(Recommendation.inspection_id == inspection.id)
        .options(selectinload(Action.owner), selectinload(Action.service_area))
        .order_by(Action.id)
    )
    actions = list(db.session.scalars(query))
    return sorted(actions, key=lambda a: _reference_key(a.reference))


def _reference_key(reference: str) -> list:
    """'1.10' after '1.9': numbers compare as numbers, anything else as text."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in reference.split(".")]


def _latest_approved_updates(action_ids: list[int]) -> dict[int, ProgressUpdate]:
    query = (
        sa.select(ProgressUpdate)
        .where(
            ProgressUpdate.action_id.in_(action_ids),
            ProgressUpdate.state == UpdateState.APPROVED,
        )
        .order_by(ProgressUpdate.reviewed_at, ProgressUpdate.id)
    )
    return {update.action_id: update for update in db.session.scalars(query)}  # last one wins


def _approved_evidence(action_ids: list[int]) -> dict[int, list[PlanEvidence]]:
    query = (
        sa.select(Evidence)
        .join(Evidence.update)
        .where(
            Evidence.action_id.in_(action_ids),
            ProgressUpdate.state == UpdateState.APPROVED,
            Evidence.superseded_by_id.is_(None),
        )
        .order_by(Evidence.id)
    )
    found: dict[int, list[PlanEvidence]] = {}
    for item in db.session.scalars(query):
        url = item.url if item.kind is EvidenceKind.LINK else None
        entry = PlanEvidence(clean_text(item.title), item.kind.value, url, item.added_at.date())
        found.setdefault(item.action_id, []).append(entry)
    return found


def _plan_action(
    action: Action,
    update: ProgressUpdate | None,
    evidence: dict[int, list[PlanEvidence]],
    series: list[MeasureSeries],
) -> PlanAction:
    return PlanAction(
        id=action.id,
        reference=clean_text(action.reference),
        description=clean_text(action.description),
        lead_officer=clean_text(action.owner.name),
        service_area=clean_text(action.service_area.name),
        start_date=action.start_date,
        original_due_date=action.original_due_date,
        due_date=action.due_date,
        status=action.status.value,
        status_label=action.status.label,
        rag=action.rag,
        measure_of_success=clean_text(action.measure_of_success),
        progress=clean_text(update.narrative) if update else "",
        progress_on=update.reviewed_at.date() if update else None,
        evidence=evidence.get(action.id, []),
        measures=[_plan_measure(s) for s in series],
    )


def _plan_measure(series: MeasureSeries) -> PlanMeasure:
    measure = series.measure
    reported = series.points[1:]  # the first point is the baseline
    latest_on, latest = reported[-1] if reported else (None, None)
    return PlanMeasure(
        name=clean_text(measure.name),
        unit=clean_text(measure.unit),
        baseline=measure.baseline_value,
        target=measure.target_value,
        target_date=measure.target_date,
        latest=latest,
        latest_on=latest_on,
        status=series.status,
    )


def _plan_recommendation(
    recommendation: Recommendation, actions: list[PlanAction]
) -> PlanRecommendation:
    return PlanRecommendation(
        number=recommendation.number,
        text=clean_text(recommendation.text),
        senior_lead=clean_text(recommendation.senior_lead),
        priority=recommendation.priority,
        closed=recommendation.is_closed,
        actions=actions,
    )


def _cover(
    inspection: Inspection, today: date, version_label: str, sign_off: SignOff | None
) -> PlanCover:
    return PlanCover(
        authority=clean_text(inspection.authority.name),
        inspection_kind=inspection.kind.label,
        inspection_dates=inspection.date_range,
        lead_inspector=clean_text(inspection.lead_inspector) or "Not recorded",
        judgements=[(clean_text(j.area), j.grade) for j in inspection.judgements],
        plan_owner=clean_text(inspection.plan_owner.name) if inspection.plan_owner else "Not set",
        published_on=inspection.published_on,
        received_on=inspection.report_received_on,
        deadlines=inspection_deadlines(inspection, today),
        version_label=version_label,
        prepared_on=today,
        sign_off=sign_off,
    )
