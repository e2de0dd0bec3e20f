"""Issuing versions: frozen files that never change, what changed between versions."""

import hashlib
import io
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document

from tests.conftest import text_of
from tests.factories import make_action
from workflow.core.errors import RuleError
from workflow.core.storage import current_store
from workflow.extensions import db
from workflow.models import ActionStatus, AuditEvent, PlanVersion, Rag
from workflow.plans.builder import build_plan
from workflow.plans.versions import IssueDetails, compare_snapshots, frozen_file, issue_plan

ISSUE_FORM = {
    "sent_to_ofsted_on-day": "26",
    "sent_to_ofsted_on-month": "8",
    "sent_to_ofsted_on-year": "2022",
    "lead_member_name": "Cllr Jane Morris",
    "lead_member_signed_on-day": "24",
    "lead_member_signed_on-month": "8",
    "lead_member_signed_on-year": "2022",
    "note": "First version",
    "approved_by": "Cabinet",
    "approved_on-day": "24",
    "approved_on-month": "8",
    "approved_on-year": "2022",
    "approval_reference": "Minute 45/22",
    "sent_to_dfe_on-day": "26",
    "sent_to_dfe_on-month": "8",
    "sent_to_dfe_on-year": "2022",
}


def details(**overrides) -> IssueDetails:
    values = dict(
        sent_to_ofsted_on=date(2022, 8, 26),
        lead_member_name="Cllr Jane Morris",
        lead_member_signed_on=date(2022, 8, 24),
    )
    return IssueDetails(**{**values, **overrides})


def test_a_director_issues_a_version_from_the_page(world, login, progress):
    progress(world.action, "Tracker in use.", evidence=("Tracker",))
    client = login("director")
    response = client.post(f"/inspections/{world.inspection.id}/plan/issue", data=ISSUE_FORM)
    assert response.status_code == 302
    version = db.session.scalar(sa.select(PlanVersion))
    assert (version.number, version.sent_to_ofsted_on) == (1, date(2022, 8, 26))
    docx = frozen_file(version, "docx", current_store())
    assert version.docx_sha256 == hashlib.sha256(docx).hexdigest()
    pdf = frozen_file(version, "pdf", current_store())
    assert version.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "issued"))
    assert event.summary == "Version 1, sent to Ofsted on 26 August 2022"
    assert event.actor_name == "Dina Director"
    cover = Document(io.BytesIO(docx))
    sign_off = [[c.text for c in row.cells] for row in cover.tables[2].rows]
    assert sign_off[1][1:] == ["Dina Director", f"{date.today():%-d %B %Y}"]
    assert sign_off[2] == [
        "Lead member for children's services",
        "Cllr Jane Morris",
        "24 August 2022",
    ]
    page = text_of(client.get(f"/inspections/{world.inspection.id}/plan"))
    assert "Version 1 Issued By Dina Director" in page and "First version" in page
    assert "Approved By Cabinet, 24 August 2022 (Minute 45/22)" in page
    assert "To Ofsted on 26 August 2022; to the Department for Education on 26 August 2022" in page
    assert "Not published yet" in page
    assert (version.approved_by, version.approved_on) == ("Cabinet", date(2022, 8, 24))
    assert version.approval_reference == "Minute 45/22"
    assert version.sent_to_dfe_on == date(2022, 8, 26)
    # The frozen cover states the governance as facts, and no count of working days.
    cover_facts = {row.cells[0].text: row.cells[1].text for row in cover.tables[0].rows}
    assert cover_facts["Approved by"] == "Cabinet, 24 August 2022 (Minute 45/22)"
    assert cover_facts["Sent to Ofsted"] == "26 August 2022"
    assert cover_facts["Action plan due"] == "26 August 2022"


def test_an_issued_version_stays_byte_identical_after_later_approvals(world, login, progress):
    progress(world.action, "Tracker in use.")
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    db.session.commit()
    client = login("viewer")
    before = {
        fmt: client.get(f"/plan-versions/{version.id}/download.{fmt}").get_data()
        for fmt in ("docx", "pdf", "xlsx", "csv", "html")
    }
    for fmt, data in before.items():  # all five frozen, each with its SHA-256
        assert data and hashlib.sha256(data).hexdigest() == getattr(version, f"{fmt}_sha256")
    progress(world.action, "Now complete.", status=ActionStatus.COMPLETE, evidence=("Audit",))
    world.action.description = "Edited after issue"
    db.session.commit()
    for fmt in ("docx", "pdf", "xlsx", "csv", "html"):
        response = client.get(f"/plan-versions/{version.id}/download.{fmt}")
        assert response.get_data() == before[fmt]
        assert response.headers["ETag"].strip('"') == getattr(version, f"{fmt}_sha256")
    text = "".join(
        c.text for r in Document(io.BytesIO(before["docx"])).tables[-1].rows for c in r.cells
    )
    assert "Tracker in use." in text and "Now complete." not in text
    live = build_plan(world.inspection, date.today())
    assert live.recommendations[0].actions[0].progress == "Now complete."


