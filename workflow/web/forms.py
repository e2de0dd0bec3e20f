"""WTForms forms, one module per feature. Forms validate input; they never write."""

from wtforms import SelectChoice

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
