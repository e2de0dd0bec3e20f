"""Progress updates: writing, submitting, reviewing; "My actions" and "Awaiting approval"."""

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.core.errors import StorageError
from workflow.core.measures import measures_of
from workflow.core.rag import definitions, delivery_rag
from workflow.core.storage import current_store
from workflow.core.tenancy import action_or_404, update_or_404
from workflow.extensions import db
from workflow.models import Action, ProgressUpdate, UpdateState
from workflow.plans.privacy import describe_hits, update_hits
from workflow.signoff import rules as signoff
from workflow.signoff.changes import action_changed_since, field_changes
from workflow.signoff.evidence import Attachments
from workflow.signoff.forms import ApproveForm, ReturnForm, UpdateForm
from workflow.signoff.pages import update_page
from workflow.signoff.queues import (
    awaiting_approval,
    my_actions,
    remember_waiting_count,
    returned_updates,
    waited_too_long,
    waiting_update,
)
from workflow.web import Outcome, page_number, posted_version, require, run_button, run_rule

bp = Blueprint("updates", __name__)


@bp.route("/actions/<int:action_id>/updates/new", methods=["GET", "POST"])
def new(action_id: int):
    action = action_or_404(action_id, current_user)
    require(permissions.can_write_update(current_user, action))
    form = UpdateForm(action=action, today=date.today(), measures=measures_of(action))
    if request.method == "GET":
        form.status.data, form.rag.data = action.status.value, _reportable(action)
    outcome = None
    if form.validate_on_submit():
        today = date.today()
        outcome = run_rule(
            form,
            signoff.write_update,
            current_user,
            action,
            form.proposal(today),
            form.token.data,
            today,
            _attachments(form),
            submit=request.form.get("intent") == "submit",
            privacy_confirmed=form.privacy_confirmed.data,
        )
        if isinstance(outcome.error, signoff.DuplicateSubmission):
            return redirect(url_for("updates.show", update_id=outcome.error.update_id))
        if outcome:
            return _saved(outcome.result)
    return _form_page(form, action, None, outcome)


@bp.route("/updates/<int:update_id>/edit", methods=["GET", "POST"])
def edit(update_id: int):
    update = update_or_404(update_id, current_user)
    require(permissions.can_edit_update(current_user, update))
    form = UpdateForm(
        record=update, action=update.action, today=date.today(), measures=measures_of(update.action)
    )
    outcome = None
    if form.validate_on_submit():
        today = date.today()
        if outcome := run_rule(
            form,
            signoff.rewrite_update,
            current_user,
            update,
            form.posted_version(),
            form.proposal(today),
            today,
            _attachments(form),
            submit=request.form.get("intent") == "submit",
            privacy_confirmed=form.privacy_confirmed.data,
        ):
            return _saved(update)
    return _form_page(form, update.action, update, outcome)


def _attachments(form: UpdateForm) -> Attachments:
    upload = form.file.data
    has_file = bool(upload and upload.filename)
    return Attachments(
        stream=upload.stream if has_file else None,
        filename=upload.filename if has_file else "",
        file_title=form.file_title.data or "",
        link_url=form.link_url.data or "",
        link_title=form.link_title.data or "",
        store=current_store(),
        max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
    )


def _saved(update: ProgressUpdate):
    submitted = update.state is UpdateState.SUBMITTED
    flash("Update submitted for approval." if submitted else "Draft saved.", "success")
    return redirect(url_for("updates.show", update_id=update.id))


def _form_page(
    form: UpdateForm, action: Action, update: ProgressUpdate | None, outcome: Outcome | None
):
    today = date.today()
    waiting = waiting_update(action)
    stale = update is not None and action_changed_since(update)
    page = render_template(
        "updates/form.html",
        form=form,
        action=action,
        update=update,
        definitions={rag.value: text for rag, text in definitions(action.authority)},
        by_the_rules=signoff.rules_rag_for_form(action, form, today),
        other_waiting=waiting if waiting is not None and waiting != update else None,
        may_open=lambda other: permissions.may_open_update(current_user, other),
        changed_since=[c for c in field_changes(update) if c.changed_since] if stale else [],
    )
    # A store that is full or unavailable is the service's fault: the status says so too.
    refusal = outcome.error if outcome is not None else None
    return page, refusal.http_status if isinstance(refusal, StorageError) else 200


def _reportable(action: Action) -> str:
    rag = delivery_rag(action, date.today())
    return rag.value if rag.value != "blue" else "green"


