"""An authority's own settings: what its RAG ratings mean."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workflow.accounts import rules as accounts
from workflow.accounts.forms import RagDefinitionsForm
from workflow.core import permissions
from workflow.web import require, run_rule

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/rag", methods=["GET", "POST"])
def rag():
    require(permissions.can_manage_users(current_user))
    authority = current_user.authority
    form = RagDefinitionsForm(record=authority)
    if form.validate_on_submit() and run_rule(
        form,
        accounts.edit_rag_definitions,
        current_user,
        authority,
        form.posted_version(),
        **_definitions(form),
    ):
        flash("RAG definitions saved. Update forms now show them.", "success")
        return redirect(url_for("settings.rag"))
    return render_template("settings/rag.html", form=form)


def _definitions(form: RagDefinitionsForm) -> dict[str, str]:
    return {name: getattr(form, name).data for name in accounts.RAG_FIELDS}
