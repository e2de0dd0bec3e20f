"""The load test's simulated people: seeded users of the first five authorities.

Owners write and submit progress updates, heads of service approve what waits for them,
readers (viewers and directors) read dashboards, searches and plans. Every update an owner
submits carries a unique marker in its narrative; each submission and approval the app
confirmed is written to BENCH_LOAD_RECORD at the end, for bench/load.py to find in the
database exactly once. Run by bench/load.py, which has signed everyone in already (their
cookies are in BENCH_LOAD_COOKIES); not meant to be started by hand.
"""

import json
import os
import random
import re
from itertools import count

import requests
from locust import FastHttpUser, between, events, task

from bench.load import PEOPLE
from bench.seed import PARTNERS, TOPICS
from bench.server import csrf_token

RUN = os.environ.get("BENCH_LOAD_RUN", "local")
ACTION_LINK = re.compile(r'href="/actions/(\d+)"')
UPDATE_LINK = re.compile(r'href="/updates/(\d+)"')
INSPECTION_LINK = re.compile(r'href="/inspections/(\d+)"')
APPROVE_VERSION = re.compile(
    r'action="/updates/\d+/approve".*?name="version"[^>]*value="(\d+)"', re.S
)
SUBMITTED = "Update submitted for approval."
APPROVED = "Update approved and applied to the action."
# An action has one update awaiting approval at a time: a second is refused, rightly.
ONE_WAITING = "must be approved, returned or withdrawn before this one can be submitted"
PROBLEM = re.compile(r'govuk-error-summary__list">\s*<li>(.*?)</li>', re.S)
TAG = re.compile(r"<[^>]+>")
TITLE = re.compile(r"<title>(.*?)</title>", re.S)

submitted: list[str] = []  # markers of updates the app confirmed as submitted
approved: list[int] = []  # ids of updates the app confirmed as approved
failures: list[str] = []  # every failed request, and every task that raised
markers = count(1)
with open(os.environ["BENCH_LOAD_COOKIES"]) as saved:
    COOKIES: dict[str, list[dict]] = json.load(saved)


class Person(FastHttpUser):
    """A person at a browser. geventhttpclient rather than requests: the load generator
    shares the app's two cores, and requests spent a good part of them on the client side."""

    abstract = True
    wait_time = between(2, 5)  # a brisk reader: people at work pause far longer
    accounts = iter(())
    # The session is bound to the browser that signed in (Flask-Login's strong protection):
    # look like the client bench/load.py signed in with.
    default_headers = {"User-Agent": requests.utils.default_user_agent()}

    def on_start(self):
        """Each simulated person is a different seeded user, already signed in."""
        self.email = next(self.accounts)
        for cookie in COOKIES[self.email]:
            self.client.cookiejar.set_cookie(requests.cookies.create_cookie(**cookie))

    def get(self, path: str, name: str | None = None):
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if "/sign-in" in response.url:
                response.failure("signed out: sent to the sign-in page")
            return response


class Owner(Person):
    accounts = iter(PEOPLE["owners"])
    fixed_count = len(PEOPLE["owners"])

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
            elif ONE_WAITING in response.text:
                response.success()
            else:
                response.failure("the update was not submitted")

    @task(2)
    def read_an_action(self):
        actions = ACTION_LINK.findall(self.get("/my-actions").text)
        if actions:
            self.get(f"/actions/{random.choice(actions)}", "/actions/[id]")


class Head(Person):
    accounts = iter(PEOPLE["heads"])
    fixed_count = len(PEOPLE["heads"])

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
        data = {
            "csrf_token": csrf_token(page),
            "version": version.group(1),
            # The owners rate amber whatever the rules give: where they differ, the head
            # agrees the exception (the rules keep it only then).
            "rag_exception": "Agreed by the load test's head of service.",
            # Some seeded narratives name a school near the word "child", and the personal-
            # data check asks the reviewer to confirm: a school's name is not personal data.
            "privacy_confirmed": "y",
        }
        with self.client.post(
            f"/updates/{update}/approve",
            data=data,
            name="/updates/[id]/approve",
            catch_response=True,
        ) as response:
            if APPROVED in response.text:
                approved.append(int(update))
            elif "after you opened the page" not in response.text:
                problem = PROBLEM.search(response.text)
                title = TITLE.search(response.text)
                reason = TAG.sub("", problem.group(1)).strip() if problem else title.group(1)
                response.failure(
                    f"the approval was neither made nor refused as stale "
                    f"({response.status_code}): {' '.join(reason.split())}"
                )


class Reader(Person):
    accounts = iter(PEOPLE["readers"])
    fixed_count = len(PEOPLE["readers"])

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


@events.user_error.add_listener
def note_error(user_instance, exception, tb, **kwargs):
    failures.append(f"{type(user_instance).__name__} task: {exception!r}")


@events.quitting.add_listener
def write_record(environment, **kwargs):
    path = os.environ.get("BENCH_LOAD_RECORD")
    if path:
        with open(path, "w") as record:
            json.dump({"submitted": submitted, "approved": approved, "failures": failures}, record)
