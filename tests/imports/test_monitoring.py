"""Monitoring visit letters: each area the visit covered becomes a note on the recommendation
of the last inspection it is about (matched by wording, or chosen by the administrator),
shown on the recommendation's page and the inspection's, never a new recommendation.

The real reports in the shared folder hold no monitoring letter: these are the tests' own
letters (tests/fixtures), written to the shape of Ofsted's.
"""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import FIXTURES, make_inspection
from tests.imports.parse.importer_builders import letter_pdf
from workflow.extensions import db
from workflow.imports.monitoring import earlier_inspection
from workflow.imports.parse import parse_file
from workflow.imports.parse.links import best_matches
from workflow.models import (
    AuditEvent,
    Inspection,
    InspectionKind,
    MonitoringNote,
    Recommendation,
    ReportImport,
)
from workflow.planning import rules as planning

LETTER = (FIXTURES / "northbrook-monitoring-visit.txt").read_bytes()
SECOND_LETTER = (FIXTURES / "northbrook-monitoring-visit-dated.txt").read_bytes()
# The areas for priority action of an inadequate inspection, in the report's own words.
PRIORITY_ACTIONS = (
    "The quality and timeliness of assessments and plans for children in need of help and "
    "protection, so that plans say what needs to change and by when.",
    "Management oversight and supervision of social work practice, so that drift and delay "
    "for children are identified and addressed.",
    "The response to children who go missing from home or care, including the quality of "
    "return home interviews.",
    "The sufficiency of homes for children in care, so that children live close to their "
    "families and schools.",
    "The quality of pathway plans for care leavers, so that they reflect young people's views.",
)


@pytest.fixture
def inadequate(world) -> Inspection:
    admin = world.users["admin"]
    inspection = make_inspection(
        admin,
        start_date=date(2023, 1, 9),
        end_date=date(2023, 1, 20),
        published_on=date(2023, 3, 1),
        lead_inspector="Priya Shah",
    )
    for number, text in enumerate(PRIORITY_ACTIONS, start=1):
        planning.create_recommendation(
            admin, inspection, number=number, text=text, senior_lead=None, priority=True
        )
    db.session.commit()
    return inspection


def upload(client, content: bytes = LETTER, name: str = "monitoring-visit.txt"):
    response = client.post(
        "/imports/new",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))


def choices(report_import, *values) -> dict:
    data = {"version": str(report_import.version)}
    data.update({f"areas-{i}": value for i, value in enumerate(values)})
    return data


def ids(inspection: Inspection) -> list[str]:
    return [str(r.id) for r in inspection.recommendations]


def notes() -> list[MonitoringNote]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(MonitoringNote).order_by(MonitoringNote.id)))


def test_the_letters_areas_and_findings_are_read():
    report = parse_file(LETTER, "monitoring-visit.txt")
    assert report.kind == "monitoring" and report.authority == "Northbrook"
    assert (report.start_date, report.end_date) == (date(2023, 5, 16), date(2023, 5, 17))
    assert report.lead_inspector == "Priya Shah"
    assert [area.text[:40] for area in report.areas] == [
        "The quality and timeliness of assessment",
        "Management oversight and supervision of ",
        "The response to children who go missing ",
        "Leaders' use of performance information ",
    ]
    findings = [area.findings[0][:40] for area in report.areas]
    assert findings == [
        "Assessments are now completed more quick",
        "Social workers receive supervision more ",
        "Return home interviews are now offered t",
        "Leaders have introduced a monthly audit ",
    ]
    every = [finding for area in report.areas for finding in area.findings]
    assert not any(f.startswith(("Ofsted will take", "This visit was carried")) for f in every)


def test_the_letter_as_a_pdf_gives_the_same_areas_and_findings():
    from_text = parse_file(LETTER, "monitoring-visit.txt")
    from_pdf = parse_file(letter_pdf(LETTER.decode()), "monitoring-visit.pdf")
    assert from_pdf.kind == "monitoring" and from_pdf.start_date == from_text.start_date
    assert from_pdf.areas == from_text.areas


def test_an_area_named_in_a_sentence_and_dates_on_their_own_line_are_read():
    report = parse_file(SECOND_LETTER, "second-visit.txt")
    assert (report.start_date, report.end_date) == (date(2023, 10, 10), date(2023, 10, 11))
    assert report.lead_inspector == "Tom Whitfield"
    [area] = report.areas
    assert area.text.startswith("The sufficiency of homes for children in care, with a focus")
    assert len(area.findings) == 2 and "Fewer children now live" in " ".join(area.findings)


