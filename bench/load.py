"""The load test: 50 simulated people for 60 s against gunicorn (2 workers, 4 threads each)
and PostgreSQL, all on loopback; then a check that nothing was lost.

    .venv/bin/python bench/load.py [DATABASE_URL]   (a database bench/seed.py filled)

Passes when locust saw no errors, the 95th percentile of all requests is under 500 ms,
every update the app confirmed as submitted is in the database exactly once (found by its
unique marker), every confirmed approval is approved with exactly one audit event, and
`flask audit verify` finds the audit chain intact.
"""

import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seed import PASSWORD, user_email  # noqa: E402
from bench.server import (  # noqa: E402
    ROOT,
    SERVER,
    VENV_BIN,
    app_environment,
    flask,
    gunicorn,
    signed_in,
)

AUTHORITIES = range(1, 6)
# Per authority: five owners and the heads of their two areas, and three readers.
PEOPLE = {
    role: [user_email(authority, local) for authority in AUTHORITIES for local in locals_]
    for role, locals_ in {
        "owners": ["owner1.1", "owner1.2", "owner1.3", "owner2.1", "owner2.2"],
        "heads": ["head1", "head2"],
        "readers": ["viewer1", "viewer2", "director"],
    }.items()
}
USERS = sum(len(people) for people in PEOPLE.values())
SPAWN_RATE = 5  # people per second: sign-ins (Argon2) spread over the first ten seconds
DURATION = "60s"
P95_LIMIT_MS = 500


def run(database_url: str) -> dict:
    print("\nLoad test: 50 users for 60 s ...", flush=True)
    run_id = time.strftime("%Y%m%d%H%M%S")
    with tempfile.TemporaryDirectory() as folder, gunicorn(database_url) as base:
        record_path, stats_prefix = Path(folder) / "record.json", Path(folder) / "locust"
        cookies_path = Path(folder) / "cookies.json"
        sign_ins = sign_in_everyone(base, cookies_path)
        options = {
            "--locustfile": ROOT / "bench" / "locustfile.py",
            "--host": base,
            "--users": USERS,
            "--spawn-rate": SPAWN_RATE,
            "--run-time": DURATION,
            "--csv": stats_prefix,
            "--loglevel": "WARNING",
            # At the end each person finishes what they were doing, so that every write
            # the app made is one the client saw confirmed.
            "--stop-timeout": 15,
        }
        command = [VENV_BIN / "locust", "--headless", "--only-summary"]
        command += [str(part) for option in options.items() for part in option]
        environment = {
            **app_environment(database_url),
            "BENCH_LOAD_RUN": run_id,
            "BENCH_LOAD_RECORD": str(record_path),
            "BENCH_LOAD_COOKIES": str(cookies_path),
        }
        # Locust's exit status is 1 when any request failed: the record says which.
        subprocess.run(command, cwd=ROOT, env=environment, check=False)
        totals, slowest = _stats(Path(f"{stats_prefix}_stats.csv"))
        record = json.loads(record_path.read_text())
    return {
        "users": USERS,
        "duration": DURATION,
        **totals,
        "failures": len(record["failures"]),
        "sign_in_median_ms": _ms(statistics.median(sign_ins)),
        "sign_in_max_ms": _ms(max(sign_ins)),
        "slowest": slowest,
        "errors": sorted(set(record["failures"])),
        **check_database(database_url, run_id, record),
    }


def sign_in_everyone(base: str, cookies_path: Path) -> list[float]:
    """Sign every simulated person in before the clock starts, a few at a time: locust's
    figures are for the work, and fifty Argon2 checks at once are a stampede no real morning
    has. Returns how long each sign-in took; their cookies go to the file for locust."""

    def sign_in(email: str) -> tuple[str, list, float]:
        started = time.perf_counter()
        jar = signed_in(base, email, PASSWORD).cookies
        # With their domain and path: the app's later Set-Cookie must replace them, not
        # sit beside them as a second cookie of the same name.
        cookies = [
            {"name": c.name, "value": c.value, "domain": c.domain, "path": c.path} for c in jar
        ]
        return email, cookies, time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(sign_in, [e for people in PEOPLE.values() for e in people]))
    cookies_path.write_text(json.dumps({email: jar for email, jar, _ in done}))
    return [seconds for _, _, seconds in done]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _stats(path: Path) -> tuple[dict, list[dict]]:
    with path.open() as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    endpoints = [row for row in rows if row["Name"] != "Aggregated"]
    endpoints.sort(key=lambda row: -float(row["95%"]))
    slowest = [
        {
            "name": f"{row['Type']} {row['Name']}",
            "requests": int(row["Request Count"]),
            "median_ms": float(row["Median Response Time"]),
            "p95_ms": float(row["95%"]),
        }
        for row in endpoints[:5]
    ]
    return {
        "requests": int(total["Request Count"]),
        "requests_per_second": round(float(total["Requests/s"]), 1),
        "median_ms": float(total["Median Response Time"]),
        "p95_ms": float(total["95%"]),
    }, slowest


