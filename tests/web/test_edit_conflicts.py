"""Two people editing one record: the second save is refused, and the form it shows holds the
record as it is now, with what the second person wrote beside each field that differs.
Saving that form again as it stands never undoes the first person's change.

Each test plays two browser tabs: both open the form, the first saves, then the second.
Forms are posted as a browser would post them, from the page's own HTML.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import pass_second_factor, text_of
from tests.factories import progress_update, withdraw_waiting
from workflow.core.errors import StaleError
from workflow.extensions import db
from workflow.models import (
    Action,
    AuditEvent,
    Authority,
    IdentityProvider,
    Inspection,
    ProgressUpdate,
    Rag,
    Recommendation,
    ReportImport,
    User,
)
from workflow.web import run_rule


class PageForm(HTMLParser):
    """The fields a browser would send from the page's form that carries a version."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._text: tuple[str, list[str]] | None = None  # a textarea being read
        self._select: dict | None = None  # a select being read: its name, first and chosen
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._fields = []
            self.forms.append(self._fields)
        if self._fields is None:
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.setdefault("first", value)
            if "selected" in attrs:
                self._select["chosen"] = value
        elif not attrs.get("name"):
            return
        elif tag == "input" and kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self._fields.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "input" and kind not in ("file", "submit", "button"):
            self._fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._text = (attrs["name"], [])
        elif tag == "select":
            self._select = {"name": attrs["name"]}

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._text is not None:
            text = "".join(self._text[1])
            self._fields.append((self._text[0], text[1:] if text.startswith("\n") else text))
            self._text = None
        elif tag == "select" and self._select is not None:
            chosen = self._select.get("chosen", self._select.get("first", ""))
            self._fields.append((self._select["name"], chosen))
            self._select = None
        elif tag == "form":
            self._fields = None

    def values(self) -> dict[str, str]:
        """The versioned form's fields (the last value of a repeated name)."""
        form = next(f for f in self.forms if any(name == "version" for name, _ in f))
        return dict(form)


class Tab:
    """One browser tab, signed in as one person."""

    def __init__(self, client, url: str):
        self.client, self.url = client, url
        self.fields: dict[str, str] = {}

    def open(self) -> "Tab":
        response = self.client.get(self.url)
        assert response.status_code == 200, self.url
        self.fields = PageForm(response.get_data(as_text=True)).values()
        return self

    def save(self, **changes: str):
        response = self.client.post(self.url, data={**self.fields, **changes})
        if response.status_code == 200:
            self.fields = PageForm(response.get_data(as_text=True)).values()
        return response


@pytest.fixture
def session_of(app, world):
    """session_of("admin"): a new browser signed in as that person of the world."""

    def sign_in(who: str):
        client = app.test_client()
        user = world.users[who]
        response = client.post("/sign-in", data={"email": user.email, "password": world.password})
        response = pass_second_factor(client, response, user.email)
        assert response.status_code == 302, f"{who} could not sign in"
        return client

    return sign_in


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def events() -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


@dataclass(frozen=True)
class Case:
    """A versioned form: who edits it, where, the field both change, and how to read it."""

    first: str
    second: str
    url: Callable[[Any], str]
    field: str
    saved: Callable[[Any], Any]
    extra: dict[str, str] | None = None  # what the form's buttons add to a post
    saves_unchanged: bool = True  # a rule may refuse a save that changes nothing


def approved_update(world) -> ProgressUpdate:
    update = progress_update(
        world.users["manager"],
        world.action,
        "Spoke to Jamie's mum.",
        reviewer=world.users["head"],
        rag=Rag.GREEN,  # as the rules give: the draft on the same action needs no reason
    )
    db.session.commit()
    return update


def configured_provider(world) -> IdentityProvider:
    provider = IdentityProvider(
        authority=world.authority,
        issuer="https://login.example/v2.0",
        client_id="action-plans",
        email_domains="northbrook.example",
    )
    db.session.add(provider)
    db.session.commit()
    return provider


