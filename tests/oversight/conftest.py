"""Fixtures for the oversight tests: approved updates, a query counter, a real SMTP server."""

import socket
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from tests.factories import progress_update
from workflow.extensions import db
from workflow.models import Action, ActionStatus, ProgressUpdate, Rag, User


def submitted_update(
    author: User, action: Action, rag: Rag, status: ActionStatus, narrative: str = "Progress made."
) -> ProgressUpdate:
    return progress_update(author, action, narrative, rag=rag, status=status)


def approved_update(
    author: User,
    reviewer: User,
    action: Action,
    rag: Rag = Rag.AMBER,
    status: ActionStatus = ActionStatus.IN_PROGRESS,
    narrative: str = "Progress made.",
) -> ProgressUpdate:
    return progress_update(author, action, narrative, reviewer=reviewer, rag=rag, status=status)


@pytest.fixture
def count_queries(app):
    """with count_queries() as statements: ... counts every SQL statement sent."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def note(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", note)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note)

    return counting


@dataclass
class Inbox:
    """What the local SMTP server received, parsed."""

    host: str
    port: int
    messages: list[EmailMessage]

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on a free local port; the app is configured to send to it."""
    inbox = Inbox("127.0.0.1", free_port(), [])
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    app.config.update(SMTP_HOST=inbox.host, SMTP_PORT=inbox.port, MAIL_FROM="plans@council.example")
    try:
        yield inbox
    finally:
        controller.stop()
