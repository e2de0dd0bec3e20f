"""Synthetic data for the benchmark, bulk-loaded into PostgreSQL with COPY.

    .venv/bin/python bench/seed.py postgresql://postgres@127.0.0.1:5432/workflow_bench_x 10000

The schema must already be there (``flask db upgrade``). The shape is the same at every size;
only the history grows. 150 authorities, each with four service areas (a head of service and
three owners in each), a director, an administrator and two viewers; inspections of five
recommendations, about six actions each, as many inspections a year apart as the size needs
(at least two). Actions due over a year ago are complete and their recommendations closed.
Five progress updates per action, approved mostly, the latest sometimes submitted, returned
or a draft; evidence links; a measure on every third action with values from its approved
updates; and each authority's hash-chained audit trail, which ``flask audit verify`` accepts.

Ids are given here rather than by the database, so that audit events can name their objects
before anything is written; the sequences are moved past them at the end.
"""

import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import count
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow.accounts.passwords import hash_password  # noqa: E402
from workflow.accounts.two_factor import encrypt_secret  # noqa: E402
from workflow.api.tokens import hash_token  # noqa: E402
from workflow.core.audit import GENESIS, keyed_hash  # noqa: E402
from workflow.models import DEFAULT_AT_RISK_DAYS  # noqa: E402

AUTHORITIES = 150
AREAS = ["Children in care", "Early help", "Front door and MASH", "Care leavers"]
OWNERS_PER_AREA = 3
VIEWERS = 2
RECOMMENDATIONS_PER_INSPECTION = 5
ACTIONS_PER_INSPECTION = 30
UPDATES_PER_ACTION = 5
PASSWORD = "bench-password-for-synthetic-users"
API_TOKEN = "oap_bench-token-for-the-api-benchmark-only"
# The served app gets the same AUDIT_KEY (server.py), so its `audit verify` accepts the trail.
AUDIT_KEY = "bench-audit-key-for-synthetic-trails-only"
# Administrators and directors sign in with a second factor: the served app gets this
# SECRET_KEY (server.py), so it can read their authenticator secret.
SECRET_KEY = "bench-secret-key-for-synthetic-data-only"
TOTP_SECRET = "BENCHAUTHENTICATORKEYFORTESTSXXX"
TWO_FACTOR_ROLES = ("administrator", "director")
EMAIL_DOMAIN = "bench.example"
# Tables in the order COPY fills them: parents before children.
TABLES = [
    "authority", "service_area", "user_account", "api_token", "inspection", "judgement",
    "recommendation", "action", "progress_update", "review_comment", "evidence", "measure",
    "measure_value", "audit_event", "audit_head",
]  # fmt: skip
# What each action works on, and says so: a search for one finds one record in 24.
TOPICS = [
    "children missing education", "return home interviews", "pathway plans", "supervision",
    "MASH thresholds", "private fostering", "disabled children", "neglect toolkit",
    "contextual safeguarding", "placement sufficiency", "life story work", "court timeliness",
    "early help assessments", "strategy meetings", "child protection conferences",
    "care leavers' housing", "health assessments", "personal education plans", "youth justice",
    "unaccompanied children", "domestic abuse", "exploitation screening",
    "family group conferences", "quality assurance audits",
]  # fmt: skip
# Schools and partners a quarter of the updates name: a search for one finds a few.
PLACES = [
    "Oakfield", "Ashby", "Bramley", "Carlton", "Denby", "Elmhurst", "Fairview", "Glenside",
    "Hartley", "Ivybridge", "Kingsmead", "Langley", "Meadowbank", "Northgate", "Oldfield",
    "Parkside", "Queensway", "Riverside", "Southfields", "Thornbury", "Upton", "Westwood",
    "Yarrow", "Ashgrove", "Beechwood", "Dovecote", "Eastbrook", "Foxhill", "Greenacre",
    "Hillcrest",
]  # fmt: skip
SETTINGS = [
    "Primary School", "Academy", "High School", "Family Hub", "Children's Home",
    "Health Centre", "Youth Club", "Nursery",
]  # fmt: skip
PARTNERS = [f"{place} {setting}" for place in PLACES for setting in SETTINGS]
OPENINGS = [
    "The weekly tracking meeting has met every week, chaired by the head of service.",
    "Team managers now review every case at four weeks.",
    "The practice standards were relaunched at the all-staff briefing.",
    "A task and finish group with health and schools has met three times.",
    "The new recording template went live in the case management system.",
]
FINDINGS = [
    "The monthly audit found the loop closed on nine of ten cases.",
    "Timeliness rose from 61% to 78% over the quarter.",
    "Two of the twelve cases audited were graded inadequate; both are being re-audited.",
    "Partners report that referrals are clearer and more consistent.",
    "Caseloads in the team have come down to an average of 17.",
]
NEXT_STEPS = [
    "Next: embed the checklist in supervision.",
    "Next: report the figures to the improvement board.",
    "Next: extend the approach to the disabled children's team.",
    "Next: agree the quality standard with the safeguarding partnership.",
    "Next: re-audit in six weeks to check the change has held.",
]


