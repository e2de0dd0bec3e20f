"""A small world of two authorities to test against, built through the app's own rules."""

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from workflow.accounts import partners, two_factor
from workflow.accounts import rules as accounts
from workflow.core.storage import current_store, store_upload
from workflow.extensions import db
from workflow.imports import rules as reports
from workflow.models import (
    Action,
    ActionStatus,
    Authority,
    Evidence,
    Inspection,
    InspectionKind,
    ProgressUpdate,
    Rag,
    Recommendation,
    ReportImport,
    Role,
    ServiceArea,
    User,
    utcnow,
)
from workflow.planning import rules as planning
from workflow.signoff import evidence as evidence_rules
from workflow.signoff import rules as signoff

PASSWORD = "correct-horse-battery"
# Administrators and directors sign in with two-factor: codes come from this key.
TOTP_SECRET = "WORLDKEYFORTWOFACTORSIGNINXXXXXX"
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class World:
    authority: Authority
    other_authority: Authority
    area: ServiceArea
    other_area: ServiceArea
    inspection: Inspection
    recommendation: Recommendation
    action: Action
    other_inspection: Inspection
    other_recommendation: Recommendation
    other_action: Action
    draft: ProgressUpdate
    submitted: ProgressUpdate
    evidence: Evidence
    report_import: ReportImport
    users: dict[str, User] = field(default_factory=dict)
    password: str = PASSWORD


def make_user(authority, role: Role, name: str, area: ServiceArea | None = None) -> User:
    email = f"{name.lower().replace(' ', '.')}@{authority.email_domain}"
    user = accounts.create_user(
        None, authority, email=email, name=name, role=role, password=PASSWORD, service_area=area
    )
    if two_factor.must_use_two_factor(user):
        two_factor.enrol_with_known_secret(user, TOTP_SECRET, utcnow())
    return user


def second_factor_code(secret: str = TOTP_SECRET) -> str:
    import pyotp

    return pyotp.TOTP(secret).now()


def make_inspection(admin: User, **overrides) -> Inspection:
    values = dict(
        kind=InspectionKind.ILACS_STANDARD,
        start_date=date(2022, 3, 28),
        end_date=date(2022, 4, 1),
        published_on=date(2022, 5, 18),
        received_on=None,
        received_on_reason=None,
        lead_inspector="Andy Waugh",
        plan_owner_id=None,
    )
    values.update(overrides)
    judgements = [("Overall effectiveness", "Good")]
    return planning.create_inspection(admin, judgements, **values)


def make_action(admin: User, recommendation, owner: User, area: ServiceArea, **overrides):
    values = dict(
        reference=f"{recommendation.number}.{len(recommendation.actions) + 1}",
        description="Track children missing from education weekly.",
        owner_id=owner.id,
        delegate_id=None,
        service_area_id=area.id,
        start_date=date(2022, 6, 1),
        due_date=date(2030, 6, 30),
        measure_of_success="Every child missing education is reviewed weekly.",
    )
    values.update(overrides)
    action = planning.create_action(admin, recommendation, **values)
    db.session.refresh(recommendation)
    return action


def build_world() -> World:
    authority = accounts.create_authority("Northbrook Council", email_domain="northbrook.example")
    other = accounts.create_authority("Southmoor Council", email_domain="southmoor.example")
    area = accounts.create_service_area(authority, "Children in care")
    second_area = accounts.create_service_area(authority, "Education inclusion")
    other_area = accounts.create_service_area(other, "Early help")
    users = {
        "admin": make_user(authority, Role.ADMINISTRATOR, "Ada Admin"),
        "director": make_user(authority, Role.DIRECTOR, "Dina Director"),
        "head": make_user(authority, Role.HEAD_OF_SERVICE, "Hugo Head", area),
        "other_head": make_user(authority, Role.HEAD_OF_SERVICE, "Hana Head", second_area),
        "manager": make_user(authority, Role.SERVICE_MANAGER, "Mo Manager", area),
        "other_manager": make_user(authority, Role.SERVICE_MANAGER, "Mia Manager", second_area),
        "viewer": make_user(authority, Role.VIEWER, "Vic Viewer"),
        # From the local health trust, invited to report on the world's action only.
        "partner": make_user(authority, Role.PARTNER, "Pat Partner"),
        "stranger": make_user(other, Role.ADMINISTRATOR, "Sol Stranger"),
    }
    admin, stranger = users["admin"], users["stranger"]
    inspection = make_inspection(admin)
    recommendation = planning.create_recommendation(
        admin, inspection, number=1, text="Track children missing education.", senior_lead=None
    )
    action = make_action(admin, recommendation, users["manager"], area)
    partners.add_to_action(admin, users["partner"], action, utcnow())
    other_inspection = make_inspection(stranger, kind=InspectionKind.FOCUSED_VISIT)
    other_recommendation = planning.create_recommendation(
        stranger, other_inspection, number=1, text="Improve early help.", senior_lead=None
    )
    other_owner = make_user(other, Role.SERVICE_MANAGER, "Sid Southmoor", other_area)
    other_action = make_action(stranger, other_recommendation, other_owner, other_area)
    manager = users["manager"]
    draft = signoff.draft_update(manager, action, proposal("Drafting"), None, date.today())
    submitted = signoff.draft_update(manager, action, proposal("Tracker live"), None, date.today())
    evidence = attach_file(manager, submitted, b"Minutes of the tracking meeting\n", "minutes.txt")
    signoff.submit_update(manager, submitted, submitted.version)
    report_import = import_fixture(users["admin"], "northbrook-ilacs.txt")
    return World(
        authority=authority,
        other_authority=other,
        area=area,
        other_area=other_area,
        inspection=inspection,
        recommendation=recommendation,
        action=action,
        other_inspection=other_inspection,
        other_recommendation=other_recommendation,
        other_action=other_action,
        draft=draft,
        submitted=submitted,
        evidence=evidence,
        report_import=report_import,
        users=users,
    )


