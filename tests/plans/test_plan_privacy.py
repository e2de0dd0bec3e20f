"""The personal-data check finds every planted identifier and nothing in clean text."""

from datetime import date

import pytest
import sqlalchemy as sa

from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.models import Authority, Inspection, PrivacyClearance
from workflow.plans.builder import build_plan
from workflow.plans.privacy import outstanding_hits, scan_plan, scan_text
from workflow.plans.versions import clear_hit

PLANTED = {
    "NHS number": "943 476 5919",
    "Date of birth": "DOB 03/04/2012",
    "Postcode": "WV1 1RG",
    "Phone number": "07700 900123",
    "Email address": "mum.jones@gmail.com",
    "Case or record number": "NB-123456",
    "Person's name": "Tyler Brown",
}


@pytest.fixture
def planted(world, progress):
    world.authority.case_reference_pattern = r"\bNB-\d{6}\b"
    world.action.description = f"Review for the young person Tyler Brown ({PLANTED['Postcode']})."
    world.action.measure_of_success = f"Call {PLANTED['Phone number']} weekly."
    db.session.commit()
    narrative = (
        "NHS 943 476 5919, DOB 03/04/2012, case NB-123456: "
        "officer@northbrook.example met mum.jones@gmail.com."
    )
    progress(world.action, narrative, evidence=("Letter to mum.jones@gmail.com",))
    return build_plan(world.inspection, date.today())


def test_every_planted_identifier_is_found_with_where_it_is(world, planted):
    hits = scan_plan(planted, world.authority)
    found = {(hit.kind, hit.text) for hit in hits}
    assert found >= set(PLANTED.items())
    where = {hit.text: hit.location for hit in hits}
    assert where["WV1 1RG"] == "Action 1.1: action"
    assert where["07700 900123"] == "Action 1.1: measure of success"
    assert where["943 476 5919"] == "Action 1.1: latest progress update"
    evidence = [h for h in hits if h.location.startswith("Action 1.1: evidence")]
    assert [h.text for h in evidence] == ["mum.jones@gmail.com"]
    # The council's own addresses are colleagues, not personal data.
    assert not any("northbrook.example" in hit.text for hit in hits)


def test_near_misses_are_not_flagged():
    authority = Authority(name="x", email_domain="wolverhampton.gov.uk")
    clean = (
        "NHS number 943 476 5918 fails its check digit. Meet on 03/04/2024 at 10. "
        "Border Force and West Midlands Police for children who cannot be located. "
        "Email officer@wolverhampton.gov.uk or team@schools.wolverhampton.gov.uk. "
        "Year 9 children in care; 90% of PEPs; the Virtual School head for children."
    )
    assert scan_text(clean, authority) == []


def test_the_demo_plan_is_clean(app):
    from workflow.demo import load_demo

    load_demo(date.today())
    db.session.commit()
    for inspection in db.session.scalars(sa.select(Inspection)):
        assert scan_plan(build_plan(inspection, date.today()), inspection.authority) == []


def test_a_cleared_hit_stays_cleared_until_its_text_moves(world, planted):
    director = world.users["director"]
    hits = outstanding_hits(planted, world.inspection)
    postcode = next(h for h in hits if h.text == "WV1 1RG")
    clear_hit(director, world.inspection, postcode.fingerprint, date.today())
    db.session.commit()
    remaining = outstanding_hits(build_plan(world.inspection, date.today()), world.inspection)
    assert postcode.fingerprint not in {h.fingerprint for h in remaining}
    assert len(remaining) == len(hits) - 1
    clearance = db.session.scalar(sa.select(PrivacyClearance))
    assert (clearance.location, clearance.matched_text) == ("Action 1.1: action", "WV1 1RG")
    with pytest.raises(RuleError):  # already cleared
        clear_hit(director, world.inspection, postcode.fingerprint, date.today())
    # The same postcode written somewhere else needs a fresh decision.
    world.action.measure_of_success = "Visit WV1 1RG"
    db.session.commit()
    again = outstanding_hits(build_plan(world.inspection, date.today()), world.inspection)
    assert ("WV1 1RG", "Action 1.1: measure of success") in {(h.text, h.location) for h in again}


def test_issue_page_lists_hits_and_the_director_clears_them(world, planted, login):
    client = login("director")
    page = client.get(f"/inspections/{world.inspection.id}/plan/issue").get_data(as_text=True)
    assert "Postcode: “WV1 1RG”" in page
    assert "Action 1.1: measure of success" in page
    assert 'name="lead_member_name"' not in page  # no issuing until every hit is settled
    for hit in outstanding_hits(planted, world.inspection):
        response = client.post(
            f"/inspections/{world.inspection.id}/plan/privacy-check",
            data={"fingerprint": hit.fingerprint},
        )
        assert response.status_code == 302
    page = client.get(f"/inspections/{world.inspection.id}/plan/issue").get_data(as_text=True)
    assert "Nothing in the plan looks like personal data." in page
    assert 'name="lead_member_name"' in page


def test_only_the_director_clears_a_hit(world, planted, login):
    hit = outstanding_hits(planted, world.inspection)[0]
    url = f"/inspections/{world.inspection.id}/plan/privacy-check"
    for who in ("admin", "head", "viewer"):
        assert login(who).post(url, data={"fingerprint": hit.fingerprint}).status_code == 403
    assert login("stranger").post(url, data={"fingerprint": hit.fingerprint}).status_code == 404
    response = login("director").post(url, data={"fingerprint": "0" * 64})
    assert response.status_code == 302  # no such hit: told so, nothing recorded
    assert db.session.scalar(sa.select(sa.func.count(PrivacyClearance.id))) == 0
