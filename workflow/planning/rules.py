"""Rules for setting up a plan: inspections, their judgements, recommendations and actions,
and the morning rule that rates red the actions whose due dates have passed."""

from datetime import date

import sqlalchemy as sa

from workflow.core import permissions
from workflow.core.audit import diff, record_edit, record_event, snapshot
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.core.rag import exception_stands_sql, rules_rag
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionStatus,
    Inspection,
    Judgement,
    Measure,
    Rag,
    Recommendation,
    Role,
    ServiceArea,
    User,
)

INSPECTION_FIELDS = [
    "kind",
    "start_date",
    "end_date",
    "published_on",
    "received_on",
    "received_on_reason",
    "lead_inspector",
    "plan_owner_id",
]
RECOMMENDATION_FIELDS = ["number", "text", "short_name", "senior_lead", "priority"]
ACTION_FIELDS = [
    "reference",
    "description",
    "owner_id",
    "delegate_id",
    "service_area_id",
    "start_date",
    "due_date",
    "measure_of_success",
]
RATING_FIELDS = ["rag", "rag_exception"]


def create_inspection(
    actor: User | None,
    judgements: list[tuple[str, str]],
    authority_id: int | None = None,
    **values,
) -> Inspection:
    """Add an inspection to the actor's authority (or a named one, for command-line imports)."""
    authority_id = authority_id or actor.authority_id
    inspection = Inspection(authority_id=authority_id, **values)
    _check_dates(inspection)
    _check_plan_owner(inspection)
    inspection.judgements = _judgements(judgements)
    db.session.add(inspection)
    flush()
    record_event(
        actor,
        authority_id,
        inspection,
        "created",
        f"Inspection created: {inspection.title}",
        {**snapshot(inspection, INSPECTION_FIELDS), "judgements": judgements},
    )
    return inspection


def edit_inspection(
    actor: User, inspection: Inspection, version: int | None, judgements, **values
) -> Inspection:
    check_version(inspection, version)
    before = snapshot(inspection, INSPECTION_FIELDS)
    old_judgements = [[j.area, j.grade] for j in inspection.judgements]
    if values.get("received_on") != inspection.received_on and not values.get("received_on_reason"):
        raise RuleError(
            "Enter why the report was received on a different date", "received_on_reason"
        )
    for field, value in values.items():
        setattr(inspection, field, value)
    _check_dates(inspection)
    _check_plan_owner(inspection)
    changes = diff(inspection, before, INSPECTION_FIELDS)
    new_judgements = [[area, grade] for area, grade in judgements]
    if new_judgements != old_judgements:
        inspection.judgements = _judgements(judgements)
        changes["judgements"] = [old_judgements, new_judgements]
    flush()
    record_edit(actor, actor.authority_id, inspection, "Inspection edited", changes)
    return inspection


def _judgements(rows: list[tuple[str, str]]) -> list[Judgement]:
    return [Judgement(position=i, area=area, grade=grade) for i, (area, grade) in enumerate(rows)]


def _check_plan_owner(inspection: Inspection) -> None:
    """The plan belongs to the council: its owner is one of the council's own staff, never a
    partner contributor or someone of another authority."""
    if inspection.plan_owner_id is None:
        return
    owner = db.session.get(User, inspection.plan_owner_id)
    if owner is None or owner.authority_id != inspection.authority_id or owner.role is Role.PARTNER:
        raise RuleError("Choose a plan owner from the council's own staff", "plan_owner_id")


def _check_dates(inspection: Inspection) -> None:
    if inspection.end_date < inspection.start_date:
        raise RuleError(
            "The last day of the inspection must be on or after the first day", "end_date"
        )
    if inspection.published_on and inspection.published_on < inspection.end_date:
        raise RuleError(
            "The report cannot be published before the inspection ended", "published_on"
        )


def create_recommendation(actor: User, inspection: Inspection, **values) -> Recommendation:
    _check_number_free(inspection, values["number"])
    recommendation = Recommendation(inspection=inspection, **values)
    db.session.add(recommendation)
    flush()
    summary = f"Recommendation {recommendation.number} added"
    changes = snapshot(recommendation, RECOMMENDATION_FIELDS)
    record_event(actor, inspection.authority_id, recommendation, "created", summary, changes)
    return recommendation


def edit_recommendation(
    actor: User, recommendation: Recommendation, version: int | None, **values
) -> Recommendation:
    check_version(recommendation, version)
    if values["number"] != recommendation.number:
        _check_number_free(recommendation.inspection, values["number"])
    before = snapshot(recommendation, RECOMMENDATION_FIELDS)
    for field, value in values.items():
        setattr(recommendation, field, value)
    flush()
    changes = diff(recommendation, before, RECOMMENDATION_FIELDS)
    summary = f"Recommendation {recommendation.number} edited"
    authority_id = recommendation.inspection.authority_id
    record_edit(actor, authority_id, recommendation, summary, changes)
    return recommendation


