"""Demo progress: updates in every state, evidence files and links, measures with values,
and a returned-then-approved history, all through the sign-off rules."""

import io
from datetime import date
from decimal import Decimal

from flask import current_app

from workflow.core.storage import current_store, store_upload
from workflow.models import Action, ActionStatus, ProgressUpdate, Rag, User
from workflow.planning import rules as planning
from workflow.signoff import evidence as evidence_rules
from workflow.signoff import rules as signoff
from workflow.signoff.rules import Proposal

TRACKER_CSV = (
    b"week,children missing education,located within 10 school days\n"
    b"2022-09-05,41,33\n2022-09-12,38,34\n2022-09-19,36,35\n"
)
PROTOCOL_TXT = (
    b"Children missing education: escalation protocol\n\n"
    b"1. Checks by the school and the education welfare service within 5 school days.\n"
    b"2. Referral to the children missing education officer on day 6.\n"
    b"3. Where a child cannot be located by day 10: notify West Midlands Police and, where a\n"
    b"   child may have left the country, Border Force.\n"
)
AUDIT_TXT = (
    b"Return home interview refusals: audit of 20 refusals, August 2022\n\n"
    b"Reason for refusal recorded: 17 of 20. Further efforts to engage recorded: 18 of 20.\n"
    b"Learning shared with the exploitation hub on 7 September 2022.\n"
)


def load_progress(people: dict[str, User], actions: dict[str, Action]) -> None:
    _completed_with_evidence(people, actions["1.1"])
    _returned_then_approved(people, actions["2.1"])
    _awaiting_with_measure(people, actions["2.2"])
    _returned_for_rework(people, actions["3.1"])
    _draft(people, actions["1.2"])


def _file(author: User, update: ProgressUpdate, content: bytes, name: str, title: str) -> None:
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    stored = store_upload(io.BytesIO(content), name, current_store(), limit)
    evidence_rules.add_file_evidence(author, update, stored, title)


def _completed_with_evidence(people: dict[str, User], action: Action) -> None:
    lucy, helen = people["Lucy Evans"], people["Helen Price"]
    update = _draft_update(
        lucy,
        action,
        Proposal(
            "Two children missing education officers started in August. The escalation protocol "
            "with West Midlands Police and Border Force was agreed on 14 September and is in use.",
            ActionStatus.COMPLETE,
            Rag.GREEN,
        ),
    )
    _file(lucy, update, PROTOCOL_TXT, "cme-escalation-protocol.txt", "CME escalation protocol")
    _file(lucy, update, TRACKER_CSV, "cme-tracker-september.csv", "CME weekly tracker, September")
    signoff.submit_update(lucy, update, update.version)
    signoff.approve_update(helen, update, update.version)


def _returned_then_approved(people: dict[str, User], action: Action) -> None:
    sam, david = people["Sam Taylor"], people["David Okafor"]
    update = _draft_update(
        sam,
        action,
        Proposal(
            "The return home interview form now records refusals, the reason given and the "
            "efforts made to engage.",
            ActionStatus.COMPLETE,
            Rag.GREEN,
        ),
    )
    evidence_rules.add_link_evidence(
        sam,
        update,
        "https://records.wolverhampton.example/forms/rhi-v4",
        "Return home interview form, version 4",
    )
    signoff.submit_update(sam, update, update.version)
    signoff.return_update(
        david,
        update,
        update.version,
        "Please attach the refusal audit so we can show the change is used.",
    )
    signoff.revise_update(
        sam,
        update,
        update.version,
        Proposal(
            "The return home interview form now records refusals, the reason given and the "
            "efforts made to engage. An audit of 20 refusals in August found reasons recorded "
            "in 17.",
            ActionStatus.COMPLETE,
            Rag.GREEN,
            impact_evidenced=True,
        ),
        date.today(),
    )
    _file(sam, update, AUDIT_TXT, "rhi-refusal-audit-august-2022.txt", "Refusal audit, August 2022")
    signoff.submit_update(sam, update, update.version)
    signoff.approve_update(david, update, update.version)


def _awaiting_with_measure(people: dict[str, User], action: Action) -> None:
    sam, admin = people["Sam Taylor"], people["Priya Sharma"]
    # Figures from the council's 2019 self-evaluation: 55.3% in March, 77.5% in September.
    measure = planning.add_measure(
        admin,
        action,
        name="Children in need seen within 5 days of referral",
        unit="%",
        baseline_value=Decimal("55.3"),
        baseline_date=date(2019, 3, 31),
        target_value=Decimal("85"),
        target_date=date(2023, 3, 31),
        higher_is_better=True,
    )
    first = _draft_update(
        sam,
        action,
        Proposal(
            "Visits within 5 days are now tracked weekly by team managers.",
            ActionStatus.IN_PROGRESS,
            Rag.GREEN,
            measure_values={measure.id: (Decimal("77.5"), date(2019, 9, 30))},
        ),
    )
    signoff.submit_update(sam, first, first.version)
    signoff.approve_update(people["David Okafor"], first, first.version)
    second = _draft_update(
        sam,
        action,
        Proposal(
            "The first monthly missing and exploitation themes report went to the exploitation "
            "hub; two hotspots were referred to the police.",
            ActionStatus.IN_PROGRESS,
            Rag.GREEN,
        ),
    )
    evidence_rules.add_link_evidence(
        sam,
        second,
        "https://intranet.wolverhampton.example/hub/themes-oct",
        "Themes report, October",
    )
    signoff.submit_update(sam, second, second.version)


def _returned_for_rework(people: dict[str, User], action: Action) -> None:
    mark, rachel, admin = people["Mark Hughes"], people["Rachel Adeyemi"], people["Priya Sharma"]
    planning.add_measure(
        admin,
        action,
        name="Personal education plans audited as good or better",
        unit="%",
        baseline_value=Decimal("61"),
        baseline_date=date(2022, 6, 1),
        target_value=Decimal("90"),
        target_date=date(2023, 7, 31),
        higher_is_better=True,
    )
    update = _draft_update(
        mark,
        action,
        Proposal(
            "The PEP quality assurance framework is drafted.", ActionStatus.IN_PROGRESS, Rag.GREEN
        ),
    )
    signoff.submit_update(mark, update, update.version)
    signoff.return_update(
        rachel,
        update,
        update.version,
        "Say when the first termly audit will run and report the audit score.",
    )


def _draft(people: dict[str, User], action: Action) -> None:
    _draft_update(
        people["Lucy Evans"],
        action,
        Proposal(
            "Weekly tracking meetings started; the tracker is shared with MASH24.",
            ActionStatus.IN_PROGRESS,
            Rag.GREEN,
        ),
    )


def _draft_update(author: User, action: Action, proposal: Proposal) -> ProgressUpdate:
    return signoff.draft_update(author, action, proposal, None, date.today())
