"""Joint targeted area inspection letters: a plan for the partnership, whose partners (the
council, the integrated care board, the police, probation...) are recognised, shown for
review, kept on the inspection, and whose areas for improvement are its recommendations.

The real reports in the shared folder hold no JTAI letter: these are the tests' own letters
(tests/fixtures and tests/imports/parse/fixtures), written to the shape of the inspectorates'.
"""

import io

import pytest
import sqlalchemy as sa

from tests.conftest import text_of
from tests.factories import FIXTURES
from tests.imports.parse.importer_builders import fixture_bytes, letter_pdf
from workflow.extensions import db
from workflow.imports.parse import Partner, parse_file, parse_text
from workflow.imports.parse.letters import partner_role
from workflow.models import AuditEvent, Inspection, InspectionKind, ReportImport

LETTER = (FIXTURES / "northbrook-jtai.txt").read_bytes()
NORTHBROOK_PARTNERS = [
    Partner("Local authority", "Northbrook Council"),
    Partner("Integrated care board", "NHS Northbrook and Westdale Integrated Care Board"),
    Partner("Police", "Northbrook Police"),
    Partner("Probation", "Probation Service Northbrook"),
    Partner("Safeguarding partnership", "Northbrook Safeguarding Children Partnership"),
]


def upload(client, content: bytes = LETTER) -> ReportImport:
    response = client.post(
        "/imports/new",
        data={"file": (io.BytesIO(content), "jtai.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return db.session.scalar(sa.select(ReportImport).order_by(ReportImport.id.desc()))


def review_data(report_import, partners: str, intent: str = "confirm") -> dict:
    data = {"version": str(report_import.version), "partners": partners, "intent": intent}
    for i, item in enumerate(report_import.parsed["recommendations"]):
        data[f"rows-{i}-text"] = item["text"]
        data[f"rows-{i}-position"] = str(item["number"])
    return data


def jtai() -> Inspection:
    db.session.rollback()
    return db.session.scalar(sa.select(Inspection).where(Inspection.kind == InspectionKind.JTAI))


def test_the_partners_the_letter_is_addressed_to_are_recognised():
    report = parse_file(LETTER, "jtai.txt")
    assert report.kind == "jtai" and report.authority == "Northbrook"
    assert report.partners == NORTHBROOK_PARTNERS
    assert len(report.recommendations) == 3
    assert report.to_json_dict()["partners"][2] == {"role": "Police", "name": "Northbrook Police"}


def test_the_letter_as_a_pdf_names_the_same_partners():
    # A PDF runs the address block's lines into one block: each line is still one addressee.
    report = parse_file(letter_pdf(LETTER.decode()), "jtai.pdf")
    assert report.kind == "jtai" and report.partners == NORTHBROOK_PARTNERS


def test_older_letters_name_the_clinical_commissioning_group_and_the_board():
    report = parse_file(fixture_bytes("jtai_2018.txt"), "eastvale.txt")
    assert [(p.role, p.name) for p in report.partners] == [
        ("Local authority", "Eastvale Council"),
        ("Clinical commissioning group", "NHS Eastvale Clinical Commissioning Group"),
        ("Police", "Eastvale Police"),
        ("Police and crime commissioner", "Police and Crime Commissioner for Eastvale"),
        ("Safeguarding partnership", "Eastvale Local Safeguarding Children Board"),
    ]


def test_without_an_address_block_the_partners_named_in_the_text_are_taken():
    text = LETTER.decode()
    start, end = text.index("Claire Rowe"), text.index("Joint targeted area inspection of")
    body = text[:start] + text[end:]
    body = body.replace(
        "This letter summarises",
        "Northbrook Council, NHS Northbrook and Westdale Integrated Care Board and Northbrook "
        "Police asked for this inspection's findings to be shared widely.\n\nThis letter "
        "summarises",
    )
    report = parse_text(body)
    assert [p.name for p in report.partners] == [
        "Northbrook Council",
        "NHS Northbrook and Westdale Integrated Care Board",
        "Northbrook Police",
    ]


def test_a_letter_naming_no_partner_says_so():
    report = parse_file(fixture_bytes("jtai_2023.txt"), "harbourford.txt")
    assert report.partners == []
    assert any("names none of the partners" in note for note in report.notes)


@pytest.mark.parametrize(
    "name, role",
    [
        ("Kent and Medway Integrated Care Board", "Integrated care board"),
        ("Kent Police", "Police"),
        ("Devon and Cornwall Constabulary", "Police"),
        ("Kent County Council", "Local authority"),
        ("Leeds Youth Justice Service", "Youth justice"),
        ("Birmingham Children's Trust", "Local authority"),
        ("Sussex Partnership NHS Foundation Trust", "Health"),
        ("The Probation Service, Kent", "Probation"),
        ("Northbrook Food Bank", "Partner"),
    ],
)
def test_a_partners_role_is_told_from_its_name(name, role):
    assert partner_role(name) == role


def test_the_partnerships_plan_is_created_with_its_partners(world, login):
    client = login("admin")
    report_import = upload(client)
    page = text_of(client.get(f"/imports/{report_import.id}"))
    assert "Partners" in page and "A joint targeted area inspection reports" in page
    assert "Integrated care board NHS Northbrook and Westdale Integrated Care Board" in page
    html = client.get(f"/imports/{report_import.id}").get_data(as_text=True)
    assert "Police: Northbrook Police" in html  # in the box, to correct
    partners = "\n".join(f"{p.role}: {p.name}" for p in NORTHBROOK_PARTNERS)
    response = client.post(
        f"/imports/{report_import.id}", data=review_data(report_import, partners)
    )
    assert response.status_code == 302
    inspection = jtai()
    assert inspection.partners == [{"role": p.role, "name": p.name} for p in NORTHBROOK_PARTNERS]
    assert [r.text[:30] for r in inspection.recommendations] == [
        "The involvement of health prac",
        "The partnership's understandin",
        "The quality of return home int",
    ]
    page = text_of(client.get(f"/inspections/{inspection.id}"))
    assert "Partners" in page and "Probation Probation Service Northbrook" in page
    confirmed = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.verb == "confirmed").order_by(AuditEvent.id.desc())
    )
    assert confirmed.changes["partners"][0] == {
        "role": "Local authority",
        "name": "Northbrook Council",
    }


def test_the_administrator_corrects_and_adds_partners(world, login):
    client = login("admin")
    report_import = upload(client)
    partners = (
        "Local authority: Northbrook Council\n"
        "Health:   NHS Northbrook and Westdale Integrated Care Board  \n"
        "\n"
        "Northbrook Youth Justice Service\n"
    )
    client.post(f"/imports/{report_import.id}", data=review_data(report_import, partners))
    assert jtai().partners == [
        {"role": "Local authority", "name": "Northbrook Council"},
        {"role": "Health", "name": "NHS Northbrook and Westdale Integrated Care Board"},
        {"role": "Youth justice", "name": "Northbrook Youth Justice Service"},
    ]


@pytest.mark.parametrize(
    "partners, message",
    [
        ("Police: " + "N" * 300, "Each partner must be 200 characters or fewer"),
        ("\n".join(f"Partner {n}" for n in range(25)), "Enter at most 20 partners"),
        ("Police:", "Enter the name of the partner after 'Police:'"),
    ],
)
def test_partners_that_cannot_be_kept_are_refused_and_what_was_typed_stays(
    world, login, partners, message
):
    client = login("admin")
    report_import = upload(client)
    response = client.post(
        f"/imports/{report_import.id}", data=review_data(report_import, partners)
    )
    assert response.status_code == 200 and message in text_of(response)
    assert partners.split("\n")[0][:50] in response.get_data(as_text=True)
    assert jtai() is None


def test_markup_and_control_characters_in_a_partner_stay_plain_text(world, login):
    client = login("admin")
    report_import = upload(client)
    partners = "Police: <script>alert('x')</script> Northbrook\x00 Police\x07"
    client.post(f"/imports/{report_import.id}", data=review_data(report_import, partners))
    inspection = jtai()
    assert inspection.partners == [
        {"role": "Police", "name": "<script>alert('x')</script> Northbrook Police"}
    ]
    html = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_partners_are_asked_for_only_on_a_joint_inspections_review(world, login):
    client = login("admin")
    page = text_of(client.get(f"/imports/{world.report_import.id}"))
    assert "Partners named in the letter" not in page
