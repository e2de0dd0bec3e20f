"""A head of service's cover: naming the deputy who decides their area's updates while they
are away, and ending it."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workflow.core import permissions
from workflow.signoff import cover as covers
from workflow.signoff.forms import CoverForm
from workflow.web import require, run_button, run_rule

bp = Blueprint("cover", __name__, url_prefix="/account/cover")


@bp.route("", methods=["GET", "POST"])
def edit():
    require(permissions.can_name_deputy(current_user))
    head = current_user._get_current_object()
    cover = covers.cover_of(head)
    form = CoverForm(obj=cover, deputies=covers.possible_deputies(head))
    if form.validate_on_submit():
        values = (form.deputy_id.data, form.starts_on.data, form.ends_on.data, date.today())
        if done := run_rule(form, covers.set_cover, head, *values):
            flash(f"{done.result.deputy.name} will decide your area's updates.", "success")
            return redirect(url_for("cover.edit"))
    return render_template("cover/edit.html", form=form, cover=cover, today=date.today())


@bp.post("/clear")
def clear():
    require(permissions.can_name_deputy(current_user))
    return run_button(
        covers.clear_cover,
        current_user._get_current_object(),
        success="Your cover has ended. Your area's updates come to you again.",
        back=url_for("cover.edit"),
    )
