"""Sending email through the SMTP server named in the configuration (SMTP_HOST, SMTP_PORT).

Callers send only after their database commit, so a rolled-back change never emails anyone.
"""

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app

TIMEOUT_SECONDS = 30


class Outbox:
    """One SMTP connection, reused for every message of a run."""

    def __init__(self, smtp: smtplib.SMTP, sender: str):
        self.smtp, self.sender = smtp, sender

    def send(self, to_name: str, to_address: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = formataddr((to_name, to_address))
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message["Auto-Submitted"] = "auto-generated"  # so out-of-office replies stay quiet
        message.set_content(body)
        self.smtp.send_message(message)


@contextmanager
def outbox() -> Iterator[Outbox]:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=TIMEOUT_SECONDS) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        yield Outbox(smtp, config["MAIL_FROM"])
