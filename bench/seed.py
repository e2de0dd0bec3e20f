"""Synthetic data for the benchmark, bulk-loaded into PostgreSQL with COPY.

    .venv/bin/python bench/seed.py postgresql://postgres@127.0.0.1:5432/workflow_bench 10000

The schema must already be there (``flask db upgrade``). The shape stays the same at every
size, only the history grows: 150 authorities, four service areas each with a head of service
and three owners; inspections of five recommendations, about six actions each, as many
inspections per authority as the size needs (at least two); five progress updates per action
(approved mostly, the latest sometimes submitted, returned or a draft), evidence links,
measures, and a hash-chained audit trail that ``flask audit verify`` accepts.

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

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow.audit import GENESIS, event_hash  # noqa: E402
from workflow.models import DEFAULT_RAG_DEFINITIONS  # noqa: E402
from workflow.passwords import hash_password  # noqa: E402
from workflow.tokens import hash_token  # noqa: E402

AUTHORITIES = 150
AREAS = ["Children in care", "Early help", "Front door and MASH", "Care leavers"]
OWNERS_PER_AREA = 3
VIEWERS = 2
RECOMMENDATIONS_PER_INSPECTION = 5
ACTIONS_PER_INSPECTION = 30
UPDATES_PER_ACTION = 5
PASSWORD = "bench-password-for-synthetic-users"
API_TOKEN = "oap_bench-token-for-the-api-benchmark-only"
EMAIL_DOMAIN = "bench.example"
# What a search is likely to find: each action works on one of these, and says so.
TOPICS = [
    "children missing education",
    "return home interviews",
    "pathway plans",
    "supervision",
    "MASH thresholds",
    "private fostering",
    "disabled children",
    "neglect toolkit",
    "contextual safeguarding",
    "placement sufficiency",
    "life story work",
    "court timeliness",
    "early help assessments",
    "strategy meetings",
    "child protection conferences",
    "care leavers' housing",
    "health assessments",
    "personal education plans",
    "youth justice",
    "unaccompanied children",
    "domestic abuse",
    "exploitation screening",
    "family group conferences",
    "quality assurance audits",
]
# Columns written for each table, in the order parents come before children.
COLUMNS = {
    "authority": "id name email_domain rag_red rag_amber rag_green rag_blue created_at",
    "service_area": "id authority_id name",
    "user_account": "id authority_id email name role service_area_id password_hash active "
    "session_epoch digest_opt_out created_at version",
    "api_token": "id user_id name token_hash created_at expires_at",
    "inspection": "id authority_id kind start_date end_date published_on lead_inspector "
    "plan_owner_id created_at updated_at version",
    "judgement": "id inspection_id position area grade",
    "recommendation": "id inspection_id number text senior_lead priority closed_at "
    "closed_by_id created_at updated_at version",
    "action": "id recommendation_id reference description owner_id service_area_id start_date "
    "original_due_date due_date status rag impact_evidenced measure_of_success created_at "
    "updated_at version",
    "progress_update": "id action_id author_id state narrative proposed_status proposed_rag "
    "rag_reason impact_evidenced submitted_at reviewer_id reviewed_at review_comment "
    "created_at updated_at version",
    "evidence": "id action_id update_id kind title url added_by_id added_at",
    "measure": "id action_id name unit baseline_value baseline_date target_value target_date "
    "higher_is_better created_at",
    "measure_value": "id measure_id update_id value as_of created_at",
    "audit_event": "id authority_id sequence at actor_id actor_name object_type object_id "
    "action_id verb summary changes previous_hash hash",
    "audit_head": "authority_id sequence hash",
}


@dataclass
class Person:
    id: int
    name: str


@dataclass
class Authority:
    id: int
    admin: Person
    director: Person
    heads: list[Person] = field(default_factory=list)  # one per area, same order as area_ids
    owners: list[list[Person]] = field(default_factory=list)
    area_ids: list[int] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)  # (at, actor, type, id, action, verb, ...)


@dataclass
class Recommendation:
    id: int
    inspection_id: int
    number: int
    inspected: date
    created: datetime
    actions: list[datetime | None] = field(default_factory=list)  # when each was completed


@dataclass
class Work:
    """One action being written: who owns and approves it, and what it last looked like."""

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

    def __init__(self, actions: int, today: date, seed: int = 1):
        self.random = random.Random(seed)
        self.today = today
        self.now = datetime.combine(today, time(9))
        self.total_actions = actions
        self.password_hash = hash_password(PASSWORD)  # Argon2 is slow on purpose: once only
        self.ids = {table: count(1) for table in COLUMNS}
        self.rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}

    def next_id(self, table: str) -> int:
        return next(self.ids[table])

    def add(self, table: str, *values) -> int:
        self.rows[table].append(values)
        return values[0]

    # People and places -------------------------------------------------------------------

    def authority(self, number: int) -> Authority:
        aid = self.add(
            "authority",
            self.next_id("authority"),
            f"Bench Council {number:03d}",
            f"a{number}.{EMAIL_DOMAIN}",
            *DEFAULT_RAG_DEFINITIONS.values(),
            self.now,
        )
        admin = self.user(aid, number, "administrator", "admin", None)
        authority = Authority(aid, admin, self.user(aid, number, "director", "director", None))
        for position, area in enumerate(AREAS, 1):
            area_id = self.add("service_area", self.next_id("service_area"), aid, area)
            authority.area_ids.append(area_id)
            authority.heads.append(
                self.user(aid, number, "head_of_service", f"head{position}", area_id)
            )
            authority.owners.append(
                [
                    self.user(aid, number, "service_manager", f"owner{position}.{n}", area_id)
                    for n in range(1, OWNERS_PER_AREA + 1)
                ]
            )
        for n in range(1, VIEWERS + 1):
            viewer = self.user(aid, number, "viewer", f"viewer{n}", None)
        if number == 1:  # the API benchmark reads as the first authority's viewer
            self.add(
                "api_token",
                self.next_id("api_token"),
                viewer.id,
                "Benchmark",
                hash_token(API_TOKEN),
                self.now,
                self.now + timedelta(days=365),
            )
        for person in (admin, authority.director, *authority.heads):
            authority.events.append(
                self._event(
                    self.now,
                    None,
                    "user_account",
                    person.id,
                    None,
                    "created",
                    f"User {person.name} created",
                    {},
                )
            )
        return authority

    def user(self, aid: int, number: int, role: str, local: str, area_id: int | None) -> Person:
        uid = self.next_id("user_account")
        name = f"{local.capitalize()} of council {number}"
        self.add(
            "user_account",
            uid,
            aid,
            user_email(number, local),
            name,
            role,
            area_id,
            self.password_hash,
            True,
            0,
            False,
            self.now,
            1,
        )
        return Person(uid, name)

    # Inspections, recommendations and actions ---------------------------------------------

    def plan(self, authority: Authority, actions: int) -> None:
        inspections = max(2, round(actions / ACTIONS_PER_INSPECTION))
        recommendations = []
        for n in range(inspections):
            # The newest inspection was half a year ago; the older ones go back a year each.
            started = self.today - timedelta(days=180 + 365 * n + self.random.randrange(60))
            recommendations += self.inspection(authority, started)
        # Dealt round-robin, newest inspection first, so every size has full recent plans.
        for position in range(actions):
            recommendation = recommendations[position % len(recommendations)]
            reference = f"{recommendation.number}.{position // len(recommendations) + 1}"
            recommendation.actions.append(
                self.action(authority, recommendation.id, reference, recommendation.inspected)
            )
        for recommendation in recommendations:
            self.recommendation(authority, recommendation)

    def inspection(self, authority: Authority, started: date) -> list["Recommendation"]:
        created = datetime.combine(started + timedelta(days=50), time(10))
        iid = self.add(
            "inspection",
            self.next_id("inspection"),
            authority.id,
            self.random.choice(["ilacs_standard", "ilacs_short", "focused_visit", "jtai"]),
            started,
            started + timedelta(days=4),
            started + timedelta(days=40),
            "Lead Inspector",
            authority.director.id,
            created,
            created,
            1,
        )
        for position, area in enumerate(["Overall effectiveness", "Help and protection"], 1):
            grade = self.random.choice(["Good", "Requires improvement to be good"])
            self.add("judgement", self.next_id("judgement"), iid, position, area, grade)
        authority.events.append(
            self._event(
                created, authority.admin, "inspection", iid, None, "created", "Inspection added", {}
            )
        )
        return [
            Recommendation(self.next_id("recommendation"), iid, number, started, created)
            for number in range(1, RECOMMENDATIONS_PER_INSPECTION + 1)
        ]

    def recommendation(self, authority: Authority, rec: "Recommendation") -> None:
        """Written once its actions are known: the director closed it if they are all done."""
        text = f"Improve the quality and timeliness of {self.random.choice(TOPICS)}."
        finished = [done for done in rec.actions if done]
        closed = None
        if rec.actions and len(finished) == len(rec.actions):
            closed = min(max(finished) + timedelta(days=14), self.now - timedelta(hours=1))
        self.add(
            "recommendation",
            rec.id,
            rec.inspection_id,
            rec.number,
            text,
            None,
            False,
            closed,
            authority.director.id if closed else None,
            rec.created,
            closed or rec.created,
            1,
        )
        authority.events.append(
            self._event(
                rec.created,
                authority.admin,
                "recommendation",
                rec.id,
                None,
                "created",
                f"Recommendation {rec.number} added",
                {"number": rec.number},
            )
        )
        if closed:
            authority.events.append(
                self._event(
                    closed,
                    authority.director,
                    "recommendation",
                    rec.id,
                    None,
                    "closed",
                    f"Recommendation {rec.number} closed",
                    {},
                )
            )

    def action(self, authority: Authority, rec_id: int, reference: str, inspected: date):
        """Adds the action; returns when it was completed, or None while it is open."""
        rnd = self.random
        area = rnd.randrange(len(AREAS))
        owner, head = rnd.choice(authority.owners[area]), authority.heads[area]
        start = inspected + timedelta(days=60 + rnd.randrange(30))
        due = start + timedelta(days=90 + rnd.randrange(450))
        status, rag = self._status_and_rag(due)
        topic = rnd.choice(TOPICS)
        created = datetime.combine(start, time(11))
        aid = self.next_id("action")
        description = (
            f"Action {reference}: review and strengthen {topic}, with a named lead in "
            f"{AREAS[area].lower()} and a monthly audit of a sample of cases."
        )
        success = f"At least 85% of audited cases show timely, good quality {topic}."
        authority.events.append(
            self._event(
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
        measure_id = self.measure(aid, start, due, created) if aid % 3 == 0 else None
        work = Work(authority, aid, owner, head, topic, measure_id)
        reviewed = self.updates(work, created, due, status, rag)
        self.add(
            "action",
            aid,
            rec_id,
            reference,
            description,
            owner.id,
            authority.area_ids[area],
            start,
            due,
            due,
            status,
            rag,
            status == "complete",
            success,
            created,
            reviewed or created,
            1,
        )
        return reviewed if status == "complete" else None

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
            self.next_id("measure"),
            action_id,
            "Cases audited as good or better",
            "%",
            55.3,
            start,
            85,
            due,
            True,
            created,
        )

    # Progress updates, in time order, and what they leave in the audit trail ---------------

    def updates(self, work: "Work", created: datetime, due: date, status: str, rag: str):
        """Five updates; the last approved one set the action's status and RAG."""
        rnd = self.random
        last = rnd.choices(["approved", "submitted", "returned", "draft"], [70, 15, 8, 7])[0]
        if status == "complete":
            last = "approved"
        end = min(self.now - timedelta(days=1), datetime.combine(due, time(12)))
        step = max((end - created) / (UPDATES_PER_ACTION + 1), timedelta(hours=1))
        reviewed_last = None
        for n in range(1, UPDATES_PER_ACTION + 1):
            state = last if n == UPDATES_PER_ACTION else "approved"
            final = n == UPDATES_PER_ACTION or (n == UPDATES_PER_ACTION - 1 and last != "approved")
            written = created + step * n
            proposed_status = status if final else "in_progress"
            proposed_rag = rag if final else rnd.choices(["red", "amber", "green"], [2, 3, 5])[0]
            if proposed_rag == "blue":
                proposed_rag = "green"  # complete is blue by derivation, never by proposal
            reviewed = written + timedelta(hours=4 + rnd.randrange(60))
            reviewed_last = (
                self.update(work, n, state, written, reviewed, proposed_status, proposed_rag)
                or reviewed_last
            )
        return reviewed_last

    def update(self, work, n, state, written, reviewed, status, rag) -> datetime | None:
        authority, action_id, owner, head, topic = (
            work.authority,
            work.action_id,
            work.owner,
            work.head,
            work.topic,
        )
        uid = self.next_id("progress_update")
        narrative = self._narrative(topic, n)
        submitted = written + timedelta(hours=2) if state != "draft" else None
        is_reviewed = state in ("approved", "returned")
        comment = "Add the audit figures for last month." if state == "returned" else None
        self.add(
            "progress_update",
            uid,
            action_id,
            owner.id,
            state,
            narrative,
            status,
            rag,
            None,
            status == "complete",
            submitted,
            head.id if is_reviewed else None,
            reviewed if is_reviewed else None,
            comment,
            written,
            reviewed if is_reviewed else written,
            1,
        )
        events = [(written, owner, "drafted", "Update drafted", {"narrative": narrative})]
        if submitted:
            events.append(
                (
                    submitted,
                    owner,
                    "submitted",
                    "Update submitted for approval",
                    {"state": ["draft", "submitted"]},
                )
            )
        if state == "approved":
            applied = {"status": [work.status, status], "rag": [work.rag, _effective(status, rag)]}
            work.status, work.rag = status, _effective(status, rag)
            events.append((reviewed, head, "approved", f"Update approved by {head.name}", applied))
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
            authority.events.append(
                self._event(at, actor, "progress_update", uid, action_id, verb, summary, changes)
            )
        if status == "complete" or self.random.random() < 0.4:
            self.add(
                "evidence",
                self.next_id("evidence"),
                action_id,
                uid,
                "link",
                f"Audit of {topic}, round {n}",
                "https://intranet.bench.example/audits",
                owner.id,
                written,
            )
        if work.measure_id and state == "approved":
            value = 55.3 + 6 * n + self.random.randrange(5)
            self.add(
                "measure_value",
                self.next_id("measure_value"),
                work.measure_id,
                uid,
                value,
                written.date(),
                written,
            )
        return reviewed if state == "approved" else None

    def _narrative(self, topic: str, n: int) -> str:
        rnd = self.random
        text = (
            f"Update {n} on {topic}: {rnd.choice(OPENINGS)} {rnd.choice(FINDINGS)} "
            f"{rnd.choice(NEXT_STEPS)}"
        )
        if rnd.random() < 0.25:
            text += f" Agreed with {rnd.choice(PARTNERS)}."
        return text

    def _event(self, at, actor, object_type, object_id, action_id, verb, summary, changes):
        return (at, actor, object_type, object_id, action_id, verb, summary, changes)

    # The audit trail: each authority's events in time order, chained ----------------------

    def chain(self, authority: Authority) -> None:
        previous, sequence = GENESIS, 0
        for at, actor, object_type, object_id, action_id, verb, summary, changes in sorted(
            authority.events, key=lambda event: event[0]
        ):
            sequence += 1
            event = SimpleNamespace(
                id=self.next_id("audit_event"),
                authority_id=authority.id,
                sequence=sequence,
                at=at,
                actor_id=actor.id if actor else None,
                actor_name=actor.name if actor else "System",
                object_type=object_type,
                object_id=object_id,
                action_id=action_id,
                verb=verb,
                summary=summary,
                changes=changes,
                previous_hash=previous,
            )
            previous = event_hash(event)
            self.add(
                "audit_event",
                event.id,
                authority.id,
                sequence,
                at,
                event.actor_id,
                event.actor_name,
                object_type,
                object_id,
                action_id,
                verb,
                summary,
                json.dumps(changes),
                event.previous_hash,
                previous,
            )
        self.add("audit_head", authority.id, sequence, previous)

    def write(self, connection: psycopg.Connection) -> None:
        with connection.cursor() as cursor:
            for table, columns in COLUMNS.items():
                names = ", ".join(f'"{name}"' for name in columns.split())
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in self.rows[table]:
                        copy.write_row(row)
                self.rows[table].clear()