@bp.get("/updates/<int:update_id>")
def show(update_id: int):
    return _show_page(update_or_404(update_id, current_user))


def _show_page(update: ProgressUpdate, approve_form=None, return_form=None):
    """The update, and the reviewer's forms (as posted, when a decision was refused)."""
    today = date.today()
    can_review = permissions.can_review_update(current_user, update, today)
    by_the_rules = signoff.approval_rag(update, today) if can_review else None
    return render_template(
        "updates/show.html",
        update=update,
        action=update.action,
        page=update_page(update, current_user, can_review, today),
        approve_form=approve_form or ApproveForm(version=update.version),
        return_form=return_form or ReturnForm(version=update.version),
        by_the_rules=by_the_rules,
        rule_definitions=dict(definitions(update.action.authority)),
        privacy_hits=_privacy_hits(update),
        can_redact=permissions.can_redact_update(current_user, update),
        can_review=can_review,
        can_edit=permissions.can_edit_update(current_user, update),
        can_withdraw=permissions.can_withdraw_update(current_user, update),
    )


@bp.post("/updates/<int:update_id>/submit")
def submit(update_id: int):
    update = update_or_404(update_id, current_user)
    require(permissions.owns_update(current_user, update))
    confirmed = request.form.get("privacy_confirmed") == "y"
    return _transition(signoff.submit_update, update, "Update submitted for approval.", confirmed)


@bp.post("/updates/<int:update_id>/withdraw")
def withdraw(update_id: int):
    update = update_or_404(update_id, current_user)
    require(permissions.may_withdraw(current_user, update))
    return _transition(signoff.withdraw_update, update, "Update withdrawn. It is a draft again.")


@bp.post("/updates/<int:update_id>/approve")
def approve(update_id: int):
    update = update_or_404(update_id, current_user)
    require(permissions.may_review(current_user, update))
    form = ApproveForm()
    args = (form.privacy_confirmed.data, form.comment.data or "")
    exception = form.rag_exception.data
    if form.validate_on_submit() and _decide(
        form, signoff.approve_update, update, *args, exception=exception, today=date.today()
    ):
        flash("Update approved and applied to the action.", "success")
        return redirect(url_for("updates.show", update_id=update.id))
    return _show_page(update, approve_form=form)


@bp.post("/updates/<int:update_id>/return", endpoint="return")
def send_back(update_id: int):
    update = update_or_404(update_id, current_user)
    require(permissions.may_review(current_user, update))
    form = ReturnForm()
    if form.validate_on_submit() and _decide(
        form, signoff.return_update, update, form.comment.data
    ):
        flash("Update returned to its author.", "success")
        return redirect(url_for("updates.show", update_id=update.id))
    return _show_page(update, return_form=form)


def _decide(form, rule, update: ProgressUpdate, *args, **kwargs):
    """A reviewer's decision from its form; a refusal keeps what the reviewer typed."""
    return run_rule(form, rule, current_user, update, form.posted_version(), *args, **kwargs)


def _privacy_hits(update: ProgressUpdate) -> str:
    """What the personal-data check would warn about, while a submit or approval is ahead."""
    if update.state not in (UpdateState.DRAFT, UpdateState.RETURNED, UpdateState.SUBMITTED):
        return ""
    return describe_hits(update_hits(update))


def _transition(rule, update: ProgressUpdate, success: str, *args):
    """Run one state change from a posted version; a stale or replayed post changes nothing."""
    back = url_for("updates.show", update_id=update.id)
    return run_button(
        rule, current_user, update, posted_version(), *args, success=success, back=back
    )


def _covering(today: date) -> dict:
    """{service area: the absent head the user covers for there}, beyond their own area."""
    heads = permissions.covered_heads(current_user, today)
    return {
        h.service_area_id: h for h in heads if h.service_area_id != current_user.service_area_id
    }


@bp.get("/my-actions")
def mine():
    require(permissions.can_see_own_actions(current_user))
    page = db.paginate(my_actions(current_user), page=page_number(), per_page=25, error_out=False)
    return render_template("updates/mine.html", page=page, returned=returned_updates(current_user))


@bp.get("/awaiting-approval")
def awaiting():
    require(permissions.can_review_updates(current_user))
    today = date.today()
    query = awaiting_approval(current_user, today)
    page = db.paginate(query, page=page_number(), per_page=25, error_out=False)
    remember_waiting_count(current_user, page.total)
    return render_template(
        "updates/awaiting.html",
        page=page,
        covering=_covering(today),
        late=lambda update: waited_too_long(update.submitted_at, today),
    )
