"""The plan as a council sends it: introduction, summary, both keys, judgement areas,
paragraph references, two ratings, deadlines as facts, the logo, publication."""

import csv
import io
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

import pdfplumber
import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from tests.conftest import text_of
from workflow.core.errors import RuleError
from workflow.core.rag import EXCEPTION_RULE, definitions
from workflow.core.storage import current_store
from workflow.extensions import db
from workflow.models import AuditEvent, PlanVersion, Rag
from workflow.planning import rules as planning
from workflow.plans import versions
from workflow.plans.builder import build_plan, text_blocks
from workflow.plans.exports import export_plan
from workflow.plans.logo import check_logo, set_logo
from workflow.plans.render.tracker import COLUMNS

INTRODUCTION = "We accept every recommendation.\n\nOur priorities:\n- missing children;\n- PEPs."
CLEAN_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40" width="100" height="40">'
    b'<rect width="100" height="40" fill="#005a5b"/></svg>'
)


def one_pixel_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def rich_plan(world, progress):
    """An action whose due date moved, with a measure off course, under a judgement area."""
    admin = world.users["admin"]
    world.recommendation.judgement_area = "The experiences and progress of children in care"
    world.recommendation.paragraph_numbers = [31, 12]
    world.recommendation.senior_lead = "Sarah Lead"
    world.inspection.plan_introduction = INTRODUCTION
    measure = planning.add_measure(
        admin,
        world.action,
        name="PEPs rated good",
        unit="%",
        baseline_value=Decimal("55.3"),
        baseline_date=date(2019, 3, 31),
        target_value=Decimal("85"),
        target_date=date.today() + timedelta(days=30),
        higher_is_better=True,
    )
    db.session.commit()
    progress(
        world.action,
        "Audits under way.",
        rag=Rag.AMBER,
        due_date=date(2031, 3, 31),
        due_date_reason="Recruitment delayed",
        measure_values={measure.id: (Decimal("60"), date.today() - timedelta(days=10))},
        evidence=("Audit schedule",),
    )
    return build_plan(world.inspection, date.today())


def test_the_builder_carries_both_ratings_and_the_keys(world, rich_plan):
    plan = rich_plan
    (action,) = plan.recommendations[0].actions
    assert action.rag is Rag.AMBER and action.due_date_reason == "Recruitment delayed"
    (measure,) = action.measures
    assert measure.impact == "Off course"
    assert measure.figures.startswith("60% in ") and "against a target of 85% by" in measure.figures
    assert measure.figures.endswith("from 55.3% in March 2019")
    assert [rag for rag, _ in plan.rag_key] == list(Rag)
    assert plan.rag_key == definitions(world.authority)  # the rules the ratings follow
    assert plan.rag_key[0][1].startswith("Not complete and past its due date")
    # Amber with a measure off course is not what the rules give: the reviewer's exception
    # (the factory's) is carried beside the rating.
    assert action.rag_exception == "Agreed at the improvement board."
    assert action.exception_line.startswith("Exception agreed by Hugo Head on ")
    assert [word for word, _ in plan.impact_key] == ["Met", "On course", "Off course", "No data"]
    assert dict(plan.summary.by_delivery)["Amber"] == 1
    assert dict(plan.summary.by_impact)["Off course"] == 1
    (area,) = plan.judgement_areas()
    assert area.title == "The experiences and progress of children in care"
    assert plan.recommendations[0].paragraph_reference == "Report paragraphs 12 and 31"


def test_a_measure_without_recent_values_reads_no_data_since(world, progress):
    planning.add_measure(
        world.users["admin"],
        world.action,
        name="Return interviews",
        unit="%",
        baseline_value=Decimal("40"),
        baseline_date=date(2022, 6, 1),
        target_value=Decimal("90"),
        target_date=date(2030, 6, 1),
        higher_is_better=True,
    )
    db.session.commit()
    (measure,) = build_plan(world.inspection, date.today()).recommendations[0].actions[0].measures
    assert measure.impact_word == "No data since 1 June 2022"
    assert measure.figures == (
        "No value reported yet against a target of 90% by 1 Jun 2030, from 40% in June 2022"
    )


def test_the_introduction_keeps_paragraphs_and_lists():
    assert text_blocks(INTRODUCTION) == [
        ("p", ["We accept every recommendation."]),
        ("p", ["Our priorities:"]),
        ("ul", ["missing children;", "PEPs."]),
    ]


