"""Forms for the dashboard's filters, search and the audit trail's filters."""

from wtforms import Form, SearchField, SelectField, StringField, ValidationError
from wtforms.validators import Length

from workflow.models import ActionStatus, Rag, ServiceArea, User
from workflow.oversight.audit_trail import RECORD_KINDS, SYSTEM, TrailFilters
from workflow.oversight.dashboard import Filters
from workflow.web.fields import GovDateField, strip_filter
from workflow.web.forms import options


class DashboardFilterForm(Form):
    """Read from the query string (a GET form changes nothing, so it needs no CSRF token)."""

    service_area = SelectField("Service area", default="")
    owner = SelectField("Owner", default="")
    status = SelectField("Status", default="")
    rag = SelectField("RAG rating", default="")

    def __init__(self, formdata, areas: list[ServiceArea], people: list[User]):
        super().__init__(formdata)
        self.service_area.choices = _all("All service areas", [(str(a.id), a.name) for a in areas])
        self.owner.choices = _all("All owners", [(str(p.id), p.name) for p in people])
        self.status.choices = _all("All statuses", ActionStatus.choices())
        self.rag.choices = _all("All RAG ratings", Rag.choices())

    def filters(self, inspection_id: int | None) -> Filters:
        """The filters chosen; a value that is not one of the choices is ignored (and shown)."""
        self.validate()
        chosen = {name: field.data for name, field in self._fields.items() if not field.errors}
        return Filters(
            inspection_id=inspection_id,
            service_area_id=int(chosen["service_area"]) if chosen.get("service_area") else None,
            owner_id=int(chosen["owner"]) if chosen.get("owner") else None,
            status=ActionStatus(chosen["status"]) if chosen.get("status") else None,
            rag=Rag(chosen["rag"]) if chosen.get("rag") else None,
        )

    def chosen(self) -> dict[str, str]:
        """The valid choices, for links that keep the filters (pagination, CSV)."""
        return {name: f.data for name, f in self._fields.items() if f.data and not f.errors}


def _all(label: str, pairs) -> list:
    return options([("", label), *pairs])


class SearchForm(Form):
    q = SearchField(
        "Search actions, updates and evidence",
        filters=[strip_filter],
        validators=[Length(max=200, message="Enter 200 characters or fewer")],
    )


class AuditTrailFilterForm(Form):
    """The audit trail's filters, read from the query string (a GET form, so no CSRF token)."""

    record_kind = SelectField("Kind of record", default="", validate_choice=False)
    record = StringField(
        "Record number or action reference",
        description="The number in the record's address, like 42 in /actions/42, or an "
        "action's reference, like 1.2",
        filters=[strip_filter],
        validators=[
            Length(max=20, message="Enter a record number or reference of up to 20 characters")
        ],
    )
    person = SelectField("Person", default="", validate_choice=False)
    since = GovDateField("From", description="For example, 27 3 2026")
    until = GovDateField("To", description="For example, 27 3 2026")

    def __init__(self, formdata, people: list[User]):
        super().__init__(formdata)
        self.record_kind.choices = _all("All records", RECORD_KINDS.items())
        self.person.choices = _all(
            "Everyone", [*((str(p.id), p.name) for p in people), (SYSTEM, "System (no person)")]
        )

    def validate_record_kind(self, field):
        _check_choice(field, "Select a kind of record from the list")
        if not field.data and self.record.data:
            raise ValidationError("Select the kind of record the number or reference is for")

    def validate_record(self, field):
        if not field.data or (field.data.isdigit() and len(field.data) <= 9):
            return
        if self.record_kind.data != "action":
            raise ValidationError("Enter the record's number, like 42")

    def validate_person(self, field):
        _check_choice(field, "Select a person from the list")

    def validate_until(self, field):
        if self.since.data and field.data and field.data < self.since.data:
            raise ValidationError("The end of the period must be on or after its start")

    def filters(self) -> TrailFilters:
        """The filters chosen (once the form is valid)."""
        person = self.person.data
        return TrailFilters(
            record_kind=self.record_kind.data or None,
            record=self.record.data or None,
            person=int(person) if person.isdigit() else person or None,
            since=self.since.data,
            until=self.until.data,
        )

    def chosen(self) -> dict[str, str]:
        """What was typed and chosen, for links that keep the filters (pagination, CSV)."""
        values = {name: f.data for name, f in self._fields.items() if isinstance(f.data, str)}
        for field in (self.since, self.until):
            values.update({field.part_name(part): text for part, text in field.parts.items()})
        return {name: value for name, value in values.items() if value}


def _check_choice(field, message: str) -> None:
    if field.data not in {choice.value for choice in field.iter_choices()}:
        raise ValidationError(message)