def test_versions_are_numbered_and_compared(world, progress):
    director = world.users["director"]
    progress(world.action, "Started.", rag=Rag.AMBER)
    first = issue_plan(director, world.inspection, details(), date.today())
    progress(
        world.action,
        "Slipped.",
        rag=Rag.RED,
        due_date=date(2031, 1, 31),
        due_date_reason="Recruitment delayed",
        evidence=("Recruitment plan",),
    )
    added = make_action(
        world.users["admin"], world.recommendation, world.users["manager"], world.area
    )
    second = issue_plan(director, world.inspection, details(), date.today())
    db.session.commit()
    assert (first.number, second.number) == (1, 2)
    changes = compare_snapshots(first.snapshot, second.snapshot)
    assert [a.reference for a in changes.added] == [added.reference]
    assert changes.removed == []
    (changed,) = changes.changed
    assert changed.reference == "1.1"
    assert changed.changes == [
        "RAG: Amber to Red",
        "Due date: 30 June 2030 to 31 January 2031",
        "New evidence: Recruitment plan",
        "New progress update",
    ]
    assert compare_snapshots(second.snapshot, first.snapshot).removed[0].reference == "1.2"


def test_compare_page_shows_changes_since_the_last_version(world, login, progress):
    issue_plan(world.users["director"], world.inspection, details(), date.today())
    progress(world.action, "Done.", status=ActionStatus.COMPLETE, evidence=("Audit",))
    page = text_of(login("viewer").get(f"/inspections/{world.inspection.id}/plan/compare"))
    assert "From version 1 to the current plan (not issued)" in page
    assert "Status: Not started to Complete" in page
    assert "RAG: Green to Blue" in page
    assert "New evidence: Audit" in page
    page = text_of(
        login("viewer").get(f"/inspections/{world.inspection.id}/plan/compare?from=1&to=1")
    )
    assert "Nothing changed." in page


def test_issuing_is_refused_while_personal_data_is_unchecked(world):
    world.action.description = "Visit the child Tyler Brown at WV1 1RG."
    db.session.commit()
    with pytest.raises(RuleError, match="personal data"):
        issue_plan(world.users["director"], world.inspection, details(), date.today())


def test_sent_date_cannot_precede_receipt(world):
    with pytest.raises(RuleError, match="on or after the date the report was received"):
        issue_plan(
            world.users["director"],
            world.inspection,
            details(sent_to_ofsted_on=date(2022, 5, 1)),
            date.today(),
        )


def test_issue_form_errors_keep_what_was_typed(world, login):
    data = {**ISSUE_FORM, "sent_to_ofsted_on-day": "31", "sent_to_ofsted_on-month": "2"}
    response = login("director").post(f"/inspections/{world.inspection.id}/plan/issue", data=data)
    assert response.status_code == 200
    assert "Error:" in text_of(response)
    assert 'value="Cllr Jane Morris"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(PlanVersion.id))) == 0


def test_another_authoritys_version_is_not_found(world, login):
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    db.session.commit()
    client = login("stranger")
    assert client.get(f"/plan-versions/{version.id}/download.pdf").status_code == 404
    assert login("viewer").get(f"/plan-versions/{version.id}/download.exe").status_code == 404


def test_snapshot_keeps_what_was_sent(world, progress):
    progress(world.action, "Started.")
    version = issue_plan(world.users["director"], world.inspection, details(), date.today())
    action = version.snapshot["recommendations"][0]["actions"][0]
    assert action["progress"] == "Started." and action["rag"] == "green"
    assert version.snapshot["cover"]["sign_off"]["lead_member_name"] == "Cllr Jane Morris"
    assert build_plan(world.inspection, date.today()).snapshot()["cover"]["sign_off"] is None
