"""The load test and the soak, against gunicorn (2 workers, 4 threads each) and PostgreSQL,
all on loopback; then a check that nothing was lost.

    .venv/bin/python bench/load.py [DATABASE_URL]   (a database bench/seed.py filled)

The load: 200 simulated people for 120 s, the scale of a busy region. Passes when locust saw
no errors, the 95th percentile of all requests is under 300 ms, every update the app
confirmed as submitted is in the database exactly once (found by its unique marker), every
confirmed approval is approved with exactly one audit event, and `flask audit verify` finds
the audit chain intact.

The soak: 50 people for 10 minutes, the same checks, and two of its own: each worker's
resident memory grows by less than 10% from the end of the first minute to the end, and the
95th percentile of the last two minutes is within 20% of the second and third minutes'.
"""

import csv
import json
import os
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
    worker_rss_mib,
)

# Per authority: five owners and the heads of their two areas, and three readers.
ROLES = {
    "owners": ["owner1.1", "owner1.2", "owner1.3", "owner2.1", "owner2.2"],
    "heads": ["head1", "head2"],
    "readers": ["viewer1", "viewer2", "director"],
}
PER_AUTHORITY = sum(len(locals_) for locals_ in ROLES.values())


def people(users: int) -> dict[str, list[str]]:
    authorities = range(1, users // PER_AUTHORITY + 1)
    return {
        role: [user_email(authority, local) for authority in authorities for local in locals_]
        for role, locals_ in ROLES.items()
    }


# The people of this run: locust's processes read them from the environment.
PEOPLE = people(int(os.environ.get("BENCH_LOAD_USERS", "50")))
SPAWN_RATE = 20  # people per second: they signed in before the clock started
LOAD = {"users": 200, "seconds": 120}
SOAK = {"users": 50, "seconds": 600}
P95_LIMIT_MS = 300
RSS_GROWTH_LIMIT = 0.10
P95_DRIFT_LIMIT = 0.20


def run(database_url: str, users: int = LOAD["users"], seconds: int = LOAD["seconds"]) -> dict:
    """One locust run; the soak's figures (memory and p95 over time) come with every run."""
    print(f"\nLoad: {users} users for {seconds} s ...", flush=True)
    run_id = time.strftime("%Y%m%d%H%M%S")
    everyone = people(users)
    with tempfile.TemporaryDirectory() as folder, gunicorn(database_url) as base:
        record_path, stats_prefix = Path(folder) / "record.json", Path(folder) / "locust"
        cookies_path = Path(folder) / "cookies.json"
        sign_ins = sign_in_everyone(base, cookies_path, everyone)
        options = {
            "--locustfile": ROOT / "bench" / "locustfile.py",
            "--host": base,
            "--users": users,
            "--spawn-rate": SPAWN_RATE,
            "--run-time": f"{seconds}s",
            "--csv": stats_prefix,
            "--csv-full-history": "",
            "--loglevel": "WARNING",
            # At the end each person finishes what they were doing, so that every write
            # the app made is one the client saw confirmed.
            "--stop-timeout": 15,
        }
        command = [VENV_BIN / "locust", "--headless", "--only-summary"]
        command += [str(part) for option in options.items() for part in option if part != ""]
        environment = {
            **app_environment(database_url),
            "BENCH_LOAD_USERS": str(users),
            "BENCH_LOAD_RUN": run_id,
            "BENCH_LOAD_RECORD": str(record_path),
            "BENCH_LOAD_COOKIES": str(cookies_path),
        }
        # Locust's exit status is 1 when any request failed: the record says which.
        locust = subprocess.Popen(command, cwd=ROOT, env=environment)
        memory = _memory_over_time(base, locust, first_after=60)
        totals, slowest = _stats(Path(f"{stats_prefix}_stats.csv"))
        drift = _p95_drift(Path(f"{stats_prefix}_stats_history.csv"))
        record = json.loads(record_path.read_text())
    return {
        "users": users,
        "duration": f"{seconds}s",
        **totals,
        **memory,
        **drift,
        "failures": len(record["failures"]),
        "sign_in_median_ms": _ms(statistics.median(sign_ins)),
        "sign_in_max_ms": _ms(max(sign_ins)),
        "slowest": slowest,
        "errors": sorted(set(record["failures"])),
        **check_database(database_url, run_id, record),
    }


def _memory_over_time(base: str, locust: subprocess.Popen, first_after: int) -> dict:
    """Each worker's resident memory once warm (after the first minute) and at the end."""
    started, first = time.monotonic(), None
    while locust.poll() is None:
        if first is None and time.monotonic() - started >= first_after:
            first = worker_rss_mib(base)
        time.sleep(1)
    last = worker_rss_mib(base)
    first = first or last
    growth = max(last[pid] / first[pid] - 1 for pid in last if pid in first) if first else 0.0
    return {
        "rss_first_mib": round(max(first.values()), 1),
        "rss_last_mib": round(max(last.values()), 1),
        "rss_growth": round(growth, 3),
    }


def _p95_drift(path: Path) -> dict:
    """The 95th percentile of the last two minutes against that of minutes two and three."""
    with path.open() as history:
        rows = [row for row in csv.DictReader(history) if row["Name"] == "Aggregated"]
    start = int(rows[0]["Timestamp"]) if rows else 0

    def p95_between(first: int, last: int) -> float:
        values = [
            float(row["95%"])
            for row in rows
            if first <= int(row["Timestamp"]) - start < last and row["95%"] not in ("N/A", "0")
        ]
        return statistics.median(values) if values else 0.0

    end = int(rows[-1]["Timestamp"]) - start if rows else 0
    early, late = p95_between(60, 180), p95_between(end - 120, end + 1)
    return {
        "p95_early_ms": early,
        "p95_late_ms": late,
        "p95_drift": round(late / early - 1, 3) if early else 0.0,
    }


def sign_in_everyone(base: str, cookies_path: Path, everyone: dict) -> list[float]:
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
        done = list(pool.map(sign_in, [e for group in everyone.values() for e in group]))
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


def budgets(result: dict, soak: dict | None = None) -> list[dict]:
    checks = _run_budgets("load", result, P95_LIMIT_MS)
    if soak is not None:
        checks += _run_budgets("soak", soak, None)
        checks += [
            {
                "budget": f"soak: memory per worker grows by less than {RSS_GROWTH_LIMIT:.0%}",
                "measured": f"{soak['rss_first_mib']:.0f} MiB to {soak['rss_last_mib']:.0f} "
                f"MiB ({soak['rss_growth']:+.1%})",
                "met": soak["rss_growth"] < RSS_GROWTH_LIMIT,
            },
            {
                "budget": f"soak: p95 drifts up by no more than {P95_DRIFT_LIMIT:.0%}",
                "measured": f"{soak['p95_early_ms']:.0f} ms to {soak['p95_late_ms']:.0f} ms "
                f"({soak['p95_drift']:+.1%})",
                "met": soak["p95_drift"] <= P95_DRIFT_LIMIT,
            },
        ]
    return checks


def _run_budgets(name: str, result: dict, p95_limit: float | None) -> list[dict]:
    nothing_lost = (
        result["submitted_found_once"] == result["submitted"]
        and result["approved_found_once"] == result["approved"]
        and result["unconfirmed_rows"] == 0
    )
    checks = [
        {
            "budget": f"{name}: errors",
            "measured": str(result["failures"]),
            "met": result["failures"] == 0,
        },
        {
            "budget": f"{name}: submitted and approved updates in the database exactly once",
            "measured": f"{result['submitted_found_once']}/{result['submitted']} submitted, "
            f"{result['approved_found_once']}/{result['approved']} approved, "
            f"{result['unconfirmed_rows']} unconfirmed",
            "met": nothing_lost,
        },
        {
            "budget": f"{name}: audit chain verifies",
            "measured": result["audit_verify"],
            "met": "intact" in result["audit_verify"],
        },
    ]
    if p95_limit is not None:
        checks.append(
            {
                "budget": f"{name}: 95th percentile",
                "measured": f"{result['p95_ms']:.0f} ms (< {p95_limit:.0f} ms)",
                "met": result["p95_ms"] < p95_limit,
            }
        )
    return checks


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
        f"  memory per worker {result['rss_first_mib']:.0f} to {result['rss_last_mib']:.0f} MiB; "
        f"p95 {result['p95_early_ms']:.0f} ms early, {result['p95_late_ms']:.0f} ms late",
    ]
    lines += [f"  error: {error}" for error in result["errors"]]
    return "\n".join(lines)


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else f"{SERVER}/workflow_bench"
    outcome, soaked = run(url), run(url, **SOAK)
    print(summary(outcome) + "\n" + summary(soaked))
    checks = budgets(outcome, soaked)
    for check in checks:
        print(f"  {'met   ' if check['met'] else 'MISSED'} {check['budget']}: {check['measured']}")
    sys.exit(0 if all(check["met"] for check in checks) else 1)
