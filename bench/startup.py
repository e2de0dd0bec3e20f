"""Cold start and memory: the app against the floor (bench/floor_app.py), in one run.

Cold start is the time from spawning gunicorn (2 workers x 4 threads) to the first 200 on
the sign-in page. Memory is the resident set of each web worker after rounds of the key
pages (the floor serves its one page the same number of times). Budgets: both within 1.5x
of the floor's.
"""

import statistics
import subprocess
import time

import requests

from bench import server

STARTS = 5
ROUNDS = 30
COLD_START_BUDGET = 1.5
RSS_BUDGET = 1.5


def _spawn(app: str, database_url: str | None) -> tuple[subprocess.Popen, str]:
    port = server.free_port()
    command = [
        server.VENV_BIN / "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--log-level",
        "warning",
    ]
    env = server.app_environment(database_url or "sqlite://")
    return subprocess.Popen(command, cwd=server.ROOT, env=env), f"http://127.0.0.1:{port}"


def _first_answer(base: str, process: subprocess.Popen, started: float) -> float:
    while time.monotonic() - started < 60:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            if requests.get(f"{base}/sign-in", timeout=10).status_code == 200:
                return time.monotonic() - started
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.01)
    raise RuntimeError("no answer within 60 s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def cold_start(app: str, database_url: str | None) -> float:
    """The median over a few starts, each a fresh gunicorn."""
    times = []
    for _ in range(STARTS):
        started = time.monotonic()
        process, base = _spawn(app, database_url)
        try:
            times.append(_first_answer(base, process, started))
        finally:
            _stop(process)
    return statistics.median(times)


def resident(app: str, database_url: str | None, pages: list[str], sign_in=None) -> float:
    """The largest web worker's resident set (MiB) after rounds of the pages."""
    process, base = _spawn(app, database_url)
    try:
        _first_answer(base, process, time.monotonic())
        session = sign_in(base) if sign_in else requests.Session()
        for _ in range(ROUNDS):
            for page in pages:
                session.get(base + page, timeout=30)
        return max(server.children_rss_mib(process.pid).values())
    finally:
        _stop(process)


def run(database_url: str, pages: list[str], sign_in) -> dict:
    floor = "bench.floor_app:create_floor_app()"
    ours = "bench.app:create_bench_app()"
    # A deployed app starts from its compiled bytecode, as the floor's libraries do.
    command = [server.VENV_BIN / "python", "-m", "compileall", "-q", "workflow", "bench"]
    subprocess.run(command, cwd=server.ROOT, check=True)
    return {
        "cold_start_s": cold_start(ours, database_url),
        "floor_cold_start_s": cold_start(floor, database_url),
        "rss_mib": resident(ours, database_url, pages, sign_in),
        "floor_rss_mib": resident(floor, database_url, ["/sign-in"]),
    }


def budgets(result: dict) -> list[dict]:
    start = result["cold_start_s"] / result["floor_cold_start_s"]
    rss = result["rss_mib"] / result["floor_rss_mib"]
    return [
        {
            "budget": f"cold start within {COLD_START_BUDGET}x of the floor's",
            "measured": f"{result['cold_start_s']:.2f} s vs {result['floor_cold_start_s']:.2f} s "
            f"({start:.2f}x)",
            "met": start <= COLD_START_BUDGET,
        },
        {
            "budget": f"memory per web worker within {RSS_BUDGET}x of the floor's",
            "measured": f"{result['rss_mib']:.0f} MiB vs {result['floor_rss_mib']:.0f} MiB "
            f"({rss:.2f}x)",
            "met": rss <= RSS_BUDGET,
        },
    ]
