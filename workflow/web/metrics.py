"""Prometheus metrics: requests by route and status, latency, jobs by state, queue depth.

Request counts live in each process; under gunicorn set PROMETHEUS_MULTIPROC_DIR (an
empty folder per start) so a scrape adds up every worker. Jobs by state and the queue's
depth are read at scrape time from the database and the broker, the source of truth.
"""

import os
import time

import sqlalchemy as sa
from flask import Flask, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

from workflow.extensions import db

REQUESTS = Counter(
    "workflow_http_requests_total", "Requests answered", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "workflow_http_request_duration_seconds",
    "Time to answer a request",
    ["endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
)


def register(app: Flask) -> None:
    app.after_request(count_request)


def count_request(response):
    started = g.get("request_started")
    if started is None or request.endpoint == "static":
        return response
    endpoint = request.endpoint or "unmatched"  # 404s: one label, not one per address
    REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


class JobsCollector(Collector):
    """Jobs by state from the database, and the broker's queue depth, at scrape time."""

    def collect(self):
        from workflow.models import Job, JobState

        by_state = dict(
            db.session.execute(sa.select(Job.state, sa.func.count()).group_by(Job.state)).all()
        )
        jobs = GaugeMetricFamily("workflow_jobs", "Background jobs by state", labels=["state"])
        for state in JobState:
            jobs.add_metric([state.value], by_state.get(state, 0))
        yield jobs
        if current_app.config["JOBS_MODE"] == "broker":
            from workflow.jobs import broker

            depth = GaugeMetricFamily("workflow_job_queue_depth", "Messages waiting on the queue")
            depth.add_metric([], broker.queue_depth(current_app.config))
            yield depth


def scrape() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = _ProcessRegistry()
    registry.register(JobsCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _ProcessRegistry(CollectorRegistry):
    """This process's own metrics plus, per scrape, the jobs collector."""

    def collect(self):
        yield from REGISTRY.collect()
        yield from super().collect()
