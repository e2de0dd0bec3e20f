"""The storage sweep: removing what interrupted work leaves in the file store.

An upload cut off (a worker killed mid-request, a server restarted) can leave its staging
file (``.upload-…``) behind, and a request that stored its file but failed before its row
was committed leaves a file that no row names. Neither is ever read again. The sweep
removes staging files older than an hour (no upload takes that long) and stored files no
row names older than a day (an upload in progress stores its file a moment before its row
commits), from either backend, and says what it removed: counts and bytes, and an audit
event. Run by ``flask --app workflow storage sweep`` and by the daily job.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.storage import STAGING_PREFIXES, Store, storage_errors
from workflow.extensions import db
from workflow.models import Authority

STAGING_AGE = timedelta(hours=1)
UNREFERENCED_AGE = timedelta(days=1)


@dataclass
class Removed:
    files: int = 0
    bytes: int = 0
    names: list[str] = field(default_factory=list)

    def add(self, name: str, size: int) -> None:
        self.files, self.bytes = self.files + 1, self.bytes + size
        self.names.append(name)

    def __str__(self) -> str:
        return f"{self.files} file{'s' * (self.files != 1)} ({self.bytes:,} bytes)"


@dataclass
class SweepReport:
    dry_run: bool
    staging: Removed = field(default_factory=Removed)
    unreferenced: Removed = field(default_factory=Removed)

    @property
    def removed_any(self) -> bool:
        return bool(self.staging.files or self.unreferenced.files)

    @property
    def summary(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        return (
            f"{verb} {self.staging} left by interrupted uploads and "
            f"{self.unreferenced} that no record names."
        )

    def counts(self) -> dict[str, int]:
        return {
            "staging_files": self.staging.files,
            "staging_bytes": self.staging.bytes,
            "unreferenced_files": self.unreferenced.files,
            "unreferenced_bytes": self.unreferenced.bytes,
        }


def sweep_store(store: Store, now: datetime, dry_run: bool = False) -> SweepReport:
    """Remove (or, in a dry run, list) the store's leftovers as of ``now`` (UTC); flushes the
    audit events, never commits."""
    report = SweepReport(dry_run)
    _sweep_staging(store, now - STAGING_AGE, report)
    cutoff = now - UNREFERENCED_AGE
    # Listed before the references are read: a row committed in between still counts.
    old = [kept for kept in store.listing() if kept.written < cutoff]
    named = referenced_digests()
    for kept in old:
        if kept.sha256 not in named and (dry_run or store.remove(kept.sha256, cutoff)):
            report.unreferenced.add(kept.sha256, kept.size)
    if report.removed_any and not dry_run:
        _record(report)
    return report


def digest_columns() -> list[sa.Column]:
    """Every column that names a file by its SHA-256: evidence, report imports, the frozen
    files of plan versions, and any added later under the same name."""
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        if column.name == "sha256" or column.name.endswith("_sha256")
    ]


def referenced_digests() -> set[str]:
    """The SHA-256s any row names: the files the sweep must keep."""
    named: set[str] = set()
    for column in digest_columns():
        named.update(db.session.scalars(sa.select(column).where(column.is_not(None)).distinct()))
    return named


def _sweep_staging(store: Store, written_before: datetime, report: SweepReport) -> None:
    with storage_errors():
        for path in sorted(store.staging_folder().iterdir()):
            if not path.name.startswith(STAGING_PREFIXES) or not path.is_file():
                continue
            try:
                facts = path.stat()
            except FileNotFoundError:  # its upload finished meanwhile
                continue
            if facts.st_mtime >= written_before.timestamp():
                continue
            if not report.dry_run:
                path.unlink(missing_ok=True)
            report.staging.add(path.name, facts.st_size)


def _record(report: SweepReport) -> None:
    # The store serves every authority on the installation: each trail says what went.
    for authority in db.session.scalars(sa.select(Authority).order_by(Authority.id)):
        record_event(None, authority.id, authority, "store_swept", report.summary, report.counts())
