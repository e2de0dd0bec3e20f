"""make bench: page latency and queries per request at 1,000, 10,000 and 100,000 actions,
document renders, the importer's speed on the real reports, and the load test; one table,
bench/results.json, and the budgets.

    .venv/bin/python bench/run.py [--sizes 1000 10000 100000] [--samples 60] [--no-load]

Each size has its own database, workflow_bench_<size>, rebuilt by the migrations and
bench/seed.py, and its own gunicorn on loopback. Each key page is fetched one request at a
time as the first authority's users, taking turns between pages and sizes (see
measure_pages). Times are the client's (on loopback, the server's time and a little more);
query counts come from the X-Query-Count header bench/app.py adds. The exit status is 1
when a budget is missed. bench/README.md says more.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import load, seed, startup  # noqa: E402
from bench.server import fresh_database, gunicorn, signed_in  # noqa: E402

SIZES = [1_000, 10_000, 100_000]
DATABASE = "workflow_bench"  # one database per size: workflow_bench_1000, ...
RESULTS = Path(__file__).with_name("results.json")
WARM_UP = 5
FLOOR = "floor"
# (page, who, address); {braces} name the records targets() picks in the first authority.
PAGES = [
    (FLOOR, "head", "/bench/floor"),
    ("home (owner)", "owner", "/"),
    ("home (head of service)", "head", "/"),
    ("home (director)", "director", "/"),
    ("dashboard", "viewer", "/dashboard"),
    ("inspection", "viewer", "/inspections/{inspection}"),
    ("recommendation", "viewer", "/recommendations/{recommendation}"),
    ("action", "owner", "/actions/{action}"),
    ("my actions", "owner", "/my-actions"),
    ("approval queue", "head", "/awaiting-approval"),
    ("action list, filtered", "viewer", "/dashboard?status=in_progress&rag=red"),
    ("search", "viewer", "/search?q={search}"),
    ("search, common words", "viewer", "/search?q={topic}"),
    # Pages of 25: every size fills them (but for the 7 actions of an authority at 1,000).
    ("API list (actions)", "api", "/api/v1/actions?per_page=25"),
    ("API list (updates)", "api", "/api/v1/updates?per_page=25"),
]
# Budgets (issue: "Scale and speed"): ratios within one run, never absolute page times.
GROWTH_LIMIT = 2.0  # median at the largest size / median at the smallest
FLOOR_LIMIT = 2.0  # median at 10,000 actions / the floor's median at 10,000
DOCX_LIMIT = 2.0  # seconds for a 300-action plan
PDF_TO_DOCX_LIMIT = 3.0  # the same plan's PDF against its DOCX, CPU seconds in this run


def targets(url: str) -> dict[str, str]:
    """The records the pages show: the first authority's newest inspection, its busiest
    recommendation, and an action of its owner with measures; the owner with the most
    actions, the head with the most updates waiting, the school or partner its approved
    updates name most often (a search for something specific, which finds a few), and the
    topic its actions work on most often (words that one record in 24 contains)."""
    queries = {
        "inspection": "SELECT i.id FROM inspection i WHERE i.authority_id = 1 "
        "ORDER BY i.start_date DESC LIMIT 1",
        "recommendation": "SELECT r.id FROM recommendation r JOIN action a "
        "ON a.recommendation_id = r.id JOIN inspection i ON i.id = r.inspection_id "
        "WHERE i.authority_id = 1 GROUP BY r.id, i.start_date "
        "ORDER BY i.start_date DESC, count(*) DESC, r.id LIMIT 1",
        "owner": "SELECT u.email FROM user_account u JOIN action a ON a.owner_id = u.id "
        "WHERE u.authority_id = 1 GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1",
        "head": "SELECT h.email FROM user_account h JOIN action a "
        "ON a.service_area_id = h.service_area_id JOIN progress_update p ON p.action_id = a.id "
        "WHERE h.authority_id = 1 AND h.role = 'head_of_service' AND p.state = 'submitted' "
        "GROUP BY h.id ORDER BY count(*) DESC, h.id LIMIT 1",
        "search": "SELECT substring(p.narrative from 'Agreed with ([^.]+)') AS name "
        "FROM progress_update p JOIN action a ON a.id = p.action_id "
        "JOIN recommendation r ON r.id = a.recommendation_id "
        "JOIN inspection i ON i.id = r.inspection_id WHERE i.authority_id = 1 "
        "AND p.state = 'approved' AND p.narrative LIKE '%%Agreed with%%' "
        "GROUP BY name ORDER BY count(*) DESC, name LIMIT 1",
        "topic": "SELECT substring(a.description from 'strengthen ([^,]+),') AS topic "
        "FROM action a JOIN recommendation r ON r.id = a.recommendation_id "
        "JOIN inspection i ON i.id = r.inspection_id WHERE i.authority_id = 1 "
        "GROUP BY topic ORDER BY count(*) DESC, topic LIMIT 1",
    }
    with psycopg.connect(url) as connection:
        found = {name: connection.execute(sql).fetchone() for name, sql in queries.items()}
        owner = found["owner"][0]
        action = connection.execute(
            "SELECT a.id FROM action a JOIN user_account u ON u.id = a.owner_id "
            "LEFT JOIN measure m ON m.action_id = a.id WHERE u.email = %s "
            "ORDER BY m.id IS NULL, a.due_date DESC, a.id LIMIT 1",
            (owner,),
        ).fetchone()
    head = found["head"][0] if found["head"] else seed.user_email(1, "head1")
    return {
        "inspection": str(found["inspection"][0]),
        "recommendation": str(found["recommendation"][0]),
        "action": str(action[0]),
        "search": found["search"][0].replace(" ", "+"),
        "topic": found["topic"][0].replace(" ", "+"),
        "owner": owner,
        "head": head,
    }


def clients(base: str, chosen: dict[str, str]) -> dict:
    who = {
        "owner": chosen["owner"],
        "head": chosen["head"],
        "director": seed.user_email(1, "director"),
        "viewer": seed.user_email(1, "viewer1"),
    }
    sessions = {role: signed_in(base, email, seed.PASSWORD) for role, email in who.items()}
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {seed.API_TOKEN}"
    return {**sessions, "api": api}


def sample(session, address: str) -> tuple[float, int]:
    """One request: milliseconds and SQL queries."""
    start = time.perf_counter()
    response = session.get(address, allow_redirects=False)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{address} answered {response.status_code}")
    return elapsed, int(response.headers["X-Query-Count"])


def summarise(times: list[float], queries: list[int]) -> dict:
    times = sorted(times)
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[round(0.95 * (len(times) - 1))], 2),
        # What most requests ran. A session writes its last-seen time once a minute, which
        # adds a statement to whichever page comes then: that is not the page growing.
        "queries": statistics.mode(queries),
    }


def seeded(actions: int) -> dict:
    """A database of its own for this size, migrated and seeded."""
    print(f"{actions:,} actions: seeding ...", flush=True)
    url = fresh_database(f"{DATABASE}_{actions}")
    started = time.perf_counter()
    seed.seed(url, actions)
    seconds = time.perf_counter() - started
    print(f"  seeded in {seconds:.0f} s", flush=True)
    return {"actions": actions, "url": url, "seed_seconds": round(seconds, 1)}


def measure_pages(sizes: list[dict], samples: int) -> None:
    """Every page at every size, one request at a time, in turns: each round asks for each
    page at each size once. The machine is shared, so whatever else it does slows every page
    and size alike, and the ratios between them hold."""
    print("Measuring pages ...", flush=True)
    times = {(s["actions"], name): [] for s in sizes for name, _, _ in PAGES}
    queries = {key: [] for key in times}
    with ExitStack() as servers:
        for size in sizes:
            chosen = targets(size["url"])
            base = servers.enter_context(gunicorn(size["url"]))
            size["clients"] = clients(base, chosen)
            size["addresses"] = {
                name: base + address.format(**chosen) for name, _, address in PAGES
            }
        for n in range(WARM_UP + samples):
            for name, who, _ in PAGES:
                for size in sizes:
                    elapsed, count = sample(size["clients"][who], size["addresses"][name])
                    if n >= WARM_UP:
                        times[size["actions"], name].append(elapsed)
                        queries[size["actions"], name].append(count)
    for size in sizes:
        del size["clients"], size["addresses"]
        size["pages"] = {
            name: summarise(times[size["actions"], name], queries[size["actions"], name])
            for name, _, _ in PAGES
        }


def measure_startup(url: str) -> dict:
    """Cold start and memory per worker, against the floor app, on the smallest size."""
    print("cold start and memory ...", flush=True)
    chosen = targets(url)
    pages = ["/", "/dashboard", f"/actions/{chosen['action']}", "/my-actions"]
    return startup.run(url, pages, lambda base: signed_in(base, chosen["owner"], seed.PASSWORD))


def documents() -> dict:
    """The document benchmark (bench/documents.py): a 300-action plan, each format's first
    render."""
    from bench.documents import seed as seed_plan
    from bench.documents import timed
    from workflow import create_app
    from workflow.extensions import db
    from workflow.plans.builder import build_plan
    from workflow.plans.render.docx import render_docx
    from workflow.plans.render.pdf import render_pdf
    from workflow.plans.render.xlsx import render_xlsx

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'documents.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            from workflow.extensions import upgrade_schema

            upgrade_schema()
            plan = build_plan(seed_plan(300), date.today())
            for fmt, render in (("docx", render_docx), ("pdf", render_pdf), ("xlsx", render_xlsx)):
                wall, cpu, size = timed(render, plan)
                results[fmt] = {"seconds": round(wall, 3), "cpu_seconds": round(cpu, 3)}
                results[fmt]["bytes"] = size
            db.engine.dispose()
    return results


def import_speed() -> list[dict]:
    """The importer on every real report, and pypdf's text extraction of each: CPU seconds,
    the better of two reads (bench/importer_accuracy.py, whose own run takes the best of
    three). One read alone can take half as long again as the next."""
    from bench.importer_accuracy import speed

    return speed(runs=2)


def budgets(
    sizes: list[dict], docs: dict | None, load_result: dict | None, soak: dict | None = None
) -> list[dict]:
    """Every budget with its measured value and whether it is met."""
    checks = []
    for name in sizes[0]["pages"]:
        checks.append(_constant_queries(name, sizes))
        if name != FLOOR:
            checks += _page_times(name, sizes)
    if docs:
        seconds = docs["docx"]["seconds"]
        met = seconds < DOCX_LIMIT
        checks.append(_check("DOCX, 300 actions", f"{seconds:.2f} s (< {DOCX_LIMIT:g} s)", met))
        pdf, docx = docs["pdf"]["cpu_seconds"], docs["docx"]["cpu_seconds"]
        ratio = pdf / docx
        measured = f"{pdf:.2f} s, {ratio:.2f}x the DOCX (< {PDF_TO_DOCX_LIMIT:g}x)"
        checks.append(_check("PDF, 300 actions", measured, ratio < PDF_TO_DOCX_LIMIT))
    if load_result:
        checks += load.budgets(load_result, soak)
    return checks


def _constant_queries(name: str, sizes: list[dict]) -> dict:
    counts = [s["pages"][name]["queries"] for s in sizes]
    measured = " / ".join(str(n) for n in counts)
    return _check(f"{name}: queries per request constant", measured, len(set(counts)) == 1)


def _page_times(name: str, sizes: list[dict]) -> list[dict]:
    checks = []
    smallest, largest = sizes[0], sizes[-1]
    middle = next((s for s in sizes if s["actions"] == 10_000), None)
    if largest is not smallest:
        ratio = largest["pages"][name]["median_ms"] / smallest["pages"][name]["median_ms"]
        label = f"{name}: median {largest['actions']:,} / {smallest['actions']:,}"
        measured = f"{ratio:.2f}x (< {GROWTH_LIMIT:g}x)"
        checks.append(_check(label, measured, ratio < GROWTH_LIMIT))
    if middle:
        ratio = middle["pages"][name]["median_ms"] / middle["pages"][FLOOR]["median_ms"]
        label = f"{name}: median at 10,000 / floor"
        measured = f"{ratio:.2f}x (< {FLOOR_LIMIT:g}x)"
        checks.append(_check(label, measured, ratio < FLOOR_LIMIT))
    return checks


def _check(budget: str, measured: str, met: bool) -> dict:
    return {"budget": budget, "measured": measured, "met": met}


def table(sizes: list[dict], docs: dict | None, imports: list[dict]) -> str:
    heads = "".join(f" | {s['actions']:>7,} actions: median  p95  queries" for s in sizes)
    lines = [f"{'page':<24}{heads}"]
    for name in sizes[0]["pages"]:
        cells = "".join(
            f" | {p['median_ms']:>13.1f} ms {p['p95_ms']:>5.0f} {p['queries']:>8}"
            for p in (s["pages"][name] for s in sizes)
        )
        lines.append(f"{name:<24}{cells}")
    seeded = ", ".join(f"{s['actions']:,} in {s['seed_seconds']:.0f} s" for s in sizes)
    lines.append(f"(seeded {seeded})")
    if docs:
        lines.append(
            "documents, 300-action plan (first render of each): "
            + ", ".join(
                f"{fmt.upper()} {d['seconds']:.2f} s ({d['bytes'] / 1024:.0f} KiB)"
                for fmt, d in docs.items()
            )
        )
    if imports:
        slowest = max(imports, key=lambda r: r["seconds"])
        pages = sum(r["pages"] for r in imports)
        seconds = sum(r["seconds"] for r in imports)
        lines.append(
            f"import, {len(imports)} real reports, {pages:,} pages (CPU, better of two reads): "
            f"{seconds / pages * 1000:.0f} ms a page, slowest {slowest['name']} "
            f"{slowest['seconds']:.2f} s"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument("--no-documents", action="store_true", help="skip the document renders")
    parser.add_argument("--no-startup", action="store_true", help="skip cold start and memory")
    parser.add_argument("--no-soak", action="store_true", help="skip the 10-minute soak")
    parser.add_argument("--no-import", action="store_true", help="skip the importer's speed")
    options = parser.parse_args()
    with ProcessPoolExecutor(max_workers=1) as beside:
        # The importer's figures are CPU seconds, which the seeding next to it hardly moves:
        # together the two take the wall time of the seeding alone. Done before any page.
        reading = None if options.no_import else beside.submit(import_speed)
        sizes = [seeded(actions) for actions in sorted(options.sizes)]
        imports = reading.result() if reading else []
    measure_pages(sizes, options.samples)
    start = None if options.no_startup else measure_startup(sizes[0]["url"])
    docs = None if options.no_documents else documents()
    load_result = None if options.no_load else load.run(sizes[-1]["url"])
    soak = None if options.no_load or options.no_soak else load.run(sizes[-1]["url"], **load.SOAK)
    checks = budgets(sizes, docs, load_result, soak)
    if imports:
        from bench.importer_accuracy import speed_budgets

        checks += speed_budgets(imports)
    if start:
        checks += startup.budgets(start)
    for size in sizes:
        del size["url"]
    RESULTS.write_text(
        json.dumps(
            {
                "sizes": sizes,
                "documents": docs,
                "load": load_result,
                "soak": soak,
                "startup": start,
                "import": imports,
                "budgets": checks,
            },
            indent=2,
        )
        + "\n"
    )
    print("\n" + table(sizes, docs, imports))
    for result in (load_result, soak):
        if result:
            print("\n" + load.summary(result))
    print("\nBudgets:")
    for check in checks:
        print(f"  {'met   ' if check['met'] else 'MISSED'} {check['budget']}: {check['measured']}")
    missed = [check for check in checks if not check["met"]]
    print(f"\n{len(checks) - len(missed)} of {len(checks)} budgets met; results in {RESULTS}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
