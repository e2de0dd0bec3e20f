"""Command-line tools: demo data, authorities and users (the audit check: tests/core)."""

import sqlalchemy as sa

from tests.conftest import pass_second_factor
from workflow.demo import DEMO_TOTP_SECRET
from workflow.extensions import db
from workflow.models import Action, Authority, Inspection, Recommendation, Role, User


def test_demo_loads_once_and_prints_sign_ins(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    *lines, key_line = first.output.strip().splitlines()
    assert DEMO_TOTP_SECRET in key_line  # administrators and directors need a code too
    roles = {line.split(" ")[0] for line in lines}
    assert roles == {role.value for role in Role}
    assert all(len(line.split(" ")) == 3 for line in lines)
    counts = [db.session.scalar(sa.select(sa.func.count(m.id))) for m in (User, Action, Inspection)]
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert second.output == first.output
    assert [
        db.session.scalar(sa.select(sa.func.count(m.id))) for m in (User, Action, Inspection)
    ] == counts


def test_demo_is_wolverhampton_2022(runner):
    runner.invoke(args=["demo"])
    inspection = db.session.scalars(
        sa.select(Inspection)
        .join(Inspection.authority)
        .where(Authority.name.like("%Wolverhampton%"))
    ).one()
    assert [j.grade for j in inspection.judgements] == ["Outstanding", "Good", "Good", "Good"]
    assert len(inspection.recommendations) == 5
    assert all(2 <= len(r.actions) <= 4 for r in inspection.recommendations)
    assert "PEP's" in inspection.recommendations[2].text
    assert len({a.service_area_id for r in inspection.recommendations for a in r.actions}) >= 4


def test_demo_users_can_sign_in(runner, client):
    line = runner.invoke(args=["demo"]).output.splitlines()[1]
    role, email, password = line.split(" ")
    assert role == "director"
    response = client.post("/sign-in", data={"email": email, "password": password})
    response = pass_second_factor(client, response, email, DEMO_TOTP_SECRET)
    assert response.status_code == 302
    page = client.get("/inspections").get_data(as_text=True)
    assert "ILACS short inspection" in page


def test_second_authority_sees_none_of_wolverhampton(runner, client):
    output = runner.invoke(args=["demo"]).output
    line = next(line for line in output.splitlines() if "dunmere" in line)
    _, email, password = line.split(" ")
    response = client.post("/sign-in", data={"email": email, "password": password})
    pass_second_factor(client, response, email, DEMO_TOTP_SECRET)
    wolverhampton = db.session.scalars(
        sa.select(Recommendation)
        .join(Recommendation.inspection)
        .join(Inspection.authority)
        .where(Authority.name.like("%Wolverhampton%"))
    ).first()
    assert client.get(f"/recommendations/{wolverhampton.id}").status_code == 404
    assert "ILACS" not in client.get("/inspections").get_data(as_text=True)


def test_create_authority_and_user(runner, client):
    assert runner.invoke(args=["create-authority", "Eastwick Council"]).exit_code == 0
    again = runner.invoke(args=["create-authority", "Eastwick Council"])
    assert again.exit_code != 0 and "already exists" in again.output
    result = runner.invoke(
        args=[
            "create-user",
            "--authority",
            "Eastwick Council",
            "--role",
            "head_of_service",
            "--email",
            "Pat@Eastwick.example",
            "--name",
            "Pat Lee",
            "--service-area",
            "Early help",
        ],
        env={"NEW_USER_PASSWORD": "willow-anchor-pebble"},
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "pat@eastwick.example"))
    assert (user.role, user.service_area.name) == (Role.HEAD_OF_SERVICE, "Early help")
    assert (
        client.post(
            "/sign-in", data={"email": "pat@eastwick.example", "password": "willow-anchor-pebble"}
        ).status_code
        == 302
    )


def test_create_user_refuses_a_weak_password_and_unknown_authority(runner):
    runner.invoke(args=["create-authority", "Eastwick Council"])
    weak = runner.invoke(
        args=[
            "create-user",
            "--authority",
            "Eastwick Council",
            "--role",
            "viewer",
            "--email",
            "a@eastwick.example",
            "--name",
            "A",
        ],
        env={"NEW_USER_PASSWORD": "password"},
    )
    assert weak.exit_code != 0 and "12 characters" in weak.output
    unknown = runner.invoke(
        args=[
            "create-user",
            "--authority",
            "Nowhere",
            "--role",
            "viewer",
            "--email",
            "b@x.example",
            "--name",
            "B",
        ],
        env={"NEW_USER_PASSWORD": "willow-anchor-pebble"},
    )
    assert unknown.exit_code != 0 and "No authority called Nowhere" in unknown.output
