"""What every feature's forms share: choices, rule errors on fields, the versioned form.

Forms validate input; they never write.
"""

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice

from workflow.core.errors import RuleError
from workflow.web.conflicts import Conflict, note_conflicts, shown_values


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


def _arrived(field) -> bool:
    """Whether any of the field's inputs were in the post (a blank one counts)."""
    if field.type in ("FieldList", "FormField"):
        return any(_arrived(part) for part in field)
    return bool(field.raw_data)


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
    """A form that edits one record and carries the version it was built from.

    Built with ``record=``: a first visit shows the record (``fill``), while a post is read
    from the post alone, so a field missing from it is empty (and refused when required),
    never quietly the saved value. When someone else saved the record after the form was
    opened, ``show_current`` fills the form from the record as it is now and notes, beside
    each field that differs, what the person wrote: saving again keeps the other person's
    values unless the person puts their own back.
    """

    version = HiddenField()
    # Fields that add to the record rather than overwrite it (a reason, a comment, a link
    # to attach): after a conflict they keep what was typed.
    kept_after_conflict: tuple[str, ...] = ()

    def __init__(self, *args, record: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.conflicts: list[Conflict] = []
        if record is not None and not self.is_submitted():
            self.fill(record)

    def validate(self, extra_validators=None) -> bool:
        """Also refuse an edit whose post lacks a list the page always sends: applied, it
        would empty the list (the rows of a review, an inspection's judgements)."""
        valid = super().validate(extra_validators)
        if self.record is None:
            return valid
        for field in self:
            if field.type == "FieldList" and field.min_entries and not _arrived(field):
                self.form_errors.append(
                    f"The form arrived without its {field.label.text.lower()}, so nothing has "
                    "been saved. Open the page again and make your changes"
                )
                valid = False
        return valid

    def fill(self, record: Any) -> None:
        """Show the record in the fields; a form whose fields are not named after the
        record's attributes says how."""
        self.process(obj=record)

    def posted_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def show_current(self) -> None:
        """Show the record as it is now, with what was posted noted where it differs."""
        if self.record is None:
            return
        posted = shown_values(self)
        kept = {name: self[name].data for name in self.kept_after_conflict}
        for field in self:
            field.raw_data = None  # number boxes show what was typed before their data
        self.process()
        self.fill(self.record)
        for name, data in kept.items():
            self[name].data = data
        self.conflicts = note_conflicts(self, posted)
