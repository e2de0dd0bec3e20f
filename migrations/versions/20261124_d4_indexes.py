"""Indexes for the filters, sorts and foreign keys of the key pages (bench/README.md).

- progress_update (action_id, state) and (author_id, state) replace the single-column
  indexes: an action's updates and a person's are nearly always wanted in one state (the
  approval queue and its count in every head's header, returned updates in every owner's);
- audit_event (action_id, at) replaces action_id: the action timeline and the dashboard's
  weekly RAG history read an action's events in time order;
- audit_event (object_type, object_id): "changed since you opened it" names who last changed
  a record, which otherwise walks the whole trail;
- foreign keys that pages join or filter on: progress_update.reviewer_id,
  inspection.plan_owner_id, recommendation.closed_by_id.

On a large PostgreSQL installation, create these by hand with CREATE INDEX CONCURRENTLY
before upgrading, to avoid locking the tables while they build.

Revision ID: d4_indexes
Revises: c3_report_imports
Create Date: 2026-11-24 21:00:00
"""

from alembic import op

revision = "d4_indexes"
down_revision = "c3_report_imports"
branch_labels = None
depends_on = None

# (name, table, columns) added; (name, table, columns) each replaces, if any.
ADDED = [
    ("ix_progress_update_action_id_state", "progress_update", ["action_id", "state"]),
    ("ix_progress_update_author_id_state", "progress_update", ["author_id", "state"]),
    ("ix_progress_update_reviewer_id", "progress_update", ["reviewer_id"]),
    ("ix_audit_event_action_id_at", "audit_event", ["action_id", "at"]),
    ("ix_audit_event_object_type_object_id", "audit_event", ["object_type", "object_id"]),
    ("ix_inspection_plan_owner_id", "inspection", ["plan_owner_id"]),
    ("ix_recommendation_closed_by_id", "recommendation", ["closed_by_id"]),
]
REPLACED = [
    ("ix_progress_update_action_id", "progress_update", ["action_id"]),
    ("ix_progress_update_author_id", "progress_update", ["author_id"]),
    ("ix_audit_event_action_id", "audit_event", ["action_id"]),
]


def upgrade():
    for name, table, columns in ADDED:
        op.create_index(name, table, columns)
    # Dropped after the new ones exist: the leading column keeps its lookups indexed.
    for name, table, _ in REPLACED:
        op.drop_index(name, table_name=table)


def downgrade():
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns)
    for name, table, _ in ADDED:
        op.drop_index(name, table_name=table)