def _check_number_free(inspection: Inspection, number: int) -> None:
    taken = db.session.scalar(
        sa.select(Recommendation.id).where(
            Recommendation.inspection_id == inspection.id, Recommendation.number == number
        )
    )
    if taken:
        raise RuleError(f"Recommendation {number} already exists for this inspection", "number")


def create_action(actor: User, recommendation: Recommendation, **values) -> Action:
    _check_action_values(recommendation, values, None)
    action = Action(recommendation=recommendation, original_due_date=values["due_date"], **values)
    db.session.add(action)
    flush()
    record_event(
        actor,
        recommendation.inspection.authority_id,
        action,
        "created",
        f"Action {action.reference} created",
        snapshot(action, [*ACTION_FIELDS, "status", "rag"]),
        action_id=action.id,
    )
    return action


def edit_action(
    actor: User,
    action: Action,
    version: int | None,
    due_date_reason: str | None,
    *,
    today: date,
    **values,
) -> Action:
    """Edit an action. A new due date is rated afresh by the RAG rules, and any reviewer's
    exception lapses with the date it was written for."""
    check_version(action, version)
    _check_action_values(action.recommendation, values, action)
    new_due_date = values["due_date"] != action.due_date
    if new_due_date and not due_date_reason:
        raise RuleError("Enter the reason the due date is changing", "due_date_reason")
    before = snapshot(action, ACTION_FIELDS + RATING_FIELDS)
    for field, value in values.items():
        setattr(action, field, value)
    if new_due_date:
        action.rag = rules_rag(action, today)
        _clear_exception(action)
    flush()
    changes = diff(action, before, ACTION_FIELDS + RATING_FIELDS)
    if "due_date" in changes:
        changes["due_date_reason"] = due_date_reason
    authority_id = action.recommendation.inspection.authority_id
    summary = f"Action {action.reference} edited"
    record_edit(actor, authority_id, action, summary, changes, action_id=action.id)
    return action


def _clear_exception(action: Action) -> None:
    action.rag_exception = action.rag_exception_by = action.rag_exception_on = None


def mark_past_due(today: date) -> list[Action]:
    """Rate red every incomplete action whose due date has passed, in every authority, unless
    a reviewer's exception written after the date stands; each is recorded as the system's
    ("due date passed"). An action already red stays as it is, so a second run finds none."""
    query = (
        sa.select(Action)
        .where(
            Action.status != ActionStatus.COMPLETE,
            Action.due_date < today,
            sa.not_(exception_stands_sql(today)),
            sa.or_(Action.rag != Rag.RED, Action.rag_exception.is_not(None)),
        )
        .order_by(Action.authority_id, Action.id)
    )
    marked = list(db.session.scalars(query))
    for action in marked:
        before = snapshot(action, RATING_FIELDS)
        action.rag = Rag.RED
        _clear_exception(action)
        flush()
        changes = diff(action, before, RATING_FIELDS)
        summary = "Due date passed: " + "; ".join(_past_due_changes(before))
        record_event(
            None, action.authority_id, action, "due_date_passed", summary, changes, action.id
        )
    return marked


def _past_due_changes(before: dict) -> list[str]:
    changes = []
    if before["rag"] is not Rag.RED:
        changes.append(f"RAG {before['rag'].label} to Red")
    if before["rag_exception"]:
        changes.append("the reviewer's RAG exception lapsed")
    return changes


def _check_action_values(
    recommendation: Recommendation, values: dict, action: Action | None
) -> None:
    authority_id = recommendation.inspection.authority_id
    area = db.session.get(ServiceArea, values["service_area_id"])
    if area is None or area.authority_id != authority_id:
        raise RuleError("Select a service area", "service_area_id")
    for field in ("owner_id", "delegate_id"):
        person = db.session.get(User, values[field]) if values.get(field) else None
        if values.get(field) and (person is None or person.authority_id != authority_id):
            raise RuleError("Select a person from this authority", field)
        action_id = action.id if action is not None else None
        if person is not None and not permissions.can_own_action(person, area.id, action_id):
            # Owners and delegates write updates: read-only people stay read-only.
            raise RuleError(
                f"Select a service manager, a head of service of {area.name} or a director",
                field,
            )
    if values["due_date"] < values["start_date"]:
        raise RuleError("The due date must be on or after the start date", "due_date")
    duplicate = sa.select(Action.id).where(
        Action.recommendation_id == recommendation.id, Action.reference == values["reference"]
    )
    if action is not None:
        duplicate = duplicate.where(Action.id != action.id)
    if db.session.scalar(duplicate):
        raise RuleError(f"Action {values['reference']} already exists", "reference")


def add_measure(actor: User, action: Action, **values) -> Measure:
    if values["target_date"] <= values["baseline_date"]:
        raise RuleError("The target date must be after the baseline date", "target_date")
    measure = Measure(action=action, **values)
    db.session.add(measure)
    flush()
    authority_id = action.recommendation.inspection.authority_id
    summary = f"Measure added: {measure.name}"
    record_event(actor, authority_id, measure, "created", summary, values, action_id=action.id)
    return measure
