"""Every page of the route table, for every role, at 320 CSS px wide (WCAG 2.2 1.4.10 Reflow)
and with the text spacing of 1.4.12 applied: nothing scrolls sideways as a whole, and nothing
is clipped. Wide tables scroll inside their own labelled, focusable region instead."""

import pytest
import sqlalchemy as sa

from tests.browser.conftest import demo_email, sign_in
from tests.browser.test_accessibility import NOT_WALKED
from tests.factories import import_fixture
from tests.route_table import ROUTES
from workflow.extensions import db
from workflow.models import (
    Evidence,
    ProgressUpdate,
    ReportImport,
    Role,
    UpdateState,
    User,
)

pytestmark = pytest.mark.browser

# The route table's visitors played by the demo's people.
VISITOR_ROLES = {
    "admin": Role.ADMINISTRATOR,
    "director": Role.DIRECTOR,
    "head": Role.HEAD_OF_SERVICE,
    "manager": Role.SERVICE_MANAGER,
    "viewer": Role.VIEWER,
}

# WCAG 1.4.12: what a user's own style sheet may set, all at once.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# How far the page is wider than the window, and which elements stick out (outside any
# scroll region of their own); then which boxes hide some of their own content.
MEASURE = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && el.className.baseVal === undefined && el.className
       ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '');
  const sticking = [], clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.app-scroll-region') && !el.matches('.app-scroll-region')) continue;
    if (el.matches("input, textarea, select")) continue;  // a long value scrolls in its field
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      sticking.push(name(el) + ' ' + Math.round(box.right));
    }
    const style = getComputedStyle(el);
    const hides = [style.overflowX, style.overflowY].some(o => o === 'hidden' || o === 'clip');
    // Visually hidden text is 1px by design; it is read, not seen.
    if (hides && box.width > 2 && box.height > 2
        && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
      clipped.push(name(el));
    }
  }
  return {
    scroll: root.scrollWidth, width, sticking: sticking.slice(0, 5), clipped: clipped.slice(0, 5)
  };
}"""


@pytest.fixture(scope="module")
def pages(live_app) -> dict[str, tuple[str, list[str]]]:
    """For each visitor, who plays it and every page of the route table it may see, filled
    in with the demo's records as the route table's world has them: the manager writes the
    draft and owns its action, the head runs the action's service area."""
    with live_app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.email == demo_email("administrator")))
        import_fixture(admin, "northbrook-ilacs.txt")  # an import waiting for review
        db.session.commit()
        draft = db.session.scalar(
            sa.select(ProgressUpdate).where(ProgressUpdate.state == UpdateState.DRAFT)
        )
        action, manager = draft.action, draft.author
        head = db.session.scalar(
            sa.select(User).where(
                User.role == Role.HEAD_OF_SERVICE, User.service_area_id == action.service_area_id
            )
        )
        ids = {
            "inspection": action.recommendation.inspection_id,
            "recommendation": action.recommendation_id,
            "action": action.id,
            "manager": manager.id,
            "draft": draft.id,
            "submitted": db.session.scalar(
                sa.select(ProgressUpdate.id).where(ProgressUpdate.state == UpdateState.SUBMITTED)
            ),
            "evidence": db.session.scalar(sa.select(Evidence.id)),
            "report_import": db.session.scalar(
                sa.select(ReportImport.id).where(ReportImport.inspection_id.is_(None))
            ),
            "area": action.service_area_id,
            "partner": db.session.scalar(sa.select(User.id).where(User.role == Role.PARTNER)),
        }
        players = {visitor: demo_email(role.value) for visitor, role in VISITOR_ROLES.items()}
        players |= {"manager": manager.email, "head": head.email}
    return {
        visitor: (
            players[visitor],
            [
                path.format(**ids)
                for method, path, _, expected in ROUTES
                if method == "GET" and expected[visitor] == 200 and not NOT_WALKED.search(path)
            ],
        )
        for visitor in VISITOR_ROLES
    }


def signed_in_page(browser, live_server, visitor, email, width):
    # A user's own style sheet is not bound by the page's Content-Security-Policy.
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server, VISITOR_ROLES[visitor].value, email)
    return context, page


def problems_on(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    return problems_on_current(page)


@pytest.mark.parametrize("visitor", VISITOR_ROLES)
def test_every_page_reflows_at_320_css_pixels(visitor, browser, live_server, pages):
    email, paths = pages[visitor]
    context, page = signed_in_page(browser, live_server, visitor, email, 320)
    problems = [problem for path in paths for problem in problems_on(page, live_server + path)]
    context.close()
    assert len(paths) >= 10
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("visitor", VISITOR_ROLES)
@pytest.mark.parametrize("width", [320, 1280])
def test_text_spacing_clips_nothing(visitor, width, browser, live_server, pages):
    email, paths = pages[visitor]
    context, page = signed_in_page(browser, live_server, visitor, email, width)
    problems = []
    for path in paths:
        page.goto(live_server + path)
        page.add_style_tag(content=TEXT_SPACING)
        problems += problems_on_current(page)
    context.close()
    assert not problems, "\n".join(problems)


def problems_on_current(page) -> list[str]:
    found = page.evaluate(MEASURE)
    problems = []
    if found["scroll"] > found["width"]:
        wide = f"{found['scroll']}px wide at {found['width']}"
        problems.append(f"{page.url}: {wide}: {found['sticking']}")
    if found["clipped"]:
        problems.append(f"{page.url}: clips its content in {found['clipped']}")
    return problems


def test_wide_tables_scroll_in_a_labelled_focusable_region(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, live_server, "administrator")
    page.goto(f"{live_server}/users")
    regions = page.locator(".app-scroll-region")
    assert regions.count() >= 1
    region = regions.first
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it is the table that scrolls
    context.close()


def test_head_of_service_header_fits_one_row_at_1280(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, "head_of_service")
    parts = page.locator(".govuk-service-navigation__service-name, .govuk-service-navigation__item")
    boxes = [parts.nth(i).bounding_box() for i in range(parts.count())]
    assert parts.count() >= 6
    middles = {round(box["y"] + box["height"] / 2) for box in boxes}
    assert len(middles) == 1, f"the service name and menu take {len(middles)} rows"
