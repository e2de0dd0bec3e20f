"""Background jobs of sign-off: the evidence sweep, which checks every stored file.

Every evidence file, and every file of an issued plan version, must be in the store with the
SHA-256 it was stored under. The sweep reads each one back and hashes it; a file missing or
altered fails the job, so the reason (which evidence or version, not what it says) is listed
for administrators.
"""

import sqlalchemy as sa

from workflow.core.errors import MissingFile
from workflow.core.storage import current_store, file_sha256
from workflow.extensions import db
from workflow.jobs import JobRefused, job
from workflow.models import Evidence, EvidenceKind, Inspection, PlanVersion

SWEEP_JOB = "signoff.evidence_sweep"


@job(SWEEP_JOB)
def evidence_sweep(authority_id: int | None = None) -> dict:
    evidence = sa.select(Evidence.id, Evidence.sha256).where(Evidence.kind == EvidenceKind.FILE)
    versions = sa.select(PlanVersion)
    if authority_id is not None:
        evidence = evidence.where(Evidence.authority_id == authority_id)
        versions = versions.join(PlanVersion.inspection).where(
            Inspection.authority_id == authority_id
        )
    by_digest: dict[str, list[str]] = {}
    for evidence_id, digest in db.session.execute(evidence.order_by(Evidence.id)):
        by_digest.setdefault(digest, []).append(f"evidence {evidence_id}")
    for version in db.session.scalars(versions.order_by(PlanVersion.id)):
        for fmt, digest in version.frozen_files().items():
            by_digest.setdefault(digest, []).append(f"plan version {version.id} {fmt.upper()}")
    missing, altered = sweep(by_digest)
    if missing or altered:
        raise JobRefused(
            f"Files missing: {len(missing)} ({_listed(missing)}); "
            f"altered: {len(altered)} ({_listed(altered)})"
        )
    return {"files": len(by_digest), "records": sum(map(len, by_digest.values()))}


def sweep(by_digest: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """The records whose file is missing, and those whose file no longer matches."""
    store, missing, altered = current_store(), [], []
    for digest, records in by_digest.items():
        try:
            with store.open(digest) as stream:
                if file_sha256(stream) != digest:
                    altered += records
        except MissingFile:
            missing += records
    return missing, altered


def _listed(records: list[str]) -> str:
    shown = ", ".join(records[:20])
    more = f" and {len(records) - 20} more" if len(records) > 20 else ""
    return shown + more if records else "none"
