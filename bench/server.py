"""The benchmark's fixtures: a fresh database, the app under gunicorn, signed-in clients.

Everything listens on loopback only. Gunicorn serves bench/app.py's factory with the
production configuration (see that module for the three things it adds).
"""

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import requests

from bench.seed import AUDIT_KEY, SECRET_KEY, TOTP_SECRET

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SERVER = "postgresql://postgres@127.0.0.1:5432"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def fresh_database(name: str) -> str:
    """Drop and recreate the database, build the schema with the migrations; return its URL."""
    if not name.startswith("workflow_bench"):
        raise ValueError("The benchmark only ever touches its own workflow_bench* databases")
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = f"{SERVER}/{name}"
    flask(url, "db", "upgrade")
    return url


def flask(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """Run a `flask --app workflow` command against the database, as an operator would."""
    return subprocess.run(
        [VENV_BIN / "flask", "--app", "workflow", *args],
        cwd=ROOT,
        env=app_environment(database_url),
        capture_output=True,
        text=True,
        check=True,
    )


def app_environment(database_url: str) -> dict[str, str]:
    """The served app's environment, as in production: bytecode is written and kept (the
    Makefile turns that off for its own runs), so a cold start does not compile the source."""
    environment = {
        key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"
    }
    return {
        **environment,
        "DATABASE_URL": database_url,
        "WORKFLOW_CONFIG": "production",
        "SECRET_KEY": SECRET_KEY,
        "AUDIT_KEY": AUDIT_KEY,
        "PYTHONPATH": str(ROOT),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int = 2, threads: int = 4):
    """Serve the app on a free loopback port; yields its base URL, stops it afterwards."""
    port = free_port()
    command = [
        VENV_BIN / "gunicorn",
        "bench.app:create_bench_app()",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        # Longer than any pause between a simulated person's requests: otherwise a kept-alive
        # connection can be closed just as the next request goes out on it.
        "--keep-alive",
        "10",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=app_environment(database_url))
    base = f"http://127.0.0.1:{port}"
    _SERVING[base] = process
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        del _SERVING[base]
        process.terminate()
        process.wait(timeout=30)


_SERVING: dict[str, subprocess.Popen] = {}


def worker_rss_mib(base: str) -> dict[int, float]:
    """The resident memory of each worker of the gunicorn serving base, by process id."""
    return children_rss_mib(_SERVING[base].pid)


def children_rss_mib(pid: int) -> dict[int, float]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    sizes = {}
    for child in map(int, children):
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes[child] = int(line.split()[1]) / 1024
    return sizes


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            if requests.get(f"{base}/sign-in", timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # still importing: the first request waits for a worker to boot
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("No CSRF token on the page")
    return found.group(1)


def signed_in(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    token = csrf_token(session.get(f"{base}/sign-in").text)
    data = {"csrf_token": token, "email": email, "password": password}
    response = session.post(f"{base}/sign-in", data=data, allow_redirects=False)
    if response.headers.get("Location", "").endswith("/sign-in/code"):
        response = _second_factor(session, base)
    if response.status_code != 302:
        raise RuntimeError(f"{email} could not sign in ({response.status_code})")
    return session


def _second_factor(session: requests.Session, base: str) -> requests.Response:
    """The authenticator code of the seeded administrators and directors. A code works once
    for a person, so one signed in again within its 30 seconds waits for the next."""
    import pyotp

    totp = pyotp.TOTP(TOTP_SECRET)
    for _ in range(2):
        token = csrf_token(session.get(f"{base}/sign-in/code").text)
        data = {"csrf_token": token, "code": totp.now()}
        response = session.post(f"{base}/sign-in/code", data=data, allow_redirects=False)
        if response.status_code == 302:
            return response
        time.sleep(totp.interval - time.time() % totp.interval + 0.5)
    return response