def test_every_format_carries_the_document(world, rich_plan):
    plan = rich_plan
    (plan_action,) = plan.recommendations[0].actions
    red_rule = dict(definitions(world.authority))[Rag.RED]
    word = Document(io.BytesIO(export_plan(plan, "docx")))
    paragraphs = [p.text for p in word.paragraphs]
    assert "We accept every recommendation." in paragraphs
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["missing children;", "PEPs."]
    assert "The experiences and progress of children in care" in paragraphs
    assert "Report paragraphs 12 and 31 · Senior lead: Sarah Lead" in paragraphs
    rec_text = next(p for p in word.paragraphs if p.text == world.recommendation.text)
    assert rec_text.paragraph_format.keep_with_next
    row = [c.text for c in word.tables[-1].rows[1].cells]
    assert "Due (revised): 31 Mar 2031\nReason: Recruitment delayed" in row[3]
    assert row[5].split("\n") == ["Amber", plan_action.exception_line] and "Off course." in row[6]
    rag_key = [[c.text for c in r.cells] for r in word.tables[5].rows]
    assert rag_key[1] == ["Red", red_rule]

    with pdfplumber.open(io.BytesIO(export_plan(plan, "pdf"))) as pdf:
        text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for expected in [
        "Introduction from the Director of Children's Services",
        "Summary of progress",
        "Delivery rating (RAG) key",
        "Impact key",
        "Report paragraphs 12 and 31",
        "Off course",
    ]:
        assert expected in text
    assert "working day" not in text and "intranet.example" not in text
    # The exception beside the rating (its words, as the narrow column wraps them), and the
    # rule for exceptions under the key.
    assert all(word in text for word in plan_action.exception_line.split())
    assert EXCEPTION_RULE in text

    rows = list(csv.reader(io.StringIO(export_plan(plan, "csv").decode("utf-8-sig"))))
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["Recommendation text"] == world.recommendation.text
    assert row["Judgement area"] == "The experiences and progress of children in care"
    assert row["Report paragraphs"] == "12, 31"
    assert row["Delivery rating (RAG)"] == "Amber" and row["Impact"] == "Off course"
    assert row["RAG exception"] == plan_action.exception_line
    assert row["Reason due date revised"] == "Recruitment delayed"
    assert row["Evidence"] == "Audit schedule"  # the title, never the internal address
    book = load_workbook(io.BytesIO(export_plan(plan, "xlsx")))
    keys = [r for r in book["Keys"].iter_rows(values_only=True)]
    assert keys[1] == ("Red", red_rule)

    page = export_plan(plan, "html").decode()
    assert '<a class="govuk-link" href="https://intranet.example/doc">Audit schedule</a>' in page
    assert "working day" not in page


def test_no_issued_format_counts_working_days(world, progress):
    """Received long ago: on screen the deadline has passed, on paper it is a date."""
    world.inspection.received_on = date(2022, 5, 18)
    db.session.commit()
    plan = build_plan(world.inspection, date.today())
    for fmt in ("docx", "pdf", "xlsx", "csv", "html"):
        data = export_plan(plan, fmt)
        if fmt == "docx":
            document = Document(io.BytesIO(data))
            text = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        elif fmt == "pdf":
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                text = " ".join(page.extract_text() for page in pdf.pages)
        elif fmt == "xlsx":
            book = load_workbook(io.BytesIO(data))
            text = " ".join(str(v) for s in book for r in s.iter_rows(values_only=True) for v in r)
        else:
            text = data.decode("utf-8-sig")
        assert "working day" not in text.lower(), fmt
        assert "passed" not in text.lower(), fmt


def test_the_director_edits_the_introduction(world, login):
    client = login("director")
    url = f"/inspections/{world.inspection.id}/plan/introduction"
    page = text_of(client.get(url))
    assert "Your introduction to the plan" in page
    response = client.post(
        url, data={"introduction": INTRODUCTION, "version": world.inspection.version}
    )
    assert response.status_code == 302
    db.session.refresh(world.inspection)
    assert world.inspection.plan_introduction == INTRODUCTION
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "introduction_edited"))
    assert event.actor_name == "Dina Director"
    stale = client.post(url, data={"introduction": "Lost", "version": 0})
    assert "changed" in text_of(stale) and world.inspection.plan_introduction == INTRODUCTION


