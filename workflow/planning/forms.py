"""Forms for inspections, recommendations, actions and their measures of success."""

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from workflow.models import InspectionKind, Role, User
from workflow.models.measure import MEASURE_NUMBER
from workflow.planning.rules import ACTION_FIELDS
from workflow.web.fields import GovDateField, GovDecimalField, strip_filter
from workflow.web.forms import CheckedForm, VersionedForm, optional_int, options

GRADES = [
    "Outstanding",
    "Good",
    "Requires improvement to be good",
    "Inadequate",
]


class JudgementRow(Form):
    area = StringField("Judgement area", filters=[strip_filter], validators=[Length(max=300)])
    grade = SelectField(
        "Grade",
        choices=options([("", "Select a grade")] + [(g, g) for g in GRADES]),
        validate_choice=False,  # an unused row posts no grade; checked below instead
    )

    def validate_grade(self, field):
        if self.area.data and field.data not in GRADES:
            raise ValidationError(f"Select a grade for “{self.area.data[:80]}”")


class InspectionForm(VersionedForm):
    kind = RadioField(
        "Kind of inspection",
        choices=options(InspectionKind.choices()),
        validators=[InputRequired("Select the kind of inspection")],
    )
    start_date = GovDateField("First day of the inspection", validators=[InputRequired()])
    end_date = GovDateField("Last day of the inspection", validators=[InputRequired()])
    published_on = GovDateField("Date the report was published", validators=[Optional()])
    received_on = GovDateField("Date the council received the report", validators=[Optional()])
    received_on_reason = TextAreaField(
        "Why the report was received on a different date",
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )
    lead_inspector = StringField(
        "Lead inspector", filters=[strip_filter], validators=[Optional(), Length(max=200)]
    )
    plan_owner_id = SelectField("Plan owner", coerce=optional_int, validators=[Optional()])
    judgements = FieldList(FormField(JudgementRow), "Judgements", min_entries=5, max_entries=8)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_owner_id.choices = options(
            [("", "No plan owner yet")] + [(p.id, p.name) for p in people]
        )

    def fill(self, record) -> None:
        super().fill(record)
        self.kind.data = record.kind.value

    def cross_checks(self):
        """The dates' order (planning.rules._check_dates), told with the rest."""
        if self.usable("start_date", "end_date") and self.end_date.data < self.start_date.data:
            yield "end_date", "The last day of the inspection must be on or after the first day"
        published, ended = self.published_on.data, self.end_date.data
        if self.usable("end_date", "published_on") and published < ended:
            yield "published_on", "The report cannot be published before the inspection ended"

    def judgement_rows(self) -> list[tuple[str, str]]:
        return [(row.area.data, row.grade.data) for row in self.judgements if row.area.data]

    def values(self) -> dict:
        return {
            "kind": InspectionKind(self.kind.data),
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "published_on": self.published_on.data,
            "received_on": self.received_on.data,
            "received_on_reason": self.received_on_reason.data or None,
            "lead_inspector": self.lead_inspector.data or None,
            "plan_owner_id": self.plan_owner_id.data,
        }


class RecommendationForm(VersionedForm):
    number = IntegerField(
        "Number",
        validators=[
            InputRequired("Enter the recommendation's number"),
            NumberRange(1, 99, "Number must be between 1 and 99"),
        ],
    )
    text = TextAreaField(
        "Recommendation",
        filters=[strip_filter],
        validators=[DataRequired("Enter the recommendation"), Length(max=4000)],
    )
    short_name = StringField(
        "Short name (optional)",
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(max=80, message="Short name must be 80 characters or fewer"),
        ],
    )
    senior_lead = StringField(
        "Senior lead", filters=[strip_filter], validators=[Optional(), Length(max=200)]
    )
    priority = BooleanField("This is an area for priority action")

    def values(self) -> dict:
        return {
            "number": self.number.data,
            "text": self.text.data,
            "short_name": self.short_name.data or None,
            "senior_lead": self.senior_lead.data or None,
            "priority": bool(self.priority.data),
        }


