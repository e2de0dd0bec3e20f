"""Commands for the shared machinery: checking the audit trail and checkpointing it, and
running the service: backup and restore, copying the evidence store into object storage, and
sweeping it."""

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from workflow.core import audit
from workflow.core import backup as backups
from workflow.core.errors import RuleError
from workflow.core.storage import FolderStore, copy_store, current_store
from workflow.core.sweep import sweep_store
from workflow.extensions import db

audit_group = AppGroup("audit", help="The audit trail.")
storage_group = AppGroup("storage", help="The file store: evidence and issued plans.")


@audit_group.command("verify")
@click.option(
    "--checkpoint",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A checkpoint file: each chain must still hold the event it names, unchanged.",
)
def audit_verify_command(checkpoint: Path | None):
    """Check the hash chain of every authority's audit trail, with the audit key."""
    try:
        kept = audit.read_checkpoint(checkpoint.read_bytes()) if checkpoint else None
    except RuleError as error:
        raise click.ClickException(f"{checkpoint}: {error.message}") from None
    report = _verified(audit.verify_chain(kept))
    against = f", and every chain holds its events of {checkpoint}" if checkpoint else ""
    click.echo(f"Audit chain intact: {report.events_checked} events checked{against}.")


@audit_group.command("checkpoint")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def audit_checkpoint_command(file: Path):
    """Check the trail, then write a signed record of each chain's newest event to FILE (a
    new file: keep it away from the database, and check against it with verify --checkpoint)."""
    report = _verified(audit.verify_chain())
    document = audit.checkpoint_document(report, datetime.now(UTC))
    try:
        with file.open("x") as out:
            out.write(document)
    except FileExistsError:
        raise click.ClickException(f"{file} exists: a checkpoint is never overwritten") from None
    click.echo(
        f"Checkpoint of {len(report.heads)} chains ({report.events_checked} events) "
        f"written to {file}."
    )


def _verified(report: audit.ChainReport) -> audit.ChainReport:
    """An intact report, or the first problem said and exit status 1."""
    if report.intact:
        return report
    where = f"event {report.event_id}" if report.event_id else "the end"
    click.echo(
        f"Audit chain broken at {where} (authority {report.authority_id}, "
        f"sequence {report.sequence}): {report.problem}.",
        err=True,
    )
    sys.exit(1)


@storage_group.command("copy-folder")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
def copy_folder_command(folder: str):
    """Copy a folder store (the old UPLOAD_FOLDER) into the configured store, checking each
    file's SHA-256 before and after; exits 1 if any file does not match."""
    target = current_store()
    report = copy_store(FolderStore(folder), target, backups.stored_files())
    for problem in report.problems:
        click.echo(problem, err=True)
    click.echo(
        f"Copied {report.copied} files into {target!r} ({report.already_there} already there); "
        f"{report.verified} verified by SHA-256."
    )
    if report.problems:
        click.echo(f"{len(report.problems)} files did not match.", err=True)
        sys.exit(1)


@storage_group.command("sweep")
@click.option("--dry-run", is_flag=True, help="List what would be removed, and remove nothing.")
def sweep_command(dry_run: bool):
    """Remove what interrupted uploads left in the store: staging files older than an hour,
    and stored files no record names older than a day."""
    try:
        report = sweep_store(current_store(), datetime.now(UTC), dry_run=dry_run)
    except RuleError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    for name in report.staging.names + report.unreferenced.names:
        click.echo(name)
    click.echo(report.summary)


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--no-files",
    is_flag=True,
    help="Only list the files' hashes (when the object store is backed up on its own).",
)
@with_appcontext
def backup_command(folder: Path, no_files: bool):
    """Back up the database and every evidence file, with a manifest of SHA-256s, into a new
    folder. Safe while the app runs."""
    try:
        outcome = backups.backup(folder, current_store(), with_files=not no_files)
    except RuleError as error:
        raise click.ClickException(error.message) from None
    _report(outcome)
    click.echo(
        f"Backed up the database ({outcome.database}) and {outcome.files} files to {folder}."
    )


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(folder: Path):
    """Restore a backup into this app's empty database and empty evidence store."""
    try:
        outcome = backups.restore(folder, current_store())
    except RuleError as error:
        raise click.ClickException(error.message) from None
    _report(outcome)
    click.echo(f"Restored the database and {outcome.files} files from {folder}.")
    click.echo("Check it: flask --app workflow audit verify")


def _report(outcome: backups.Outcome) -> None:
    for problem in outcome.problems:
        click.echo(problem, err=True)
    if outcome.problems:
        click.echo(f"{len(outcome.problems)} files could not be kept.", err=True)
        sys.exit(1)
