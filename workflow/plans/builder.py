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
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workflow.core.audit import jsonable
from workflow.core.deadlines import Deadline, inspection_deadlines
from workflow.core.measures import MeasureSeries, approved_series_for
from workflow.core.rag import definitions, delivery_rag, exception_stands
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionStatus,
    AuditEvent,
    Authority,
    Evidence,
    EvidenceKind,
    Inspection,
    PlanVersion,
    ProgressUpdate,
    Rag,
    Recommendation,
    UpdateState,
)
from workflow.plans.changes import compare_snapshots
from workflow.plans.render.style import long_date, month_year, number, short_date

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
    baseline_on: date
    latest: Decimal | None
    latest_on: date | None
    status: str
    impact: str  # one of IMPACT_KEY's words
    no_data_since: date | None  # when impact is "No data": the last date a value is from

    @property
    def impact_word(self) -> str:
        """'On course', 'Off course', 'Met', or 'No data since 31 March 2023'."""
        if self.impact == NO_DATA:
            return f"No data since {long_date(self.no_data_since)}"
        return self.impact

    @property
    def figures(self) -> str:
        """'77.5% against a target of 85% by 31 Mar 2023, from 55.3% in March 2019'."""
        unit = self.unit
        target = f"a target of {number(self.target)}{unit} by {short_date(self.target_date)}"
        start = f"from {number(self.baseline)}{unit} in {month_year(self.baseline_on)}"
        if self.latest is None:
            return f"No value reported yet against {target}, {start}"
        latest = f"{number(self.latest)}{unit} in {month_year(self.latest_on)}"
        return f"{latest} against {target}, {start}"

    @property
    def summary(self) -> str:
        return f"{self.name}: {self.figures} ({self.impact_word.lower()})"


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
    due_date_reason: str
    status: str
    status_label: str
    rag: Rag  # the delivery rating, by the authority's RAG rules (workflow/core/rag.py)
    measure_of_success: str
    impact_evidenced: bool
    progress: str
    progress_on: date | None
    evidence: list[PlanEvidence] = field(default_factory=list)
    measures: list[PlanMeasure] = field(default_factory=list)
    # A reviewer's written exception, when the rating is not the rules' ("" when none).
    rag_exception: str = ""
    rag_exception_by: str = ""
    rag_exception_on: date | None = None

    @property
    def due_revised(self) -> bool:
        return self.due_date != self.original_due_date

    @property
    def exception_line(self) -> str:
        """'Exception agreed by Hugo Head on 3 April 2023: ...', or '' when there is none."""
        if not self.rag_exception:
            return ""
        agreed = f"agreed by {self.rag_exception_by} on {long_date(self.rag_exception_on)}"
        return f"Exception {agreed}: {self.rag_exception}"


@dataclass(frozen=True)
class PlanRecommendation:
    number: int
    text: str
    senior_lead: str
    priority: bool
    closed: bool
    actions: list[PlanAction]
    judgement_area: str = ""
    paragraphs: list[int] = field(default_factory=list)

    @property
    def paragraph_reference(self) -> str:
        """'Report paragraphs 12, 15 and 31', or '' when the importer found none."""
        if not self.paragraphs:
            return ""
        numbers = [str(n) for n in sorted(self.paragraphs)]
        if len(numbers) == 1:
            return f"Report paragraph {numbers[0]}"
        return f"Report paragraphs {', '.join(numbers[:-1])} and {numbers[-1]}"


@dataclass(frozen=True)
class JudgementArea:
    """Recommendations under one judgement; title '' when none is recorded for them."""

    title: str
    recommendations: list[PlanRecommendation]


@dataclass(frozen=True)
class Governance:
    """How an issued version was approved and sent, as its documents state it."""

    approved_by: str | None = None
    approved_on: date | None = None
    approval_reference: str | None = None
    sent_to_ofsted_on: date | None = None
    sent_to_dfe_on: date | None = None


