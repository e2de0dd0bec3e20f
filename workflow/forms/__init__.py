"""WTForms forms, one module per feature. Forms validate input; they never write."""

from workflow.errors import RuleError


def show_rule_error(form, error: RuleError) -> None:
    """Attach a rule's refusal to the field it is about, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if field.errors else [error.message]
    else:
        form.form_errors.append(error.message)
