"""Flask commands for the action plan: export it, and write the board progress report.

flask --app workflow plan export --inspection 1 --format docx --output plan.docx
flask --app workflow plan report --inspection 1 --since 2024-01-01 --format pdf --output r.pdf
"""

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup
from werkzeug.datastructures import MultiDict

from workflow.extensions import db
from workflow.models import Inspection
from workflow.plans import exports
from workflow.plans.board_report import build_report
from workflow.plans.builder import build_plan
from workflow.plans.forms import ReportPeriodForm

plan_group = AppGroup("plan", help="The written action plan for Ofsted.")


def _inspection(inspection_id: int) -> Inspection:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise click.ClickException(f"No inspection with id {inspection_id}.")
    return inspection


def _format(value: str, formats: dict) -> str:
    if value not in formats:
        raise click.BadParameter(f"choose one of {', '.join(formats)}", param_hint="--format")
    return value


def _write(output: Path, data: bytes) -> None:
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data):,} bytes).")


@plan_group.command("export")
@click.option("--inspection", "inspection_id", type=int, required=True, help="Inspection id.")
@click.option("--format", "fmt", required=True, help=f"One of {', '.join(exports.PLAN_FORMATS)}.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(inspection_id: int, fmt: str, output: Path):
    """Export the plan as it stands (approved data only)."""
    fmt = _format(fmt, exports.PLAN_FORMATS)
    plan = build_plan(_inspection(inspection_id), date.today())
    _write(output, exports.export_plan(plan, fmt))


@plan_group.command("report")
@click.option("--inspection", "inspection_id", type=int, required=True, help="Inspection id.")
@click.option("--since", required=True, help="YYYY-MM-DD.")
@click.option("--until", default=None, help="YYYY-MM-DD. Default: today.")
@click.option("--format", "fmt", required=True, help=f"One of {', '.join(exports.REPORT_FORMATS)}.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def report_command(inspection_id: int, since: str, until: str | None, fmt: str, output: Path):
    """The progress report for boards: changes approved from --since to --until."""
    fmt = _format(fmt, exports.REPORT_FORMATS)
    until = until or date.today().isoformat()
    period = ReportPeriodForm(MultiDict({"since": since, "until": until}))
    if not period.validate():
        raise click.BadParameter(period.problems(), param_hint="--since/--until")
    start, end = period.since.data, period.until.data
    report = build_report(_inspection(inspection_id), start, end, date.today())
    _write(output, exports.export_report(report, fmt))