CASES = {
    "action": Case(
        "admin",
        "head",
        lambda w: f"/actions/{w.action.id}/edit",
        "description",
        lambda w: fresh(Action, w.action.id).description,
    ),
    "recommendation": Case(
        "admin",
        "admin",
        lambda w: f"/recommendations/{w.recommendation.id}/edit",
        "number",  # a number box shows what was typed before its data: the saved one is shown
        lambda w: str(fresh(Recommendation, w.recommendation.id).number),
    ),
    "inspection": Case(
        "admin",
        "admin",
        lambda w: f"/inspections/{w.inspection.id}/edit",
        "lead_inspector",
        lambda w: fresh(Inspection, w.inspection.id).lead_inspector,
    ),
    "progress update": Case(
        "manager",
        "manager",
        lambda w: f"/updates/{w.draft.id}/edit",
        "narrative",
        lambda w: fresh(ProgressUpdate, w.draft.id).narrative,
        extra={"intent": "draft"},
    ),
    "user": Case(
        "admin",
        "admin",
        lambda w: f"/users/{w.users['viewer'].id}/edit",
        "name",
        lambda w: fresh(User, w.users["viewer"].id).name,
    ),
    "RAG rules": Case(
        "admin",
        "admin",
        lambda w: "/settings/rag",
        "at_risk_days",
        lambda w: str(fresh(Authority, w.authority.id).rag_at_risk_days),
    ),
    "plan introduction": Case(
        "director",
        "director",
        lambda w: f"/inspections/{w.inspection.id}/plan/introduction",
        "introduction",
        lambda w: fresh(Inspection, w.inspection.id).plan_introduction,
    ),
    "self-evaluation": Case(
        "director",
        "director",
        lambda w: f"/inspections/{w.inspection.id}/self-evaluation",
        "section-0",
        lambda w: (fresh(Inspection, w.inspection.id).self_evaluation or {}).get("overview"),
    ),
    "import review": Case(
        "admin",
        "admin",
        lambda w: f"/imports/{w.report_import.id}",
        "rows-0-text",
        lambda w: fresh(ReportImport, w.report_import.id).parsed["recommendations"][0]["text"],
        extra={"intent": "apply"},
    ),
    "identity provider": Case(
        "admin",
        "admin",
        lambda w: "/settings/sign-in",
        "client_id",
        lambda w: db.session.scalar(sa.select(IdentityProvider.client_id)),
    ),
    "redaction": Case(
        "director",
        "director",
        lambda w: f"/updates/{w.approved.id}/redact",
        "narrative",
        lambda w: fresh(ProgressUpdate, w.approved.id).narrative,
        extra={"reason": "Names a child's parent"},
        saves_unchanged=False,  # a redaction must change the text
    ),
}


@pytest.fixture
def ready(world):
    """The world with the records some forms need: an approved update, an identity provider."""
    withdraw_waiting(world)  # an action has one update awaiting approval at a time
    world.approved = approved_update(world)
    configured_provider(world)
    return world


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_conflict_shows_the_record_as_it_is_now_beside_what_was_written(ready, session_of, case):
    world = ready
    url = case.url(world)
    first = Tab(session_of(case.first), url).open()
    second = Tab(session_of(case.second), url).open()
    extra = case.extra or {}
    mine, theirs = "61", "62"  # valid in every field: a number, a name, a text

    assert first.save(**extra, **{case.field: mine}).status_code == 302
    assert case.saved(world) == mine
    refused = second.save(**extra, **{case.field: theirs})

    page = text_of(refused)
    assert refused.status_code == 200
    assert "after you opened the page" in page and "Nothing has been saved" in page
    assert second.fields[case.field] == mine  # the form holds the record as it is now
    assert f"You wrote: {theirs} Now saved: {mine}" in page
    assert "you wrote something different" in page  # listed in the error summary
    assert case.saved(world) == mine

    again = second.save(**extra)  # the conflict page saved as it stands
    assert again.status_code == (302 if case.saves_unchanged else 200)
    assert case.saved(world) == mine


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_empty_post_saves_nothing_and_records_nothing(ready, session_of, case):
    world = ready
    url = case.url(world)
    client = session_of(case.first)
    before, count = case.saved(world), events()
    response = client.post(url, data=case.extra or {})
    assert response.status_code == 200
    assert "There is a problem" in text_of(response)
    assert case.saved(world) == before and events() == count


def test_an_empty_post_to_the_rag_rules_says_what_is_missing(world, session_of):
    before = fresh(Authority, world.authority.id).rag_at_risk_days
    page = text_of(session_of("admin").post("/settings/rag", data={}))
    assert "Enter the number of days" in page
    assert fresh(Authority, world.authority.id).rag_at_risk_days == before


