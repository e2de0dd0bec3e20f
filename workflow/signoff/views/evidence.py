"""Evidence downloads, only for people who may see the action, always as an attachment.

The file streams from the store (a folder or object storage) with the type recorded when
it was checked on upload and the name it was uploaded under, never the store's own.
"""

from flask import Blueprint, abort, send_file
from flask_login import current_user

from workflow.core.errors import MissingFile, StorageUnavailable
from workflow.core.storage import current_store
from workflow.core.tenancy import evidence_or_404
from workflow.models import EvidenceKind

bp = Blueprint("evidence", __name__)


@bp.get("/evidence/<int:evidence_id>/download")
def download(evidence_id: int):
    item = evidence_or_404(evidence_id, current_user)
    if item.kind is not EvidenceKind.FILE:
        abort(404)
    try:
        stream = current_store().open(item.sha256)
    except MissingFile:
        abort(404)
    except StorageUnavailable:
        abort(503)
    response = send_file(
        stream,
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.original_name,
        etag=item.sha256,
        max_age=0,
    )
    if item.size:
        response.content_length = item.size
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