def without_partners() -> None:
    """Going back past the partners' migration is refused while any partner exists
    (tests/accounts/test_partners.py): tests of older migrations first make the world's
    partner a disabled account of an older role."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE user_account SET role = 'viewer', active = false WHERE role = 'partner'"
            )
        )


def revisions_from(revision: str) -> set[str]:
    """The migration and every later one: where a refused downgrade may have stopped (on
    SQLite the steps before the refusal stay done; PostgreSQL takes the whole one back)."""
    scripts = _migration_scripts()
    later = scripts.iterate_revisions("heads", revision)  # the lower end is left out
    return {revision} | {script.revision for script in later}


def migrations_head() -> str:
    return _migration_scripts().get_current_head()


def _migration_scripts():
    from alembic.script import ScriptDirectory
    from flask import current_app

    from workflow.extensions import init_migrations

    init_migrations(current_app)
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def withdraw_waiting(world: World) -> None:
    """Take the world's waiting update back to a draft: its action may then have another."""
    update = world.submitted
    signoff.withdraw_update(update.author, update, update.version)


def import_fixture(admin: User, name: str) -> ReportImport:
    """A report read for review from one of the tests' own fixture files."""
    content = (FIXTURES / name).read_bytes()
    report = reports.read_report(content, name, None, 1024 * 1024)
    return reports.start_import(admin, report, name, content)


def proposal(narrative: str, **overrides) -> signoff.Proposal:
    values = dict(narrative=narrative, status=ActionStatus.IN_PROGRESS, rag=Rag.GREEN)
    values.update(overrides)
    return signoff.Proposal(**values)


def attach_file(author: User, update: ProgressUpdate, content: bytes, name: str) -> Evidence:
    stored = store_upload(io.BytesIO(content), name, current_store(), 1024 * 1024)
    return evidence_rules.add_file_evidence(author, update, stored, name.rsplit(".", 1)[0].title())


def progress_update(
    author: User,
    action: Action,
    narrative: str = "Progress made.",
    *,
    reviewer: User | None = None,
    returned_with: str | None = None,
    status: ActionStatus = ActionStatus.IN_PROGRESS,
    rag: Rag = Rag.AMBER,
    rag_reason: str = "As discussed at the board.",
    evidence: tuple[str, ...] = (),
    due_date: date | None = None,
    due_date_reason: str | None = None,
    measure_values: dict | None = None,
    confirm_privacy: bool = True,
    exception: str | None = "Agreed at the improvement board.",
) -> ProgressUpdate:
    """An update through the real sign-off rules: drafted with link evidence and submitted;
    then approved by the reviewer, or returned with a comment, when one is given. Tests
    plant personal data on purpose, so author and reviewer answer its warning by default;
    the reviewer writes an exception, which the rules keep only when the rating needs one."""
    if status is ActionStatus.COMPLETE and not evidence:
        evidence = ("Board minutes",)
    change = proposal(
        narrative,
        status=status,
        rag=rag,
        rag_reason=rag_reason,
        due_date=due_date,
        due_date_reason=due_date_reason,
        measure_values=measure_values or {},
    )
    update = signoff.draft_update(author, action, change, None, date.today())
    for title in evidence:
        evidence_rules.add_link_evidence(author, update, "https://intranet.example/doc", title)
    signoff.submit_update(author, update, update.version, confirm_privacy)
    if reviewer is not None and returned_with:
        signoff.return_update(reviewer, update, update.version, returned_with)
    elif reviewer is not None:
        signoff.approve_update(
            reviewer, update, update.version, confirm_privacy, exception=exception
        )
    return update
