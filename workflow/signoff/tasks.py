"""Background jobs of sign-off: the evidence sweep, which checks every stored file.

Every evidence file must be in the store with the SHA-256 it was stored under. The sweep
reads each one back and hashes it; a file missing or altered fails the job, so the reason
(which evidence, not what it says) is listed for administrators.
"""

import sqlalchemy as sa

from workflow.core.errors import MissingFile
from workflow.core.storage import current_store, file_sha256
from workflow.extensions import db
from workflow.jobs import JobRefused, job
from workflow.models import Evidence, EvidenceKind

SWEEP_JOB = "signoff.evidence_sweep"


@job(SWEEP_JOB)
def evidence_sweep(authority_id: int | None = None) -> dict:
    query = sa.select(Evidence.id, Evidence.sha256).where(Evidence.kind == EvidenceKind.FILE)
    if authority_id is not None:
        query = query.where(Evidence.authority_id == authority_id)
    by_digest: dict[str, list[int]] = {}
    for evidence_id, digest in db.session.execute(query.order_by(Evidence.id)):
        by_digest.setdefault(digest, []).append(evidence_id)
    missing, altered = sweep(by_digest)
    if missing or altered:
        raise JobRefused(
            f"{len(missing)} evidence files missing (evidence {_ids(missing)}), "
            f"{len(altered)} altered (evidence {_ids(altered)})"
        )
    return {"files": len(by_digest), "evidence": sum(map(len, by_digest.values()))}


def sweep(by_digest: dict[str, list[int]]) -> tuple[list[int], list[int]]:
    """The evidence ids whose file is missing, and those whose file no longer matches."""
    store, missing, altered = current_store(), [], []
    for digest, evidence_ids in by_digest.items():
        try:
            with store.open(digest) as stream:
                if file_sha256(stream) != digest:
                    altered += evidence_ids
        except MissingFile:
            missing += evidence_ids
    return missing, altered


def _ids(ids: list[int]) -> str:
    shown = ", ".join(map(str, ids[:20]))
    return shown + (f" and {len(ids) - 20} more" if len(ids) > 20 else "") if ids else "none"
