"""Every feature's commands, registered on the app in create_app()."""

from workflow.accounts.cli import create_authority_command, create_user_command
from workflow.core.cli import audit_group, backup_command, restore_command, storage_group
from workflow.demo.cli import demo_command
from workflow.imports.cli import import_report_command
from workflow.jobs.cli import jobs_group
from workflow.oversight.cli import send_reminders_command
from workflow.planning.cli import mark_past_due_command
from workflow.plans.cli import plan_group

COMMANDS = [
    demo_command,
    create_authority_command,
    create_user_command,
    audit_group,
    send_reminders_command,
    mark_past_due_command,
    plan_group,
    import_report_command,
    jobs_group,
    storage_group,
    backup_command,
    restore_command,
]
