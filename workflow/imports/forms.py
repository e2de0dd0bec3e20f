"""Forms for importing a report: the upload or paste, and the review of what was found."""

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from workflow.imports.rules import ReviewRow
from workflow.web.fields import GovDateField, strip_filter
from workflow.web.forms import VersionedForm


class ReportUploadForm(FlaskForm):
    file = FileField("Upload the report")
    text = TextAreaField(
        "Or paste the report's text",
        filters=[strip_filter],
        validators=[Length(max=2_000_000, message="The text is too long to be one report")],
    )

    def validate_text(self, field):
        upload = self.file.data
        if not field.data and not (upload and upload.filename):
            raise ValidationError("Upload the report or paste its text")


MAX_PARTNERS = 20


class ReviewRowForm(Form):
    text = TextAreaField("Recommendation", filters=[strip_filter], validators=[Length(max=4000)])
    position = IntegerField(
        "Position", validators=[Optional(), NumberRange(1, 99, "Position must be between 1 and 99")]
    )
    remove = BooleanField("Remove this recommendation")
    merge_with_next = BooleanField("Merge with the next recommendation")
    paragraphs = HiddenField()
    priority = HiddenField()


class ReviewForm(VersionedForm):
    kept_after_conflict = ("confirm_other_authority",)

    rows = FieldList(
        FormField(ReviewRowForm), "List of recommendations", min_entries=1, max_entries=60
    )
    published = GovDateField(
        "Date the report was published",
        validators=[Optional()],
        description="For example, 12 7 2024. The action plan is due 70 working days after it.",
    )
    confirm_other_authority = BooleanField("Yes, import this report for our council")
    partners = TextAreaField(
        "Partners",
        filters=[strip_filter],
        description="One a line, as role: name (for example, Police: Northbrook Police).",
    )

    def validate_partners(self, field):
        lines = [line.strip() for line in (field.data or "").split("\n") if line.strip()]
        if len(lines) > MAX_PARTNERS:
            raise ValidationError(f"Enter at most {MAX_PARTNERS} partners")
        for line in lines:
            if len(line) > 200:
                raise ValidationError("Each partner must be 200 characters or fewer")
            if not line.partition(":")[2].strip() and line.endswith(":"):
                raise ValidationError(f"Enter the name of the partner after '{line[:40]}'")

    def partner_rows(self) -> list[dict[str, str]]:
        """The partners as typed: "Role: Name", or a name alone whose role is told from it."""
        from workflow.imports.parse.letters import partner_role  # loaded on use: see rules.py

        rows = []
        for line in (self.partners.data or "").split("\n"):
            role, colon, name = line.partition(":")
            if not colon:
                role, name = "", role
            role, name = " ".join(role.split()), " ".join(name.split())
            if name:
                rows.append({"role": role or partner_role(name), "name": name})
        return rows

    def show_partners(self, partners: list[dict[str, str]]) -> None:
        self.partners.data = "\n".join(f"{p['role']}: {p['name']}" for p in partners)

    def fill(self, record) -> None:
        """Show the import's list as read or last revised, and its publication date."""
        parsed = record.parsed
        published = parsed.get("published")
        self.published.process_data(date.fromisoformat(published) if published else None)
        self.version.data = record.version
        self._show_rows(parsed["recommendations"])
        self.show_partners(parsed.get("partners") or [])

    def review_rows(self) -> list[ReviewRow]:
        rows = []
        for index, row in enumerate(self.rows, start=1):
            numbers = tuple(int(n) for n in (row.paragraphs.data or "").split(",") if n.isdigit())
            rows.append(
                ReviewRow(
                    text=row.text.data or "",
                    position=row.position.data or index,
                    remove=row.remove.data,
                    merge_with_next=row.merge_with_next.data,
                    paragraphs=numbers[:20],
                    priority=row.priority.data == "yes",
                )
            )
        return rows

    def _show_rows(self, recommendations: list[dict], blank_rows: int = 2) -> None:
        """Fill the rows from the saved recommendations, with blank rows for additions."""
        while self.rows.entries:
            self.rows.pop_entry()
        for item in recommendations:
            self.rows.append_entry(
                {
                    "text": item["text"],
                    "position": item["number"],
                    "paragraphs": ",".join(map(str, item["paragraphs"])),
                    "priority": "yes" if item.get("priority") else "",
                }
            )
        for extra in range(blank_rows):
            self.rows.append_entry({"position": len(recommendations) + extra + 1})


NOT_RECORDED = "none"


class MonitoringReviewForm(VersionedForm):
    """A monitoring letter's review: for each area it covered, the recommendation it is about."""

    areas = FieldList(
        SelectField("Recommendation", validate_choice=False), min_entries=0, max_entries=30
    )
    confirm_other_authority = BooleanField("Yes, import this letter for our council")

    def __init__(self, *args, recommendations=(), area_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = [("", "Choose a recommendation")]
        self.choices += [(str(r.id), f"{r.number}. {r.label}") for r in recommendations]
        self.choices.append((NOT_RECORDED, "Do not record this area"))
        while len(self.areas.entries) < area_count:
            self.areas.append_entry()
        for entry in self.areas:
            entry.choices = self.choices

    def show(self, values: list[str]) -> None:
        for entry, value in zip(self.areas, values, strict=False):
            entry.data = value

    def validate_areas(self, field):
        allowed = {value for value, _ in self.choices}
        for number, entry in enumerate(field, start=1):
            entry.data = entry.data or ""  # a select left out of the post is one not chosen
            if entry.data not in allowed:
                entry.errors = [f"Select a recommendation from the list for area {number}"]
            elif not entry.data:
                entry.errors = [
                    f"Select the recommendation area {number} is about, or choose not to record it"
                ]
        if any(entry.errors for entry in field):
            raise ValidationError("")

    def chosen(self) -> list[int | None]:
        return [
            int(entry.data) if entry.data not in ("", NOT_RECORDED) else None
            for entry in self.areas
        ]
