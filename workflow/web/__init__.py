"""Blueprints, one per feature. Views parse, load scoped, ask permission, call a rule, commit."""

from flask import abort, request


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


def refuse(form, error, record=None) -> None:
    """Undo the request's changes and show the rule's message on the form, keeping the input.

    A refreshed version lets the user resubmit what they typed after a stale-form refusal.
    """
    from workflow.extensions import db
    from workflow.web.forms import show_rule_error

    db.session.rollback()
    show_rule_error(form, error)
    if record is not None:
        form.version.data = record.version
