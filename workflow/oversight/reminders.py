"""Reminder digests: owners' actions due soon or overdue; updates left waiting, to those who
may decide them (heads of service and their deputies) and, escalated, to the director.

Each person gets at most one digest of each kind a day: a ReminderLog row claims it before
the email goes, so a second run the same day finds nothing left to send. People who opted
out get none, and nor do disabled accounts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflow.core import permissions
from workflow.core.audit import record_event
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionStatus,
    ProgressUpdate,
    ReminderLog,
    Role,
    UpdateState,
    User,
)
from workflow.signoff.queues import DECISION_WORKING_DAYS, submitted_before

DUE_WITHIN_DAYS = 14
ACTIONS_DUE = "actions_due"
APPROVALS_WAITING = "approvals_waiting"
ESCALATED = "approvals_escalated"

Link = Callable[[str, dict], str]  # (endpoint, values) -> absolute address


@dataclass
class Digest:
    user: User
    kind: str
    subject: str
    body: str
    item_count: int


def set_digest_preference(user: User, opt_out: bool) -> None:
    if user.digest_opt_out == opt_out:
        return
    changes = {"digest_opt_out": [user.digest_opt_out, opt_out]}
    user.digest_opt_out = opt_out
    summary = "Reminder emails turned off" if opt_out else "Reminder emails turned on"
    record_event(user, user.authority_id, user, "edited", summary, changes)


def pending_digests(today: date, link: Link) -> list[Digest]:
    """Every digest due today and not yet sent today: a few queries, and one for each head
    of service or director while updates wait too long."""
    sent = set(
        db.session.execute(
            sa.select(ReminderLog.user_id, ReminderLog.kind).where(ReminderLog.sent_on == today)
        ).all()
    )
    digests = _owner_digests(today, link) + _approver_digests(today, link)
    return [d for d in digests if (d.user.id, d.kind) not in sent]


def claim(digest: Digest, today: date) -> ReminderLog:
    """Record the digest as sent today (flushes: a duplicate raises IntegrityError)."""
    log = ReminderLog(
        user_id=digest.user.id, kind=digest.kind, sent_on=today, item_count=digest.item_count
    )
    db.session.add(log)
    db.session.flush()
    return log


def release(log: ReminderLog) -> None:
    """Undo a claim whose email could not be sent, so the next run tries again."""
    db.session.delete(log)
    db.session.flush()


def _recipients():
    return sa.and_(User.active.is_(True), User.digest_opt_out.is_(False))


def _owner_digests(today: date, link: Link) -> list[Digest]:
    query = (
        sa.select(Action)
        .join(Action.owner)
        .where(
            _recipients(),
            Action.status != ActionStatus.COMPLETE,
            Action.due_date <= today + timedelta(days=DUE_WITHIN_DAYS),
        )
        .options(joinedload(Action.owner))
        .order_by(Action.owner_id, Action.due_date, Action.id)
    )
    by_owner: dict[int, list[Action]] = {}
    for action in db.session.scalars(query):
        by_owner.setdefault(action.owner_id, []).append(action)
    return [_owner_digest(actions, today, link) for actions in by_owner.values()]


def _owner_digest(actions: list[Action], today: date, link: Link) -> Digest:
    owner = actions[0].owner
    overdue = sum(action.is_overdue(today) for action in actions)
    lines = [f"Dear {owner.name},", ""]
    lines.append(
        f"These actions you own are overdue or due within {DUE_WITHIN_DAYS} days "
        f"({overdue} overdue):"
    )
    for action in actions:
        when = _due_words(action.due_date, today)
        lines += ["", f"- Action {action.reference}: {_short(action.description)}", f"  {when}"]
        lines.append(f"  {link('actions.show', {'action_id': action.id})}")
    subject = f"{len(actions)} action{'s' * (len(actions) != 1)} due soon or overdue"
    body = "\n".join(lines + _footer(link))
    return Digest(owner, ACTIONS_DUE, subject, body, len(actions))


def _approver_digests(today: date, link: Link) -> list[Digest]:
    """Heads of service (and deputies) hear of the waiting updates they may decide; directors
    of every update their authority has left waiting, escalated to them."""
    waiting = sa.and_(
        ProgressUpdate.state == UpdateState.SUBMITTED,
        ProgressUpdate.submitted_at < submitted_before(today),
    )
    has_waiting = sa.select(ProgressUpdate.id).where(waiting).limit(1)
    if db.session.scalar(has_waiting) is None:
        return []
    people = db.session.scalars(
        sa.select(User)
        .where(_recipients(), User.role.in_([Role.HEAD_OF_SERVICE, Role.DIRECTOR]))
        .order_by(User.id)
    ).all()
    digests = []
    for person in people:
        escalated = person.role is Role.DIRECTOR
        scope = (
            ProgressUpdate.authority_id == person.authority_id
            if escalated
            else permissions.review_scope(person, today)
        )
        updates = db.session.scalars(
            sa.select(ProgressUpdate)
            .where(waiting, scope)
            .options(joinedload(ProgressUpdate.action), joinedload(ProgressUpdate.author))
            .order_by(ProgressUpdate.submitted_at, ProgressUpdate.id)
        ).all()
        if updates:
            digests.append(_approver_digest(person, updates, escalated, link))
    return digests


def _approver_digest(
    person: User, updates: list[ProgressUpdate], escalated: bool, link: Link
) -> Digest:
    lines = [f"Dear {person.name},", ""]
    waited = f"waited for approval for more than {DECISION_WORKING_DAYS} working days"
    if escalated:
        lines.append(f"These updates have {waited}, so they are escalated to you:")
    else:
        lines.append(f"These updates have {waited}:")
    for update in updates:
        submitted = f"{update.submitted_at:%-d %B %Y}"
        lines += ["", f"- Action {update.action.reference}, from {update.author.name}"]
        lines += [f"  Submitted {submitted}", f"  {link('updates.show', {'update_id': update.id})}"]
    count = len(updates)
    updates_word = f"{count} update{'s' * (count != 1)}"
    if escalated:
        subject = f"{updates_word} waiting more than {DECISION_WORKING_DAYS} working days"
    else:
        subject = f"{updates_word} waiting for your approval"
    body = "\n".join(lines + _footer(link))
    return Digest(person, ESCALATED if escalated else APPROVALS_WAITING, subject, body, count)


def _due_words(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"Was due {due:%-d %B %Y} ({-days} day{'s' * (days != -1)} overdue)"
    if days == 0:
        return f"Due today, {due:%-d %B %Y}"
    return f"Due {due:%-d %B %Y} (in {days} day{'s' * (days != 1)})"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _footer(link: Link) -> list[str]:
    return [
        "",
        "You get this email once a day while something needs your attention.",
        f"To stop these emails, change your reminder settings: {link('profile.reminders', {})}",
    ]