def check_database(database_url: str, run_id: str, record: dict) -> dict:
    """Is every confirmed submission and approval in the database exactly once?"""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT split_part(narrative, ':', 1), state FROM progress_update "
            "WHERE narrative LIKE %s",
            (f"LOADTEST-{run_id}-%",),
        ).fetchall()
        found: dict[str, list[str]] = {}
        for marker, state in rows:
            found.setdefault(marker, []).append(state)
        lost = [m for m in record["submitted"] if len(found.get(m, [])) != 1]
        # A row the app never confirmed would be a request that failed but still wrote.
        unconfirmed = sorted(set(found) - set(record["submitted"]))
        approvals = connection.execute(
            "SELECT p.id, p.state, (SELECT count(*) FROM audit_event e WHERE "
            "e.object_type = 'progress_update' AND e.object_id = p.id AND e.verb = 'approved') "
            "FROM progress_update p WHERE p.id = ANY(%s)",
            (record["approved"],),
        ).fetchall()
    bad_approvals = [i for i, state, events in approvals if state != "approved" or events != 1]
    bad_approvals += sorted(set(record["approved"]) - {row[0] for row in approvals})
    verify = flask_verify(database_url)
    return {
        "submitted": len(record["submitted"]),
        "submitted_found_once": len(record["submitted"]) - len(lost),
        "unconfirmed_rows": len(unconfirmed),
        "approved": len(record["approved"]),
        "approved_found_once": len(record["approved"]) - len(set(bad_approvals)),
        "audit_verify": verify,
    }


def flask_verify(database_url: str) -> str:
    try:
        return flask(database_url, "audit", "verify").stdout.strip()
    except subprocess.CalledProcessError as failed:
        return f"FAILED: {failed.stdout.strip()} {failed.stderr.strip()}"


def budgets(result: dict) -> list[dict]:
    nothing_lost = (
        result["submitted_found_once"] == result["submitted"]
        and result["approved_found_once"] == result["approved"]
        and result["unconfirmed_rows"] == 0
    )
    return [
        {
            "budget": "load: errors",
            "measured": str(result["failures"]),
            "met": result["failures"] == 0,
        },
        {
            "budget": "load: 95th percentile",
            "measured": f"{result['p95_ms']:.0f} ms (< 500 ms)",
            "met": result["p95_ms"] < P95_LIMIT_MS,
        },
        {
            "budget": "load: submitted and approved updates in the database exactly once",
            "measured": f"{result['submitted_found_once']}/{result['submitted']} submitted, "
            f"{result['approved_found_once']}/{result['approved']} approved, "
            f"{result['unconfirmed_rows']} unconfirmed",
            "met": nothing_lost,
        },
        {
            "budget": "load: audit chain verifies",
            "measured": result["audit_verify"],
            "met": "intact" in result["audit_verify"],
        },
    ]


def summary(result: dict) -> str:
    lines = [
        f"Load: {result['users']} users, {result['duration']}: {result['requests']} requests "
        f"({result['requests_per_second']}/s), {result['failures']} failures, "
        f"median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms",
        f"  updates submitted {result['submitted']} (found once: "
        f"{result['submitted_found_once']}), approved {result['approved']} (found once: "
        f"{result['approved_found_once']}); audit: {result['audit_verify']}",
        "  slowest (p95): "
        + "; ".join(f"{row['name']} {row['p95_ms']:.0f} ms" for row in result["slowest"]),
        f"  sign-ins (not in the figures above): median {result['sign_in_median_ms']:.0f} ms, "
        f"slowest {result['sign_in_max_ms']:.0f} ms",
    ]
    lines += [f"  error: {error}" for error in result["errors"]]
    return "\n".join(lines)


if __name__ == "__main__":
    outcome = run(sys.argv[1] if len(sys.argv) > 1 else f"{SERVER}/workflow_bench")
    print(summary(outcome))
    for check in budgets(outcome):
        print(f"  {'met   ' if check['met'] else 'MISSED'} {check['budget']}: {check['measured']}")
    sys.exit(0 if all(check["met"] for check in budgets(outcome)) else 1)
