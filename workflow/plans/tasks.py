"""Background jobs of the plans: rendering an issued version's files, the personal-data check."""

from datetime import date

from workflow.core.storage import current_store
from workflow.extensions import db
from workflow.jobs import JobRefused, job
from workflow.models import Inspection, PlanVersion
from workflow.plans import versions
from workflow.plans.builder import build_plan
from workflow.plans.privacy import outstanding_hits


@job(versions.FREEZE_JOB)
def freeze_version(version_id: int) -> dict:
    version = db.session.get(PlanVersion, version_id)
    if version is None:
        raise JobRefused(f"There is no plan version {version_id}")
    rendered = versions.freeze_files(version, current_store())
    return {
        "rendered": rendered,
        "docx_sha256": version.docx_sha256,
        "pdf_sha256": version.pdf_sha256,
    }


@job("plans.privacy_check")
def privacy_check(inspection_id: int, on: str | None = None) -> dict:
    """The personal-data check of a whole plan, for plans too large to scan during a request.

    The result names where each open hit is and what kind it is, never the matched text:
    job results are shown to administrators and the text may be a child's name.
    """
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise JobRefused(f"There is no inspection {inspection_id}")
    today = date.fromisoformat(on) if on else date.today()
    hits = outstanding_hits(build_plan(inspection, today), inspection)
    return {
        "open_hits": len(hits),
        "hits": [{"kind": hit.kind, "location": hit.location} for hit in hits],
    }
