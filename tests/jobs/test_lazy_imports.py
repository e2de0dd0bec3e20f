"""The web app starts without the queue's or object storage's libraries: only the worker,
or the first job sent to a broker, or the first file kept in object storage loads them."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ["dramatiq", "redis", "boto3", "botocore"]


def test_creating_the_app_imports_neither_the_queue_nor_object_storage(tmp_path):
    script = (
        "import json, sys\n"
        "from workflow import create_app\n"
        "create_app()\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    env = {**os.environ, "WORKFLOW_CONFIG": "testing", "WORKFLOW_INSTANCE": str(tmp_path)}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'start.sqlite'}"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
