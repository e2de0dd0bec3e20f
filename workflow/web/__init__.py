"""What every view shares: asking permissions, reading the page number and posted version,
and running the request's one change (`run_rule`, `run_button`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, request

from workflow.core.errors import RuleError, StaleError
from workflow.core.locking import run_locked
from workflow.extensions import db
from workflow.web.forms import VersionedForm, show_rule_error


def require(allowed: bool) -> None:
    """Answer 403 unless the permissions module said yes."""
    if not allowed:
        abort(403)


def page_number() -> int:
    page = request.args.get("page", 1, type=int)
    return page if 0 < page < 100_000 else 1


def posted_version() -> int | None:
    """The record version a one-button form was built from, for optimistic locking."""
    value = request.form.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class Outcome:
    """What became of the request's change: done (committed) with the rule's result, or refused."""

    done: bool
    result: Any = None
    error: RuleError | None = None

    def __bool__(self) -> bool:
        return self.done


def run_rule(form, rule: Callable, *args, keep_refused: bool = False, **kwargs) -> Outcome:
    """Call the request's one rule and commit; on a refusal roll back and show it on the form.

    The form keeps what the person typed, except after a stale-form refusal: a versioned
    form then shows the record as it is now, with what the person wrote beside each field
    that differs, so saving again never undoes the other person's change unseen. Without a
    form the refusal is flashed. `keep_refused` commits what a refused rule recorded (a
    failed sign-in counts towards throttling).
    """
    try:
        result = run_locked(rule, *args, **kwargs)
    except RuleError as error:
        db.session.commit() if keep_refused else db.session.rollback()
        if form is None:
            flash(error.message, "error")
        else:
            show_rule_error(form, error)
            if isinstance(error, StaleError) and isinstance(form, VersionedForm):
                form.show_current()
        return Outcome(False, error=error)
    db.session.commit()
    return Outcome(True, result)


def run_button(rule: Callable, *args, success: str, back: str, **kwargs):
    """A one-button form: call the rule, commit or roll back, flash what happened, go back."""
    if run_rule(None, rule, *args, **kwargs):
        flash(success, "success")
    return redirect(back)
