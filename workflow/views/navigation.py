"""The header navigation for each role, built from the permissions module's answers."""

from flask import request, url_for

from workflow import permissions
from workflow.models import User
from workflow.queues import waiting_count


def nav_items(user: User) -> list[dict]:
    items = []
    if permissions.can_see_own_actions(user):
        count = waiting_count(user) if not permissions.can_review_updates(user) else None
        items.append(("My actions", "updates.mine", count))
    if permissions.can_review_updates(user):
        items.append(("Awaiting approval", "updates.awaiting", waiting_count(user)))
    items.append(("Inspections", "inspections.index", None))
    items.append(("Dashboard", "dashboard.index", None))
    items.append(("Search", "search.index", None))
    if permissions.can_manage_users(user):
        items.append(("Users", "users.index", None))
        items.append(("RAG definitions", "settings.rag", None))
    items.append(("Your account", "auth.account", None))
    return [_item(text, endpoint, count) for text, endpoint, count in items]


def _item(text: str, endpoint: str, count: int | None) -> dict:
    href = url_for(endpoint)
    active = request.path == href or (
        endpoint.startswith("inspections.") and request.blueprint in ("inspections", "recommendations", "actions")
    )
    return {"text": text, "href": href, "active": active, "count": count}