@dataclass(frozen=True)
class Summary:
    """The summary of progress: counts as (label, number), and changes since the last issue."""

    by_status: list[tuple[str, int]]
    by_delivery: list[tuple[str, int]]
    by_impact: list[tuple[str, int]]
    since_label: str  # "" when no version has been issued before
    changes: list[str]


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
    governance: Governance = field(default_factory=Governance)

    def rows(self) -> list[tuple[str, str]]:
        """The cover's facts as (label, text), in the order every format shows them.

        Deadlines read as facts ("26 August 2022"): a count of working days changes every
        day, so it belongs on the screen, never in a document that is kept."""
        facts = [(d.label, long_date(d.due)) for d in self.deadlines]
        governance = self.governance
        if governance.approved_on:
            approval = f"{governance.approved_by}, {long_date(governance.approved_on)}"
            if governance.approval_reference:
                approval += f" ({governance.approval_reference})"
            facts.append(("Approved by", approval))
        if governance.sent_to_ofsted_on:
            facts.append(("Sent to Ofsted", long_date(governance.sent_to_ofsted_on)))
        if governance.sent_to_dfe_on:
            facts.append(
                ("Sent to the Department for Education", long_date(governance.sent_to_dfe_on))
            )
        return [
            ("Authority", self.authority),
            ("Inspection", self.inspection_kind),
            ("Inspection dates", self.inspection_dates),
            ("Lead inspector", self.lead_inspector),
            ("Report published", long_date(self.published_on) or "Not yet published"),
            ("Report received", long_date(self.received_on) or "Not yet received"),
            *facts,
            ("Plan owner", self.plan_owner),
            ("Version", self.version_label),
            ("Date", long_date(self.prepared_on)),
        ]


@dataclass(frozen=True)
class Logo:
    data: bytes
    mimetype: str
    png: bytes | None  # for Word, which cannot show an SVG alone

    @property
    def data_uri(self) -> str:
        import base64

        return f"data:{self.mimetype};base64,{base64.b64encode(self.data).decode()}"


# The impact words and what each means: printed as the impact key in every format.
MET, ON_COURSE, OFF_COURSE, NO_DATA = "Met", "On course", "Off course", "No data"
# A measure with no value approved for this long reads "No data since" its last value.
STALE_AFTER_DAYS = 120
IMPACT_KEY = [
    (MET, "The latest approved value meets or beats the target."),
    (
        ON_COURSE,
        "The latest value is where a straight line from baseline to target puts it "
        "by now, or better.",
    ),
    (OFF_COURSE, "The latest value is behind that line."),
    (
        NO_DATA,
        f"No value has been approved since the date shown (none since the baseline, "
        f"or none for {STALE_AFTER_DAYS} days).",
    ),
]


@dataclass(frozen=True)
class Plan:
    cover: PlanCover
    recommendations: list[PlanRecommendation]
    introduction: str = ""
    rag_key: list[tuple[Rag, str]] = field(default_factory=list)
    summary: Summary | None = None
    logo: Logo | None = None

    @property
    def title(self) -> str:
        return f"{self.cover.authority}: Ofsted action plan"

    @property
    def impact_key(self) -> list[tuple[str, str]]:
        return IMPACT_KEY

    def actions(self) -> list[tuple[PlanRecommendation, PlanAction]]:
        return [(r, a) for r in self.recommendations for a in r.actions]

    def judgement_areas(self) -> list[JudgementArea]:
        """Recommendations grouped by judgement area, in the order the areas first appear
        (the builder orders them as the report's judgements); unassigned ones last."""
        groups: dict[str, list[PlanRecommendation]] = {}
        for recommendation in self.recommendations:
            groups.setdefault(recommendation.judgement_area, []).append(recommendation)
        unassigned = groups.pop("", [])
        areas = [JudgementArea(title, items) for title, items in groups.items()]
        if unassigned:
            areas.append(JudgementArea("Other recommendations" if areas else "", unassigned))
        return areas

    def introduction_blocks(self) -> list[tuple[str, list[str]]]:
        """The introduction as ("p", [text]) paragraphs and ("ul", [items]) lists: blank
        lines part paragraphs, and lines starting "- " or "* " make a list."""
        return text_blocks(self.introduction)

    def snapshot(self) -> dict[str, Any]:
        """The plan as plain JSON, frozen with an issued version and compared between them.
        The logo is left out: it is an image, stored once with the authority."""
        data = asdict(self)
        data.pop("logo")
        return jsonable(data)

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any], logo: "Logo | None" = None) -> "Plan":
        """The plan a snapshot was taken of, equal to it field for field (for rendering
        later), with the authority's logo, which snapshots leave out."""
        return replace(_rebuild(cls, {**snapshot, "logo": None}), logo=logo)