def test_an_empty_post_to_the_import_review_keeps_the_list(world, session_of):
    report_import = world.report_import
    version, listed = report_import.version, report_import.parsed["recommendations"]
    client = session_of("admin")
    response = client.post(f"/imports/{report_import.id}", data={"version": str(version)})
    assert "The form arrived without its list of recommendations" in text_of(response)
    kept = fresh(ReportImport, report_import.id)
    assert kept.parsed["recommendations"] == listed and kept.version == version


def test_a_save_that_changes_nothing_records_no_event(world, session_of):
    client = session_of("admin")
    for url in (
        "/settings/rag",
        f"/actions/{world.action.id}/edit",
        f"/recommendations/{world.recommendation.id}/edit",
        f"/inspections/{world.inspection.id}/edit",
        f"/users/{world.users['viewer'].id}/edit",
    ):
        count = events()
        assert Tab(client, url).open().save().status_code == 302, url
        assert events() == count, url


def test_each_kind_of_field_is_noted_in_the_persons_words(world, session_of):
    url = f"/actions/{world.action.id}/edit"
    first = Tab(session_of("admin"), url).open()
    second = Tab(session_of("head"), url).open()
    head = world.users["head"]
    reason = {"due_date_reason": "Waiting for the new system"}
    assert (
        first.save(
            owner_id=str(head.id),
            **{"due_date-day": "31", "due_date-month": "12", "due_date-year": "2030"},
            **reason,
        ).status_code
        == 302
    )
    refused = second.save(
        delegate_id=str(head.id),
        **{"due_date-day": "1", "due_date-month": "3", "due_date-year": "2031"},
        due_date_reason="Board asked for more time",
    )
    page = text_of(refused)
    # The owner by name and role, as the list offers them.
    head_label = "Hugo Head (head of service, Children in care)"
    assert f"You wrote: Mo Manager (service manager) Now saved: {head_label}" in page
    assert f"You wrote: {head_label} Now saved: No delegate" in page
    assert "You wrote: 1 March 2031 Now saved: 31 December 2030" in page
    assert second.fields["due_date-year"] == "2030" and second.fields["owner_id"] == str(head.id)
    # What the save adds rather than overwrites is kept as typed, and not noted.
    assert second.fields["due_date_reason"] == "Board asked for more time"
    html = refused.get_data(as_text=True)
    assert 'href="#due_date-day"' in html and 'href="#owner_id"' in html
    assert 'aria-describedby="owner_id-conflict"' in html

    assert second.save().status_code == 302
    action = fresh(Action, world.action.id)
    assert (action.owner_id, action.delegate_id) == (head.id, None)
    assert action.due_date == date(2030, 12, 31)


def test_a_measure_value_in_an_update_is_noted_under_its_box(world, session_of):
    from workflow.planning import rules as planning

    planning.add_measure(
        world.users["admin"],
        world.action,
        name="Children tracked",
        unit="%",
        baseline_value=Decimal(40),
        baseline_date=date(2022, 1, 1),
        target_value=Decimal(90),
        target_date=date(2030, 1, 1),
        higher_is_better=True,
    )
    db.session.commit()
    url = f"/updates/{world.draft.id}/edit"
    first = Tab(session_of("manager"), url).open()
    second = Tab(session_of("manager"), url).open()
    rated = {"intent": "draft", "rag_reason": "Agreed at the board"}
    assert first.save(**rated, **{"measures-0-value": "55.5"}).status_code == 302
    page = text_of(second.save(**rated, **{"measures-0-value": "60"}))
    assert "You wrote: 60 Now saved: 55.5" in page
    assert second.fields["measures-0-value"] == "55.5"


def test_a_lost_race_at_the_database_is_the_same_refusal(app, world):
    """Two writers past the version check at once: the loser's flush finds the row moved."""

    def edit_behind_its_back(action: Action) -> None:
        moved = sa.update(Action).where(Action.id == action.id).values(version=action.version + 1)
        db.session.execute(moved.execution_options(synchronize_session=False))
        action.description = "Lost"

    action = db.session.get(Action, world.action.id)
    with app.test_request_context("/"):
        outcome = run_rule(None, edit_behind_its_back, action)
    assert isinstance(outcome.error, StaleError)
    assert "at the same moment" in outcome.error.message
    assert fresh(Action, world.action.id).description != "Lost"
