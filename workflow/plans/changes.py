"""What changed between two plan snapshots, action by action: the plan's summary of
progress since the last issued version, and the comparison page."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workflow.models import Rag


@dataclass
class ActionChange:
    reference: str
    description: str
    changes: list[str] = field(default_factory=list)


@dataclass
class PlanChanges:
    added: list[ActionChange] = field(default_factory=list)
    removed: list[ActionChange] = field(default_factory=list)
    changed: list[ActionChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare_snapshots(old: dict[str, Any], new: dict[str, Any]) -> PlanChanges:
    """What changed between two plan snapshots, action by action."""
    before, after = _actions_by_id(old), _actions_by_id(new)
    result = PlanChanges()
    for action_id, action in after.items():
        if action_id not in before:
            result.added.append(ActionChange(action["reference"], action["description"]))
            continue
        differences = _differences(before[action_id], action)
        if differences:
            result.changed.append(
                ActionChange(action["reference"], action["description"], differences)
            )
    result.removed = [
        ActionChange(a["reference"], a["description"])
        for action_id, a in before.items()
        if action_id not in after
    ]
    return result


def _actions_by_id(snapshot: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {a["id"]: a for r in snapshot["recommendations"] for a in r["actions"]}


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = []
    if old["status_label"] != new["status_label"]:
        found.append(f"Status: {old['status_label']} to {new['status_label']}")
    if old["rag"] != new["rag"]:
        found.append(f"RAG: {Rag(old['rag']).label} to {Rag(new['rag']).label}")
    exception = new.get("rag_exception", "")  # snapshots older than exceptions have none
    if exception != old.get("rag_exception", ""):
        found.append(f"RAG exception: {exception}" if exception else "RAG exception ended")
    if old["due_date"] != new["due_date"]:
        found.append(f"Due date: {_day(old['due_date'])} to {_day(new['due_date'])}")
    seen = {e["title"] for e in old["evidence"]}
    found += [f"New evidence: {e['title']}" for e in new["evidence"] if e["title"] not in seen]
    if old["progress"] != new["progress"] and new["progress"]:
        found.append("New progress update")
    return found


def _day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%-d %B %Y}"
