"""Forms for the dashboard's filters and search."""

from wtforms import Form, SearchField, SelectField
from wtforms.validators import Length

from workflow.models import ActionStatus, Rag, ServiceArea, User
from workflow.oversight.dashboard import Filters
from workflow.web.fields import strip_filter
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
