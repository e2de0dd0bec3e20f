"""The annual self-evaluation of social work practice, from the plan and its measures.

Ofsted asks every council for one a year. For each judgement area it says what we know about
the quality and impact of practice (the measures: baseline, latest, target and trend), what
we are doing (the actions and their delivery), and what has changed in the period (from the
audit trail, as the board report reads it). The director writes the narrative in the app
(stored on the inspection), and the pack is generated from the same builder as the plan.
"""

from dataclasses import dataclass
from datetime import date

from workflow.core.audit import record_edit
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.models import Inspection, User
from workflow.plans.board_report import build_report
from workflow.plans.builder import (
    Plan,
    PlanAction,
    PlanMeasure,
    build_plan,
    clean_text,
    text_blocks,
)

NARRATIVE_LIMIT = 20_000
OVERVIEW = "overview"


@dataclass(frozen=True)
class MeasureTrend:
    measure: PlanMeasure
    trend: str  # "Improving", "Getting worse", "No change" or "No data in the period"


@dataclass(frozen=True)
class AreaEvaluation:
    title: str
    narrative: str
    measures: list[MeasureTrend]
    actions: list[PlanAction]
    changes: list[str]


@dataclass(frozen=True)
class SelfEvaluation:
    authority: str
    since: date
    until: date
    prepared_on: date
    overview: str
    areas: list[AreaEvaluation]
    plan: Plan

    @property
    def title(self) -> str:
        return f"{self.authority}: self-evaluation of social work practice"

    def overview_blocks(self) -> list[tuple[str, list[str]]]:
        return text_blocks(self.overview)

    @property
    def period(self) -> str:
        return f"{self.since:%-d %B %Y} to {self.until:%-d %B %Y}"


def area_titles(inspection: Inspection) -> list[str]:
    """The judgement areas the narrative is written for: the report's own, then any others
    its recommendations name."""
    titles = [clean_text(j.area) for j in inspection.judgements]
    titles = [t for t in titles if t and t.lower() != "overall effectiveness"]
    for recommendation in inspection.recommendations:
        area = clean_text(recommendation.judgement_area)
        if area and area not in titles:
            titles.append(area)
    return titles


def build_self_evaluation(
    inspection: Inspection, since: date, until: date, today: date
) -> SelfEvaluation:
    plan = build_plan(inspection, today)
    report = build_report(inspection, since, until, today)
    changes_by_number = {
        r.number: [
            i.line for kind in (r.completed, r.rag_changes, r.slips, r.measures) for i in kind
        ]
        for r in report.recommendations
    }
    narrative = inspection.self_evaluation or {}
    groups = {area.title: area.recommendations for area in plan.judgement_areas()}
    areas = []
    for title in area_titles(inspection) + ([""] if "" in groups else []):
        recommendations = groups.get(title, [])
        actions = [a for r in recommendations for a in r.actions]
        measures = [MeasureTrend(m, _trend(m, since, until)) for a in actions for m in a.measures]
        changes = [line for r in recommendations for line in changes_by_number.get(r.number, [])]
        areas.append(
            AreaEvaluation(
                title or "Other recommendations",
                clean_text(narrative.get(title or "other", "")),
                measures,
                actions,
                changes,
            )
        )
    return SelfEvaluation(
        plan.cover.authority,
        since,
        until,
        today,
        clean_text(narrative.get(OVERVIEW, "")),
        areas,
        plan,
    )


def _trend(measure: PlanMeasure, since: date, until: date) -> str:
    """Latest value against the baseline, when the latest falls in the period."""
    if (
        measure.latest is None
        or measure.latest_on is None
        or not since <= measure.latest_on <= until
    ):
        return "No data in the period"
    if measure.latest == measure.baseline:
        return "No change"
    better = measure.target >= measure.baseline
    improving = (measure.latest > measure.baseline) == better
    return "Improving" if improving else "Getting worse"


def edit_self_evaluation(
    director: User, inspection: Inspection, posted_version: int | None, texts: dict[str, str]
) -> None:
    """Save the narrative sections the director writes: the overview and one per area."""
    check_version(inspection, posted_version)
    if sum(len(t) for t in texts.values()) > NARRATIVE_LIMIT:
        raise RuleError("The self-evaluation must be 20,000 characters or fewer in all")
    before = inspection.self_evaluation or {}
    inspection.self_evaluation = {key: text for key, text in texts.items() if text}
    flush()
    summary = "Self-evaluation narrative edited"
    edited = inspection.self_evaluation != before
    changes = {"sections": sorted(inspection.self_evaluation)} if edited else {}
    record_edit(
        director,
        inspection.authority_id,
        inspection,
        summary,
        changes,
        verb="self_evaluation_edited",
    )
