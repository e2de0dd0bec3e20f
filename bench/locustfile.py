"""The load test's simulated people, signed in as the seeded users of the first five authorities.

Owners write and submit progress updates, heads of service approve what waits for them,
readers (viewers and directors) read dashboards, searches and plans. Every update an owner
submits carries a unique marker in its narrative; each submission and approval the app
confirmed is written to BENCH_LOAD_RECORD at the end, for bench/load.py to find in the
database exactly once. Run by bench/load.py; not meant to be started by hand.
"""

import json
import os
import random
import re
from itertools import count

from locust import HttpUser, between, events, task

from bench.seed import PARTNERS, PASSWORD, TOPICS, user_email
from bench.server import csrf_token

RUN = os.environ.get("BENCH_LOAD_RUN", "local")
AUTHORITIES = range(1, 6)
# Per authority: the first two areas' heads, their owners, and three readers.
OWNERS = [f"owner{area}.{n}" for area in (1, 2) for n in (1, 2, 3)][:5]
HEADS = ["head1", "head2"]
READERS = ["viewer1", "viewer2", "director"]
ACTION_LINK = re.compile(r'href="/actions/(\d+)"')
UPDATE_LINK = re.compile(r'href="/updates/(\d+)"')
INSPECTION_LINK = re.compile(r'href="/inspections/(\d+)"')
APPROVE_VERSION = re.compile(r'action="/updates/\d+/approve".*?name="version" value="(\d+)"', re.S)
SUBMITTED = "Update submitted for approval."
APPROVED = "Update approved and applied to the action."

submitted: list[str] = []  # markers of updates the app confirmed as submitted
approved: list[int] = []  # ids of updates the app confirmed as approved
# Every failed request of the whole run: locust's own figures restart after the ramp-up.
failures: list[str] = []
markers = count(1)


def accounts(locals_: list[str]):
    """Each simulated person signs in as a different seeded user."""
    people = [user_email(a, local) for a in AUTHORITIES for local in locals_]
    return iter(people)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts = iter(())

    def on_start(self):
        self.email = next(self.accounts)
        page = self.client.get("/sign-in", name="/sign-in")
        data = {"csrf_token": csrf_token(page.text), "email": self.email, "password": PASSWORD}
        with self.client.post("/sign-in", data=data, catch_response=True) as response:
            if "/sign-in" in response.url:
                response.failure(f"{self.email} could not sign in")

    def get(self, path: str, name: str | None = None):
        return self.client.get(path, name=name or path)


class Owner(Person):
    fixed_count = 25
    accounts = accounts(OWNERS)

    @task(3)
    def write_and_submit_an_update(self):
        actions = ACTION_LINK.findall(self.get("/").text)  # open actions, soonest due first
        if not actions:
            return
        action = random.choice(actions)
        form = self.get(f"/actions/{action}/updates/new", "/actions/[id]/updates/new").text
        marker = f"LOADTEST-{RUN}-{next(markers)}"
        data = {
            "csrf_token": csrf_token(form),
            "token": re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1),
            "narrative": f"{marker}: the weekly meeting reviewed {random.choice(TOPICS)}.",
            "status": "in_progress",
            "rag": "amber",
            "rag_reason": "Written by the load test, whatever the RAG rules suggest.",
            "intent": "submit",
        }
        with self.client.post(
            f"/actions/{action}/updates/new",
            data=data,
            name="/actions/[id]/updates/new (post)",
            catch_response=True,
        ) as response:
            if SUBMITTED in response.text:
                submitted.append(marker)
            else:
                response.failure("the update was not submitted")

    @task(2)
    def read_an_action(self):
        actions = ACTION_LINK.findall(self.get("/my-actions").text)
        if actions:
            self.get(f"/actions/{random.choice(actions)}", "/actions/[id]")


class Head(Person):
    fixed_count = 10
    accounts = accounts(HEADS)

    @task
    def approve_the_oldest_waiting_update(self):
        updates = UPDATE_LINK.findall(self.get("/awaiting-approval").text)
        if not updates:
            return
        update = updates[0]
        page = self.get(f"/updates/{update}", "/updates/[id]").text
        version = APPROVE_VERSION.search(page)
        if not version:  # approved by someone else since the queue was read
            return
        data = {"csrf_token": csrf_token(page), "version": version.group(1)}
        with self.client.post(
            f"/updates/{update}/approve",
            data=data,
            name="/updates/[id]/approve",
            catch_response=True,
        ) as response:
            if APPROVED in response.text:
                approved.append(int(update))
            elif "after you opened the page" not in response.text:
                response.failure("the approval was neither made nor refused as stale")


class Reader(Person):
    fixed_count = 15
    accounts = accounts(READERS)

    @task(3)
    def dashboard(self):
        self.get("/dashboard")
        self.get("/dashboard?rag=red", "/dashboard?rag=red")

    @task(2)
    def plan(self):
        inspections = INSPECTION_LINK.findall(self.get("/inspections").text)
        if inspections:
            self.get(f"/inspections/{inspections[0]}/plan", "/inspections/[id]/plan")

    @task(1)
    def search(self):
        # Searches for something specific, as the benchmark's key page does (bench/README.md).
        self.get(f"/search?q={random.choice(PARTNERS)}", "/search")


@events.request.add_listener
def note_failure(request_type, name, exception, **kwargs):
    if exception:
        failures.append(f"{request_type} {name}: {exception}")


@events.quitting.add_listener
def write_record(environment, **kwargs):
    path = os.environ.get("BENCH_LOAD_RECORD")
    if path:
        with open(path, "w") as record:
            json.dump({"submitted": submitted, "approved": approved, "failures": failures}, record)
