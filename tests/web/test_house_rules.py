"""The house's own rules, read from its code: views commit only through the view helper,
and creating the app loads none of the heavy libraries that documents and imports use."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = [
    *("sklearn", "scipy", "weasyprint", "typst", "docx", "openpyxl", "pdfplumber", "pypdfium2"),
    *("boto3", "dramatiq", "icalendar", "phonenumbers", "names", "alembic", "holidays"),
    # Ours: the importer's parser, which reads reports in the background worker.
    "workflow.imports.parse",
]


def view_modules() -> list[Path]:
    package = ROOT / "workflow"
    return sorted([*package.glob("*/views.py"), *package.glob("*/views/*.py")])


def test_views_commit_only_through_the_view_helper():
    committing = [
        path.relative_to(ROOT).as_posix()
        for path in view_modules()
        if "session.commit(" in path.read_text()
    ]
    # The API notes a token's last use before the request: there is no rule to run.
    assert committing == ["workflow/api/views.py"]
    assert len(view_modules()) > 15


def test_creating_the_app_loads_no_heavy_library():
    # A fresh interpreter: the test session itself has imported everything long ago.
    script = (
        "import sys; from workflow import create_app; "
        "create_app({'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []


CLOCK_READS = {"today", "now", "utcnow"}


def test_no_test_reads_the_clock_when_its_module_loads():
    # A date read at import is yesterday's for every test that runs after midnight, while
    # the app reads the clock afresh: tests take the `today` fixture instead.
    readers = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.Assign | ast.AnnAssign):
                continue
            calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
            if any(ast.unparse(c.func).split(".")[-1] in CLOCK_READS for c in calls):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []
