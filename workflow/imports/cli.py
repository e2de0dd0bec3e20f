"""The import-report command: read an Ofsted report, show or print what it says, and on
confirmation create the inspection for a named authority."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

from workflow.core.errors import RuleError
from workflow.extensions import db
from workflow.imports.rules import authority_named, import_parsed, matching_inspection, serialise

if TYPE_CHECKING:  # the parser loads when the command runs, not with every app
    from workflow.imports.parse import ParsedReport


@click.command("import-report")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON and stop.")
@click.option("--authority", help="Create the inspection for this authority.")
@click.option("--yes", is_flag=True, help="Create without asking for confirmation.")
@with_appcontext
def import_report_command(file: str, as_json: bool, authority: str | None, yes: bool):
    """Read an Ofsted report (PDF, Word, HTML or text) and extract its recommendations."""
    from workflow.imports.parse import ReportParseError, parse_file

    try:
        report = parse_file(file, max_bytes=current_app.config["MAX_UPLOAD_BYTES"], ocr=True)
    except ReportParseError as error:
        raise click.ClickException(error.message) from None
    if as_json:
        click.echo(json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(describe(report))
    if not authority:
        click.echo("\nTo create this inspection, run again with --authority NAME.")
        return
    _create(report, authority, yes)


def _create(report: ParsedReport, authority_name: str, yes: bool) -> None:
    authority = authority_named(authority_name)
    if authority is None:
        raise click.ClickException(f"No authority called {authority_name}.")
    parsed = serialise(report)
    existing = matching_inspection(authority.id, parsed)
    verb = f"Update {existing.title}" if existing else "Create this inspection"
    if not yes and not click.confirm(f"\n{verb} for {authority.name}?"):
        click.echo("Nothing was created.")
        return
    try:
        inspection = import_parsed(None, authority.id, parsed)
    except RuleError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Saved inspection {inspection.id}: {inspection.title}.")


def describe(report: ParsedReport) -> str:
    from workflow.imports.parse.ocr import READ_BY_OCR

    start, end = report.start_date, report.end_date
    lines = [READ_BY_OCR, ""] if report.read_by_ocr else []
    lines += [
        f"Authority: {report.authority}",
        f"Kind: {report.kind}" + (f" ({report.ilacs_variant})" if report.ilacs_variant else ""),
        f"Inspection dates: {start or 'not found'} to {end or 'not found'}",
        f"Lead inspector: {report.lead_inspector or 'not found'}",
        "Judgements:",
        *(f"  {j.area}: {j.grade}" for j in report.judgements),
        "Recommendations:",
    ]
    for item in report.recommendations:
        cited = ", ".join(map(str, item.paragraphs)) or "none"
        lines.append(f"  {item.number}. {item.text} (paragraphs {cited})")
    if report.lscb_recommendations:
        lines.append("For the Local Safeguarding Children Board (not imported):")
        lines += [f"  - {text}" for text in report.lscb_recommendations]
    return "\n".join(lines)
