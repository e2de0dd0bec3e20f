"""The board progress report lists exactly the changes approved in its period."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pdfplumber
import sqlalchemy as sa
from docx import Document

from tests.conftest import append_only_lifted, text_of
from workflow.extensions import db
from workflow.models import ActionStatus, AuditEvent, ProgressUpdate, Rag
from workflow.planning import rules as planning
from workflow.plans.board_report import build_report, default_period
from workflow.plans.render.board_report import render_report_docx, render_report_pdf


def backdate(update: ProgressUpdate, when: datetime) -> None:
    """Move an approval (and its audit event) into the past, as if approved back then."""
    update.reviewed_at = when
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "progress_update",
            AuditEvent.object_id == update.id,
            AuditEvent.verb == "approved",
        )
    )
    # As someone who owns the database: the chain's hashes no longer verify, which this test
    # does not need.
    with append_only_lifted(db.session.connection()):
        event.at = when
        db.session.flush()
    db.session.commit()


def test_the_report_lists_exactly_what_was_approved_in_the_period(world, progress):
    today = date.today()  # when the test runs, not when it was collected: a run may pass midnight
    admin = world.users["admin"]
    measure = planning.add_measure(
        admin,
        world.action,
        name="Children missing education reviewed weekly",
        unit="%",
        baseline_value=Decimal("40"),
        baseline_date=date(2022, 6, 1),
        target_value=Decimal("100"),
        target_date=date(2030, 6, 1),
        higher_is_better=True,
    )
    db.session.commit()
    old = progress(world.action, "Old news.", rag=Rag.AMBER)
    backdate(old, datetime.combine(today - timedelta(days=60), datetime.min.time()))
    progress(
        world.action,
        "Recruitment slipped.",
        rag=Rag.RED,
        due_date=date(2031, 3, 31),
        due_date_reason="Recruitment delayed",
        measure_values={measure.id: (Decimal("75"), today)},
    )
    progress(world.action, "Done.", status=ActionStatus.COMPLETE, evidence=("Audit report",))
    progress(world.action, "Not yet approved.", approve=False, rag=Rag.AMBER)

    since, until = default_period(today)
    report = build_report(world.inspection, since, until, today)
    (recommendation,) = report.recommendations
    assert [c.reference for c in recommendation.completed] == ["1.1"]
    assert [(c.old, c.new) for c in recommendation.rag_changes] == [
        (Rag.AMBER, Rag.RED),
        (Rag.RED, Rag.BLUE),
    ]
    (slip,) = recommendation.slips
    assert (slip.old_due, slip.new_due, slip.reason) == (
        date(2030, 6, 30),
        date(2031, 3, 31),
        "Recruitment delayed",
    )
    (move,) = recommendation.measures
    assert (move.old, move.new) == (Decimal("40"), Decimal("75"))
    assert report.summary.startswith(
        "In this period 1 action was completed, 2 RAG ratings were changed and 1 due date was "
        "moved back; 1 measure of success moved."
    )
    # The 60-day-old approval is outside the period: its Green to Amber change is not listed.
    earlier = build_report(world.inspection, today - timedelta(days=90), since, today)
    assert [(c.old, c.new) for c in earlier.recommendations[0].rag_changes] == [
        (Rag.GREEN, Rag.AMBER)
    ]
    assert earlier.recommendations[0].completed == []

    document = Document(io.BytesIO(render_report_docx(report)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Recommendation for noting" in text
    assert "1.1: 30 June 2030 to 31 March 2031. Reason: Recruitment delayed" in text
    assert "1.1 Children missing education reviewed weekly: 40% to 75% (on course)" in text
    assert "Not yet approved" not in text
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Recommendation for noting", "1.0 Purpose", "2.0 Summary"]
    with pdfplumber.open(io.BytesIO(render_report_pdf(report))) as pdf:
        pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Progress on the Ofsted action plan" in pdf_text
    assert "Recruitment delayed" in pdf_text


def test_a_quiet_period_says_so(world):
    today = date.today()
    report = build_report(world.inspection, date(2020, 1, 1), date(2020, 1, 31), today)
    assert report.recommendations[0].quiet
    assert "0 actions were completed" in report.summary


def test_report_page_and_downloads(world, login, progress):
    today = date.today()
    progress(world.action, "Done.", status=ActionStatus.COMPLETE, evidence=("Audit report",))
    client = login("viewer")
    page = text_of(client.get(f"/inspections/{world.inspection.id}/report"))
    assert "Actions completed 1.1 Track children missing from education weekly." in page
    since = default_period(today)[0].isoformat()
    url = f"/inspections/{world.inspection.id}/report/export.docx?since={since}&until={today}"
    document = Document(io.BytesIO(client.get(url).get_data()))
    assert any("Track children missing" in p.text for p in document.paragraphs)
    bad = f"/inspections/{world.inspection.id}/report?since-day=31&since-month=2&since-year=2024"
    response = client.get(bad + "&until-day=1&until-month=3&until-year=2024")
    assert response.status_code == 200 and "Error:" in text_of(response)
    backwards = (
        f"/inspections/{world.inspection.id}/report/export.pdf?since={today}&until=2020-01-01"
    )
    assert client.get(backwards).status_code == 400
