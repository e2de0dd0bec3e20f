"""The audit trail resists an edit and a rewrite: the database refuses to change or remove an
event, a chain rewritten without the audit key fails `audit verify`, and a signed checkpoint
catches a chain cut short or rewritten even by someone holding the key."""

import json
import os
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.conftest import ROOT, append_only_lifted
from tests.factories import revisions_from
from workflow import create_app
from workflow.accounts import rules as accounts
from workflow.core import audit
from workflow.extensions import db, init_migrations
from workflow.models import AuditEvent, AuditHead, Authority

events = AuditEvent.__table__
heads = AuditHead.__table__

BEFORE_AUDIT = "sessions"  # the migration before the audit trail's defences


def chain_of(authority_id: int) -> list:
    query = sa.select(events).where(events.c.authority_id == authority_id)
    return db.session.execute(query.order_by(events.c.sequence)).all()


def verify(runner, *args: str):
    db.session.commit()  # the command reads the trail on its own connection
    return runner.invoke(args=["audit", "verify", *args])


def rewrite(authority_id: int, sequence: int, hasher, **change) -> None:
    """Play someone who owns the database: lift the triggers, change one event, and hash it
    and every later event again with `hasher`, moving the chain's head along."""
    connection = db.session.connection()
    with append_only_lifted(connection):
        here = (events.c.authority_id == authority_id) & (events.c.sequence == sequence)
        connection.execute(events.update().where(here).values(**change))
        earlier = [e for e in chain_of(authority_id) if e.sequence < sequence]
        previous = earlier[-1].hash if earlier else audit.GENESIS
        for event in [e for e in chain_of(authority_id) if e.sequence >= sequence]:
            new = hasher(SimpleNamespace(**{**event._mapping, "previous_hash": previous}))
            connection.execute(
                events.update()
                .where(events.c.id == event.id)
                .values(previous_hash=previous, hash=new)
            )
            previous = new
        connection.execute(
            heads.update().where(heads.c.authority_id == authority_id).values(hash=previous)
        )
    db.session.commit()


def cut_newest(authority_id: int, count: int) -> int:
    """Delete the chain's newest events and move its head back to match: the last sequence."""
    connection = db.session.connection()
    kept = chain_of(authority_id)[-count - 1]
    with append_only_lifted(connection):
        connection.execute(
            events.delete().where(
                events.c.authority_id == authority_id, events.c.sequence > kept.sequence
            )
        )
        connection.execute(
            heads.update()
            .where(heads.c.authority_id == authority_id)
            .values(sequence=kept.sequence, hash=kept.hash)
        )
    db.session.commit()
    return kept.sequence


# The database keeps the trail append-only ------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET summary = 'tampered' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_or_remove_an_event(world, statement):
    event_id = chain_of(world.authority.id)[2].id
    with pytest.raises(sa.exc.DBAPIError, match="audit_event is append-only"):
        db.session.execute(sa.text(statement), {"id": event_id})
    db.session.rollback()
    assert chain_of(world.authority.id)[2].summary != "tampered"


def test_the_orm_cannot_remove_an_event_either(world):
    event = db.session.scalars(sa.select(AuditEvent)).first()
    db.session.delete(event)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.postgres_only  # SQLite has no TRUNCATE
def test_postgresql_refuses_to_truncate_the_trail(world):
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE audit_event"))
    db.session.rollback()
    # Emptying a table the trail points at would cascade into it: refused the same way.
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE authority CASCADE"))
    db.session.rollback()
    assert len(chain_of(world.authority.id)) > 5


