"""Evidence on a progress update: files and links, added while the update is a draft or
returned, and never deleted (a newer item of the same title supersedes an older one)."""

from dataclasses import dataclass
from typing import BinaryIO

import sqlalchemy as sa

from workflow.core.audit import record_event
from workflow.core.errors import RuleError
from workflow.core.locking import flush
from workflow.core.storage import Store, StoredFile, store_upload
from workflow.extensions import db
from workflow.models import Evidence, EvidenceKind, ProgressUpdate, UpdateState, User


def add_file_evidence(
    author: User, update: ProgressUpdate, stored: StoredFile, title: str
) -> Evidence:
    evidence = Evidence(
        kind=EvidenceKind.FILE,
        title=title or stored.name,
        sha256=stored.sha256,
        original_name=stored.name,
        content_type=stored.content_type,
        size=stored.size,
    )
    return _add_evidence(author, update, evidence)


def add_link_evidence(author: User, update: ProgressUpdate, url: str, title: str) -> Evidence:
    if not url.startswith("https://") or len(url) > 2000 or any(c.isspace() for c in url):
        raise RuleError("Enter a link that starts with https://", "link_url")
    return _add_evidence(author, update, Evidence(kind=EvidenceKind.LINK, title=title, url=url))


def _add_evidence(author: User, update: ProgressUpdate, evidence: Evidence) -> Evidence:
    """Attach evidence; an older item with the same title is superseded, never deleted."""
    if update.state not in (UpdateState.DRAFT, UpdateState.RETURNED):
        raise RuleError("Evidence can be added only to a draft or returned update", "file")
    evidence.action_id, evidence.update, evidence.added_by = update.action_id, update, author
    db.session.add(evidence)
    flush()
    older = sa.select(Evidence).where(
        Evidence.action_id == update.action_id,
        Evidence.title == evidence.title,
        Evidence.id != evidence.id,
        Evidence.superseded_by_id.is_(None),
    )
    for item in db.session.scalars(older):
        item.superseded_by_id = evidence.id
    changes = {"evidence": evidence.title, "kind": evidence.kind}
    summary = f"Evidence added: {evidence.title}"
    authority_id = author.authority_id
    record_event(
        author, authority_id, update, "evidence_added", summary, changes, action_id=update.action_id
    )
    return evidence


@dataclass(frozen=True)
class Attachments:
    """Evidence posted with an update form: a file to check and store, and/or a link."""

    stream: BinaryIO | None = None
    filename: str = ""
    file_title: str = ""
    link_url: str = ""
    link_title: str = ""
    store: "Store | str" = ""  # the evidence store, or a folder's path
    max_bytes: int = 0


def attach(author: User, update: ProgressUpdate, attachments: Attachments) -> None:
    """Check, store and add what the form posted."""
    if attachments.stream is not None and attachments.filename:
        stored = store_upload(
            attachments.stream, attachments.filename, attachments.store, attachments.max_bytes
        )
        add_file_evidence(author, update, stored, attachments.file_title)
    if attachments.link_url:
        add_link_evidence(author, update, attachments.link_url, attachments.link_title)