def test_areas_are_matched_to_recommendations_by_wording_and_only_clear_ones_are_taken():
    report = parse_file(LETTER, "monitoring-visit.txt")
    matches = best_matches([a.text for a in report.areas], list(PRIORITY_ACTIONS))
    assert [(m.index, m.confident) for m in matches[:3]] == [(0, True), (1, True), (2, True)]
    assert not matches[3].confident  # performance information and audit: no recommendation


def test_a_monitoring_letter_becomes_notes_on_the_last_inspections_recommendations(
    world, login, inadequate
):
    client = login("admin")
    report_import = upload(client)
    assert report_import.status == "ready"
    assert report_import.parsed["earlier_inspection_id"] == inadequate.id
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "Areas the visit covered" in page and "Recorded against" in page
    assert "Its wording matches recommendation 1." in page
    assert "Return home interviews are now offered" in page  # the findings, under each area
    # The clear matches are chosen already; the fourth area matches nothing clearly, and
    # the page will not guess.
    html = client.get(f"/imports/{report_import.id}").get_data(as_text=True)
    selected = re.findall(r'<option value="([^"]*)" selected>', html)
    assert selected == ids(inadequate)[:3] + [""]
    response = client.post(f"/imports/{report_import.id}", data=choices(report_import, *selected))
    page = text_of(response)
    assert "Select the recommendation area 4 is about, or choose not to record it" in page
    assert "recommendation area 1 is about, or" not in page and notes() == []
    first, second, third, fourth, fifth = ids(inadequate)
    response = client.post(
        f"/imports/{report_import.id}",
        data=choices(report_import, first, second, third, "none"),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/inspections/{inadequate.id}")
    recorded = notes()
    assert [(n.recommendation_id, n.visit_start, n.inspector) for n in recorded] == [
        (int(first), date(2023, 5, 16), "Priya Shah"),
        (int(second), date(2023, 5, 16), "Priya Shah"),
        (int(third), date(2023, 5, 16), "Priya Shah"),
    ]
    assert recorded[2].findings[0].startswith("Return home interviews are now offered")
    # No recommendation, no inspection was added: the visit is the last inspection's.
    assert db.session.scalar(sa.select(sa.func.count(Recommendation.id))) == 2 + 5
    kinds = db.session.scalars(sa.select(Inspection.kind)).all()
    assert InspectionKind.MONITORING_VISIT not in kinds
    assert db.session.get(ReportImport, report_import.id).inspection_id == inadequate.id
    events = db.session.scalars(
        sa.select(AuditEvent.verb).where(AuditEvent.object_type == "monitoring_note")
    ).all()
    assert events == ["recorded"] * 3
    recommendation_page = text_of(client.get(f"/recommendations/{third}"))
    assert "What monitoring visits found" in recommendation_page
    assert "Monitoring visit, 16 May 2023 to 17 May 2023, led by Priya Shah" in recommendation_page
    assert "Return home interviews are now offered" in recommendation_page
    assert "What monitoring visits found" not in text_of(client.get(f"/recommendations/{fifth}"))
    inspection_page = text_of(client.get(f"/inspections/{inadequate.id}"))
    assert "Monitoring visits since the inspection" in inspection_page
    assert "Recommendation 3 : The response to children who go missing" in inspection_page
    plan_page = text_of(client.get(f"/inspections/{inadequate.id}/plan"))
    assert "Monitoring visits since the inspection 16 May 2023 to 17 May 2023" in plan_page


def test_an_unclear_area_can_be_given_to_the_recommendation_the_administrator_chooses(
    world, login, inadequate
):
    client = login("admin")
    report_import = upload(client)
    first, second, third, fourth, fifth = ids(inadequate)
    client.post(
        f"/imports/{report_import.id}",
        data=choices(report_import, first, second, third, second),
    )
    assert [n.recommendation_id for n in notes()] == [int(first), int(second), int(third)] + [
        int(second)
    ]
    page = text_of(client.get(f"/recommendations/{second}"))
    assert page.count("Monitoring visit, 16 May 2023") == 1  # one visit, two areas under it
    assert page.count("The inspectors reviewed progress in:") == 2


def test_importing_the_visit_again_replaces_its_notes(world, login, inadequate):
    client = login("admin")
    first, second, third, *_ = ids(inadequate)
    report_import = upload(client)
    client.post(
        f"/imports/{report_import.id}", data=choices(report_import, first, second, third, "none")
    )
    again = upload(client)
    assert "This visit was recorded before" in text_of(client.get(f"/imports/{again.id}"))
    client.post(f"/imports/{again.id}", data=choices(again, first, "none", "none", "none"))
    assert [(n.recommendation_id, n.report_import_id) for n in notes()] == [(int(first), again.id)]


def test_a_second_visit_named_in_a_sentence_is_matched_too(world, login, inadequate):
    client = login("admin")
    report_import = upload(client, SECOND_LETTER, "second.txt")
    fourth = str(inadequate.recommendations[3].id)
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "Its wording matches recommendation 4." in page
    response = client.post(f"/imports/{report_import.id}", data=choices(report_import, fourth))
    assert response.status_code == 302
    [note] = notes()
    assert (note.recommendation_id, note.visit_end) == (int(fourth), date(2023, 10, 11))


@pytest.mark.parametrize(
    "posted, message",
    [
        ("999999", "Select a recommendation from the list for area 1"),
        ("1 OR 1=1", "Select a recommendation from the list for area 1"),
        ("<script>alert(1)</script>", "Select a recommendation from the list for area 1"),
        ("", "Select the recommendation area 1 is about"),
    ],
)
def test_a_choice_not_offered_is_refused_and_nothing_is_recorded(
    world, login, inadequate, posted, message
):
    client = login("admin")
    report_import = upload(client)
    response = client.post(
        f"/imports/{report_import.id}",
        data=choices(report_import, posted, "none", "none", "none"),
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert notes() == []


def test_another_authoritys_recommendation_cannot_be_chosen(world, login, inadequate):
    client = login("admin")
    report_import = upload(client)
    theirs = str(world.other_recommendation.id)
    response = client.post(
        f"/imports/{report_import.id}", data=choices(report_import, theirs, "none", "none", "none")
    )
    assert "Select a recommendation from the list for area 1" in text_of(response)
    assert notes() == []


def test_more_areas_posted_than_the_letter_has_are_refused(world, login, inadequate):
    client = login("admin")
    report_import = upload(client)
    first = ids(inadequate)[0]
    data = choices(report_import, first, "none", "none", "none", first)
    response = client.post(f"/imports/{report_import.id}", data=data)
    assert "The list of areas has changed" in text_of(response)
    assert notes() == []


def test_without_an_earlier_inspection_the_letter_says_what_to_do_first(world, login):
    client = login("admin")
    # The council's one inspection comes after the visit: there is nothing it follows up.
    world.inspection.start_date, world.inspection.end_date = date(2023, 9, 1), date(2023, 9, 5)
    db.session.commit()
    report_import = upload(client)
    assert report_import.parsed["earlier_inspection_id"] is None
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "There is no earlier inspection of Northbrook Council" in page
    assert "Record the visit" not in page
    data = choices(report_import, "none", "none", "none", "none")
    response = client.post(f"/imports/{report_import.id}", data=data)
    assert "There is no earlier inspection to record this visit against" in text_of(response)


def test_the_last_inspection_is_the_latest_before_the_visit(world, inadequate):
    later = make_inspection(
        world.users["admin"],
        start_date=date(2024, 2, 5),
        end_date=date(2024, 2, 9),
        published_on=None,
    )
    visit = make_inspection(
        world.users["admin"],
        kind=InspectionKind.MONITORING_VISIT,
        start_date=date(2023, 5, 1),
        end_date=date(2023, 5, 2),
        published_on=None,
    )
    assert earlier_inspection(world.authority.id, date(2023, 5, 16)) == inadequate
    assert earlier_inspection(world.authority.id, date(2024, 3, 1)) == later
    assert earlier_inspection(world.authority.id, date(2023, 5, 3)) not in (visit, None)


def test_the_command_line_does_not_turn_a_letter_into_recommendations(runner, world):
    path = FIXTURES / "northbrook-monitoring-visit.txt"
    result = runner.invoke(
        args=["import-report", str(path), "--authority", "Northbrook Council", "--yes"]
    )
    assert result.exit_code != 0
    assert "recorded against the last inspection's recommendations" in result.output