def user_email(number: int, local: str) -> str:
    """The sign-in of a synthetic user: user_email(1, "head1") is the first area's head."""
    return f"{local}@a{number}.{EMAIL_DOMAIN}"


@dataclass
class Person:
    id: int
    name: str


@dataclass
class Event:
    """An audit event before it is chained: sequence and hashes come in Seeder.chain()."""

    at: datetime
    actor: Person | None
    object_type: str
    object_id: int
    action_id: int | None
    verb: str
    summary: str
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Authority:
    id: int
    admin: Person
    director: Person
    area_ids: list[int] = field(default_factory=list)
    heads: list[Person] = field(default_factory=list)  # one per area, as area_ids
    owners: list[list[Person]] = field(default_factory=list)  # several per area
    events: list[Event] = field(default_factory=list)


@dataclass
class Recommendation:
    id: int
    inspection_id: int
    number: int
    inspected: date
    created: datetime
    completed: list[datetime | None] = field(default_factory=list)  # one per action


@dataclass
class Work:
    """One action being written: who owns and approves it, and its status and RAG so far."""

    authority: Authority
    action_id: int
    owner: Person
    head: Person
    topic: str
    measure_id: int | None
    status: str = "not_started"
    rag: str = "green"


class Seeder:
    """Builds the rows of a batch of authorities; write() copies them and starts a new batch."""

    def __init__(self, today: date, seed: int = 1):
        self.random = random.Random(seed)
        self.today = today
        self.now = datetime.combine(today, time(9))
        self.password_hash = hash_password(PASSWORD)  # Argon2 is slow on purpose: once only
        self.totp_secret = encrypt_secret(TOTP_SECRET, SECRET_KEY)
        self.ids = {table: count(1) for table in TABLES}
        self.rows: dict[str, list[dict]] = {table: [] for table in TABLES}

    def add(self, table: str, **row) -> int:
        """Queue a row (with a new id unless it names one); returns its id."""
        if "id" not in row and table != "audit_head":
            row = {"id": next(self.ids[table]), **row}
        self.rows[table].append(row)
        return row.get("id")

    # People ---------------------------------------------------------------------------------

    def authority(self, number: int) -> Authority:
        aid = self.add(
            "authority",
            name=f"Bench Council {number:03d}",
            email_domain=f"a{number}.{EMAIL_DOMAIN}",
            rag_at_risk_days=DEFAULT_AT_RISK_DAYS,
            created_at=self.now,
            version=1,
            require_two_factor=False,
        )
        authority = Authority(
            aid,
            admin=self.user(aid, number, "administrator", "admin"),
            director=self.user(aid, number, "director", "director"),
        )
        for position, name in enumerate(AREAS, 1):
            area = self.add("service_area", authority_id=aid, name=name)
            authority.area_ids.append(area)
            authority.heads.append(
                self.user(aid, number, "head_of_service", f"head{position}", area)
            )
            authority.owners.append(
                [
                    self.user(aid, number, "service_manager", f"owner{position}.{n}", area)
                    for n in range(1, OWNERS_PER_AREA + 1)
                ]
            )
        viewers = [self.user(aid, number, "viewer", f"viewer{n}") for n in range(1, VIEWERS + 1)]
        # The API benchmark reads as the last authority's viewer: its records come last in
        # every table, so a list that walked a table in id order would show it.
        if number == AUTHORITIES:
            self.add(
                "api_token",
                user_id=viewers[0].id,
                name="Benchmark",
                token_hash=hash_token(API_TOKEN),
                created_at=self.now,
                expires_at=self.now + timedelta(days=365),
            )
        return authority

    def user(self, aid: int, number: int, role: str, local: str, area: int | None = None):
        name = f"{local.capitalize()} of council {number}"
        uid = self.add(
            "user_account",
            authority_id=aid,
            email=user_email(number, local),
            name=name,
            role=role,
            service_area_id=area,
            password_hash=self.password_hash,
            totp_secret_encrypted=self.totp_secret if role in TWO_FACTOR_ROLES else None,
            active=True,
            digest_opt_out=False,
            created_at=self.now,
            version=1,
        )
        return Person(uid, name)

    # Inspections, recommendations and actions -----------------------------------------------

    def plan(self, authority: Authority, actions: int) -> None:
        recommendations = []
        for n in range(max(2, round(actions / ACTIONS_PER_INSPECTION))):
            # The newest inspection was half a year ago; the older ones go back a year each.
            started = self.today - timedelta(days=180 + 365 * n + self.random.randrange(60))
            recommendations += self.inspection(authority, started)
        # Dealt round-robin, newest inspection first, so every size has full recent plans.
        for position in range(actions):
            recommendation = recommendations[position % len(recommendations)]
            reference = f"{recommendation.number}.{position // len(recommendations) + 1}"
            recommendation.completed.append(self.action(authority, recommendation, reference))
        for recommendation in recommendations:
            self.recommendation(authority, recommendation)

    def inspection(self, authority: Authority, started: date) -> list[Recommendation]:
        created = datetime.combine(started + timedelta(days=50), time(10))
        iid = self.add(
            "inspection",
            authority_id=authority.id,
            kind=self.random.choice(["ilacs_standard", "ilacs_short", "focused_visit", "jtai"]),
            start_date=started,
            end_date=started + timedelta(days=4),
            published_on=started + timedelta(days=40),
            lead_inspector="Lead Inspector",
            plan_owner_id=authority.director.id,
            created_at=created,
            updated_at=created,
            version=1,
        )
        for position, area in enumerate(["Overall effectiveness", "Help and protection"], 1):
            grade = self.random.choice(["Good", "Requires improvement to be good"])
            self.add("judgement", inspection_id=iid, position=position, area=area, grade=grade)
        authority.events.append(
            Event(created, authority.admin, "inspection", iid, None, "created", "Inspection added")
        )
        return [
            Recommendation(next(self.ids["recommendation"]), iid, number, started, created)
            for number in range(1, RECOMMENDATIONS_PER_INSPECTION + 1)
        ]

    def recommendation(self, authority: Authority, rec: Recommendation) -> None:
        """Written once its actions are known: the director closed it if all are complete."""
        closed = None
        if rec.completed and all(rec.completed):
            closed = min(max(rec.completed) + timedelta(days=14), self.now - timedelta(hours=1))
        self.add(
            "recommendation",
            id=rec.id,
            inspection_id=rec.inspection_id,
            number=rec.number,
            text=f"Improve the quality and timeliness of {self.random.choice(TOPICS)}.",
            senior_lead=None,
            priority=False,
            closed_at=closed,
            closed_by_id=authority.director.id if closed else None,
            created_at=rec.created,
            updated_at=closed or rec.created,
            version=1,
        )
        summary = f"Recommendation {rec.number}"
        authority.events.append(
            Event(
                rec.created,
                authority.admin,
                "recommendation",
                rec.id,
                None,
                "created",
                f"{summary} added",
                {"number": rec.number},
            )
        )
        if closed:
            authority.events.append(
                Event(
                    closed,
                    authority.director,
                    "recommendation",
                    rec.id,
                    None,
                    "closed",
                    f"{summary} closed",
                )
            )

    def action(self, authority: Authority, rec: Recommendation, reference: str):
        """Adds an action and its updates; returns when it was completed, None if open."""
        rnd = self.random
        area = rnd.randrange(len(AREAS))
        owner = rnd.choice(authority.owners[area])
        start = rec.inspected + timedelta(days=60 + rnd.randrange(30))
        due = start + timedelta(days=90 + rnd.randrange(450))
        status, rag = self._status_and_rag(due)
        topic = rnd.choice(TOPICS)
        created = datetime.combine(start, time(11))
        aid = next(self.ids["action"])
        authority.events.append(
            Event(
                created,
                authority.admin,
                "action",
                aid,
                aid,
                "created",
                f"Action {reference} created",
                {"reference": reference, "owner_id": owner.id},
            )
        )
        measure = self.measure(aid, start, due, created) if aid % 3 == 0 else None
        work = Work(authority, aid, owner, authority.heads[area], topic, measure)
        approved = self.updates(work, created, due, status, rag)
        self.add(
            "action",
            id=aid,
            recommendation_id=rec.id,
            authority_id=authority.id,
            reference=reference,
            description=f"Action {reference}: review and strengthen {topic}, with a named lead "
            f"in {AREAS[area].lower()} and a monthly audit of a sample of cases.",
            owner_id=owner.id,
            service_area_id=authority.area_ids[area],
            start_date=start,
            original_due_date=due,
            due_date=due,
            status=status,
            rag=rag,
            impact_evidenced=status == "complete",
            measure_of_success=f"At least 85% of audited cases show good quality {topic}.",
            created_at=created,
            updated_at=approved or created,
            version=1,
        )
        return approved if status == "complete" else None

    def _status_and_rag(self, due: date) -> tuple[str, str]:
        rnd = self.random
        # Plans are finished in the end: what was due over a year ago is complete.
        if due < self.today - timedelta(days=365):
            return "complete", "blue"
        if due < self.today - timedelta(days=30) and rnd.random() < 0.85:
            return "complete", "blue"
        status = "in_progress" if rnd.random() < 0.8 else "not_started"
        if due < self.today:
            return status, "red"
        return status, rnd.choices(["red", "amber", "green"], [15, 25, 60])[0]

    def measure(self, action_id: int, start: date, due: date, created: datetime) -> int:
        return self.add(
            "measure",
            action_id=action_id,
            name="Cases audited as good or better",
            unit="%",
            baseline_value=55.3,
            baseline_date=start,
            target_value=85,
            target_date=due,
            higher_is_better=True,
            created_at=created,
        )

    # Progress updates, and what they leave in the audit trail -------------------------------

    def updates(self, work: Work, created: datetime, due: date, status: str, rag: str):
        """Five updates in time order; the last approved one gave the action its status and
        RAG. Returns when that was."""
        rnd = self.random
        last = rnd.choices(["approved", "submitted", "returned", "draft"], [70, 15, 8, 7])[0]
        if status == "complete":
            last = "approved"
        end = min(self.now - timedelta(days=1), datetime.combine(due, time(12)))
        step = max((end - created) / (UPDATES_PER_ACTION + 1), timedelta(hours=1))
        approved = None
        for n in range(1, UPDATES_PER_ACTION + 1):
            state = last if n == UPDATES_PER_ACTION else "approved"
            final = n == UPDATES_PER_ACTION or (n == UPDATES_PER_ACTION - 1 and last != "approved")
            proposal = (
                (status, rag) if final else ("in_progress", rnd.choice(["red", "amber", "green"]))
            )
            written = created + step * n
            approved = self.update(work, n, state, written, due, *proposal) or approved
        return approved

    def update(
        self, work: Work, n: int, state: str, written: datetime, due: date, status: str, rag: str
    ):
        """One update; returns when it was approved, or None."""
        reviewed = written + timedelta(hours=4 + self.random.randrange(60))
        submitted = written + timedelta(hours=2) if state != "draft" else None
        is_reviewed = state in ("approved", "returned")
        comment = "Add the audit figures for last month." if state == "returned" else None
        narrative = self._narrative(work.topic, n)
        uid = self.add(
            "progress_update",
            action_id=work.action_id,
            authority_id=work.authority.id,
            author_id=work.owner.id,
            state=state,
            narrative=narrative,
            proposed_status=status,
            # Complete is blue by definition, never by proposal: the record keeps a RAG.
            proposed_rag="green" if rag == "blue" else rag,
            rag_reason=None,
            impact_evidenced=status == "complete",
            submitted_at=submitted,
            reviewer_id=work.head.id if is_reviewed else None,
            reviewed_at=reviewed if is_reviewed else None,
            # Written against the action as it then was (the seed leaves its version at 1).
            base_action_version=1,
            base_status=work.status,
            base_rag=work.rag,
            base_due_date=due,
            base_impact_evidenced=False,
            written_at=written,
            created_at=written,
            updated_at=reviewed if is_reviewed else written,
            version=1,
        )
        head = work.head
        if comment:
            self.add(
                "review_comment",
                update_id=uid,
                author_id=head.id,
                kind="returned",
                text=comment,
                proposal="{}",
                at=reviewed,
            )
        events = [(written, work.owner, "drafted", "Update drafted", {"narrative": narrative})]
        if submitted:
            events.append(
                (
                    submitted,
                    work.owner,
                    "submitted",
                    "Update submitted for approval",
                    {"state": ["draft", "submitted"]},
                )
            )
        if state == "approved":
            events.append(
                (
                    reviewed,
                    head,
                    "approved",
                    f"Update approved by {head.name}",
                    self._apply(work, status, rag),
                )
            )
        elif state == "returned":
            events.append(
                (
                    reviewed,
                    head,
                    "returned",
                    f"Update returned by {head.name}",
                    {"comment": comment},
                )
            )
        for at, actor, verb, summary, changes in events:
            work.authority.events.append(
                Event(at, actor, "progress_update", uid, work.action_id, verb, summary, changes)
            )
        self._evidence(work, uid, n, written, complete=status == "complete")
        if work.measure_id and state == "approved":
            value = 55.3 + 6 * n + self.random.randrange(5)
            self.add(
                "measure_value",
                measure_id=work.measure_id,
                update_id=uid,
                value=value,
                as_of=written.date(),
                created_at=written,
            )
        return reviewed if state == "approved" else None

    def _apply(self, work: Work, status: str, rag: str) -> dict:
        """The approval's changes to the action, as signoff.approve_update records them."""
        rag = "blue" if status == "complete" else rag
        changes = {}
        if status != work.status:
            changes["status"] = [work.status, status]
        if rag != work.rag:
            changes["rag"] = [work.rag, rag]
        work.status, work.rag = status, rag
        return changes

    def _evidence(self, work: Work, uid: int, n: int, written: datetime, complete: bool) -> None:
        if complete or self.random.random() < 0.4:  # completing needs evidence
            self.add(
                "evidence",
                action_id=work.action_id,
                authority_id=work.authority.id,
                update_id=uid,
                kind="link",
                title=f"Audit of {work.topic}, round {n}",
                url="https://intranet.bench.example/audits",
                added_by_id=work.owner.id,
                added_at=written,
            )

    def _narrative(self, topic: str, n: int) -> str:
        rnd = self.random
        text = (
            f"Update {n} on {topic}: {rnd.choice(OPENINGS)} {rnd.choice(FINDINGS)} "
            f"{rnd.choice(NEXT_STEPS)}"
        )
        if rnd.random() < 0.25:
            text += f" Agreed with {rnd.choice(PARTNERS)}."
        return text

    # The audit trail, and writing --------------------------------------------------------------

    def chain(self, authority: Authority) -> None:
        """The authority's events in time order, each hashed with the one before it."""
        previous, sequence = GENESIS, 0
        for event in sorted(authority.events, key=lambda event: event.at):
            sequence += 1
            row = {
                "id": next(self.ids["audit_event"]),
                "authority_id": authority.id,
                "sequence": sequence,
                "at": event.at,
                "actor_id": event.actor.id if event.actor else None,
                "actor_name": event.actor.name if event.actor else "System",
                "object_type": event.object_type,
                "object_id": event.object_id,
                "action_id": event.action_id,
                "verb": event.verb,
                "summary": event.summary,
                "changes": event.changes,
                "previous_hash": previous,
            }
            previous = keyed_hash(SimpleNamespace(**row), AUDIT_KEY.encode())
            self.add("audit_event", **{**row, "changes": json.dumps(event.changes)}, hash=previous)
        self.add("audit_head", authority_id=authority.id, sequence=sequence, hash=previous)

    def write(self, connection: psycopg.Connection) -> None:
        with connection.cursor() as cursor:
            for table in TABLES:
                rows = self.rows[table]
                if not rows:
                    continue
                columns = ", ".join(f'"{name}"' for name in rows[0])
                with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(list(row.values()))
                rows.clear()


def seed(url: str, actions: int, today: date | None = None) -> None:
    """Fill an empty, migrated database with `actions` actions over 150 authorities."""
    seeder = Seeder(today or date.today())
    share, rest = divmod(actions, AUTHORITIES)
    with psycopg.connect(url) as connection:
        for number in range(1, AUTHORITIES + 1):
            authority = seeder.authority(number)
            seeder.plan(authority, share + (number <= rest))
            seeder.chain(authority)
            if number % 10 == 0 or number == AUTHORITIES:  # COPY in batches: memory stays flat
                seeder.write(connection)
        for table in TABLES:
            if table != "audit_head":
                connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT max(id) FROM "{table}"))'
                )
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    from config import database_url

    url = database_url(sys.argv[1]).replace("postgresql+psycopg://", "postgresql://")
    seed(url, int(sys.argv[2]))