def text_blocks(text: str) -> list[tuple[str, list[str]]]:
    blocks: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        in_list = False  # a list never runs on across a blank line
        for line in lines:
            if line[:2] in ("- ", "* "):
                if not in_list:
                    blocks.append(("ul", []))
                    in_list = True
                blocks[-1][1].append(line[2:].strip())
            elif blocks and blocks[-1][0] == "p" and not in_list and line is not lines[0]:
                blocks[-1][1][0] += " " + line
            else:
                blocks.append(("p", [line]))
                in_list = False
    return blocks


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
        # A field added since the snapshot was taken keeps its default.
        present = [f for f in fields(kind) if f.name in value]
        return kind(**{f.name: _rebuild(hints[f.name], value[f.name]) for f in present})
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
    governance: Governance | None = None,
) -> Plan:
    """The plan as it stands today, from approved data only."""
    actions = _actions(inspection)
    ids = [a.id for a in actions]
    progress = _latest_approved_updates(ids)
    evidence = _approved_evidence(ids)
    measures = approved_series_for(ids)
    reasons = _due_date_reasons(ids)
    by_recommendation: dict[int, list[PlanAction]] = {}
    for action in actions:
        item = _plan_action(
            action,
            today,
            progress.get(action.id),
            evidence,
            measures.get(action.id, []),
            reasons.get(action.id, ""),
        )
        by_recommendation.setdefault(action.recommendation_id, []).append(item)
    recommendations = [
        _plan_recommendation(r, by_recommendation.get(r.id, []))
        for r in _in_judgement_order(inspection)
    ]
    authority = inspection.authority
    plan = Plan(
        _cover(inspection, today, version_label, sign_off, governance or Governance()),
        recommendations,
        introduction=clean_text(inspection.plan_introduction),
        rag_key=definitions(authority),
        logo=plan_logo(authority),
    )
    return replace(plan, summary=_summary(inspection, plan))


def _in_judgement_order(inspection: Inspection) -> list[Recommendation]:
    """Recommendations by judgement area (as the report orders its judgements), then number."""
    order = {clean_text(j.area).lower(): j.position for j in inspection.judgements}

    def key(recommendation: Recommendation):
        area = clean_text(recommendation.judgement_area).lower()
        if not area:
            return (2, 0, "", recommendation.number)
        return (0 if area in order else 1, order.get(area, 0), area, recommendation.number)

    return sorted(inspection.recommendations, key=key)


def plan_logo(authority: Authority) -> Logo | None:
    """The authority's logo as the documents print it, if it has one."""
    if not authority.logo or not authority.logo_type:
        return None
    return Logo(authority.logo, authority.logo_type, authority.logo_png)


