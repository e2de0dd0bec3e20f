"""What every feature's forms share: choices, rule errors on fields, the versioned form.

Forms validate input; they never write.
"""

from collections.abc import Iterable

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


class CheckedForm(FlaskForm):
    """A form that checks fields against each other in the same pass as each field alone, so
    every problem shows at once: a missing reason is reported beside a mistyped date, not
    after it is fixed.

    ``cross_checks`` yields (field name, message) pairs; it runs whatever the fields' own
    results, and should read only fields without errors of their own (``usable``).
    """

    def cross_checks(self) -> Iterable[tuple[str, str]]:
        return ()

    def usable(self, *names: str) -> bool:
        """Each named field was filled in and passed its own checks."""
        fields = [getattr(self, name) for name in names]
        return all(not field.errors and field.data not in (None, "") for field in fields)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problems = list(self.cross_checks())
        for name, message in problems:
            field = getattr(self, name)
            field.errors = [*field.errors, message]
        return valid and not problems


class VersionedForm(CheckedForm):
    """Carries the version of the record the form was built from (optimistic locking)."""

    version = HiddenField()

    def posted_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None
