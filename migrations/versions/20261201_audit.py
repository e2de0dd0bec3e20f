"""The audit trail is append-only in the database, and keyed: triggers refuse UPDATE and
DELETE (and TRUNCATE on PostgreSQL) on audit_event, and every chain that holds events hashed
without the audit key gets one keyed event that marks where keyed hashing starts.

Revision ID: audit
Revises: sessions
Create Date: 2026-12-01 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "audit"
down_revision = "sessions"
branch_labels = None
depends_on = None

# The same statements as workflow/models/audit.py attaches to create_all(), as they stood
# when this revision was written (tests/test_migrations.py holds the two alike).
REFUSE_CHANGE = (
    "CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "    RAISE EXCEPTION USING\n"
    "        MESSAGE = 'audit_event is append-only (' || TG_OP || ' refused)',\n"
    "        ERRCODE = 'insufficient_privilege';\n"
    "END\n"
    "$$"
)
TRIGGERS = {
    "postgresql": {
        "audit_event_no_change": (
            "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()"
        ),
        "audit_event_no_truncate": (
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()"
        ),
    },
    "sqlite": {
        "audit_event_no_update": (
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (UPDATE refused)'); END"
        ),
        "audit_event_no_delete": (
            "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only (DELETE refused)'); END"
        ),
    },
}

events = sa.table(
    "audit_event",
    *(sa.column(name) for name in ("authority_id", "sequence", "actor_id", "actor_name")),
    *(sa.column(name) for name in ("object_type", "object_id", "action_id", "verb", "summary")),
    sa.column("at", sa.DateTime()),
    sa.column("changes", sa.JSON()),
    sa.column("previous_hash"),
    sa.column("hash"),
)
heads = sa.table("audit_head", sa.column("authority_id"), sa.column("sequence"), sa.column("hash"))


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(REFUSE_CHANGE)
    for statement in TRIGGERS[dialect].values():
        op.execute(statement)
    mark_where_keyed_hashing_starts()


def mark_where_keyed_hashing_starts():
    """Events written so far were hashed with plain SHA-256 and are kept so (they are never
    rewritten): each chain gets the app's own KEY_ADOPTED event, made with the audit key, after
    its last plain event. The app's function makes it, so `audit verify` reads it the same."""
    from workflow.core.audit import key_adoption_row

    bind = op.get_bind()
    chains = bind.execute(sa.select(heads).where(heads.c.sequence > 0)).all()
    for chain in chains:
        row = key_adoption_row(chain.authority_id, chain.sequence, chain.hash)
        bind.execute(events.insert().values(**row))
        bind.execute(
            heads.update()
            .where(heads.c.authority_id == chain.authority_id)
            .values(sequence=row["sequence"], hash=row["hash"])
        )


def downgrade():
    # Older code checks every event with plain SHA-256: keyed events would all look edited.
    keyed = op.get_bind().scalar(
        sa.text(
            "SELECT count(*) FROM audit_event e WHERE e.sequence >= COALESCE(("
            "SELECT min(s.sequence) FROM audit_event s WHERE s.authority_id = e.authority_id "
            "AND s.verb = 'audit_key_adopted' AND s.object_type = 'authority'), 1)"
        )
    )
    if keyed:
        raise RuntimeError(
            f"{keyed} audit events are hashed with the audit key, which older versions cannot "
            "check: the trail would look tampered with"
        )
    dialect = op.get_bind().dialect.name
    for name in TRIGGERS[dialect]:
        op.execute(f"DROP TRIGGER {name}" + (" ON audit_event" if dialect == "postgresql" else ""))
    if dialect == "postgresql":
        op.execute("DROP FUNCTION audit_event_refuse_change()")
