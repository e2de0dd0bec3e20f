"""The private calendar feed, opened by calendar apps with the token in its address alone."""

from flask import Blueprint, Response, abort, request, url_for

from workflow.api import tokens
from workflow.oversight import calendar_feed

bp = Blueprint("calendar", __name__)


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    user = tokens.calendar_owner(token)
    if user is None:
        abort(404)  # a wrong, reset or turned-off address looks like any missing page
    actions = calendar_feed.feed_actions(user)

    def link(action) -> str:
        return url_for("actions.show", action_id=action.id, _external=True)

    body = calendar_feed.build_feed(user, actions, link, request.host.split(":")[0])
    return Response(body, mimetype="text/calendar", headers={"X-Robots-Tag": "noindex"})
