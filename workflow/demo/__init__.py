"""Demo data: Wolverhampton's 2022 ILACS inspection with owned actions, and a second council.

Loaded through the same rules the app uses, so the audit trail is real too.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from workflow.accounts import partners, two_factor
from workflow.accounts import rules as accounts
from workflow.demo.progress import load_progress
from workflow.extensions import db
from workflow.models import Authority, InspectionKind, Role, User, utcnow
from workflow.planning import rules as planning
from workflow.plans.logo import set_logo

DEMO_PASSWORD = "canal-lantern-kestrel"
# Demo administrators and directors use two-factor sign-in with this authenticator key.
DEMO_TOTP_SECRET = "DEMOKEYFORTWOFACTORSIGNINXXXXXXX"
WOLVERHAMPTON = "City of Wolverhampton Council"
SECOND_AUTHORITY = "Borough of Dunmere Council"

SERVICE_AREAS = [
    "Education inclusion",
    "Children in care",
    "Virtual school",
    "Care leavers and housing",
]

# (role, name, email, service area)
PEOPLE = [
    (Role.ADMINISTRATOR, "Priya Sharma", "priya.sharma@wolverhampton.example", None),
    (Role.DIRECTOR, "Emma Bennett", "emma.bennett@wolverhampton.example", None),
    (
        Role.HEAD_OF_SERVICE,
        "David Okafor",
        "david.okafor@wolverhampton.example",
        "Children in care",
    ),
    (Role.SERVICE_MANAGER, "Sam Taylor", "sam.taylor@wolverhampton.example", "Children in care"),
    (Role.VIEWER, "Cllr Jane Morris", "jane.morris@wolverhampton.example", None),
    (
        Role.HEAD_OF_SERVICE,
        "Helen Price",
        "helen.price@wolverhampton.example",
        "Education inclusion",
    ),
    (
        Role.HEAD_OF_SERVICE,
        "Rachel Adeyemi",
        "rachel.adeyemi@wolverhampton.example",
        "Virtual school",
    ),
    (
        Role.HEAD_OF_SERVICE,
        "Tom Walsh",
        "tom.walsh@wolverhampton.example",
        "Care leavers and housing",
    ),
    (Role.SERVICE_MANAGER, "Lucy Evans", "lucy.evans@wolverhampton.example", "Education inclusion"),
    (Role.SERVICE_MANAGER, "Mark Hughes", "mark.hughes@wolverhampton.example", "Virtual school"),
    (
        Role.SERVICE_MANAGER,
        "Aisha Begum",
        "aisha.begum@wolverhampton.example",
        "Care leavers and housing",
    ),
    # A secondary school's attendance lead, invited to the attendance-plans action only.
    (Role.PARTNER, "Jo Whitfield", "jo.whitfield@northfield-academy.example", None),
]
# Partner contributors and the one action each was invited to report on.
PARTNER_ACTIONS = {"Jo Whitfield": "3.2"}

SECOND_PEOPLE = [
    (Role.ADMINISTRATOR, "Owen Carter", "owen.carter@dunmere.example", None),
    (Role.DIRECTOR, "Grace Lin", "grace.lin@dunmere.example", None),
]

JUDGEMENTS = [
    ("The impact of leaders on social work practice with children and families", "Outstanding"),
    ("The experiences and progress of children who need help and protection", "Good"),
    ("The experiences and progress of children in care and care leavers", "Good"),
    ("Overall effectiveness", "Good"),
]

# Each recommendation's judgement area and the report's paragraphs that evidence it.
RECOMMENDATION_CONTEXT = [
    (JUDGEMENTS[1][0], [14, 15]),
    (JUDGEMENTS[1][0], [17]),
    (JUDGEMENTS[2][0], [28, 30, 31]),
    (JUDGEMENTS[2][0], [32]),
    (JUDGEMENTS[2][0], [36, 37]),
]

PLAN_INTRODUCTION = """\
Ofsted inspected children's services in Wolverhampton in March and April 2022 and judged them \
good overall, with the impact of leaders outstanding. This plan sets out how we will act on \
the five areas inspectors asked us to improve.

Each action has a named lead officer, a date and a measure of success. Progress is reported \
to the Corporate Parenting Board every quarter and to the Children and Young People Scrutiny \
Panel twice a year.

