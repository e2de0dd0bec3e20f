"""What changed since: the action since an update was written, and an update since a reviewer
returned it.

An update records the action's version and applied values as its author saw them. Approving
applies only the fields the update changes from those; the others keep whatever the action
holds now, so an older update approved after a newer one never rolls the action back.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow.core.errors import RuleError
from workflow.models import Action, ActionStatus, ProgressUpdate, utcnow

APPLIED_FIELDS = ["status", "rag", "due_date", "impact_evidenced"]
FIELD_LABELS = {
    "status": "Status",
    "rag": "RAG",
    "due_date": "Due date",
    "impact_evidenced": "Impact evidenced",
}


def record_base(update: ProgressUpdate, action: Action) -> None:
    """Note the action as the author sees it now, as they write or rework the update."""
    update.base_action_version = action.version
    values = current_values(action)
    update.base_status, update.base_rag = values["status"], values["rag"]
    update.base_due_date = values["due_date"]
    update.base_impact_evidenced = values["impact_evidenced"]
    update.written_at = utcnow()


def current_values(action: Action) -> dict[str, Any]:
    return {field: getattr(action, field) for field in APPLIED_FIELDS}


def base_values(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "status": update.base_status,
        "rag": update.base_rag,
        "due_date": update.base_due_date,
        "impact_evidenced": update.base_impact_evidenced,
    }


def proposed_values(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "status": update.proposed_status,
        "rag": update.effective_rag,
        "due_date": update.proposed_due_date or update.base_due_date,
        "impact_evidenced": update.impact_evidenced,
    }


@dataclass(frozen=True)
class FieldChange:
    """One applied field: as the author saw it, as it is now, as proposed, and after approval."""

    field: str
    then: Any
    now: Any
    proposed: Any

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    @property
    def proposes_change(self) -> bool:
        return self.proposed != self.then

    @property
    def changed_since(self) -> bool:
        return self.now != self.then

    @property
    def both_changed(self) -> bool:
        """Changed since, and changed differently by the update: the update's value wins."""
        return self.changed_since and self.proposes_change and self.proposed != self.now

    @property
    def result(self) -> Any:
        return self.proposed if self.proposes_change else self.now


def field_changes(update: ProgressUpdate) -> list[FieldChange]:
    then, now = base_values(update), current_values(update.action)
    proposed = proposed_values(update)
    return [FieldChange(f, then[f], now[f], proposed[f]) for f in APPLIED_FIELDS]


def action_changed_since(update: ProgressUpdate) -> bool:
    """The action's applied values moved on after the update was written."""
    if update.base_action_version == update.action.version:
        return False
    return any(change.changed_since for change in field_changes(update))


def merged_values(update: ProgressUpdate) -> dict[str, Any]:
    """The action after approval: each field the update changes, the rest as they are now."""
    return {change.field: change.result for change in field_changes(update)}


def approval_result(update: ProgressUpdate) -> dict[str, Any]:
    """What approving would set on the action; refused when the update no longer fits it."""
    then, now = base_values(update), current_values(update.action)
    completed_since = (
        now["status"] is ActionStatus.COMPLETE and then["status"] is not ActionStatus.COMPLETE
    )
    if completed_since and update.proposed_status is not ActionStatus.COMPLETE:
        # Its status or RAG would reopen, or contradict, a completion it never knew of.
        raise RuleError(
            f"Action {update.action.reference} was marked complete after this update was "
            "written, and this update does not propose completing it. Return it to its "
            "author to bring it up to date"
        )
    return merged_values(update)


def kept_since(update: ProgressUpdate) -> dict[str, Any]:
    """For the audit trail: fields approval left as they are, as they changed since."""
    return {
        change.field: change.now
        for change in field_changes(update)
        if change.changed_since and not change.proposes_change
    }


# An update since a reviewer returned it: the proposal as the reviewer read it is kept with
# the comment, in words, so the next reviewer sees what the author changed.

PROPOSAL_LABELS = {
    "narrative": "Progress",
    "status": "Proposed status",
    "rag": "Proposed RAG",
    "rag_reason": "Reason for the RAG",
    "impact_evidenced": "Impact evidenced",
    "due_date": "Proposed due date",
    "due_date_reason": "Reason for the new due date",
    "evidence": "Evidence",
    "measure_values": "Measure values",
}


def proposal_in_words(update: ProgressUpdate) -> dict[str, str]:
    values = [
        f"{v.measure.name}: {v.value.normalize():f} on {_day(v.as_of)}"
        for v in update.measure_values
    ]
    return {
        "narrative": update.narrative,
        "status": update.proposed_status.label,
        "rag": update.effective_rag.label,
        "rag_reason": update.rag_reason or "",
        "impact_evidenced": "Yes" if update.impact_evidenced else "No",
        "due_date": _day(update.proposed_due_date) if update.proposed_due_date else "No change",
        "due_date_reason": update.due_date_reason or "",
        "evidence": "; ".join(item.title for item in update.evidence),
        "measure_values": "; ".join(values),
    }


@dataclass(frozen=True)
class Rework:
    label: str
    before: str
    after: str


def reworked_since(update: ProgressUpdate, proposal_then: dict[str, str]) -> list[Rework]:
    """What the author changed since a reviewer read the proposal `proposal_then`."""
    now = proposal_in_words(update)
    return [
        Rework(label, proposal_then.get(key, ""), now[key])
        for key, label in PROPOSAL_LABELS.items()
        if key in proposal_then and proposal_then[key] != now[key]
    ]


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"