def test_logos_are_checked_by_their_content(world):
    png = one_pixel_png()
    assert check_logo(png).mimetype == "image/png"
    checked = check_logo(CLEAN_SVG)
    assert checked.mimetype == "image/svg+xml" and checked.png.startswith(b"\x89PNG")
    refused = {
        b"GIF89a....": "must be a PNG or an SVG",
        png[:40]: "damaged",
        CLEAN_SVG.replace(b"<rect", b"<script>alert(1)</script><rect"): "script",
        CLEAN_SVG.replace(b"<rect", b'<rect onload="alert(1)"'): "event handlers",
        CLEAN_SVG.replace(
            b"<rect", b'<use href="https://evil.example/x.svg#a"/><rect'
        ): "another file",
        CLEAN_SVG.replace(
            b"<rect", b'<rect style="fill:url(https://evil.example/)"'
        ): "another file",
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + CLEAN_SVG: "entities",
        CLEAN_SVG.replace(
            b"<rect", b"<foreignObject><p>x</p></foreignObject><rect"
        ): "foreignObject",
        b"<svg" + b" " * 1_000_001: "smaller than 1 MB",
    }
    for data, message in refused.items():
        with pytest.raises(RuleError, match=message):
            check_logo(data)


def test_an_administrator_uploads_the_logo_and_the_cover_shows_it(world, login):
    client = login("admin")
    response = client.post(
        "/settings/logo",
        data={"logo": (io.BytesIO(CLEAN_SVG.replace(b"<rect", b"<script/><rect")), "logo.svg")},
        content_type="multipart/form-data",
    )
    assert "script" in text_of(response) and world.authority.logo is None
    response = client.post(
        "/settings/logo",
        data={"logo": (io.BytesIO(CLEAN_SVG), "logo.png")},  # the name is not believed
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.refresh(world.authority)
    assert world.authority.logo_type == "image/svg+xml"
    image = client.get("/settings/logo/image")
    assert (
        image.mimetype == "image/svg+xml"
        and "default-src 'none'" in image.headers["Content-Security-Policy"]
    )
    plan = build_plan(world.inspection, date.today())
    document = Document(io.BytesIO(export_plan(plan, "docx")))
    assert len(document.inline_shapes) == 1  # the PNG drawn from the SVG
    page = export_plan(plan, "html").decode()
    assert 'alt="Northbrook Council logo"' in page and "data:image/svg+xml;base64," in page
    pdf = export_plan(plan, "pdf")
    assert figure_alt_texts(pdf) == ["Northbrook Council logo"]


def figure_alt_texts(pdf: bytes) -> list[str]:
    """The alternative text of every figure in a tagged PDF's structure tree."""
    from pypdf import PdfReader

    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "get"):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])

    walk(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_a_png_logo_goes_into_word_as_it_is(world):
    set_logo(world.users["admin"], world.authority, one_pixel_png())
    document = Document(io.BytesIO(export_plan(build_plan(world.inspection, date.today()), "docx")))
    assert len(document.inline_shapes) == 1


def issue(world, approved: bool = True) -> PlanVersion:
    details = versions.IssueDetails(
        sent_to_ofsted_on=date(2022, 8, 26),
        lead_member_name="Cllr Jane Morris",
        lead_member_signed_on=date(2022, 8, 24),
        approved_by="Cabinet" if approved else None,
        approved_on=date(2022, 8, 24) if approved else None,
        approval_reference="Minute 45/22" if approved else None,
    )
    version = versions.issue_plan(world.users["director"], world.inspection, details, date.today())
    db.session.commit()
    return version


def test_approval_must_come_before_sending(world):
    details = versions.IssueDetails(
        sent_to_ofsted_on=date(2022, 8, 26),
        lead_member_name="Cllr Jane Morris",
        lead_member_signed_on=date(2022, 8, 24),
        approved_by="Cabinet",
        approved_on=date(2022, 9, 1),
    )
    with pytest.raises(RuleError, match="approved on or before"):
        versions.issue_plan(world.users["director"], world.inspection, details, date.today())


def test_a_published_version_is_public_and_withdrawn_at_once(world, login, progress, client):
    progress(world.action, "Tracker in use.", evidence=("Case notes folder",))
    unapproved = issue(world, approved=False)
    with pytest.raises(RuleError, match="Record who approved"):
        versions.publish_version(world.users["director"], unapproved, date.today())
    version = issue(world)
    director = login("director")
    assert director.post(f"/plan-versions/{version.id}/publish").status_code == 302
    db.session.refresh(version)
    assert version.published_on == date.today() and len(version.public_token) >= 32
    plan_page = text_of(director.get(f"/inspections/{world.inspection.id}/plan"))
    assert f"/published/{version.public_token}" in plan_page
    director.post("/sign-out")

    public = client.get(f"/published/{version.public_token}")  # nobody signed in
    assert public.status_code == 200
    html = public.get_data(as_text=True)
    assert "Tracker in use." in html and "Case notes folder" in html
    assert "intranet.example" not in html  # evidence by title only
    assert f'href="/published/{version.public_token}/plan.pdf"' in html
    pdf = client.get(f"/published/{version.public_token}/plan.pdf")
    assert pdf.get_data() == versions.frozen_file(version, "pdf", current_store())
    assert client.get("/published/" + "x" * 32).status_code == 404

    token = version.public_token
    versions.withdraw_publication(world.users["director"], version)
    db.session.commit()
    assert client.get(f"/published/{token}").status_code == 404
    verbs = db.session.scalars(
        sa.select(AuditEvent.verb).where(AuditEvent.object_id == version.id)
    ).all()
    assert verbs.count("published") == 1 and "unpublished" in verbs


def test_a_version_with_uncleared_personal_data_is_not_published(world, progress):
    version = issue(world)
    snapshot = dict(version.snapshot)
    snapshot["introduction"] = "Contact the team on 07700 900123."
    version.snapshot = snapshot
    db.session.commit()
    with pytest.raises(RuleError, match="personal-data check"):
        versions.publish_version(world.users["director"], version, date.today())


def test_the_web_worker_starts_without_the_renderers():
    code = (
        "import sys; from workflow import create_app; create_app({'SQLALCHEMY_DATABASE_URI': "
        "'sqlite://'}); heavy = {'weasyprint', 'typst', 'docx', 'openpyxl', 'pypdfium2'}"
        " & set(sys.modules);"
        " print(sorted(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_directors_home_says_what_each_plan_waits_for(world, login):
    client = login("director")
    assert "Approval and sending to Ofsted" in text_of(client.get("/"))
    version = issue(world, approved=False)
    assert "Version 1: its approval to be recorded" in text_of(client.get("/"))
    version.approved_by, version.approved_on = "Cabinet", date(2022, 8, 24)
    db.session.commit()
    assert "Version 1: sending to the Department for Education" in text_of(client.get("/"))
    version.sent_to_dfe_on = date(2022, 8, 26)
    db.session.commit()
    assert "Version 1: publication" in text_of(client.get("/"))
    versions.publish_version(world.users["director"], version, date.today())
    db.session.commit()
    page = text_of(client.get("/"))
    assert "Every plan is issued, approved, sent and published, and up to date." in page


def test_the_director_redacts_an_approved_update(world, login, progress):
    from workflow.models import ProgressUpdate, UpdateRedaction

    update = progress(world.action, "Karen Jones met the family at 14 Acacia Avenue.")
    client = login("director")
    url = f"/updates/{update.id}/redact"
    page = text_of(client.get(url))
    assert "“Karen Jones” (person's name)" in page
    unchanged = client.post(
        url, data={"narrative": update.narrative, "reason": "Names", "version": update.version}
    )
    assert "Change the text" in text_of(unchanged)
    redacted = "The social worker met the family at home."
    response = client.post(
        url,
        data={
            "narrative": redacted,
            "reason": "Named a worker and an address",
            "version": update.version,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgressUpdate, update.id).narrative == redacted
    kept = db.session.scalar(
        sa.select(UpdateRedaction).where(UpdateRedaction.update_id == update.id)
    )
    assert kept.original_narrative == "Karen Jones met the family at 14 Acacia Avenue."
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "redacted"))
    assert event.changes == {"reason": "Named a worker and an address"}  # never the original
    plan = build_plan(world.inspection, date.today())
    assert plan.recommendations[0].actions[0].progress == redacted
    shown = text_of(login("viewer").get(f"/updates/{update.id}"))
    assert redacted in shown and "Karen Jones" not in shown
    assert "Redact personal data" not in shown  # only a director redacts
