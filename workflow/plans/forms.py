"""Forms for the action plan: issuing a version, clearing a personal-data hit, the report."""

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from workflow.plans.versions import IssueDetails
from workflow.web.fields import GovDateField, strip_filter


class IssuePlanForm(FlaskForm):
    sent_to_ofsted_on = GovDateField(
        "Date sent to Ofsted",
        description="For example, 26 8 2022",
        validators=[InputRequired()],
    )
    lead_member_name = StringField(
        "Lead member for children's services",
        filters=[strip_filter],
        validators=[DataRequired("Enter the lead member's name"), Length(max=200)],
    )
    lead_member_signed_on = GovDateField(
        "Date the lead member signed off the plan",
        description="For example, 24 8 2022",
        validators=[InputRequired()],
    )
    note = TextAreaField(
        "Note about this version (optional)",
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )

    def details(self) -> IssueDetails:
        return IssueDetails(
            sent_to_ofsted_on=self.sent_to_ofsted_on.data,
            lead_member_name=self.lead_member_name.data,
            lead_member_signed_on=self.lead_member_signed_on.data,
            note=self.note.data or None,
        )


class ClearHitForm(FlaskForm):
    """The one-button "this is not personal data" form posted for one hit."""

    fingerprint = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{64}$")])


class ReportPeriodForm(Form):
    """The board report's date range, read from the query string (a GET form)."""

    since = GovDateField("From", validators=[DataRequired()])
    until = GovDateField("To", validators=[DataRequired()])

    def validate_until(self, field):
        if self.since.data and field.data and field.data < self.since.data:
            raise ValidationError("The end of the period must be on or after its start")