Our priorities this year are:
- knowing where every child missing from education is, every day;
- personal education plans that make a difference to children in care;
- clear advice for 16- and 17-year-olds who are homeless."""

# A plain crest: the demo council's logo, an SVG as an administrator would upload it.
DEMO_LOGO = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 100" \
width="360" height="100">
<rect x="4" y="4" width="92" height="92" rx="10" fill="#005a5b"/>
<path d="M20 30 L50 80 L80 30 Z" fill="#ffffff"/>
<text x="110" y="45" font-family="Arial, sans-serif" font-size="26" font-weight="bold" \
fill="#0b0c0c">City of</text>
<text x="110" y="80" font-family="Arial, sans-serif" font-size="26" font-weight="bold" \
fill="#0b0c0c">Wolverhampton</text>
</svg>"""

RECOMMENDATIONS = [
    "The arrangements for tracking and monitoring children who are missing from education.",
    "The recording of return home interviews to identify wider patterns and trends.",
    "The virtual school should improve the quality of PEP's and address the persistent "
    "absence for some children in care.",
    "The virtual school needs to ensure that children in care receive career advice earlier "
    "so they can make better informed decisions about their futures.",
    "The quality of information provided to 16- and 17-year-old homeless children about "
    "their rights and entitlements including to become looked after.",
]


@dataclass
class DemoAction:
    recommendation: int
    description: str
    owner: str
    area: str
    due: date
    measure: str


def demo_actions(today: date) -> list[DemoAction]:
    soon, later = today + timedelta(days=10), today + timedelta(days=75)
    return [
        DemoAction(
            1,
            "Appoint two dedicated children missing education officers and agree "
            "escalation steps with Border Force and West Midlands Police for children "
            "who cannot be located.",
            "Lucy Evans",
            "Education inclusion",
            date(2022, 9, 30),
            "Every child missing education who cannot be located "
            "within 10 school days is referred to police and Border Force.",
        ),
        DemoAction(
            1,
            "Introduce a weekly tracking meeting for children missing education, "
            "chaired by the head of education inclusion, with a tracker shared with "
            "the MASH24 team.",
            "Lucy Evans",
            "Education inclusion",
            soon,
            "All children missing education reviewed weekly; average days missing falls below 20.",
        ),
        DemoAction(
            1,
            "Audit a sample of closed children missing education cases each "
            "quarter and report learning to the education safeguarding group.",
            "Lucy Evans",
            "Education inclusion",
            later,
            "Quarterly audit completed with actions followed up ('closing the loop').",
        ),
        DemoAction(
            2,
            "Change the return home interview form in the case-management system "
            "so that refusals, their reasons and efforts to engage are recorded.",
            "Sam Taylor",
            "Children in care",
            date(2022, 10, 31),
            "Every refused return home interview records a reason and the efforts made.",
        ),
        DemoAction(
            2,
            "Produce a monthly missing and exploitation themes report from return "
            "home interviews for the exploitation hub.",
            "Sam Taylor",
            "Children in care",
            soon,
            "Monthly report used by the exploitation hub; patterns acted on.",
        ),
        DemoAction(
            3,
            "Introduce a PEP quality assurance framework with termly audits of "
            "personal education plans by the virtual school.",
            "Mark Hughes",
            "Virtual school",
            later,
            "90% of PEPs audited as good or better; all PEPs completed on time.",
        ),
        DemoAction(
            3,
            "Agree attendance plans with schools for every child in care who is "
            "persistently absent, reviewed at each PEP meeting.",
            "Mark Hughes",
            "Virtual school",
            today - timedelta(days=20),
            "Persistent absence of children in care falls to the national average.",
        ),
        DemoAction(
            4,
            "Offer careers guidance from Year 8 for children in care, delivered with "
            "the careers service and recorded in the PEP.",
            "Mark Hughes",
            "Virtual school",
            later,
            "Every child in care in Year 9 has a recorded careers conversation.",
        ),
        DemoAction(
            4,
            "Hold an annual careers and apprenticeships event for children in care "
            "and care leavers with local employers.",
            "Aisha Begum",
            "Care leavers and housing",
            date(2023, 3, 31),
            "Event held; attendance and follow-up offers recorded.",
        ),
        DemoAction(
            5,
            "Rewrite the information leaflet for 16- and 17-year-olds who present "
            "as homeless, with young people, setting out their rights and entitlements "
            "including to become looked after.",
            "Aisha Begum",
            "Care leavers and housing",
            date(2022, 12, 16),
            "Leaflet co-produced with the care leavers collective and in use.",
        ),
        DemoAction(
            5,
            "Record in every assessment of a homeless 16- or 17-year-old that their "
            "rights and entitlements were explained, and audit it quarterly.",
            "Aisha Begum",
            "Care leavers and housing",
            soon,
            "100% of audited assessments record that rights were explained.",
        ),
    ]


