"""The annual self-evaluation pack: the director's narrative, the plan's measures and
actions by judgement area, what changed in the period; Word and PDF, reopened."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pdfplumber
from docx import Document

from tests.conftest import text_of
from workflow.extensions import db
from workflow.models import Rag
from workflow.planning import rules as planning

AREA = "The experiences and progress of children in care"


def test_the_director_writes_the_narrative_and_the_pack_carries_it(world, login, progress):
    world.recommendation.judgement_area = AREA
    measure = planning.add_measure(
        world.users["admin"],
        world.action,
        name="Children seen within 5 days",
        unit="%",
        baseline_value=Decimal("55.3"),
        baseline_date=date(2019, 3, 31),
        target_value=Decimal("85"),
        target_date=date(2030, 3, 31),
        higher_is_better=True,
    )
    db.session.commit()
    progress(
        world.action,
        "Seen faster.",
        rag=Rag.AMBER,
        measure_values={measure.id: (Decimal("77.5"), date.today() - timedelta(days=5))},
    )
    client = login("director")
    url = f"/inspections/{world.inspection.id}/self-evaluation"
    page = text_of(client.get(url))
    assert "Self-evaluation of social work practice" in page and AREA in page
    sections = {"version": world.inspection.version, "section-0": "Demand is managed well."}
    labels = [label for label in page.split("Narrative", 1)[1].split("Save narrative")[0].split()]
    assert labels  # the form lists the overview and each area
    sections["section-1"] = "Practice with children in care is improving."
    response = client.post(url, data=sections)
    assert response.status_code == 302
    db.session.refresh(world.inspection)
    assert world.inspection.self_evaluation["overview"] == "Demand is managed well."
    since, until = (date.today() - timedelta(days=365)).isoformat(), date.today().isoformat()
    query = f"since={since}&until={until}"
    word = Document(io.BytesIO(client.get(f"{url}/export.docx?{query}").get_data()))
    paragraphs = [p.text for p in word.paragraphs]
    assert "Demand is managed well." in paragraphs
    assert "What we know about the quality and impact of practice" in paragraphs
    assert "What we are doing" in paragraphs and "What has changed in the period" in paragraphs
    measures = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    row = next(r for r in measures if r[0] == "Children seen within 5 days")
    assert (
        row[1].startswith("55.3%") and row[2].startswith("77.5%") and row[4].startswith("Improving")
    )
    # Amber where the rules give green: the reviewer's exception is written under it.
    assert any(r[-1].startswith("Amber\nException agreed by Hugo Head") for r in measures)
    assert any("RAG" in p or "Amber" in p for p in paragraphs)  # the change in the period
    pdf = client.get(f"{url}/export.pdf?{query}").get_data()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(" ".join(page.extract_text() for page in document.pages).split())
    assert "Self-evaluation of social work practice" in text and "Demand is managed well." in text
    assert "Improving" in text


def test_only_the_director_writes_the_narrative(world, login):
    url = f"/inspections/{world.inspection.id}/self-evaluation"
    viewer = login("viewer")
    assert "Save narrative" not in text_of(viewer.get(url))
    assert viewer.post(url, data={"section-0": "x"}).status_code == 403