class ActionForm(VersionedForm):
    kept_after_conflict = ("due_date_reason",)

    reference = StringField(
        "Reference",
        filters=[strip_filter],
        validators=[DataRequired("Enter a reference, for example 2.3"), Length(max=20)],
    )
    description = TextAreaField(
        "Action",
        filters=[strip_filter],
        validators=[DataRequired("Describe the action"), Length(max=4000)],
    )
    owner_id = SelectField(
        "Lead officer (owner)", coerce=optional_int, validators=[InputRequired("Select an owner")]
    )
    delegate_id = SelectField("Delegate", coerce=optional_int, validators=[Optional()])
    service_area_id = SelectField(
        "Service area", coerce=optional_int, validators=[InputRequired("Select a service area")]
    )
    start_date = GovDateField("Start date", validators=[InputRequired()])
    due_date = GovDateField("Due date", validators=[InputRequired()])
    due_date_reason = TextAreaField(
        "Reason for changing the due date",
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )
    measure_of_success = TextAreaField(
        "Measure of success",
        filters=[strip_filter],
        validators=[DataRequired("Enter the measure of success"), Length(max=4000)],
    )

    def __init__(self, *args, people=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        people = [(p.id, _owner_label(p)) for p in people]
        self.owner_id.choices = options([("", "Select an owner")] + people)
        self.delegate_id.choices = options([("", "No delegate")] + people)
        self.service_area_id.choices = options(
            [("", "Select a service area")] + [(a.id, a.name) for a in areas]
        )

    def cross_checks(self):
        if self.usable("start_date", "due_date") and self.due_date.data < self.start_date.data:
            yield "due_date", "The due date must be on or after the start date"

    def validate_owner_id(self, field):
        if field.data is None:
            raise ValidationError("Select an owner")

    def validate_service_area_id(self, field):
        if field.data is None:
            raise ValidationError("Select a service area")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in ACTION_FIELDS}


def _owner_label(person: User) -> str:
    """'Hugo Head (head of service, Children in care)': whom the list offers, and as what."""
    role = person.role.label.lower()
    if person.role is Role.HEAD_OF_SERVICE and person.service_area is not None:
        return f"{person.name} ({role}, {person.service_area.name})"
    return f"{person.name} ({role})"


class MeasureForm(CheckedForm):
    name = StringField(
        "Name of the measure",
        filters=[strip_filter],
        validators=[DataRequired("Enter the name of the measure"), Length(max=300)],
    )
    unit = StringField(
        "Unit",
        filters=[strip_filter],
        validators=[DataRequired("Enter a unit, for example %"), Length(max=40)],
    )
    baseline_value = GovDecimalField(
        "Baseline value",
        called="the baseline value",
        example="55.3",
        validators=[InputRequired("Enter the baseline value")],
        numeric=MEASURE_NUMBER,
    )
    baseline_date = GovDateField("Date of the baseline", validators=[InputRequired()])
    target_value = GovDecimalField(
        "Target value",
        called="the target value",
        example="77.5",
        validators=[InputRequired("Enter the target value")],
        numeric=MEASURE_NUMBER,
    )
    target_date = GovDateField("Date the target should be met", validators=[InputRequired()])
    higher_is_better = RadioField(
        "Which direction is better",
        choices=options([("yes", "Higher is better"), ("no", "Lower is better")]),
        validators=[InputRequired("Select which direction is better")],
    )

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "unit": self.unit.data,
            "baseline_value": self.baseline_value.data,
            "baseline_date": self.baseline_date.data,
            "target_value": self.target_value.data,
            "target_date": self.target_date.data,
            "higher_is_better": self.higher_is_better.data == "yes",
        }

    def cross_checks(self):
        baseline, target = self.baseline_date.data, self.target_date.data
        if self.usable("baseline_date", "target_date") and target <= baseline:
            yield "target_date", "The target date must be after the baseline date"