def _effective(status: str, rag: str) -> str:
    return "blue" if status == "complete" else rag


def user_email(number: int, local: str) -> str:
    """The sign-in of a synthetic user: user_email(1, "head1") is the first area's head."""
    return f"{local}@a{number}.{EMAIL_DOMAIN}"


# Schools and partners updates name: what a search for something specific finds.
PARTNERS = [
    f"{place} {kind}"
    for place in [
        "Oakfield",
        "Ashby",
        "Bramley",
        "Carlton",
        "Denby",
        "Elmhurst",
        "Fairview",
        "Glenside",
        "Hartley",
        "Ivybridge",
        "Kingsmead",
        "Langley",
        "Meadowbank",
        "Northgate",
        "Oldfield",
        "Parkside",
        "Queensway",
        "Riverside",
        "Southfields",
        "Thornbury",
        "Upton",
        "Valley Road",
        "Westwood",
        "Yarrow",
        "Ashgrove",
        "Beechwood",
        "Cedar Park",
        "Dovecote",
        "Eastbrook",
        "Foxhill",
    ]
    for kind in [
        "Primary School",
        "Academy",
        "High School",
        "Family Hub",
        "Children's Home",
        "Health Centre",
        "Youth Club",
        "Nursery",
    ]
]
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


def seed(url: str, actions: int, today: date | None = None) -> None:
    """Fill an empty, migrated database with `actions` actions over 150 authorities."""
    seeder = Seeder(actions, today or date.today())
    share, rest = divmod(actions, AUTHORITIES)
    per_authority = [share + (n < rest) for n in range(AUTHORITIES)]
    with psycopg.connect(url, autocommit=False) as connection:
        for number, share in enumerate(per_authority, 1):
            authority = seeder.authority(number)
            seeder.plan(authority, share)
            seeder.chain(authority)
            if number % 10 == 0 or number == AUTHORITIES:  # COPY in batches, memory stays flat
                seeder.write(connection)
        with connection.cursor() as cursor:
            for table in COLUMNS:
                if table != "audit_head":
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT max(id) FROM "{table}"))'
                    )
        connection.commit()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    from config import database_url

    url = database_url(sys.argv[1]).replace("postgresql+psycopg://", "postgresql://")
    seed(url, int(sys.argv[2]))
