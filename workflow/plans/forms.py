"""Forms for the action plan: issuing a version, clearing a personal-data hit, the report,
the introduction and the self-evaluation's narrative."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Form, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from workflow.plans.versions import INTRODUCTION_LIMIT, IssueDetails
from workflow.web.fields import GovDateField, iso_dates_as_parts, strip_filter
from workflow.web.forms import VersionedForm, options

# Who approves a plan: (value, label). A committee's own name goes in the reference.
APPROVERS = [
    ("Cabinet", "Cabinet"),
    ("Committee", "A committee"),
    (
        "Director of Children's Services under delegated authority",
        "The director under delegated authority",
    ),
]


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
    approved_by = RadioField(
        "Who approved this version?",
        choices=options(APPROVERS),
        validators=[InputRequired("Select who approved this version")],
    )
    approved_on = GovDateField(
        "Date it was approved",
        description="For example, 24 8 2022",
        validators=[InputRequired()],
    )
    approval_reference = StringField(
        "Minute or decision reference",
        filters=[strip_filter],
        validators=[DataRequired("Enter the minute or decision reference"), Length(max=200)],
    )
    sent_to_dfe_on = GovDateField(
        "Date sent to the Department for Education (optional)",
        description="For the Secretary of State. For example, 26 8 2022",
        validators=[Optional()],
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
            approved_by=self.approved_by.data,
            approved_on=self.approved_on.data,
            approval_reference=self.approval_reference.data,
            sent_to_dfe_on=self.sent_to_dfe_on.data,
        )


class IntroductionForm(VersionedForm):
    introduction = TextAreaField(
        "Introduction",
        filters=[strip_filter],
        validators=[Optional(), Length(max=INTRODUCTION_LIMIT)],
    )

    def fill(self, inspection) -> None:
        self.introduction.data = inspection.plan_introduction
        self.version.data = inspection.version


AREA_HINT = "What we know about the quality and impact of practice in this area"


class SelfEvaluationForm(VersionedForm):
    """One text box per section of the narrative: the overview, then each judgement area.

    Build it with ``for_sections``: the areas are the inspection's own."""

    sections: tuple[tuple[str, str], ...] = ()

    @classmethod
    def for_sections(cls, sections: list[tuple[str, str]], **kwargs) -> "SelfEvaluationForm":
        class Narrative(cls):
            pass

        Narrative.sections = tuple(sections)
        for index, (_, label) in enumerate(sections):
            hint = AREA_HINT if index else ""  # the overview is not about one area
            box = TextAreaField(
                label, name=f"section-{index}", filters=[strip_filter], description=hint
            )
            setattr(Narrative, f"section_{index}", box)
        return Narrative(**kwargs)

    def boxes(self) -> list:
        return [self[f"section_{index}"] for index in range(len(self.sections))]

    def texts(self) -> dict[str, str]:
        return {
            key: box.data or "" for (key, _), box in zip(self.sections, self.boxes(), strict=True)
        }

    def fill(self, inspection) -> None:
        saved = inspection.self_evaluation or {}
        for (key, _), box in zip(self.sections, self.boxes(), strict=True):
            box.data = saved.get(key, "")
        self.version.data = inspection.version


class LogoForm(FlaskForm):
    logo = FileField("Upload a logo")


class ClearHitForm(FlaskForm):
    """The one-button "this is not personal data" form posted for one hit."""

    fingerprint = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{64}$")])


class ReportPeriodForm(Form):
    """A reporting period read from the query string: the board report page's date boxes, or
    a download link's dates (``?since=2022-01-01&until=2022-03-31``). Every route, and the
    command, that reports over a period checks it here, so a date the page refuses (a year
    past 2100, 30 February) is refused by the downloads too, with the same message."""

    since = GovDateField("From", validators=[DataRequired()])
    until = GovDateField("To", validators=[DataRequired()])

    def __init__(self, args=None, **defaults):
        formdata = iso_dates_as_parts(args, ("since", "until")) if args else None
        super().__init__(formdata, **defaults)

    def problems(self) -> str:
        return ". ".join(message for errors in self.errors.values() for message in errors)

    def validate_until(self, field):
        if self.since.data and field.data and field.data < self.since.data:
            raise ValidationError("The end of the period must be on or after its start")


class RedactUpdateForm(VersionedForm):
    kept_after_conflict = ("reason",)

    narrative = TextAreaField(
        "The update as it should read",
        filters=[strip_filter],
        validators=[DataRequired("Enter the update's text as it should read"), Length(max=10_000)],
    )
    reason = TextAreaField(
        "Why it is being redacted",
        filters=[strip_filter],
        validators=[DataRequired("Enter why the update is being redacted"), Length(max=2000)],
    )

    def fill(self, update) -> None:
        self.narrative.data = update.narrative
        self.version.data = update.version