def _summary(inspection: Inspection, plan: Plan) -> Summary:
    actions = [a for _, a in plan.actions()]
    measures = [m for a in actions for m in a.measures]
    by_status = [(s.label, sum(a.status == s.value for a in actions)) for s in ActionStatus]
    by_delivery = [(rag.label, sum(a.rag is rag for a in actions)) for rag in Rag]
    by_impact = [(word, sum(m.impact == word for m in measures)) for word, _ in IMPACT_KEY]
    previous = db.session.scalars(
        sa.select(PlanVersion)
        .where(PlanVersion.inspection_id == inspection.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    ).first()
    if previous is None:
        return Summary(by_status, by_delivery, by_impact, "", [])
    changes = compare_snapshots(previous.snapshot, plan.snapshot())
    lines = [f"New action {c.reference}: {c.description}" for c in changes.added]
    lines += [f"{c.reference}: {'; '.join(c.changes)}" for c in changes.changed]
    lines += [f"Action {c.reference} removed: {c.description}" for c in changes.removed]
    return Summary(by_status, by_delivery, by_impact, previous.label, lines)


def _actions(inspection: Inspection) -> list[Action]:
    query = (
        sa.select(Action)
        .join(Action.recommendation)
        .where(Recommendation.inspection_id == inspection.id)
        .options(
            selectinload(Action.owner),
            selectinload(Action.service_area),
            selectinload(Action.rag_exception_by),
        )
        .order_by(Action.id)
    )
    actions = list(db.session.scalars(query))
    return sorted(actions, key=lambda a: _reference_key(a.reference))


def _reference_key(reference: str) -> list:
    """'1.10' after '1.9': numbers compare as numbers, anything else as text."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in reference.split(".")]


def _latest_approved_updates(action_ids: list[int]) -> dict[int, ProgressUpdate]:
    """Each action's most recently written approved update. Not the last approved: an
    older update approved after a newer one must not put its older text in the plan."""
    query = (
        sa.select(ProgressUpdate)
        .where(
            ProgressUpdate.action_id.in_(action_ids),
            ProgressUpdate.state == UpdateState.APPROVED,
        )
        .order_by(ProgressUpdate.written_at, ProgressUpdate.id)
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


def _due_date_reasons(action_ids: list[int]) -> dict[int, str]:
    """The reason given for each action's latest due-date change, from the audit trail
    (an approved update and an edit of the action both record it there)."""
    query = (
        sa.select(AuditEvent.action_id, AuditEvent.changes)
        .where(
            AuditEvent.action_id.in_(action_ids),
            sa.cast(AuditEvent.changes, sa.Text).like('%"due_date_reason"%'),
        )
        .order_by(AuditEvent.sequence)
    )
    reasons: dict[int, str] = {}
    for action_id, changes in db.session.execute(query):
        if "due_date" in changes and changes.get("due_date_reason"):
            reasons[action_id] = clean_text(changes["due_date_reason"])
    return reasons


def _plan_action(
    action: Action,
    today: date,
    update: ProgressUpdate | None,
    evidence: dict[int, list[PlanEvidence]],
    series: list[MeasureSeries],
    due_date_reason: str,
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
        due_date_reason=due_date_reason if action.due_date_revised else "",
        status=action.status.value,
        status_label=action.status.label,
        rag=delivery_rag(action, today),
        measure_of_success=clean_text(action.measure_of_success),
        impact_evidenced=action.impact_evidenced,
        progress=clean_text(update.narrative) if update else "",
        progress_on=update.reviewed_at.date() if update else None,
        evidence=evidence.get(action.id, []),
        measures=[_plan_measure(s, today) for s in series],
        **_exception(action, today),
    )


def _exception(action: Action, today: date) -> dict[str, Any]:
    if not exception_stands(action, today):
        return {}
    return {
        "rag_exception": clean_text(action.rag_exception),
        "rag_exception_by": clean_text(action.rag_exception_by.name),
        "rag_exception_on": action.rag_exception_on,
    }


def _plan_measure(series: MeasureSeries, today: date) -> PlanMeasure:
    measure = series.measure
    reported = series.points[1:]  # the first point is the baseline
    latest_on, latest = reported[-1] if reported else (None, None)
    return PlanMeasure(
        name=clean_text(measure.name),
        unit=clean_text(measure.unit),
        baseline=measure.baseline_value,
        target=measure.target_value,
        target_date=measure.target_date,
        baseline_on=measure.baseline_date,
        latest=latest,
        latest_on=latest_on,
        status=series.status,
        impact=_impact(series, latest_on, today),
        no_data_since=latest_on or measure.baseline_date,
    )


def _impact(series: MeasureSeries, latest_on: date | None, today: date) -> str:
    if series.status == "Target met":
        return MET
    if latest_on is None or (today - latest_on).days > STALE_AFTER_DAYS:
        return NO_DATA
    return ON_COURSE if series.status == "On course" else OFF_COURSE


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
        judgement_area=clean_text(recommendation.judgement_area),
        paragraphs=list(recommendation.paragraph_numbers or []),
    )


def _cover(
    inspection: Inspection,
    today: date,
    version_label: str,
    sign_off: SignOff | None,
    governance: Governance,
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
        governance=governance,
    )
