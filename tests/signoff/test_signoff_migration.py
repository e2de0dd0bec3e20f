"""The sign-off migration carries existing data over: return comments from the audit trail
into the thread, each update's base from its action; and it refuses to hide a duplicate."""

import pytest
import sqlalchemy as sa
from alembic import command
from flask import current_app
from flask_migrate import downgrade, upgrade

from tests.factories import proposal, without_partners
from workflow.extensions import db, init_migrations
from workflow.models import ProgressUpdate, ReviewComment
from workflow.signoff import rules as signoff

BEFORE_SIGNOFF = "audit"  # the migration before sign-off's


def run(sql: str, **values):
    with db.engine.begin() as connection:
        return connection.execute(sa.text(sql), values)


def test_upgrade_keeps_return_comments_and_notes_each_updates_base(world, today):
    head, manager, update = world.users["head"], world.users["manager"], world.submitted
    signoff.return_update(head, update, update.version, "Name the schools.")
    signoff.revise_update(manager, update, update.version, proposal("Twelve schools."), today)
    signoff.submit_update(manager, update, update.version)
    signoff.return_update(head, update, update.version, "And the primaries?")
    db.session.commit()
    update_id, head_id, action_version = update.id, head.id, world.action.version
    db.session.remove()
    try:
        init_migrations(current_app)
        without_partners()
        downgrade(revision=BEFORE_SIGNOFF)
        kept = run("SELECT review_comment FROM progress_update WHERE id = :id", id=update_id)
        assert kept.scalar() == "And the primaries?"
    finally:
        upgrade()
    comments = db.session.scalars(
        sa.select(ReviewComment)
        .where(ReviewComment.update_id == update_id)
        .order_by(ReviewComment.id)
    ).all()
    assert [(c.text, c.author_id) for c in comments] == [
        ("Name the schools.", head_id),
        ("And the primaries?", head_id),
    ]
    migrated = db.session.get(ProgressUpdate, update_id)
    assert migrated.base_action_version == action_version
    assert migrated.written_at is not None


def test_upgrade_refuses_an_action_with_two_updates_waiting(app, world):
    draft_id, action_id = world.draft.id, world.action.id
    db.session.commit()
    db.session.remove()
    init_migrations(current_app)
    without_partners()
    downgrade(revision=BEFORE_SIGNOFF)
    try:
        run("UPDATE progress_update SET state = 'submitted' WHERE id = :id", id=draft_id)
        # Alembic itself, for the error Flask-Migrate would log before it exits.
        config = app.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError, match=f"Actions {action_id} each have more than one"):
            command.upgrade(config, "head")
    finally:
        run("UPDATE progress_update SET state = 'draft' WHERE id = :id", id=draft_id)
        upgrade()
    assert db.session.get(ProgressUpdate, draft_id).state.value == "draft"
