"""Forms for user administration."""

from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from workflow.models import Role
from workflow.planning.forms import VersionedForm, optional_int
from workflow.web.fields import strip_filter
from workflow.web.forms import options


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


class NewUserForm(UserForm):
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter a password"), Length(max=256)],
        description="At least 12 characters. Three random words are a good choice.",
    )