def load_demo(today: date) -> list[tuple[Role, str]]:
    """Load the demo once; return (role, email) of every demo user, loaded or already there."""
    if db.session.scalar(sa.select(Authority.id).where(Authority.name == WOLVERHAMPTON)) is None:
        _load_wolverhampton(today)
        _load_second_authority()
        # As the morning job would have: the demo's late actions are red, on the record.
        planning.mark_past_due(today)
    return [(role, email) for role, _, email, _ in PEOPLE + SECOND_PEOPLE]


def _load_people(authority: Authority, people: list) -> dict[str, User]:
    areas = {area.name: area for area in authority.service_areas}
    users = {}
    for role, name, email, area in people:
        users[name] = accounts.create_user(
            None,
            authority,
            email=email,
            name=name,
            role=role,
            password=DEMO_PASSWORD,
            service_area=areas.get(area),
        )
        if two_factor.must_use_two_factor(users[name]):
            two_factor.enrol_with_known_secret(users[name], DEMO_TOTP_SECRET, utcnow())
    return users


def _load_wolverhampton(today: date) -> None:
    authority = accounts.create_authority(WOLVERHAMPTON, email_domain="wolverhampton.example")
    authority.case_reference_pattern = r"\bWCC-\d{6}\b"
    for name in SERVICE_AREAS:
        accounts.create_service_area(authority, name)
    db.session.refresh(authority)
    users = _load_people(authority, PEOPLE)
    admin, director = users["Priya Sharma"], users["Emma Bennett"]
    inspection = planning.create_inspection(
        admin,
        JUDGEMENTS,
        kind=InspectionKind.ILACS_SHORT,
        start_date=date(2022, 3, 28),
        end_date=date(2022, 4, 1),
        published_on=date(2022, 5, 18),
        received_on=None,
        received_on_reason=None,
        lead_inspector="Andy Waugh",
        plan_owner_id=director.id,
    )
    areas = {area.name: area for area in authority.service_areas}
    recommendations = [
        planning.create_recommendation(
            admin, inspection, number=n, text=text, senior_lead=director.name
        )
        for n, text in enumerate(RECOMMENDATIONS, start=1)
    ]
    for recommendation, (area, paragraphs) in zip(
        recommendations, RECOMMENDATION_CONTEXT, strict=True
    ):
        recommendation.judgement_area, recommendation.paragraph_numbers = area, paragraphs
    inspection.plan_introduction = PLAN_INTRODUCTION
    set_logo(admin, authority, DEMO_LOGO)
    counters: dict[int, int] = {}
    actions = {}
    for item in demo_actions(today):
        counters[item.recommendation] = counters.get(item.recommendation, 0) + 1
        reference = f"{item.recommendation}.{counters[item.recommendation]}"
        actions[reference] = planning.create_action(
            admin,
            recommendations[item.recommendation - 1],
            reference=reference,
            description=item.description,
            owner_id=users[item.owner].id,
            delegate_id=None,
            service_area_id=areas[item.area].id,
            start_date=date(2022, 6, 1),
            due_date=item.due,
            measure_of_success=item.measure,
        )
    load_progress(users, actions)
    for name, reference in PARTNER_ACTIONS.items():
        partners.add_to_action(admin, users[name], actions[reference], utcnow())


def _load_second_authority() -> None:
    authority = accounts.create_authority(SECOND_AUTHORITY, email_domain="dunmere.example")
    area = accounts.create_service_area(authority, "Early help")
    db.session.refresh(authority)
    users = _load_people(authority, SECOND_PEOPLE)
    admin = users["Owen Carter"]
    inspection = planning.create_inspection(
        admin,
        [("Overall effectiveness", "Requires improvement to be good")],
        kind=InspectionKind.FOCUSED_VISIT,
        start_date=date(2024, 2, 6),
        end_date=date(2024, 2, 7),
        published_on=date(2024, 3, 14),
        received_on=None,
        received_on_reason=None,
        lead_inspector="Sarah Collins",
        plan_owner_id=None,
    )
    recommendation = planning.create_recommendation(
        admin,
        inspection,
        number=1,
        senior_lead=None,
        text="The timeliness of early help assessments for children stepped down from social care.",
    )
    planning.create_action(
        admin,
        recommendation,
        reference="1.1",
        delegate_id=None,
        description="Set a 20-working-day standard for early help assessments; report monthly.",
        owner_id=users["Grace Lin"].id,
        service_area_id=area.id,
        start_date=date(2024, 4, 1),
        due_date=date(2024, 9, 30),
        measure_of_success="90% of assessments within 20 working days.",
    )
