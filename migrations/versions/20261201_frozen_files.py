"""Issued plan versions keep their frozen files in the file store, not in the database.

Each DOCX, PDF, XLSX, CSV and HTML of an issued version moves into the store the app is
configured with (the folder or the bucket evidence uses), under its SHA-256, which the row
already holds; the columns that held the bytes go. A file whose bytes do not match the
SHA-256 recorded for it stops the upgrade: nothing is dropped, and the version is named.

Downgrading brings each file back into its column from the store, once every one of them
has been found there and checked against its SHA-256; a file missing or changed stops the
downgrade before the schema changes.

Revision ID: frozen_files
Revises: signoff
Create Date: 2026-12-01 18:00:00
"""

import hashlib

import sqlalchemy as sa
from alembic import op

from workflow.core.errors import MissingFile
from workflow.core.storage import current_store, file_sha256, read_checked, store_bytes

revision = "frozen_files"
down_revision = "signoff"
branch_labels = None
depends_on = None

# As they were when this migration was written: the app's own list may grow later.
TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "html": "text/html",
}
FORMATS = tuple(TYPES)


def upgrade():
    connection = op.get_bind()
    versions = sa.table(
        "plan_version",
        sa.column("id", sa.Integer),
        *(sa.column(fmt, sa.LargeBinary) for fmt in FORMATS),
        *(sa.column(f"{fmt}_sha256", sa.String) for fmt in FORMATS),
    )
    problems = []
    for version_id in _ids_with_files(connection, versions, FORMATS):
        # One version at a time: a large plan's files are megabytes each.
        row = connection.execute(sa.select(versions).where(versions.c.id == version_id)).one()
        for fmt in FORMATS:
            data, recorded = row._mapping[fmt], row._mapping[f"{fmt}_sha256"]
            if data is None:
                continue
            data = bytes(data)
            if recorded and hashlib.sha256(data).hexdigest() != recorded:
                problems.append(f"plan version {version_id}'s {fmt.upper()}")
                continue
            digest = store_bytes(data, current_store(), TYPES[fmt])
            if not recorded:
                connection.execute(
                    versions.update()
                    .where(versions.c.id == version_id)
                    .values({f"{fmt}_sha256": digest})
                )
    if problems:
        raise RuntimeError(
            "These frozen files no longer match the SHA-256 recorded when they were issued: "
            f"{', '.join(problems)}. Nothing was dropped: restore those plan versions from a "
            "backup, then upgrade again."
        )
    with op.batch_alter_table("plan_version") as batch_op:
        for fmt in FORMATS:
            batch_op.drop_column(fmt)


def downgrade():
    connection = op.get_bind()
    versions = sa.table(
        "plan_version",
        sa.column("id", sa.Integer),
        *(sa.column(f"{fmt}_sha256", sa.String) for fmt in FORMATS),
    )
    named = [
        (row.id, fmt, row._mapping[f"{fmt}_sha256"])
        for row in connection.execute(sa.select(versions).order_by(versions.c.id))
        for fmt in FORMATS
        if row._mapping[f"{fmt}_sha256"]
    ]
    _check_all_in_store(named)
    with op.batch_alter_table("plan_version") as batch_op:
        for fmt in FORMATS:
            batch_op.add_column(sa.Column(fmt, sa.LargeBinary(), nullable=True))
    with_files = sa.table(
        "plan_version", sa.column("id"), *(sa.column(f, sa.LargeBinary) for f in FORMATS)
    )
    for version_id, fmt, digest in named:
        data = read_checked(current_store(), digest)
        connection.execute(
            with_files.update().where(with_files.c.id == version_id).values({fmt: data})
        )


def _ids_with_files(connection, versions, formats) -> list[int]:
    has_a_file = sa.or_(*(versions.c[fmt].is_not(None) for fmt in formats))
    query = sa.select(versions.c.id).where(has_a_file).order_by(versions.c.id)
    return list(connection.scalars(query))


def _check_all_in_store(named: list[tuple[int, str, str]]) -> None:
    """Every file found in the store with its SHA-256, before the schema changes at all."""
    if not named:
        return
    store, problems = current_store(), []
    for version_id, fmt, digest in named:
        try:
            with store.open(digest) as stream:
                if file_sha256(stream) != digest:
                    problems.append(f"plan version {version_id}'s {fmt.upper()} (changed)")
        except MissingFile:
            problems.append(f"plan version {version_id}'s {fmt.upper()} (missing)")
    if problems:
        raise RuntimeError(
            f"These frozen files cannot be brought back from the {store!r}: "
            f"{', '.join(problems)}. Nothing was changed: restore the store from a backup, "
            "then downgrade again."
        )
