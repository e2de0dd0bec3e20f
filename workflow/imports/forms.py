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

    def fill(self, record) -> None:
        """Show the import's list as read or last revised, and its publication date."""
        parsed = record.parsed
        published = parsed.get("published")
        self.published.process_data(date.fromisoformat(published) if published else None)
        self.version.data = record.version
        self._show_rows(parsed["recommendations"])

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
