"""Hostile values in the query strings of the new GET pages and the API: never a 500."""

import pytest

from tests.test_hostile_input import HOSTILE
from workflow.api import tokens
from workflow.extensions import db
from workflow.models import utcnow

PAGES = [
    "/dashboard?service_area={v}&owner={v}&status={v}&rag={v}&page={v}",
    "/dashboard.csv?service_area={v}&owner={v}&status={v}&rag={v}",
    "/search?q={v}&page={v}",
]


@pytest.mark.parametrize("template", PAGES)
def test_hostile_filters_and_searches(template, world, login):
    client = login("viewer")
    for value in HOSTILE:
        response = client.get(template.format(v=value))
        assert response.status_code == 200, (template, value[:20])


def test_hostile_api_parameters(world, client):
    secret = tokens.create_api_token(world.users["viewer"], "BI", 30, utcnow())
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    for value in HOSTILE:
        response = client.get(f"/api/v1/actions?page={value}&per_page={value}", headers=headers)
        assert response.status_code in (200, 400) and response.is_json, value[:20]
        response = client.get(f"/api/v1/actions/{value}", headers=headers)
        assert response.status_code == 404 and response.is_json, value[:20]
        response = client.get("/api/v1/actions", headers={"Authorization": f"Bearer {value}"})
        assert response.status_code == 401, value[:20]
