"""Forms for progress updates, their review, a deputy's cover, and reopening a
recommendation."""

import secrets
from datetime import date

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from workflow.models import Action, ActionStatus, Measure, Rag, Role, User
from workflow.models.measure import MEASURE_NUMBER
from workflow.signoff.changes import action_changed_since, merged_values
from workflow.signoff.rules import Proposal, proposal_rag
from workflow.web.fields import GovDateField, GovDecimalField, strip_filter
from workflow.web.forms import CheckedForm, VersionedForm, optional_int, options

REPORTABLE_RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN]


class MeasureValueRow(Form):
    measure_id = HiddenField()
    value = GovDecimalField("New value", validators=[Optional()], numeric=MEASURE_NUMBER)
    as_of = GovDateField("Date of the value", validators=[Optional()])


class UpdateForm(VersionedForm):
    token = HiddenField()
    # Asked for only when the personal-data check warns (see signoff.rules.submit_update).
    privacy_confirmed = BooleanField(
        "I have checked: none of the items named above is personal data about a child, a "
        "family or a member of staff"
    )
    narrative = TextAreaField(
        "What has happened since the last update",
        filters=[strip_filter],
        validators=[DataRequired("Describe the progress made"), Length(max=10_000)],
    )
    status = RadioField(
        "Status",
        choices=options(ActionStatus.choices()),
        validators=[InputRequired("Select a status")],
    )
    rag = RadioField(
        "RAG rating",
        choices=options((r.value, r.label) for r in REPORTABLE_RAGS),
        validators=[InputRequired("Select a RAG rating")],
    )
    rag_reason = TextAreaField(
        "Why this rating differs from the one the RAG rules give",
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )
    impact_evidenced = BooleanField(
        "The measures and evidence show the difference this action has made (impact evidenced)"
    )
    due_date = GovDateField("Proposed new due date", validators=[Optional()])
    due_date_reason = TextAreaField(
        "Reason for the new due date",
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )
    measures = FieldList(FormField(MeasureValueRow), max_entries=20)
    file = FileField("Upload a file")
    file_title = StringField(
        "Title of the file", filters=[strip_filter], validators=[Optional(), Length(max=300)]
    )
    link_url = StringField(
        "Link to a record or report",
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )
    link_title = StringField(
        "Title of the link", filters=[strip_filter], validators=[Length(max=300)]
    )

    # New evidence and the sign-off token add to the update: a conflict keeps them as typed.
    kept_after_conflict = ("token", "file_title", "link_url", "link_title")

    def __init__(self, *args, action: Action, today: date, measures: list[Measure] = (), **kwargs):
        # Known before the fields are processed, since processing gives each measure a row.
        self.action, self.today = action, today
        self.measure_list = list(measures)
        self.measure_by_id = {str(m.id): m for m in self.measure_list}
        super().__init__(*args, **kwargs)
        if not self.token.data:
            self.token.data = secrets.token_hex(16)

    def process(self, *args, **kwargs):
        """Every measure of the action gets its row, whether posted or not (one added since
        the page was opened, or a first visit)."""
        super().process(*args, **kwargs)
        known = {row.measure_id.data for row in self.measures}
        for measure in self.measure_list:
            if str(measure.id) not in known:
                self.measures.append_entry({"measure_id": str(measure.id)})
        for row in self.measures:
            measure = self.measure_by_id.get(row.measure_id.data)
            if measure is not None:
                row.value.name_in_messages = f"the latest value for '{measure.name}'"
                row.value.example = f"{measure.target_value.normalize():f}"

    def validate_link_title(self, field):
        if self.link_url.data and not field.data:
            raise ValidationError("Enter a title for the link")

    def cross_checks(self):
        """The sign-off rules' checks (signoff.rules._check_proposal), told with the rest."""
        if any(self.due_date.parts.values()) and not self.due_date_reason.data:
            yield "due_date_reason", "Enter the reason for the new due date"
        if self.usable("due_date") and self.due_date.data < self.action.start_date:
            yield "due_date", "The new due date must be on or after the action's start date"
        if not self.usable("status", "rag") or self.status.data == ActionStatus.COMPLETE.value:
            return
        rag = Rag(self.rag.data)
        by_the_rules = proposal_rag(self.action, self._proposal_so_far(), self.today)
        if rag is not by_the_rules and not self.rag_reason.data:
            yield (
                "rag_reason",
                f"Enter why you rate this {rag.label.lower()} when the RAG rules "
                f"give {by_the_rules.label.lower()}",
            )

    def _proposal_so_far(self) -> Proposal:
        """What the RAG rules read, from the fields that passed their own checks."""
        values = {}
        for row in self.measures:
            measure = self.measure_by_id.get(row.measure_id.data)
            if measure is not None and row.value.data is not None and not row.as_of.errors:
                values[measure.id] = (row.value.data, row.as_of.data or self.today)
        return Proposal(
            "",
            ActionStatus(self.status.data),
            Rag(self.rag.data),
            due_date=self.due_date.data if self.usable("due_date") else None,
            measure_values=values,
        )

    def proposal(self, today: date) -> Proposal:
        allowed = {m.id for m in self.measure_list}
        values = {}
        for row in self.measures:
            if row.value.data is not None and row.measure_id.data.isdigit():
                measure_id = int(row.measure_id.data)
                if measure_id in allowed:
                    values[measure_id] = (row.value.data, row.as_of.data or today)
        return Proposal(
            narrative=self.narrative.data,
            status=ActionStatus(self.status.data),
            rag=Rag(self.rag.data),
            rag_reason=self.rag_reason.data or None,
            impact_evidenced=self.impact_evidenced.data,
            due_date=self.due_date.data,
            due_date_reason=self.due_date_reason.data or None,
            measure_values=values,
        )

    def fill(self, update) -> None:
        """Show a saved update's proposal in the form. Where the action changed after the
        update was written, what the update did not change shows as the action is now."""
        self.narrative.data = update.narrative
        self.status.data = update.proposed_status.value
        self.rag.data = update.proposed_rag.value
        self.impact_evidenced.data = update.impact_evidenced
        if action_changed_since(update):
            now = merged_values(update)
            self.status.data, self.impact_evidenced.data = (
                now["status"].value,
                now["impact_evidenced"],
            )
            if now["rag"] is not Rag.BLUE:
                self.rag.data = now["rag"].value
        self.rag_reason.data = update.rag_reason
        self.due_date.process_data(update.proposed_due_date)
        self.due_date_reason.data = update.due_date_reason
        self.version.data = update.version
        reported = {v.measure_id: v for v in update.measure_values}
        for row in self.measures:
            value = reported.get(int(row.measure_id.data))
            if value:
                row.value.data = value.value
                row.as_of.process_data(value.as_of)


