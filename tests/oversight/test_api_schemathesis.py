"""schemathesis against the running API: every operation, every phase, every check.

The app serves the test database on a real local port (werkzeug, as in tests/browser),
with the world's records and an API token of the authority under test; schemathesis' own
command line then runs its examples, coverage, fuzzing and stateful phases with all
checks, and must find nothing. (Its pytest plugin does not yet run under pytest 9.)
"""

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import withdraw_waiting
from tests.oversight.conftest import approved_update
from workflow.api import tokens
from workflow.extensions import db
from workflow.models import Measure, MeasureValue, utcnow

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture
def live_api(app, world):
    """The app on a free local port, and an API token for the world's viewer."""
    manager, head = world.users["manager"], world.users["head"]
    withdraw_waiting(world)  # an action has one update awaiting approval at a time
    update = approved_update(manager, head, world.action)
    measure = Measure(
        action=world.action,
        name="Seen within 5 days",
        unit="%",
        baseline_value=55.3,
        baseline_date=world.action.start_date,
        target_value=77.5,
        target_date=world.action.due_date,
    )
    db.session.add(
        MeasureValue(measure=measure, update=update, value=61, as_of=world.action.start_date)
    )
    secret = tokens.create_api_token(world.users["viewer"], "schemathesis", 30, utcnow())
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", secret
    server.shutdown()
    thread.join()
    server.server_close()


def test_the_api_passes_schemathesis(live_api, tmp_path):
    base_url, secret = live_api
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {secret}",
        "--checks",
        "all",
        "--max-examples",
        "25",
        "--seed",
        "20261124",  # the same cases every run: a failure can be replayed
        "--no-color",
    ]
    # Its example database and reports go to a temporary folder, not the project.
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout
