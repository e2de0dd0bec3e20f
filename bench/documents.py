"""Benchmark: render a 300-action plan as DOCX, PDF and XLSX, and print the timings.

    .venv/bin/python bench/documents.py [--actions 300]

Seeds a temporary SQLite database (built by the migrations) through the models, with an
approved update and an evidence link for every action, then times each renderer. The
targets on a developer machine: DOCX under 2 s, PDF under 1 s. Reported, never asserted.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WORKFLOW_CONFIG", "testing")

from workflow import create_app  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.models import (  # noqa: E402
    Action,
    ActionStatus,
    Authority,
    Evidence,
    EvidenceKind,
    Inspection,
    InspectionKind,
    ProgressUpdate,
    Rag,
    Recommendation,
    Role,
    ServiceArea,
    UpdateState,
    User,
    utcnow,
)
from workflow.plans.builder import build_plan  # noqa: E402
from workflow.plans.render.docx import render_docx  # noqa: E402
from workflow.plans.render.pdf import render_pdf  # noqa: E402
from workflow.plans.render.xlsx import render_xlsx  # noqa: E402

TARGETS = {"docx": 2.0, "pdf": 1.0}
NARRATIVE = (
    "The weekly tracking meeting has met every week since June, chaired by the head of "
    "service; the tracker is shared with the MASH and every child missing education is "
    "reviewed. The audit in the quarter found the loop closed on nine of ten cases."
)


def seed(actions: int) -> Inspection:
    authority = Authority(name="Benchmark Council", email_domain="bench.example")
    area = ServiceArea(authority=authority, name="Children in care")
    owner = User(
        authority=authority,
        email="owner@bench.example",
        name="Sam Taylor",
        role=Role.SERVICE_MANAGER,
        service_area=area,
        password_hash="x",
    )
    head = User(
        authority=authority,
        email="head@bench.example",
        name="David Okafor",
        role=Role.HEAD_OF_SERVICE,
        service_area=area,
        password_hash="x",
    )
    inspection = Inspection(
        authority=authority,
        kind=InspectionKind.ILACS_STANDARD,
        start_date=date(2022, 3, 28),
        end_date=date(2022, 4, 1),
        published_on=date(2022, 5, 18),
        lead_inspector="Andy Waugh",
    )
    db.session.add_all([authority, area, owner, head, inspection])
    per_recommendation = max(1, actions // 10)
    for n in range(actions):
        number, position = divmod(n, per_recommendation)
        if position == 0:
            recommendation = Recommendation(
                inspection=inspection, number=number + 1, text=f"Recommendation {number + 1}."
            )
            db.session.add(recommendation)
        _action(recommendation, f"{number + 1}.{position + 1}", owner, head, area, n)
    db.session.commit()
    return inspection


def _action(recommendation, reference, owner, head, area, n: int) -> None:
    due = date(2023, 1, 1) + timedelta(days=n)
    action = Action(
        recommendation=recommendation,
        reference=reference,
        description=f"Action {reference}: introduce and embed the weekly tracking meeting. " * 2,
        owner=owner,
        service_area=area,
        start_date=date(2022, 6, 1),
        original_due_date=due,
        due_date=due,
        status=ActionStatus.IN_PROGRESS,
        rag=[Rag.RED, Rag.AMBER, Rag.GREEN][n % 3],
        measure_of_success="Every child missing education is reviewed weekly.",
    )
    update = ProgressUpdate(
        action=action,
        author=owner,
        state=UpdateState.APPROVED,
        narrative=NARRATIVE,
        proposed_status=ActionStatus.IN_PROGRESS,
        proposed_rag=action.rag,
        submitted_at=utcnow(),
        reviewer=head,
        reviewed_at=utcnow(),
        # Written against the action as it stands (the sign-off's base version).
        base_action_version=1,
        base_status=action.status,
        base_rag=action.rag,
        base_due_date=action.due_date,
        base_impact_evidenced=False,
    )
    evidence = Evidence(
        action=action,
        update=update,
        kind=EvidenceKind.LINK,
        title=f"Tracker extract {reference}",
        url="https://intranet.bench.example/tracker",
        added_by=owner,
    )
    db.session.add_all([action, update, evidence])


def timed(render, plan) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one render, and the file's size. One, the first: Typst
    remembers its layout of the same input, so a second render of the same plan costs a
    fraction of what a new plan does. On a shared machine the CPU time is the steadier
    figure: it leaves out waiting for a core."""
    start, start_cpu = time.perf_counter(), time.process_time()
    size = len(render(plan))
    return time.perf_counter() - start, time.process_time() - start_cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=300)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            from workflow.extensions import upgrade_schema

            upgrade_schema()
            inspection = seed(options.actions)
            start = time.perf_counter()
            plan = build_plan(inspection, date.today())
            seconds = time.perf_counter() - start
            print(f"build plan ({len(plan.actions())} actions): {seconds:.2f} s")
            for name, render in (("docx", render_docx), ("pdf", render_pdf), ("xlsx", render_xlsx)):
                wall, cpu, size = timed(render, plan)
                target = TARGETS.get(name)
                verdict = "" if target is None else (" ok" if wall < target else " SLOW")
                goal = f" (target < {target:.0f} s){verdict}" if target else ""
                print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU, {size / 1024:.0f} KiB{goal}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