class ApproveForm(VersionedForm):
    # Its own ids: the return form beside it on the page has a comment box too.
    comment = TextAreaField(
        "Comment for the author (optional)",
        id="approval-comment",
        filters=[strip_filter],
        validators=[Optional(), Length(max=4000)],
    )
    # Both asked for only when needed: the exception when the update's rating is not the
    # rules' (signoff.rules.approval_rag), the confirmation when the personal-data check warns.
    rag_exception = TextAreaField(
        "Exception to the RAG rules",
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )
    privacy_confirmed = BooleanField(
        "I have checked: none of these items is personal data about a child, a family or a "
        "member of staff",
        id="approval-privacy_confirmed",
    )


class ReturnForm(VersionedForm):
    comment = TextAreaField(
        "What needs to change",
        filters=[strip_filter],
        validators=[DataRequired("Enter a comment saying what needs to change"), Length(max=4000)],
    )


class ReopenForm(VersionedForm):
    kept_after_conflict = ("reason",)

    reason = TextAreaField(
        "Why the recommendation is being reopened",
        filters=[strip_filter],
        validators=[DataRequired("Enter the reason for reopening"), Length(max=4000)],
    )


class CoverForm(CheckedForm):
    deputy_id = RadioField(
        "Who decides your area's updates while you are away",
        coerce=optional_int,
        validators=[InputRequired("Select who will decide your area's updates")],
        validate_choice=False,  # the rule refuses anyone not offered, saying so
    )
    starts_on = GovDateField("First day of the cover", validators=[InputRequired()])
    ends_on = GovDateField("Last day of the cover", validators=[InputRequired()])

    def __init__(self, *args, deputies: list[User] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.deputy_id.choices = options((person.id, _deputy_label(person)) for person in deputies)

    def cross_checks(self):
        """The period's order (signoff.cover.set_cover), told with the rest."""
        if self.usable("starts_on", "ends_on") and self.ends_on.data < self.starts_on.data:
            yield "ends_on", "The last day of the cover must be on or after the first day"


def _deputy_label(person: User) -> str:
    if person.role is Role.HEAD_OF_SERVICE and person.service_area is not None:
        return f"{person.name}, head of service, {person.service_area.name}"
    return f"{person.name}, {person.role.label.lower()}"
