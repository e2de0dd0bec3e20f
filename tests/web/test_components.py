"""The GOV.UK component macros in templates/components, base.html and the error pages.

Rendered through a bare Jinja environment (no Flask app). Flask turns
autoescaping on for .html templates, so this environment does too.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    FileField,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from workflow.web.fields import GovDateField

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HOSTILE = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def make_env(**kwargs) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, **kwargs)
    env.globals["csrf_token"] = lambda: "x"
    return env


ENV = make_env()


def render(source: str, **context) -> str:
    return ENV.from_string(source).render(**context)


def call(template: str, macro: str, args: str, **context) -> str:
    return render(
        f'{{% from "components/{template}" import {macro} %}}{{{{ {macro}({args}) }}}}', **context
    )


class Element(SimpleNamespace):
    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()


class Page(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append(Element(tag=tag, attrs=dict(attrs)))

    def find(self, tag=None, **attrs) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag)
            and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def one(self, tag=None, **attrs) -> Element:
        found = self.find(tag, **attrs)
        assert len(found) == 1, (tag, attrs, found)
        return found[0]

    def ids(self) -> list[str]:
        return [e.attrs["id"] for e in self.elements if "id" in e.attrs]


def check_accessible(html: str) -> Page:
    """No duplicate ids; aria-describedby/labelledby/controls, label for and
    in-page links all point at ids that exist; no inline style or script."""
    page = Page(html)
    ids = page.ids()
    assert len(ids) == len(set(ids)), f"duplicate ids: {ids}"
    for element in page.elements:
        for attribute in ("aria-describedby", "aria-labelledby", "aria-controls", "for"):
            for ref in (element.attrs.get(attribute) or "").split():
                assert ref in ids, f"{attribute}={ref!r} has no element"
        href = element.attrs.get("href") or ""
        if element.tag == "a" and href.startswith("#") and href != "#main-content":
            assert href[1:] in ids, f"link to missing {href}"
        assert "style" not in element.attrs
        assert not any(name.startswith("on") for name in element.attrs)
        if element.tag == "script":
            assert element.attrs.get("src")
    for label in page.find("label"):
        assert label.attrs.get("for"), "label not tied to a control"
    return page


# -- forms used by the tests ---------------------------------------------------


def choices(*pairs):
    return [SelectChoice(value, label) for value, label in pairs]


class EverythingForm(Form):
    name = StringField("Your name", validators=[Length(max=5)], description="As on your badge")
    secret = PasswordField("Password", validators=[Length(min=50)])
    notes = TextAreaField("Notes", validators=[Length(max=5)])
    owner = SelectField(
        "Owner", choices=choices(("", "Select an owner"), ("1", "Sam"), ("2", "Alex"))
    )
    kind = RadioField(
        "Kind",
        choices=choices(
            ("full", "Full inspection"), ("focused", "Focused visit"), ("jtai", "JTAI")
        ),
        validators=[InputRequired("Select the kind of inspection")],
    )
    confirm = BooleanField("I confirm the plan is ready", validators=[DataRequired("Confirm it")])
    areas = SelectMultipleField(
        "Areas",
        choices=choices(("a", "Early help"), ("b", "Care leavers")),
        validators=[Optional()],
    )
    due = GovDateField("Due date", validators=[InputRequired()])
    evidence = FileField("Evidence")

    def validate_evidence(self, field):
        raise ValidationError("The selected file must be a PDF")


def hostile_form() -> EverythingForm:
    form = EverythingForm(
        MultiDict(
            {
                "name": HOSTILE,
                "secret": HOSTILE,
                "notes": HOSTILE,
                "owner": "2",
                "kind": HOSTILE,
                "areas": "b",
                "due-day": HOSTILE,
                "due-month": "",
                "due-year": "2024",
            }
        )
    )
    assert not form.validate()
    return form


@pytest.fixture
def form():
    return hostile_form()


# -- text input ----------------------------------------------------------------


def test_input_shows_error_hint_and_escaped_value(form):
    html = call("input.html", "input", "form.name, autocomplete='name'", form=form)
    page = check_accessible(html)
    control = page.one("input", id="name")
    assert control.has_class("govuk-input--error")
    assert control.attrs["aria-describedby"] == "name-hint name-error"
    assert control.attrs["value"] == HOSTILE  # shown back as typed…
    assert ESCAPED in html and HOSTILE not in html  # …and escaped
    assert control.attrs["autocomplete"] == "name"
    assert page.one("div", id="name-hint").has_class("govuk-hint")
    assert '<span class="govuk-visually-hidden">Error:</span> Field cannot be longer than 5' in html
    assert page.one("p", id="name-error").has_class("govuk-error-message")
    assert page.one("label", for_="name")
    assert page.find("div")[0].has_class("govuk-form-group--error")


def test_input_without_errors_or_hint_has_no_describedby():
    form = EverythingForm()
    page = check_accessible(call("input.html", "input", "form.name, hint=''", form=form))
    control = page.one("input", id="name")
    assert "aria-describedby" in control.attrs  # description is the default hint
    page = check_accessible(call("input.html", "input", "form.owner", form=EverythingForm()))
    assert "aria-describedby" not in page.one("input").attrs


def test_input_label_as_page_heading_and_options(form):
    html = call(
        "input.html",
        "input",
        "form.name, label='What is your name?', label_is_heading=True,"
        " classes='govuk-input--width-20', spellcheck=False, inputmode='text'",
        form=form,
    )
    page = check_accessible(html)
    assert page.one("h1").has_class("govuk-label-wrapper")
    assert page.one("label").has_class("govuk-label--l")
    control = page.one("input")
    assert control.has_class("govuk-input--width-20")
    assert control.attrs["spellcheck"] == "false"
    assert "What is your name?" in html


def test_a_password_is_never_shown_back(form):
    html = call("input.html", "input", "form.secret, type='password'", form=form)
    assert "value=" not in html
    assert Page(html).one("input").attrs["type"] == "password"


# -- textarea and character count -----------------------------------------------


def test_textarea_shows_error_and_escaped_value(form):
    html = call("textarea.html", "textarea", "form.notes, rows=8", form=form)
    page = check_accessible(html)
    area = page.one("textarea", id="notes")
    assert area.has_class("govuk-textarea--error")
    assert area.attrs["rows"] == "8"
    assert area.attrs["aria-describedby"] == "notes-error"
    assert f">\n{ESCAPED}</textarea>" in html
    assert "Field cannot be longer than 5 characters." in html


def test_character_count(form):
    html = call(
        "textarea.html",
        "character_count",
        "form.notes, maxlength=500, hint='Keep it short'",
        form=form,
    )
    page = check_accessible(html)
    group = page.find("div")[0]
    assert group.has_class("govuk-character-count")
    assert group.attrs["data-module"] == "govuk-character-count"
    assert group.attrs["data-maxlength"] == "500"
    area = page.one("textarea")
    assert area.has_class("govuk-js-character-count")
    assert area.attrs["aria-describedby"] == "notes-info notes-hint notes-error"
    assert page.one("div", id="notes-info").has_class("govuk-character-count__message")
    assert "You can enter up to 500 characters" in html


# -- select ----------------------------------------------------------------------


def test_select_keeps_the_choice_and_escapes_labels():
    class F(Form):
        owner = SelectField(
            "Owner",
            choices=choices(("1", "Sam"), ("2", HOSTILE)),
            validators=[DataRequired("Select")],
        )

    form = F(MultiDict({"owner": "2"}))
    form.validate()
    form.owner.errors = ["Select an owner"]
    html = call("select.html", "select", "form.owner", form=form)
    page = check_accessible(html)
    assert page.one("select").attrs["aria-describedby"] == "owner-error"
    assert page.one("select").has_class("govuk-select--error")
    assert "selected" in page.one("option", value="2").attrs
    assert "selected" not in page.one("option", value="1").attrs
    assert ESCAPED in html and HOSTILE not in html


def test_select_option_groups():
    class F(Form):
        area = SelectField(
            "Area",
            choices=[
                SelectChoice("", "Select an area"),
                SelectChoice("1", "Early help", optgroup="Help"),
                SelectChoice("2", "Care leavers", optgroup="Care"),
            ],
        )

    html = call("select.html", "select", "form.area", form=F(MultiDict({"area": "2"})))
    page = check_accessible(html)
    assert [g.attrs["label"] for g in page.find("optgroup")] == ["Help", "Care"]
    assert "selected" in page.one("option", value="2").attrs
    assert len(page.find("option")) == 3


# -- radios ------------------------------------------------------------------------


def test_radios_fieldset_legend_ids_and_error(form):
    html = call(
        "radios.html",
        "radios",
        "form.kind, 'What kind of inspection was it?', hint='Check the report',"
        " legend_is_heading=True, hints={'jtai': 'Joint targeted area inspection'}, inline=False",
        form=form,
    )
    page = check_accessible(html)
    fieldset = page.one("fieldset")
    assert fieldset.attrs["aria-describedby"] == "kind-hint kind-error"
    assert page.one("legend").has_class("govuk-fieldset__legend--l")
    assert page.one("h1").has_class("govuk-fieldset__heading")
    radios = page.find("input", type="radio")
    assert [r.attrs["id"] for r in radios] == ["kind", "kind-2", "kind-3"]
    assert all(r.attrs["name"] == "kind" for r in radios)
    assert radios[2].attrs["aria-describedby"] == "kind-3-item-hint"
    assert "Not a valid choice." in html  # a value that is not one of the choices
    assert not any("checked" in r.attrs for r in radios)
    assert page.one("div", data_module="govuk-radios")


def test_radios_keep_the_choice_and_reveal_conditionals():
    class F(Form):
        kind = RadioField("Kind", choices=choices(("a", "A"), ("b", "B")))

    form = F(MultiDict({"kind": "b"}))
    html = call(
        "radios.html",
        "radios",
        "form.kind, 'Kind', inline=True, conditionals={'b': reveal}",
        form=form,
        reveal=Markup('<p class="govuk-body">More</p>'),
    )
    page = check_accessible(html)
    assert "checked" in page.one("input", id="kind-2").attrs
    assert page.one("input", id="kind-2").attrs["data-aria-controls"] == "conditional-kind-2"
    conditional = page.one("div", id="conditional-kind-2")
    assert not conditional.has_class("govuk-radios__conditional--hidden")
    assert page.one("div", data_module="govuk-radios").has_class("govuk-radios--inline")
    assert '<p class="govuk-body">More</p>' in html


# -- checkboxes ----------------------------------------------------------------------


def test_single_checkbox(form):
    html = call(
        "checkboxes.html", "checkbox", "form.confirm, hint='You cannot undo this'", form=form
    )
    page = check_accessible(html)
    box = page.one("input", type="checkbox")
    assert box.attrs["id"] == "confirm"
    assert box.attrs["aria-describedby"] == "confirm-hint confirm-error"
    assert "checked" not in box.attrs
    assert "Confirm it" in html
    assert page.one("label", for_="confirm")


def test_single_checkbox_stays_ticked():
    class F(Form):
        confirm = BooleanField("I confirm")

    html = call(
        "checkboxes.html",
        "checkbox",
        "form.confirm, legend='Confirmation'",
        form=F(MultiDict({"confirm": "y"})),
    )
    page = check_accessible(html)
    assert "checked" in page.one("input").attrs
    assert page.one("fieldset")


def test_checkboxes_keep_choices_and_link_errors(form):
    form.areas.errors = ["Select at least one area"]
    html = call(
        "checkboxes.html",
        "checkboxes",
        "form.areas, 'Which areas?', hints={'b': 'Aged 18 to 25'}",
        form=form,
    )
    page = check_accessible(html)
    boxes = page.find("input", type="checkbox")
    assert [b.attrs["id"] for b in boxes] == ["areas", "areas-2"]
    assert "checked" in boxes[1].attrs and "checked" not in boxes[0].attrs
    assert page.one("fieldset").attrs["aria-describedby"] == "areas-error"
    assert boxes[1].attrs["aria-describedby"] == "areas-2-item-hint"
    assert "Select at least one area" in html


# -- date input ----------------------------------------------------------------------


def date_inputs(page: Page) -> dict:
    return {e.attrs["id"]: e for e in page.find("input")}


def test_date_input_highlights_only_the_parts_in_error(form):
    # day is hostile text, month is missing: the month is what is reported
    html = call(
        "date_input.html", "date_input", "form.due, hint='For example, 27 3 2026'", form=form
    )
    page = check_accessible(html)
    inputs = date_inputs(page)
    assert list(inputs) == ["due-day", "due-month", "due-year"]
    assert [i.attrs["name"] for i in inputs.values()] == ["due-day", "due-month", "due-year"]
    assert inputs["due-month"].has_class("govuk-input--error")
    assert not inputs["due-day"].has_class("govuk-input--error")
    assert not inputs["due-year"].has_class("govuk-input--error")
    assert "Due date must include a month" in html
    assert inputs["due-day"].attrs["value"] == HOSTILE[:40]
    assert "<script>" not in html
    assert inputs["due-year"].attrs["value"] == "2024"
    fieldset = page.one("fieldset")
    assert fieldset.attrs["role"] == "group"
    assert fieldset.attrs["aria-describedby"] == "due-hint due-error"
    assert page.one("div", id="due").has_class("govuk-date-input")
    assert all(i.attrs["inputmode"] == "numeric" for i in inputs.values())
    assert inputs["due-year"].has_class("govuk-input--width-4")


def test_date_input_real_date_error_highlights_the_wrong_part():
    form = EverythingForm(MultiDict({"due-day": "1", "due-month": "13", "due-year": "2024"}))
    form.validate()
    inputs = date_inputs(
        check_accessible(call("date_input.html", "date_input", "form.due", form=form))
    )
    assert [i.has_class("govuk-input--error") for i in inputs.values()] == [False, True, False]


def test_date_input_whole_date_errors_highlight_every_part():
    form = EverythingForm(MultiDict({"due-day": "", "due-month": "", "due-year": ""}))
    form.validate()
    html = call("date_input.html", "date_input", "form.due", form=form)
    inputs = date_inputs(check_accessible(html))
    assert all(i.has_class("govuk-input--error") for i in inputs.values())
    assert "Enter due date" in html


def test_date_input_without_errors_highlights_nothing():
    form = EverythingForm(MultiDict({"due-day": "1", "due-month": "2", "due-year": "2024"}))
    form.validate()
    html = call(
        "date_input.html",
        "date_input",
        "form.due, legend='When is it due?', legend_is_heading=True",
        form=form,
    )
    page = check_accessible(html)
    assert not any(i.has_class("govuk-input--error") for i in date_inputs(page).values())
    assert "aria-describedby" not in page.one("fieldset").attrs
    assert page.one("h1").has_class("govuk-fieldset__heading")


# -- file upload -------------------------------------------------------------------------


def test_file_upload(form):
    html = call(
        "file_upload.html",
        "file_upload",
        "form.evidence, hint='A PDF up to 10MB', accept='.pdf'",
        form=form,
    )
    page = check_accessible(html)
    control = page.one("input", type="file")
    assert control.has_class("govuk-file-upload--error")
    assert control.attrs["aria-describedby"] == "evidence-hint evidence-error"
    assert control.attrs["accept"] == ".pdf"
    assert "The selected file must be a PDF" in html


# -- error summary ---------------------------------------------------------------------------


def test_error_summary_lists_errors_in_field_order_with_links(form):
    form.form_errors.append(f"Someone else changed this {HOSTILE}")
    html = call("error_summary.html", "error_summary", "form", form=form)
    page = Page(html)
    summary = page.elements[0]
    assert summary.has_class("govuk-error-summary")
    assert summary.attrs["data-module"] == "govuk-error-summary"
    assert page.one("div", role="alert")
    assert "There is a problem" in html
    links = [(a.attrs["href"]) for a in page.find("a")]
    assert links == ["#name", "#secret", "#notes", "#kind", "#confirm", "#due-month", "#evidence"]
    texts = re.findall(r"<a href=\"#[^\"]+\">([^<]+)</a>", html)
    assert texts[3] == "Not a valid choice."
    assert texts[5] == "Due date must include a month"
    assert ESCAPED in html and HOSTILE not in html
    # every link target exists once the fields are rendered on the page
    fields = "".join(
        [
            call("input.html", "input", "form.name", form=form),
            call("input.html", "input", "form.secret, type='password'", form=form),
            call("textarea.html", "textarea", "form.notes", form=form),
            call("radios.html", "radios", "form.kind, 'Kind'", form=form),
            call("checkboxes.html", "checkbox", "form.confirm", form=form),
            call("date_input.html", "date_input", "form.due", form=form),
            call("file_upload.html", "file_upload", "form.evidence", form=form),
        ]
    )
    check_accessible(html + fields)


def test_error_summary_links_a_whole_date_error_to_the_day():
    form = EverythingForm(MultiDict({"kind": "full"}))
    form.validate()
    html = call("error_summary.html", "error_summary", "form", form=form)
    assert '<a href="#due-day">Enter due date</a>' in html


def test_error_summary_handles_nested_and_hidden_fields():
    class Row(Form):
        area = StringField("Area", validators=[DataRequired("Enter the area")])

    class F(Form):
        version = HiddenField(validators=[DataRequired("The form had expired")])
        rows = FieldList(FormField(Row), min_entries=2)

    form = F(MultiDict({"rows-0-area": "x"}))
    form.validate()
    html = call("error_summary.html", "error_summary", "form", form=form)
    assert '<a href="#rows-1-area">Enter the area</a>' in html
    assert "The form had expired" in html
    assert 'href="#version"' not in html


def test_error_summary_is_empty_without_errors():
    form = EverythingForm()
    assert call("error_summary.html", "error_summary", "form", form=form).strip() == ""


# -- buttons and POST forms ------------------------------------------------------------


def test_button():
    html = call(
        "button.html", "button", "'Save <and> continue', secondary=True, name='go', value='1'"
    )
    element = Page(html).one("button")
    assert element.has_class("govuk-button") and element.has_class("govuk-button--secondary")
    assert element.attrs["data-module"] == "govuk-button"
    assert element.attrs["data-prevent-double-click"] == "true"
    assert element.attrs["type"] == "submit"
    assert (element.attrs["name"], element.attrs["value"]) == ("go", "1")
    assert "Save &lt;and&gt; continue" in html


def test_warning_button_without_double_click_prevention_and_link_button():
    element = Page(
        call("button.html", "button", "'Delete', warning=True, prevent_double_click=False")
    ).one("button")
    assert element.has_class("govuk-button--warning")
    assert "data-prevent-double-click" not in element.attrs
    link = Page(call("button.html", "button", "'Start', href='/start'")).one("a")
    assert (link.attrs["role"], link.attrs["href"], link.attrs["draggable"]) == (
        "button",
        "/start",
        "false",
    )


def test_post_button_has_the_csrf_token_and_escaped_hidden_fields():
    html = call(
        "csrf_form.html",
        "post_button",
        "'/actions/1/approve', 'Approve', hidden={'next': evil, 'empty': None}, warning=True",
        evil=HOSTILE,
    )
    page = check_accessible(html)
    form = page.one("form")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", "/actions/1/approve")
    assert page.one("input", name="csrf_token").attrs["value"] == "x"
    assert page.one("input", name="next").attrs["value"] == HOSTILE
    assert page.one("input", name="empty").attrs["value"] == ""
    assert page.one("button").has_class("govuk-button--warning")
    assert HOSTILE not in html


# -- display components -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        ("red", "govuk-tag--red"),
        ("amber", "govuk-tag--yellow"),
        ("Green", "govuk-tag--green"),
        ("blue", "govuk-tag--blue"),
        ("light-blue", "govuk-tag--light-blue"),
        ("grey", "govuk-tag--grey"),
    ],
)
def test_tag_colours(colour, expected):
    element = Page(call("tag.html", "tag", "'On track', colour", colour=colour)).one("strong")
    assert element.has_class("govuk-tag") and element.has_class(expected)


def test_tag_unknown_colour_and_escaping():
    html = call("tag.html", "tag", "text, 'not-a-colour'", text=HOSTILE)
    assert Page(html).one("strong").attrs["class"] == "govuk-tag app-tag"
    assert ESCAPED in html


def test_summary_list_rows_and_actions():
    rows = [
        ("Reference", "2.3"),
        {"key": "Due date", "value": None, "action_href": "/edit#due", "action_text": "Change"},
        {
            "key": "Owner",
            "value": HOSTILE,
            "actions": [
                {"href": "/a", "text": "Change"},
                {"href": "/b", "text": "Remove", "visually_hidden_text": "owner"},
            ],
        },
        None,
    ]
    html = call("summary_list.html", "summary_list", "rows", rows=rows)
    page = Page(html)
    row_divs = page.find("div")
    assert row_divs[0].has_class("govuk-summary-list__row--no-actions")
    assert not row_divs[1].has_class("govuk-summary-list__row--no-actions")
    assert len(row_divs) == 3
    assert 'Change<span class="govuk-visually-hidden"> Due date</span>' in html
    assert 'Remove<span class="govuk-visually-hidden"> owner</span>' in html
    assert page.one("ul").has_class("govuk-summary-list__actions-list")
    assert ESCAPED in html and HOSTILE not in html and "None" not in html


def test_table_cells():
    head = ["Action", {"text": "Days overdue", "numeric": True}]
    rows = [
        [Markup('<a class="govuk-link" href="/a/1">1.1</a>'), {"text": 3, "numeric": True}],
        [HOSTILE, None],
    ]
    html = call(
        "table.html",
        "table",
        "'Overdue actions', head, rows, first_cell_is_header=True",
        head=head,
        rows=rows,
    )
    page = Page(html)
    assert page.one("caption").has_class("govuk-table__caption--m")
    assert [th.attrs.get("scope") for th in page.find("th")] == ["col", "col", "row", "row"]
    assert page.find("th")[1].has_class("govuk-table__header--numeric")
    assert page.find("td")[0].has_class("govuk-table__cell--numeric")
    assert '<a class="govuk-link" href="/a/1">1.1</a>' in html
    assert ESCAPED in html and HOSTILE not in html and "None" not in html


class FakePage:
    def __init__(self, page, pages):
        self.page, self.pages = page, pages
        self.has_prev, self.has_next = page > 1, page < pages
        self.prev_num = page - 1 if self.has_prev else None
        self.next_num = page + 1 if self.has_next else None

    def iter_pages(self):
        for number in range(1, self.pages + 1):
            if number in (1, self.pages) or abs(number - self.page) <= 1:
                yield number
            elif number in (2, self.pages - 1):
                yield None


def test_pagination():
    html = call(
        "pagination.html",
        "pagination",
        "p, url",
        p=FakePage(5, 10),
        url=lambda n: f"/actions?page={n}",
    )
    page = check_accessible(html)
    nav = page.one("nav")
    assert nav.has_class("govuk-pagination") and nav.attrs["aria-label"] == "Pagination"
    assert page.one("a", rel="prev").attrs["href"] == "/actions?page=4"
    assert page.one("a", rel="next").attrs["href"] == "/actions?page=6"
    current = page.one("a", aria_current="page")
    assert current.attrs["aria-label"] == "Page 5" and current.attrs["href"] == "/actions?page=5"
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert 'Previous<span class="govuk-visually-hidden"> page</span>' in html


def test_pagination_edges_and_single_page():
    html = call(
        "pagination.html", "pagination", "p, url", p=FakePage(1, 2), url=lambda n: f"?page={n}"
    )
    assert 'rel="prev"' not in html and 'rel="next"' in html
    assert call("pagination.html", "pagination", "p, url", p=FakePage(1, 1), url=str).strip() == ""


def test_back_link_and_breadcrumbs():
    back = Page(call("back_link.html", "back_link", "'/inspections'")).one("a")
    assert back.has_class("govuk-back-link") and back.attrs["href"] == "/inspections"
    html = call(
        "breadcrumbs.html",
        "breadcrumbs",
        "[('Inspections', '/i'), {'text': 'Focused visit', 'href': '/i/1'}, ('Action 1.1',)]",
    )
    page = Page(html)
    assert page.one("nav").attrs["aria-label"] == "Breadcrumb"
    assert [a.attrs["href"] for a in page.find("a")] == ["/i", "/i/1"]
    assert page.find("li")[2].attrs["aria-current"] == "page"


def test_notification_banners():
    html = call(
        "notification_banner.html", "notification_banner", "'Action approved', success=True"
    )
    page = check_accessible(html)
    banner = page.elements[0]
    assert banner.attrs["role"] == "alert" and banner.has_class(
        "govuk-notification-banner--success"
    )
    assert "Success" in html and "Action approved" in html
    html = render(
        '{% from "components/notification_banner.html" import notification_banner %}'
        '{% call notification_banner(title_id="due-title") %}'
        '<p class="govuk-body">Two actions are overdue</p>'
        "{% endcall %}"
    )
    page = check_accessible(html)
    assert page.elements[0].attrs["role"] == "region"
    assert page.elements[0].attrs["aria-labelledby"] == "due-title"
    assert "Important" in html and '<p class="govuk-body">Two actions are overdue</p>' in html


def test_inset_warning_details_panel():
    html = call("inset_text.html", "inset_text", "t", t=HOSTILE)
    assert 'class="govuk-inset-text"' in html and ESCAPED in html
    html = call("warning_text.html", "warning_text", "'You cannot undo this'")
    assert (
        '<span class="govuk-visually-hidden">Warning</span>' in html
        and 'aria-hidden="true">!</span>' in html
    )
    html = call(
        "details.html", "details", "'Help with dates', 'Use the date on the report', open=True"
    )
    page = Page(html)
    assert "open" in page.one("details").attrs and page.one("summary").has_class(
        "govuk-details__summary"
    )
    html = call("panel.html", "panel", "'Plan signed off', 'Reference 123'")
    assert Page(html).one("h1").has_class("govuk-panel__title") and "govuk-panel__body" in html


# -- base.html and the error pages -----------------------------------------------------------


class User:
    is_authenticated = True
    name = f"Sam {HOSTILE}"
    email = "sam@example.gov.uk"


def flask_like_globals(flashes=()):
    return {
        "url_for": lambda endpoint, **values: f"/{endpoint}/{values.get('filename', '')}",
        "get_flashed_messages": lambda with_categories=False: list(flashes),
        "csrf_token": lambda: "x",
    }


def render_page(template_source: str, env=None, **context) -> str:
    env = env or make_env()
    env.globals.update(flask_like_globals(context.pop("flashes", ())))
    return env.from_string(template_source).render(**context)


PAGE = (
    '{% extends "base.html" %}'
    "{% block title %}Actions{% endblock %}"
    '{% block content %}<h1 class="govuk-heading-l">Actions</h1>{% endblock %}'
)


def test_base_for_a_signed_in_user():
    html = render_page(
        PAGE,
        current_user=User(),
        authority_name="Anyshire County Council",
        accessibility_url="/accessibility",
        nav_items=[
            {"text": "Inspections", "href": "/inspections", "active": True, "count": None},
            {"text": "Awaiting approval", "href": "/approvals", "active": False, "count": 3},
        ],
        flashes=[("success", "Update approved"), ("message", f"Sign in {HOSTILE}")],
    )
    page = check_accessible(html)
    body = [e for e in page.elements if e.tag not in ("html", "head", "meta", "title", "link")]
    assert (
        body[0].tag == "body"
        and body[1].tag == "script"
        and "body-start.js" in body[1].attrs["src"]
    )
    assert body[2].has_class("govuk-skip-link") and body[2].attrs["href"] == "#main-content"
    assert page.one("html").attrs["lang"] == "en-GB"
    for tag in ("header", "main", "footer"):
        assert len(page.find(tag)) == 1
    assert page.one("main").attrs["id"] == "main-content"
    assert "<title>Actions – Ofsted action plans</title>" in html
    assert "Anyshire County Council" in html and "© Anyshire County Council" in html
    assert ESCAPED in html and HOSTILE not in html
    sign_out = page.one("form", action="/auth.sign_out/")
    assert sign_out.attrs["method"] == "post"
    assert page.one("input", name="csrf_token").attrs["value"] == "x"
    assert page.one("a", aria_current="true").attrs["href"] == "/inspections"
    assert (
        'Awaiting approval <span class="app-nav-count">'
        '(3<span class="govuk-visually-hidden"> items</span>)</span>' in html
    )
    assert page.one("div", role="alert").has_class("govuk-notification-banner--success")
    assert page.one("div", role="region").has_class("govuk-notification-banner")
    assert page.one("a", href="/accessibility")
    module = page.find("script")[-1]
    assert module.attrs["type"] == "module" and module.attrs["src"].endswith("dist/app.js")
    assert page.one("link", rel="stylesheet").attrs["href"].endswith("dist/app.css")
    assert page.one("meta", name="robots").attrs["content"] == "noindex, nofollow"
    assert "crown" not in html.lower() and "GOV.UK" not in html


def test_base_title_says_error_when_the_form_has_errors():
    html = render_page(PAGE, form=hostile_form())
    assert "<title>Error: Actions – Ofsted action plans</title>" in html
    assert "<title>Actions – Ofsted action plans</title>" in render_page(
        PAGE, form=EverythingForm()
    )


@pytest.mark.parametrize("code", ["400", "403", "404", "405", "413", "429", "500", "503", "507"])
def test_error_pages_render_for_anonymous_users_without_nav(code):
    anonymous = SimpleNamespace(is_authenticated=False)
    for context in ({}, {"current_user": anonymous, "nav_items": [], "authority_name": None}):
        env = make_env()
        env.globals.update(flask_like_globals())
        html = env.get_template(f"errors/{code}.html").render(**context)
        page = check_accessible(html)
        assert len(page.find("h1")) == 1
        assert "Sign out" not in html and 'id="navigation"' not in html
        assert " – Ofsted action plans</title>" in html


def test_error_page_wording():
    env = make_env()
    env.globals.update(flask_like_globals())
    text = {
        code: env.get_template(f"errors/{code}.html").render()
        for code in ("403", "404", "413", "429", "500", "503", "507")
    }
    assert "You do not have permission to view this page" in text["403"]
    assert "Page not found" in text["404"]
    assert "The file is too large" in text["413"]
    assert "Too many attempts" in text["429"]
    assert "Sorry, there is a problem with the service" in text["500"]
    assert "Part of the service cannot be reached just now" in text["503"]
    assert "nothing from the form you were sending has been saved" in text["507"]
    message = env.get_template("errors/400.html").render(message=f"The form had expired {HOSTILE}")
    assert ESCAPED in message


def test_base_renders_with_strict_undefined_when_given_every_variable():
    env = make_env(undefined=StrictUndefined)
    html = render_page(
        PAGE,
        env=env,
        current_user=User(),
        authority_name="Anyshire County Council",
        nav_items=[],
        accessibility_url="/a",
        service_url="/",
        form=EverythingForm(),
    )
    assert "<main" in html


# -- the Content-Security-Policy allows no inline script or style ---------------------------


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.glob("**/*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_templates_have_no_inline_script_or_style(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", source)
    # The plan's HTML export and the self-evaluation pack are standalone documents: their
    # stylesheet travels inside.
    standalone = {Path("plans/document.html"), Path("plans/self_evaluation_document.html")}
    if path.relative_to(TEMPLATES) not in standalone:
        assert "<style" not in source
    assert not re.search(r"\son[a-z]+\s*=", source)
    for tag in re.findall(r"<script\b[^>]*>", source):
        assert "src=" in tag
    assert "javascript:" not in source


# -- after an edit conflict ----------------------------------------------------


@pytest.mark.parametrize(
    "template, macro, name, args",
    [
        ("input.html", "input", "name", ""),
        ("textarea.html", "textarea", "notes", ""),
        ("textarea.html", "character_count", "notes", ", 100"),
        ("select.html", "select", "owner", ""),
        ("radios.html", "radios", "kind", ", 'Kind'"),
        ("checkboxes.html", "checkbox", "confirm", ""),
        ("checkboxes.html", "checkboxes", "areas", ", 'Areas'"),
        ("date_input.html", "date_input", "due", ""),
    ],
)
def test_every_field_macro_shows_what_the_person_wrote_beside_what_is_saved(
    template, macro, name, args
):
    from workflow.web.conflicts import Conflict

    form = EverythingForm()
    field = form[name]
    field.conflict = Conflict("Field", yours=HOSTILE, saved="Line one\nLine two", target=field.id)
    html = call(template, macro, f"form.{name}{args}", form=form)
    page = check_accessible(html)
    note = page.one("div", id=f"{field.id}-conflict")
    assert note.has_class("govuk-inset-text")
    described = [e for e in page.elements if "aria-describedby" in e.attrs]
    assert any(f"{field.id}-conflict" in e.attrs["aria-describedby"].split() for e in described)
    assert f'You wrote:</strong> <span class="app-conflict__value">{ESCAPED}</span>' in html
    assert HOSTILE not in html
    saved = '<span class="app-conflict__value">Line one\nLine two</span>'  # kept as lines
    assert f"Now saved:</strong> {saved}" in html


def test_without_a_conflict_no_note_is_shown(form):
    html = call("input.html", "input", "form.name", form=form)
    assert "conflict" not in html and "You wrote" not in html


def test_the_error_summary_links_to_each_field_written_differently():
    from workflow.web.conflicts import Conflict

    form = EverythingForm()
    form.form_errors = ["This record was changed"]
    form.conflicts = [
        Conflict("Due date", "1 March 2031", "31 December 2030", "due-day"),
        Conflict("Wording, row 7", HOSTILE, "", None),
    ]
    html = call("error_summary.html", "error_summary", "form", form=form)
    page = Page(html)
    assert page.one("a", href="#due-day")
    assert "Due date: you wrote something different" in html
    assert f"Wording, row 7, no longer on the form: you wrote “{ESCAPED}”" in html
