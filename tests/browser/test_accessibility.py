"""Every page, for every role, in a real browser: no WCAG 2.2 A or AA violations, and
the keyboard reaches the skip link first."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import sign_in
from workflow.models import Role

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Pages that download a file or change state are not walked.
NOT_WALKED = re.compile(
    r"(/download|/export|/evidence/|/calendar|/api/|\.(docx|pdf|xlsx|csv|ics)$)"
)
MAX_PAGES = 60
axe = Axe()


def violations(page) -> list[str]:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    found = results.response["violations"]
    return [
        f"{page.url}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
    ]


def same_site_links(page, base_url: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    links = set()
    for href in hrefs:
        url = urljoin(page.url, href).split("#")[0]
        if url.startswith(base_url) and not NOT_WALKED.search(urlsplit(url).path):
            links.add(url)
    return links


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_every_page_a_role_can_reach_is_accessible(role, page, live_server):
    sign_in(page, live_server, role)
    to_visit, seen, problems = [f"{live_server}/"], set(), []
    while to_visit and len(seen) < MAX_PAGES:
        url = to_visit.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response.status < 400, f"{url} answered {response.status} to {role}"
        problems += violations(page)
        to_visit += sorted(same_site_links(page, live_server) - seen)
    assert len(seen) >= 5, f"{role} reached only {sorted(seen)}"
    assert problems == []


def test_sign_in_page_and_its_errors_are_accessible(page, live_server):
    page.goto(f"{live_server}/sign-in")
    assert violations(page) == []
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    assert violations(page) == []


def test_form_errors_are_accessible(page, live_server):
    sign_in(page, live_server, "administrator")
    page.goto(f"{live_server}/inspections/new")
    page.get_by_role("button", name="Save inspection").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "Select the kind of inspection" in summary.inner_text()
    assert violations(page) == []


def test_keyboard_reaches_the_skip_link_first_and_it_works(page, live_server):
    sign_in(page, live_server, "viewer")
    page.goto(f"{live_server}/inspections")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_no_crown_and_no_gds_transport_font(page, live_server):
    page.goto(f"{live_server}/sign-in")
    fonts = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "GDS Transport" not in fonts
    assert page.locator("svg.govuk-header__logotype, .govuk-header__logotype-crown").count() == 0
