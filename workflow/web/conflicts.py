"""After an edit conflict: what the person posted, beside what is saved now.

`shown_values` reads a form's fields as the person sees them (the chosen option's label, a
date written out, "Ticked"), so a post and the saved record compare in the same words.
`note_conflicts` hangs a `Conflict` on each field whose words differ, for the field macros'
"You wrote / Now saved" note (templates/components/_parts.html), and lists them for the
error summary.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from wtforms import Field

# What a person never reads back as the record's value: tokens, secrets, files.
UNSHOWN = {"CSRFTokenField", "FileField", "HiddenField", "MultipleFileField", "PasswordField"}
TEXT_FIELDS = {"EmailField", "StringField", "TextAreaField", "URLField"}


@dataclass(frozen=True)
class Conflict:
    """One field where the person's post differs from the record as saved now."""

    label: str
    yours: str
    saved: str
    target: str | None  # the element the error summary links to; None once off the form


@dataclass(frozen=True)
class Shown:
    field: Field
    label: str
    text: str


def shown_values(fields: Iterable[Field], row: str = "") -> dict[str, Shown]:
    """Every field the person sees, by its posted name, with its value in words."""
    shown = {}
    for field in fields:
        if field.type == "FieldList":
            for number, entry in enumerate(field.entries, start=1):
                shown.update(shown_values([entry], f", row {number}"))
        elif field.type == "FormField":
            shown.update(shown_values(field, row))
        elif field.type not in UNSHOWN:
            shown[field.name] = Shown(field, f"{field.label.text}{row}", in_words(field))
    return shown


def in_words(field: Field) -> str:
    data = field.data
    if field.type == "BooleanField":
        return "Ticked" if data else "Not ticked"
    if field.type in ("RadioField", "SelectField", "SelectMultipleField"):
        return ", ".join(str(choice.label) for choice in field.iter_choices() if choice.selected)
    if field.type == "GovDateField":
        return f"{data.day} {data:%B %Y}" if data else ""
    if isinstance(data, Decimal):
        return f"{data.normalize():f}"
    return "" if data is None else str(data)


def note_conflicts(form, posted: dict[str, Shown]) -> list[Conflict]:
    """Compare what was posted with what the form shows now, and note each difference on
    the field that shows it. A posted row the record no longer has is noted for its text."""
    now = shown_values(form)
    conflicts = []
    for name, yours in posted.items():
        saved = now.get(name)
        if saved is None:
            if yours.field.type in TEXT_FIELDS and yours.text:
                conflicts.append(Conflict(yours.label, yours.text, "", None))
            continue
        if yours.text != saved.text:
            conflict = Conflict(yours.label, yours.text, saved.text, _target(saved.field))
            saved.field.conflict = conflict
            conflicts.append(conflict)
    return conflicts


def _target(field: Field) -> str:
    """What the error summary links to: a date's day box, otherwise the field itself."""
    return f"{field.id}-day" if field.type == "GovDateField" else field.id
