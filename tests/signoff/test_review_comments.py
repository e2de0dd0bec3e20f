"""Reviewers' comments stay: every return (and approval) comment is kept on the update, shown
on its page and in the action's history, and the next reviewer sees what changed since."""

import sqlalchemy as sa

from tests.conftest import text_of
from workflow.extensions import db
from workflow.models import ProgressUpdate, ReviewComment, ReviewKind


def rework(client, update_id: int, narrative: str) -> None:
    db.session.expire_all()
    version = db.session.get(ProgressUpdate, update_id).version
    data = {
        "narrative": narrative,
        "status": "in_progress",
        "rag": "green",
        "version": str(version),
        "intent": "submit",
    }
    assert client.post(f"/updates/{update_id}/edit", data=data).status_code == 302


def version_of(update_id: int) -> int:
    db.session.expire_all()
    return db.session.get(ProgressUpdate, update_id).version


def test_every_comment_is_kept_and_the_reviewer_sees_what_changed(world, login):
    update_id = world.submitted.id
    head = login("head")
    head.post(
        f"/updates/{update_id}/return",
        data={"version": version_of(update_id), "comment": "Say which schools joined."},
    )
    rework(login("manager"), update_id, "Tracker live in the twelve secondary schools.")

    head = login("head")
    page = text_of(head.get(f"/updates/{update_id}"))
    # The reviewer sees the last comment, and what the author changed since.
    assert "Since the last comment Returned by Hugo Head" in page
    assert "Say which schools joined." in page
    assert "Progress Tracker live Tracker live in the twelve secondary schools." in page
    head.post(
        f"/updates/{update_id}/return",
        data={"version": version_of(update_id), "comment": "And the primaries?"},
    )
    rework(login("manager"), update_id, "Live in all secondary and primary schools.")
    head = login("head")
    head.post(
        f"/updates/{update_id}/approve",
        data={"version": version_of(update_id), "comment": "Thank you: well evidenced."},
    )

    comments = db.session.scalars(
        sa.select(ReviewComment)
        .where(ReviewComment.update_id == update_id)
        .order_by(ReviewComment.id)
    ).all()
    assert [(c.kind, c.text, c.author.name) for c in comments] == [
        (ReviewKind.RETURNED, "Say which schools joined.", "Hugo Head"),
        (ReviewKind.RETURNED, "And the primaries?", "Hugo Head"),
        (ReviewKind.APPROVED, "Thank you: well evidenced.", "Hugo Head"),
    ]
    page = text_of(login("manager").get(f"/updates/{update_id}"))
    thread = page[page.index("Review comments") :]
    assert thread.index("Say which schools joined.") < thread.index("And the primaries?")
    assert thread.index("And the primaries?") < thread.index("Thank you: well evidenced.")
    history = text_of(login("head").get(f"/actions/{world.action.id}"))
    history = history[history.index("History") :]
    for said in ("Say which schools joined.", "And the primaries?", "Thank you: well evidenced."):
        assert f"“{said}”" in history


def test_the_author_sees_the_comment_while_reworking(world, login):
    update_id = world.submitted.id
    login("head").post(
        f"/updates/{update_id}/return",
        data={"version": version_of(update_id), "comment": "Attach the attendance figures."},
    )
    client = login("manager")
    assert "Attach the attendance figures." in text_of(client.get("/my-actions"))
    assert "Attach the attendance figures." in text_of(client.get(f"/updates/{update_id}/edit"))
    rework(client, update_id, "Figures attached.")
    # Resubmitted: the comment is still on the update's page, beside the new text.
    page = text_of(client.get(f"/updates/{update_id}"))
    assert "Attach the attendance figures." in page and "Figures attached." in page
