"""The header navigation for each role, built from the permissions module's answers."""

from flask import request, url_for

from workflow import permissions
from workflow.models import User


def nav_items(user: User) -> list[dict]:
    items = [("Inspections", "inspections.index", None)]
    if permissions.can_manage_users(user):
        items.append(("Users", "users.index", None))
    items.append(("Your account", "auth.account", None))
    return [_item(text, endpoint, count) for text, endpoint, count in items]


def _item(text: str, endpoint: str, count: int | None) -> dict:
    blueprint = endpoint.split(".")[0]
    active = (request.blueprint or "") == blueprint
    return {"text": text, "href": url_for(endpoint), "active": active, "count": count}
