"""The header navigation for each role, built from the permissions module's answers."""

from collections.abc import Callable

from flask import request, url_for

from workflow.core import permissions
from workflow.models import User

# Pages inside an inspection's plan keep "Inspections" marked as where the user is.
PLAN_BLUEPRINTS = ("inspections", "recommendations", "actions", "updates", "plans", "imports")


def nav_items(user: User, waiting_count: Callable[[User], int | None]) -> list[dict]:
    """The header's links; `waiting_count` gives the number of updates waiting for the user."""
    items = []
    if permissions.can_see_own_actions(user):
        count = waiting_count(user) if not permissions.can_review_updates(user) else None
        items.append(("My actions", "updates.mine", count))
    if permissions.can_review_updates(user):
        items.append(("Awaiting approval", "updates.awaiting", waiting_count(user)))
    if permissions.can_browse_authority(user):
        items.append(("Inspections", "inspections.index", None))
        items.append(("Dashboard", "dashboard.index", None))
        items.append(("Search", "search.index", None))
    if permissions.can_manage_users(user):
        items.append(("Users", "users.index", None))
        items.append(("RAG rules", "settings.rag", None))
        items.append(("Service areas", "service_areas.index", None))
        items.append(("Single sign-on", "sso.settings", None))
    if permissions.can_see_jobs(user):
        items.append(("Background jobs", "jobs.index", None))
    if permissions.can_read_audit_trail(user):
        items.append(("Audit trail", "audit_trail.index", None))
    items.append(("Your account", "auth.account", None))
    nav = [
        {"text": text, "href": url_for(endpoint), "endpoint": endpoint, "count": count or None}
        for text, endpoint, count in items
    ]
    for item in nav:
        item["active"] = request.path == item["href"]
    if not any(item["active"] for item in nav) and request.blueprint in PLAN_BLUEPRINTS:
        # A partner has no inspections list: their actions are where they are.
        where = "inspections.index" if permissions.can_browse_authority(user) else "updates.mine"
        next(item for item in nav if item["endpoint"] == where)["active"] = True
    return nav