def readme_grants() -> list[str]:
    """The statements README.md gives for running the app under a role of its own."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### The audit trail") :]
    block = re.search(r"```sql\n(.*?)\n\s*```", section, re.S).group(1)
    return [statement for statement in block.split(";") if statement.strip()]


@pytest.fixture
def app_role(app, database_url):
    """A role set up as README.md says, and the URL to connect as it."""
    role = f"workflow_app_{os.getpid()}"
    url = sa.engine.make_url(database_url)
    owner = db.session.scalar(sa.text("SELECT current_user"))
    names = {
        "action_plans_app": role,
        "action_plans_owner": owner,
        "DATABASE action_plans": f'DATABASE "{url.database}"',
    }
    for statement in readme_grants():
        for name, ours in names.items():
            statement = statement.replace(name, ours)
        db.session.execute(sa.text(statement))
    db.session.commit()
    yield url.set(username=role, password=None).render_as_string(hide_password=False)
    db.session.execute(sa.text(f"DROP OWNED BY {role}"))
    db.session.execute(sa.text(f"DROP ROLE {role}"))
    db.session.commit()


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_event SET summary = 'x'", "DELETE FROM audit_event", "TRUNCATE audit_event"],
)
def test_the_readme_role_may_append_to_the_trail_and_nothing_more(world, app_role, statement):
    """The role's rights refuse before the triggers are reached (so they would hold without
    them), and the app works under it: a rule appends to the trail, which verifies."""
    authority_id = world.authority.id
    db.session.commit()
    engine = sa.create_engine(app_role)
    try:
        with (
            engine.connect() as connection,
            pytest.raises(sa.exc.ProgrammingError, match="permission denied"),
        ):
            connection.execute(sa.text(statement))
    finally:
        engine.dispose()
    served = create_app({"SQLALCHEMY_DATABASE_URI": app_role})
    with served.app_context():
        accounts.create_service_area(db.session.get(Authority, authority_id), "Fostering")
        db.session.commit()
        assert audit.verify_chain().intact
        db.session.remove()
        db.engine.dispose()


# Each event is hashed with the audit key ----------------------------------------------


def test_an_edited_row_breaks_the_chain(runner, world):
    assert "intact" in verify(runner).output
    event = chain_of(world.authority.id)[3]
    with append_only_lifted(db.session.connection()):
        db.session.execute(events.update().where(events.c.id == event.id).values(summary="x"))
    result = verify(runner)
    assert result.exit_code == 1
    assert f"broken at event {event.id}" in result.output
    assert "not made from its content with the audit key" in result.output


@pytest.mark.parametrize(
    "hasher",
    [audit.plain_hash, lambda event: audit.keyed_hash(event, b"a guess at the key")],
    ids=["sha256", "another key"],
)
def test_a_chain_rewritten_without_the_key_fails_verification(runner, world, hasher):
    event = chain_of(world.authority.id)[3]
    rewrite(world.authority.id, event.sequence, hasher, summary="Nothing happened")
    # Every link points at the one before, and the head at the last: only the key tells.
    rewritten = chain_of(world.authority.id)
    assert all(b.previous_hash == a.hash for a, b in zip(rewritten, rewritten[1:], strict=False))
    result = verify(runner)
    assert result.exit_code == 1
    assert f"broken at event {event.id}" in result.output
    assert "AUDIT_KEY" in result.output


def test_the_trail_verifies_only_with_the_key_it_was_written_with(app, runner, world):
    assert verify(runner).exit_code == 0
    app.config["AUDIT_KEY"] = "another-key-from-another-installation"
    result = verify(runner)
    assert result.exit_code == 1
    assert "AUDIT_KEY is not the key the trail was written with" in result.output


def test_the_key_comes_from_audit_key_or_else_from_secret_key(app):
    derived = audit.audit_key()
    assert derived not in (app.config["SECRET_KEY"].encode(), b"")
    app.config["AUDIT_KEY"] = "k" * 64
    assert audit.audit_key() == b"k" * 64


def test_deleting_the_newest_events_shows_at_the_head(runner, world):
    last = chain_of(world.authority.id)[-1].sequence
    with append_only_lifted(db.session.connection()):
        db.session.execute(
            events.delete().where(
                events.c.authority_id == world.authority.id, events.c.sequence == last
            )
        )
    result = verify(runner)
    assert result.exit_code == 1
    assert f"events after sequence {last - 1} are missing" in result.output


def test_removing_a_chains_head_shows(runner, world):
    db.session.execute(heads.delete().where(heads.c.authority_id == world.authority.id))
    result = verify(runner)
    assert result.exit_code == 1
    assert f"authority {world.authority.id}" in result.output
    assert "its head is missing" in result.output


# Checkpoints -----------------------------------------------------------------------------


def checkpoint(runner, path) -> None:
    db.session.commit()
    result = runner.invoke(args=["audit", "checkpoint", str(path)])
    assert result.exit_code == 0, result.output
    assert "Checkpoint of 2 chains" in result.output


def test_a_checkpoint_names_each_chains_newest_event_and_is_signed(runner, world, tmp_path):
    checkpoint(runner, tmp_path / "checkpoint.json")
    document = json.loads((tmp_path / "checkpoint.json").read_text())
    newest = chain_of(world.authority.id)[-1]
    ours = next(h for h in document["heads"] if h["authority_id"] == world.authority.id)
    assert ours == {
        "authority_id": world.authority.id,
        "sequence": newest.sequence,
        "event_id": newest.id,
        "hash": newest.hash,
    }
    assert len(document["signature"]) == 64
    # The trail goes on growing after a checkpoint: still intact against it.
    one_more_event(world)
    result = verify(runner, "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert result.exit_code == 0, result.output
    assert "every chain holds its events of" in result.output


def one_more_event(world) -> None:
    accounts.create_service_area(world.authority, "Fostering")
    db.session.commit()


def test_a_checkpoint_catches_a_chain_cut_short_and_its_head_moved_back(runner, world, tmp_path):
    checkpoint(runner, tmp_path / "checkpoint.json")
    ends_at = cut_newest(world.authority.id, 2)
    assert verify(runner).exit_code == 0  # the chain alone looks whole
    result = verify(runner, "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert result.exit_code == 1
    assert f"the chain ends at sequence {ends_at}, before the checkpoint's {ends_at + 2}" in (
        result.output
    )


def test_a_checkpoint_catches_a_tail_rewritten_with_the_key(app, runner, world, tmp_path):
    checkpoint(runner, tmp_path / "checkpoint.json")
    event = chain_of(world.authority.id)[-3]

    def with_the_key(row):
        return audit.keyed_hash(row, audit.audit_key())

    rewrite(world.authority.id, event.sequence, with_the_key, summary="Nothing happened")
    assert verify(runner).exit_code == 0  # whoever has the key can rewrite the chain itself
    result = verify(runner, "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert result.exit_code == 1
    newest = chain_of(world.authority.id)[-1]
    assert f"broken at event {newest.id}" in result.output
    assert "not the event the checkpoint holds" in result.output


def test_a_changed_or_foreign_checkpoint_is_refused(app, runner, world, tmp_path):
    path = tmp_path / "checkpoint.json"
    checkpoint(runner, path)
    document = json.loads(path.read_text())
    document["heads"][0]["sequence"] -= 1
    path.write_text(json.dumps(document))
    result = verify(runner, "--checkpoint", str(path))
    assert result.exit_code == 1
    assert "signature does not match" in result.output
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\xff\xfe not a checkpoint")
    result = verify(runner, "--checkpoint", str(garbage))
    assert result.exit_code == 1
    assert "is not an audit checkpoint" in result.output


def test_a_checkpoint_is_never_overwritten_nor_made_of_a_broken_chain(runner, world, tmp_path):
    path = tmp_path / "checkpoint.json"
    checkpoint(runner, path)
    before = path.read_text()
    again = runner.invoke(args=["audit", "checkpoint", str(path)])
    assert again.exit_code == 1 and "never overwritten" in again.output
    assert path.read_text() == before
    rewrite(world.authority.id, 2, audit.plain_hash, summary="Nothing happened")
    broken = runner.invoke(args=["audit", "checkpoint", str(tmp_path / "later.json")])
    assert broken.exit_code == 1 and "Audit chain broken" in broken.output
    assert not (tmp_path / "later.json").exists()


# Events hashed before the key ----------------------------------------------------------


def plain_chain(authority_id: int, count: int) -> None:
    """Events as the app wrote them before the audit key: plain SHA-256, no key."""
    previous = audit.GENESIS
    for sequence in range(1, count + 1):
        row = {
            "authority_id": authority_id,
            "sequence": sequence,
            "at": audit.utcnow(),
            "actor_id": None,
            "actor_name": "System",
            "object_type": "authority",
            "object_id": authority_id,
            "action_id": None,
            "verb": "edited",
            "summary": f"Change {sequence}",
            "changes": {"name": ["Old", f"New {sequence}"]},
            "previous_hash": previous,
        }
        previous = audit.plain_hash(SimpleNamespace(**row))
        db.session.execute(events.insert().values(**row, hash=previous))
    db.session.execute(
        heads.insert().values(authority_id=authority_id, sequence=count, hash=previous)
    )


@pytest.fixture
def plain_trail(app):
    """A trail written before keyed hashing, brought up to date by the migration."""
    init_migrations(app)
    db.session.remove()
    downgrade(revision=BEFORE_AUDIT)
    try:
        authority = Authority(name="Eastwick Council")
        db.session.add(authority)
        db.session.flush()
        plain_chain(authority.id, 3)
        db.session.commit()
        authority_id = authority.id
        db.session.remove()
    finally:
        upgrade()
    return authority_id


def test_events_hashed_before_the_key_still_verify(runner, plain_trail):
    chain = chain_of(plain_trail)
    assert [e.verb for e in chain] == ["edited"] * 3 + [audit.KEY_ADOPTED]
    assert chain[3].previous_hash == chain[2].hash
    assert chain[3].hash == audit.keyed_hash(chain[3], audit.audit_key())
    head = db.session.get(AuditHead, plain_trail)
    assert (head.sequence, head.hash) == (4, chain[3].hash)
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "4 events checked" in result.output
    # New events follow on, keyed.
    audit.record_event(None, plain_trail, db.session.get(Authority, plain_trail), "edited", "Hi")
    assert "5 events checked" in verify(runner).output


def test_a_plain_event_rewritten_after_the_key_came_in_fails(runner, plain_trail):
    rewrite(plain_trail, 2, audit.plain_hash, summary="Nothing happened")
    result = verify(runner)
    assert result.exit_code == 1
    adopted = chain_of(plain_trail)[3]
    assert f"broken at event {adopted.id}" in result.output  # it names the old last hash


def test_a_whole_chain_rewritten_as_plain_fails(runner, plain_trail):
    """Without the key, nobody can say keyed hashing never started: a chain with no
    KEY_ADOPTED event must be keyed from its first event."""
    adopted = chain_of(plain_trail)[3]
    rewrite(plain_trail, 4, audit.plain_hash, verb="edited", object_type="authority")
    assert chain_of(plain_trail)[3].id == adopted.id
    result = verify(runner)
    assert result.exit_code == 1
    assert "sequence 1)" in result.output


def test_downgrading_past_keyed_events_is_refused(plain_trail):
    db.session.remove()
    with pytest.raises(SystemExit):  # how Flask-Migrate reports a migration's refusal
        downgrade(revision=BEFORE_AUDIT)
    # The audit trail's migration stayed (a later one may have come down first, on SQLite).
    version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    assert version in revisions_from("audit")
    assert [e.verb for e in chain_of(plain_trail)][-1] == audit.KEY_ADOPTED
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("DELETE FROM audit_event"))
    db.session.rollback()
    db.session.remove()
    upgrade()  # back to the head for the tests after this one
