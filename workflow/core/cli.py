"""Commands for the shared machinery: checking the audit trail."""

import sys

import click
from flask.cli import AppGroup

from workflow.core import audit

audit_group = AppGroup("audit", help="The audit trail.")


@audit_group.command("verify")
def audit_verify_command():
    """Check the hash chain of every authority's audit trail."""
    report = audit.verify_chain()
    if report.intact:
        click.echo(f"Audit chain intact: {report.events_checked} events checked.")
        return
    where = f"event {report.event_id}" if report.event_id else "the end"
    click.echo(
        f"Audit chain broken at {where} (authority {report.authority_id}, "
        f"sequence {report.sequence}): {report.problem}.",
        err=True,
    )
    sys.exit(1)
