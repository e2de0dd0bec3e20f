"""An authority's service areas: added, renamed and retired by its administrators.

A retired area keeps its history (actions, updates and the plans already sent name it) but
is no longer offered for new people or actions. An area still holding active people or
unfinished actions cannot be retired: they would have nobody to approve their updates.
"""

from datetime import datetime

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.extensions import db
from workflow.models import Action, ActionStatus, Authority, ServiceArea, User

MAX_NAME = 200


def add_service_area(actor: User, authority: Authority, name: str) -> ServiceArea:
    name = _checked_name(authority, name)
    area = ServiceArea(authority=authority, name=name)
    db.session.add(area)
    flush()
    record_event(actor, authority.id, area, "created", f"Service area {name} added")
    return area


def rename_service_area(actor: User, area: ServiceArea, name: str) -> None:
    before = area.name
    name = _checked_name(area.authority, name, keep=area)
    if name == before:
        return
    area.name = name
    flush()
    summary = f"Service area {before} renamed {name}"
    record_event(actor, area.authority_id, area, "renamed", summary, {"name": [before, name]})


def retire_service_area(actor: User, area: ServiceArea, now: datetime) -> None:
    if area.retired_at is not None:
        raise RuleError(f"{area.name} is already retired")
    people = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.service_area_id == area.id, User.active.is_(True)
        )
    )
    open_actions = db.session.scalar(
        sa.select(sa.func.count(Action.id)).where(
            Action.service_area_id == area.id, Action.status != ActionStatus.COMPLETE
        )
    )
    if people or open_actions:
        raise RuleError(
            f"{area.name} still has {people} active {'person' if people == 1 else 'people'} and"
            f" {open_actions} unfinished {'action' if open_actions == 1 else 'actions'}:"
            " move them to another service area first"
        )
    area.retired_at = now
    flush()
    record_event(actor, area.authority_id, area, "retired", f"Service area {area.name} retired")


def _checked_name(authority: Authority, name: str, keep: ServiceArea | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise RuleError("Enter the service area's name", "name")
    if len(name) > MAX_NAME:
        raise RuleError(f"Name must be {MAX_NAME} characters or fewer", "name")
    clash = sa.select(ServiceArea.id).where(
        ServiceArea.authority_id == authority.id, sa.func.lower(ServiceArea.name) == name.lower()
    )
    if keep is not None:
        clash = clash.where(ServiceArea.id != keep.id)
    if db.session.scalar(clash):
        raise RuleError(f"There is already a service area called {name}", "name")
    return name


def all_service_areas(authority: Authority) -> list[ServiceArea]:
    """Every area of the authority, retired ones last."""
    return list(
        db.session.scalars(
            sa.select(ServiceArea)
            .where(ServiceArea.authority_id == authority.id)
            .order_by(ServiceArea.retired_at.is_not(None), ServiceArea.name)
        )
    )
