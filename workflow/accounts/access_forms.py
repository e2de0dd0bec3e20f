"""Forms for single sign-on, invitations, password resets, two-factor and service areas."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from workflow.web.fields import strip_filter
from workflow.web.forms import VersionedForm


class SsoStartForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter your work email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email("Enter an email address in the correct format, like name@example.org"),
        ],
    )


class IdentityProviderForm(VersionedForm):
    issuer = StringField(
        "Issuer address",
        filters=[strip_filter],
        description="For Microsoft Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0",
        validators=[
            DataRequired("Enter the issuer address"),
            Length(max=500, message="Issuer address must be 500 characters or fewer"),
        ],
    )
    client_id = StringField(
        "Application (client) ID",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter the application (client) ID"),
            Length(max=200, message="Client ID must be 200 characters or fewer"),
        ],
    )
    client_secret = PasswordField(
        "Client secret",
        description="Stored encrypted. Leave blank to keep the secret already saved.",
        validators=[Length(max=1000, message="Client secret must be 1000 characters or fewer")],
    )
    email_domains = StringField(
        "Email domains",
        filters=[strip_filter],
        description="Only people with these addresses may sign in, separated by spaces:"
        " yourcouncil.gov.uk",
        validators=[
            DataRequired("Enter at least one email domain"),
            Length(max=1000, message="Email domains must be 1000 characters or fewer"),
        ],
    )
    enabled = BooleanField("Single sign-on is turned on", default=True)
    sso_only = BooleanField("People can only sign in with single sign-on (no passwords)")


class AcceptInvitationForm(FlaskForm):
    password = PasswordField(
        "Create a password",
        description="At least 12 characters. Three random words are a good choice.",
        validators=[
            DataRequired("Enter a password"),
            Length(max=256, message="Password must be 256 characters or fewer"),
        ],
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email("Enter an email address in the correct format, like name@example.org"),
        ],
    )


class NewPasswordForm(AcceptInvitationForm):
    pass


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )


class RequireTwoFactorForm(FlaskForm):
    required = BooleanField("Everyone who signs in with a password must use two-factor sign-in")


class ServiceAreaForm(FlaskForm):
    name = StringField(
        "Name of the service area",
        filters=[strip_filter],
        validators=[
            DataRequired("Enter the service area's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
