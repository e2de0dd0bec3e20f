"""Recommendations: one recommendation's page with its actions, and its forms."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.core.tenancy import inspection_or_404, recommendation_or_404
from workflow.planning import rules as planning
from workflow.planning.forms import RecommendationForm
from workflow.planning.pages import actions_with_owners, linked_paragraphs, monitoring_notes
from workflow.signoff import closing
from workflow.signoff.forms import ReopenForm
from workflow.web import posted_version, require, run_button, run_rule

bp = Blueprint("recommendations", __name__)


@bp.get("/recommendations/<int:recommendation_id>")
def show(recommendation_id: int):
    recommendation = recommendation_or_404(recommendation_id, current_user)
    return render_template(
        "recommendations/show.html",
        recommendation=recommendation,
        actions=actions_with_owners(recommendation),
        can_edit=permissions.can_manage_inspections(current_user),
        can_add_action=permissions.can_create_action(current_user),
        can_close=permissions.can_close_recommendation(current_user, recommendation),
        can_reopen=permissions.can_reopen_recommendation(current_user, recommendation),
        findings=linked_paragraphs(recommendation),
        monitoring_notes=monitoring_notes(recommendation),
    )


@bp.route("/inspections/<int:inspection_id>/recommendations/new", methods=["GET", "POST"])
def new(inspection_id: int):
    inspection = inspection_or_404(inspection_id, current_user)
    require(permissions.can_manage_inspections(current_user))
    form = RecommendationForm()
    if request.method == "GET":
        form.number.data = len(inspection.recommendations) + 1
    if form.validate_on_submit() and (
        done := run_rule(
            form, planning.create_recommendation, current_user, inspection, **form.values()
        )
    ):
        flash(f"Recommendation {done.result.number} added.", "success")
        return redirect(url_for("recommendations.show", recommendation_id=done.result.id))
    return render_template(
        "recommendations/form.html", form=form, inspection=inspection, recommendation=None
    )


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
def edit(recommendation_id: int):
    recommendation = recommendation_or_404(recommendation_id, current_user)
    require(permissions.can_manage_inspections(current_user))
    form = RecommendationForm(record=recommendation)
    version = form.posted_version()
    if form.validate_on_submit() and run_rule(
        form, planning.edit_recommendation, current_user, recommendation, version, **form.values()
    ):
        flash("Recommendation updated.", "success")
        return redirect(url_for("recommendations.show", recommendation_id=recommendation.id))
    return render_template(
        "recommendations/form.html",
        form=form,
        inspection=recommendation.inspection,
        recommendation=recommendation,
    )


@bp.post("/recommendations/<int:recommendation_id>/close")
def close(recommendation_id: int):
    recommendation = recommendation_or_404(recommendation_id, current_user)
    require(permissions.can_close_recommendation(current_user, recommendation))
    return run_button(
        closing.close_recommendation,
        current_user,
        recommendation,
        posted_version(),
        success=f"Recommendation {recommendation.number} closed.",
        back=url_for("recommendations.show", recommendation_id=recommendation.id),
    )


@bp.route("/recommendations/<int:recommendation_id>/reopen", methods=["GET", "POST"])
def reopen(recommendation_id: int):
    recommendation = recommendation_or_404(recommendation_id, current_user)
    require(permissions.can_reopen_recommendation(current_user, recommendation))
    form = ReopenForm(record=recommendation)
    version, reason = form.posted_version(), form.reason.data
    if form.validate_on_submit() and run_rule(
        form, closing.reopen_recommendation, current_user, recommendation, version, reason
    ):
        flash(f"Recommendation {recommendation.number} reopened.", "success")
        return redirect(url_for("recommendations.show", recommendation_id=recommendation.id))
    return render_template("recommendations/reopen.html", form=form, recommendation=recommendation)
