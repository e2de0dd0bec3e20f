"""An authority's own settings: the part of its RAG rules it sets."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workflow.accounts import rules as accounts
from workflow.accounts.forms import RagRulesForm
from workflow.core import permissions
from workflow.core.rag import EXCEPTION_RULE, definitions
from workflow.web import require, run_rule

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/rag", methods=["GET", "POST"])
def rag():
    require(permissions.can_manage_users(current_user))
    authority = current_user.authority
    form = RagRulesForm(record=authority)
    if form.validate_on_submit() and run_rule(
        form,
        accounts.set_at_risk_window,
        current_user,
        authority,
        form.posted_version(),
        int(form.at_risk_days.data),
    ):
        flash("RAG rules saved. Every rating, page and new plan follows them now.", "success")
        return redirect(url_for("settings.rag"))
    return render_template(
        "settings/rag.html",
        form=form,
        rules=definitions(authority),
        exception_rule=EXCEPTION_RULE,
    )
