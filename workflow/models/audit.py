"""The append-only audit trail, hash-chained per authority so tampering shows.

The database itself refuses to change or remove an event: triggers on audit_event (below)
answer every UPDATE and DELETE, and on PostgreSQL every TRUNCATE, with an error, whatever
code or person sends them with the app's rights. Whoever owns the table can still drop the
triggers; the keyed hashes and checkpoints of core/audit.py catch what they do next.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.action import Action
from workflow.models.base import Base, utcnow
from workflow.models.user import User


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.UniqueConstraint("authority_id", "sequence"),
        # An action's timeline and the weekly RAG history read its events in time order.
        sa.Index("ix_audit_event_action_id_at", "action_id", "at"),
        # Who last changed a record, for the "changed since you opened it" message.
        sa.Index("ix_audit_event_object_type_object_id", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    sequence: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(sa.String(200))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("action.id"))
    verb: Mapped[str] = mapped_column(sa.String(40))
    summary: Mapped[str] = mapped_column(sa.Text)
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    previous_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    actor: Mapped[User | None] = relationship()
    # Read-only: the event names its action by action_id, set when it is written.
    action: Mapped[Action | None] = relationship(viewonly=True)


class AuditHead(Base):
    """The last link of each authority's chain; locked while an event is appended."""

    __tablename__ = "audit_head"

    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), primary_key=True)
    sequence: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(sa.String(64))


# The triggers are created with the table, by create_all() and by the migration
# (20261201_audit.py holds its own copy; tests/test_migrations.py holds the two alike).
# A SQLite batch migration that copies audit_event drops them: it must create them again.
REFUSE_CHANGE = (
    "CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "    RAISE EXCEPTION USING\n"
    "        MESSAGE = 'audit_event is append-only (' || TG_OP || ' refused)',\n"
    "        ERRCODE = 'insufficient_privilege';\n"
    "END\n"
    "$$"
)
APPEND_ONLY_TRIGGERS = {
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


def _with_the_table(statement: str, dialect: str, when: str = "after_create") -> None:
    sa.event.listen(AuditEvent.__table__, when, sa.DDL(statement).execute_if(dialect=dialect))


_with_the_table(REFUSE_CHANGE, "postgresql")
for _dialect, _triggers in APPEND_ONLY_TRIGGERS.items():
    for _statement in _triggers.values():
        _with_the_table(_statement, _dialect)
# Dropping the table drops its triggers, but not the function they ran.
_with_the_table("DROP FUNCTION IF EXISTS audit_event_refuse_change()", "postgresql", "after_drop")
