"""Every route against every visitor, from the one table in route_table.py."""

import pytest

from tests.route_table import ROUTES, VISITORS


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    tabled = {endpoint for _, _, endpoint, _ in ROUTES}
    assert endpoints - tabled == set(), "routes missing from tests/route_table.py"
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if rule.endpoint != "static":
                assert any(m == method and e == rule.endpoint for m, _, e, _ in ROUTES), (
                    f"{method} {rule.rule} is missing from the route table"
                )


@pytest.mark.parametrize("visitor", VISITORS)
def test_route_answers_for(visitor, client, world, login):
    if visitor != "anon":
        login(visitor)
    ids = {
        "inspection": world.inspection.id,
        "recommendation": world.recommendation.id,
        "action": world.action.id,
        "manager": world.users["manager"].id,
        "partner": world.users["partner"].id,
        "draft": world.draft.id,
        "submitted": world.submitted.id,
        "evidence": world.evidence.id,
        "report_import": world.report_import.id,
        "area": world.area.id,
    }
    wrong = []
    for method, path, _, expected in ROUTES:
        url = path.format(**ids)
        response = client.open(url, method=method, data={})
        response.close()
        if response.status_code != expected[visitor]:
            wrong.append(f"{method} {url}: {response.status_code}, expected {expected[visitor]}")
        if method == "POST" and path == "/sign-out" and visitor != "anon":
            login(visitor)  # signing out was the point of that row; carry on signed in
    assert wrong == []
