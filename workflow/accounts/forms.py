"""Forms for signing in, passwords, users, an authority's settings and a person's profile."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from workflow.api.tokens import API_TOKEN_LIFETIMES
from workflow.core.names import first_words
from workflow.models import Role
from workflow.models.authority import MAX_AT_RISK_DAYS
from workflow.web.fields import GovDecimalField, strip_filter
from workflow.web.forms import VersionedForm, optional_int, options


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip_filter],
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password"), Length(max=256)]
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password")]
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired("Enter a new password"), Length(max=256)]
    )


class RagRulesForm(VersionedForm):
    at_risk_days = GovDecimalField(
        "How many days before its due date a not-started action turns amber",
        validators=[
            InputRequired("Enter the number of days"),
            NumberRange(
                0, MAX_AT_RISK_DAYS, f"Enter a number of days from 0 to {MAX_AT_RISK_DAYS}"
            ),
        ],
        called="the number of days",
        example="30",
    )

    def fill(self, record) -> None:
        super().fill(record)
        self.at_risk_days.data = record.rag_at_risk_days

    def validate_at_risk_days(self, field):
        if field.data is not None and field.data != field.data.to_integral_value():
            raise ValidationError("Enter the number of days as a whole number, like 30")


class ReminderForm(FlaskForm):
    digests = RadioField(
        "Do you want reminder emails?",
        choices=options(
            [("send", "Yes, email me reminders"), ("stop", "No, do not email me reminders")]
        ),
        validators=[InputRequired("Select whether you want reminder emails")],
    )


class ApiTokenForm(FlaskForm):
    name = StringField(
        "Name of the token",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter a name for the token"),
            Length(max=100, message="Name must be 100 characters or fewer"),
        ],
    )
    lifetime = RadioField(
        "How long should the token last?",
        choices=options((str(days), label) for days, label in API_TOKEN_LIFETIMES.items()),
        validators=[InputRequired("Select how long the token should last")],
    )


class ActionChoiceField(SelectMultipleField):
    """Checkboxes of actions, by id. Anything posted that is not one of them (a word, an
    action of another authority, a closed one) is refused with one plain message."""

    NOT_OFFERED = "Select actions from the list"

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            raise ValueError(self.NOT_OFFERED) from None

    def pre_validate(self, form):
        offered = {choice.value for choice in self.choices}
        if any(value not in offered for value in self.data or ()):
            raise ValidationError(self.NOT_OFFERED)


def action_choices(actions) -> list:
    return options(
        (a.id, f"Action {a.reference}: {first_words(a.description, 100)}") for a in actions
    )


class UserForm(VersionedForm):
    name = StringField(
        "Full name",
        filters=[strip_filter],
        validators=[DataRequired("Enter the person's full name"), Length(max=200)],
    )
    email = EmailField(
        "Email address",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter an email address"),
            Length(max=254),
            Email("Enter an email address in the correct format, like name@example.org"),
        ],
    )
    role = RadioField(
        "Role", choices=options(Role.choices()), validators=[InputRequired("Select a role")]
    )
    service_area_id = SelectField("Service area", coerce=optional_int)
    active = BooleanField("Account is active", default=True)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.service_area_id.choices = options(
            [("", "No service area")] + [(a.id, a.name) for a in areas]
        )

    def fill(self, record) -> None:
        super().fill(record)
        self.role.data = record.role.value


class NewUserForm(UserForm):
    """An invitation: the person chooses their own password (no administrator types one).
    A partner contributor's names the actions they will report on."""

    action_ids = ActionChoiceField("Actions they report on", coerce=int)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action_ids.choices = action_choices(actions)

    def validate_action_ids(self, field):
        if self.role.data == Role.PARTNER.value and not (field.data or field.errors):
            raise ValidationError("Select at least one action for the partner to report on")


class PartnerActionsForm(VersionedForm):
    """The actions a partner contributor reports on (at least one)."""

    action_ids = ActionChoiceField("Actions they report on", coerce=int)

    def __init__(self, *args, actions=(), current=(), **kwargs):
        self.current_ids = [a.id for a in current]  # fill() reads it
        super().__init__(*args, **kwargs)
        self.action_ids.choices = action_choices(actions)

    def fill(self, record) -> None:
        super().fill(record)
        self.action_ids.data = self.current_ids

    def validate_action_ids(self, field):
        if not (field.data or field.errors):
            raise ValidationError("Select at least one action for the partner to report on")
