"""Evidence downloads, only for people who may see the action, always as an attachment."""

from flask import Blueprint, abort, current_app, send_file
from flask_login import current_user

from workflow.core.storage import path_for
from workflow.core.tenancy import evidence_or_404
from workflow.models import EvidenceKind

bp = Blueprint("evidence", __name__)


@bp.get("/evidence/<int:evidence_id>/download")
def download(evidence_id: int):
    item = evidence_or_404(evidence_id, current_user)
    if item.kind is not EvidenceKind.FILE:
        abort(404)
    path = path_for(current_app.config["UPLOAD_FOLDER"], item.sha256)
    if not path.exists():
        abort(404)
    response = send_file(
        path, mimetype=item.content_type, as_attachment=True, download_name=item.original_name
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
