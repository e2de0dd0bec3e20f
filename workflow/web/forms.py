"""What every feature's forms share: choices, rule errors on fields, the versioned form.

Forms validate input; they never write.
"""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice

from workflow.core.errors import RuleError


def options(pairs) -> list[SelectChoice]:
    """Choices for a select or radios from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def show_rule_error(form, error: RuleError) -> None:
    """Attach a rule's refusal to the field it is about, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if field.errors else [error.message]
    else:
        form.form_errors.append(error.message)


def optional_int(value):
    """Coerce a select's value to int, keeping an empty choice as None."""
    if value in (None, "", "None"):
        return None
    return int(value)


class VersionedForm(FlaskForm):
    """Carries the version of the record the form was built from (optimistic locking)."""

    version = HiddenField()

    def posted_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None
