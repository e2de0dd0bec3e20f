"""GovDateField (the GOV.UK date input) and strip_filter."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import Form, FormField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from workflow.web.fields import GovDateField, strip_filter


class DueForm(Form):
    due = GovDateField("Due date", validators=[InputRequired()])
    published = GovDateField("Date the report was published", validators=[Optional()])
    review = GovDateField("DfE review date")


def post(**parts):
    """Formdata for the form, e.g. post(due=("1", "2", "2024"))."""
    data = MultiDict()
    for name, (day, month, year) in parts.items():
        data.add(f"{name}-day", day)
        data.add(f"{name}-month", month)
        data.add(f"{name}-year", year)
    return data


def validated(formdata, form_class=DueForm):
    form = form_class(formdata)
    form.validate()
    return form


# -- valid dates -------------------------------------------------------------


def test_a_complete_date_becomes_a_date():
    form = validated(post(due=("1", "2", "2024")))
    assert form.due.data == date(2024, 2, 1)
    assert form.due.errors == []
    assert (form.due.day, form.due.month, form.due.year) == ("1", "2", "2024")
    assert form.due.error_parts == set()


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("01", "02", "2024", date(2024, 2, 1)),
        (" 9 ", " 3 ", " 2025 ", date(2025, 3, 9)),
        ("29", "2", "2024", date(2024, 2, 29)),
        ("1", "Jan", "2024", date(2024, 1, 1)),
        ("1", "september", "2024", date(2024, 9, 1)),
        ("1", "Sept.", "2024", date(2024, 9, 1)),
        ("１", "２", "２０２４", date(2024, 2, 1)),  # full-width digits
        ("1", "1", "1990", date(1990, 1, 1)),
        ("31", "12", "2100", date(2100, 12, 31)),
    ],
)
def test_dates_people_type_are_accepted(day, month, year, expected):
    form = validated(post(due=(day, month, year)))
    assert form.due.errors == []
    assert form.due.data == expected


def test_the_typed_parts_are_kept_trimmed():
    form = validated(post(due=(" 01 ", "2", "2024")))
    assert form.due.day == "01"


# -- empty dates -------------------------------------------------------------


def test_an_empty_optional_date_is_none_without_error():
    form = validated(post(due=("1", "2", "2024"), published=("", "", "")))
    assert form.published.data is None
    assert form.published.errors == []


def test_an_empty_date_without_validators_is_none_without_error():
    form = validated(post(due=("1", "2", "2024")))
    assert form.review.data is None
    assert form.review.errors == []
    assert form.validate()


def test_an_empty_required_date_asks_to_enter_it():
    form = validated(post(due=("", " ", "")))
    assert form.due.errors == ["Enter due date"]
    assert form.due.error_parts == set()  # the whole date: highlight every box
    assert form.due.data is None


def test_a_required_date_missing_from_the_post_asks_to_enter_it():
    form = validated(MultiDict())
    assert form.due.errors == ["Enter due date"]


def test_data_required_also_says_enter():
    class F(Form):
        start = GovDateField("Start date", validators=[DataRequired()])

    assert validated(MultiDict(), F).start.errors == ["Enter start date"]


def test_required_flag_says_enter():
    class F(Form):
        start = GovDateField("Start date", required=True)

    form = validated(post(start=("", "", "")), F)
    assert form.start.errors == ["Enter start date"]
    assert form.start.flags.required


def test_a_validator_message_of_its_own_is_kept():
    class F(Form):
        start = GovDateField("Start date", validators=[InputRequired("Enter when it starts")])

    assert validated(MultiDict(), F).start.errors == ["Enter when it starts"]


def test_label_starting_with_an_acronym_keeps_its_capitals():
    class F(Form):
        review = GovDateField("DfE review date", validators=[InputRequired()])

    assert validated(MultiDict(), F).review.errors == ["Enter DfE review date"]


# -- incomplete dates --------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "message", "error_parts"),
    [
        (("1", "", "2024"), "Due date must include a month", {"month"}),
        (("", "2", "2024"), "Due date must include a day", {"day"}),
        (("1", "2", ""), "Due date must include a year", {"year"}),
        (("", "", "2024"), "Due date must include a day and month", {"day", "month"}),
        (("", "2", ""), "Due date must include a day and year", {"day", "year"}),
        (("1", "", ""), "Due date must include a month and year", {"month", "year"}),
    ],
)
def test_an_incomplete_date_says_what_is_missing(parts, message, error_parts):
    form = validated(post(due=parts))
    assert form.due.errors == [message]
    assert form.due.error_parts == error_parts
    assert form.due.data is None


def test_an_incomplete_optional_date_is_still_an_error():
    form = validated(post(due=("1", "2", "2024"), published=("1", "", "2024")))
    assert form.published.errors == ["Date the report was published must include a month"]


# -- dates that cannot be right ----------------------------------------------


@pytest.mark.parametrize(
    ("parts", "error_parts"),
    [
        (("30", "2", "2022"), {"day"}),
        (("31", "4", "2024"), {"day"}),
        (("29", "2", "2023"), {"day"}),
        (("1", "13", "2024"), {"month"}),
        (("0", "1", "2024"), {"day"}),
        (("32", "1", "2024"), {"day"}),
        (("1", "0", "2024"), {"month"}),
        (("x", "1", "2024"), {"day"}),
        (("1", "Smarch", "2024"), {"month"}),
        (("1", "1", "20x4"), {"year"}),
        (("-5", "1", "2024"), {"day"}),
        (("1.5", "1", "2024"), {"day"}),
        (("1e1", "1", "2024"), {"day"}),
        (("x", "y", "z"), {"day", "month", "year"}),
    ],
)
def test_an_impossible_date_must_be_a_real_date(parts, error_parts):
    form = validated(post(due=parts))
    assert form.due.errors == ["Due date must be a real date"]
    assert form.due.error_parts == error_parts
    assert form.due.data is None


@pytest.mark.parametrize("year", ["24", "202", "02024", "0"])
def test_a_year_needs_4_numbers(year):
    form = validated(post(due=("1", "2", year)))
    assert form.due.errors == ["Year must include 4 numbers"]
    assert form.due.error_parts == {"year"}


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1066", "Due date must be in or after 1990"),
        ("1989", "Due date must be in or after 1990"),
        ("0000", "Due date must be in or after 1990"),
        ("2101", "Due date must be in or before 2100"),
        ("9999", "Due date must be in or before 2100"),
    ],
)
def test_a_year_out_of_range_is_refused(year, message):
    form = validated(post(due=("1", "2", year)))
    assert form.due.errors == [message]
    assert form.due.error_parts == {"year"}


def test_the_year_range_can_be_changed():
    class F(Form):
        born = GovDateField("Date of birth", min_year=1900, max_year=2030)

    assert validated(post(born=("1", "2", "1950")), F).born.data == date(1950, 2, 1)


def test_a_bad_entry_is_shown_back_as_typed():
    form = validated(post(due=("3O", "Feb", "2024")))
    assert (form.due.day, form.due.month, form.due.year) == ("3O", "Feb", "2024")


# -- hostile input -----------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        ("9" * 10_000, "1", "2024"),
        ("1", "x" * 10_000, "2024"),
        ("1", "1", "99999999999999999999"),
        ("\x00", "\x00", "\x00"),
        ("1\x00", "2", "2024"),
        ("-5", "-1", "-2024"),
        ("<script>alert(1)</script>", "2", "2024"),
        ("1", "2", "２" * 5000),
        ("\u202e1", "2", "2024"),
        ("¹", "²", "2024"),  # digits to str.isdigit(), but not numbers
        ("1\n", "2\r", "2024\t"),
    ],
)
def test_hostile_input_never_raises(parts):
    form = validated(post(due=parts))
    assert form.due.data is None or isinstance(form.due.data, date)
    for shown in (form.due.day, form.due.month, form.due.year):
        assert len(shown) <= 40
        assert "\x00" not in shown


def test_null_bytes_alone_count_as_empty():
    form = validated(post(due=("\x00", "\x00", "\x00")))
    assert form.due.errors == ["Enter due date"]


def test_a_value_posted_under_the_fields_own_name_is_ignored():
    data = post(due=("", "", ""))
    data.add("due", "2024-02-01")
    form = validated(data)
    assert form.due.data is None
    assert form.due.errors == ["Enter due date"]


def test_a_file_posted_as_a_date_part_is_ignored():
    data = post(due=("1", "2", "2024"))
    data.setlist("due-day", [FileStorage(filename="x.txt")])
    form = validated(data)
    assert form.due.errors == ["Due date must include a day"]


def test_repeated_parts_use_the_first_value():
    data = post(due=("1", "2", "2024"))
    data.add("due-day", "<script>")
    assert validated(data).due.data == date(2024, 2, 1)


# -- editing an existing record ----------------------------------------------


def test_the_objects_date_fills_the_boxes():
    form = DueForm(obj=SimpleNamespace(due=date(2024, 3, 9), published=None, review=None))
    assert (form.due.day, form.due.month, form.due.year) == ("9", "3", "2024")
    assert form.due.data == date(2024, 3, 9)
    assert (form.published.day, form.published.month, form.published.year) == ("", "", "")


def test_data_and_datetimes_fill_the_boxes():
    form = DueForm(data={"due": datetime(2025, 12, 1, 10, 30)})
    assert form.due.data == date(2025, 12, 1)
    assert form.due.year == "2025"


def test_a_posted_date_wins_over_the_objects_date():
    obj = SimpleNamespace(due=date(2024, 3, 9), published=None, review=None)
    form = DueForm(post(due=("1", "", "2024")), obj=obj)
    form.validate()
    assert form.due.errors == ["Due date must include a month"]
    assert (form.due.day, form.due.month, form.due.year) == ("1", "", "2024")


def test_populate_obj_sets_the_date():
    form = validated(post(due=("1", "2", "2024")))
    obj = SimpleNamespace()
    form.populate_obj(obj)
    assert obj.due == date(2024, 2, 1)
    assert obj.published is None


def test_names_inside_a_form_field_carry_the_prefix():
    class Inner(Form):
        due = GovDateField("Due date", validators=[InputRequired()])

    class Outer(Form):
        action = FormField(Inner)

    data = MultiDict({"action-due-day": "1", "action-due-month": "2", "action-due-year": "2024"})
    form = validated(data, Outer)
    assert form.action.due.data == date(2024, 2, 1)
    assert form.action.due.part_id("day") == "action-due-day"
    assert form.action.due.part_name("year") == "action-due-year"


# -- strip_filter ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  hello  ", "hello"),
        ("a\x00b", "ab"),
        ("a\x01\x02\x1b[31mb\x7f", "a[31mb"),
        ("line one\r\nline two\rthree", "line one\nline two\nthree"),
        ("keep\ttabs\nand newlines", "keep\ttabs\nand newlines"),
        ("\x00\x00", ""),
        ("\u00a0non-breaking\u00a0", "non-breaking"),
        ("", ""),
        (None, None),
        (42, 42),
    ],
)
def test_strip_filter(value, expected):
    assert strip_filter(value) == expected


def test_strip_filter_on_string_and_textarea_fields():
    class F(Form):
        name = StringField("Name", filters=[strip_filter])
        notes = TextAreaField("Notes", filters=[strip_filter])

    form = F(MultiDict({"name": "  Sam\x00 ", "notes": "\r\n  one\r\ntwo\x07  "}))
    assert form.name.data == "Sam"
    assert form.notes.data == "one\ntwo"


def test_strip_filter_leaves_a_missing_value_alone():
    class F(Form):
        name = StringField("Name", filters=[strip_filter])

    assert F().name.data is None
