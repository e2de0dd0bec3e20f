"""The sign-off workflow for progress updates (evidence is in evidence.py, closing a
recommendation in closing.py).

States: draft -> submitted -> approved, or submitted -> returned -> (revised) draft.
Each transition checks the state and version the user saw; the version column makes the
UPDATE conditional, so of two simultaneous approvals exactly one applies. Approval applies
what the update changes to the action in the same transaction (see changes.py). An action
has one update awaiting approval at a time; every update has someone who may approve it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from workflow.core import permissions
from workflow.core.audit import diff, record_event, snapshot
from workflow.core.errors import RuleError
from workflow.core.locking import check_version, flush
from workflow.core.rag import rules_rag
from workflow.extensions import db
from workflow.models import (
    Action,
    ActionStatus,
    MeasureValue,
    ProgressUpdate,
    Rag,
    ReviewComment,
    ReviewKind,
    UpdateState,
    User,
    utcnow,
)
from workflow.plans.privacy import describe_hits, update_hits
from workflow.signoff.changes import (
    APPLIED_FIELDS,
    action_changed_since,
    approval_result,
    kept_since,
    proposal_in_words,
    record_base,
)
from workflow.signoff.evidence import Attachments, attach

# What approval may change on the action, as the audit trail records it.
AUDITED_FIELDS = [*APPLIED_FIELDS, "rag_exception"]


@dataclass
class Proposal:
    narrative: str
    status: ActionStatus
    rag: Rag
    rag_reason: str | None = None
    impact_evidenced: bool = False
    due_date: date | None = None
    due_date_reason: str | None = None
    measure_values: dict[int, tuple[Decimal, date]] = field(default_factory=dict)


def proposal_rag(action: Action, proposal: Proposal, today: date) -> Rag:
    """The rating the RAG rules give the action as the proposal would leave it."""
    return rules_rag(
        action,
        today,
        status=proposal.status,
        due_date=proposal.due_date,
        measure_values=proposal.measure_values,
    )


class DuplicateSubmission(RuleError):
    """The same form was posted twice (a double click): the first post already made it."""

    def __init__(self, update_id: int):
        super().__init__("This update has already been saved")
        self.update_id = update_id


def draft_update(
    author: User, action: Action, proposal: Proposal, token: str | None, today: date
) -> ProgressUpdate:
    """Start a draft update. The form's token makes a second post of the same form harmless."""
    _check_duplicate(token)
    _check_proposal(action, proposal, today)
    update = ProgressUpdate(action=action, author=author, submission_token=token)
    _apply_proposal(update, proposal)
    record_base(update, action)
    try:
        with db.session.begin_nested():  # two posts at the same moment: one insert wins
            db.session.add(update)
    except IntegrityError:
        _check_duplicate(token)
        raise
    _record(author, update, "drafted", "Update drafted", _proposal_changes(update))
    return update


def _check_duplicate(token: str | None) -> None:
    if token:
        query = sa.select(ProgressUpdate.id).where(ProgressUpdate.submission_token == token)
        existing = db.session.scalar(query)
        if existing is not None:
            raise DuplicateSubmission(existing)


def rules_rag_for_form(action: Action, form, today: date) -> Rag:
    """The rules' rating to show beside the RAG choice, from what the form holds now."""
    try:
        status = ActionStatus(form.status.data)
    except ValueError:
        status = action.status
    proposal = Proposal("", status, Rag.GREEN, due_date=form.due_date.data)
    return proposal_rag(action, proposal, today)


def revise_update(
    author: User, update: ProgressUpdate, version: int | None, proposal: Proposal, today: date
) -> ProgressUpdate:
    """Edit a draft, or rework a returned update (which makes it a draft again)."""
    _expect(update, version, (UpdateState.DRAFT, UpdateState.RETURNED))
    _check_proposal(update.action, proposal, today)
    was_returned = update.state is UpdateState.RETURNED
    _apply_proposal(update, proposal)
    record_base(update, update.action)  # reworked against the action as it is now
    update.state = UpdateState.DRAFT
    flush()
    summary = "Returned update reworked" if was_returned else "Draft update edited"
    _record(author, update, "revised", summary, _proposal_changes(update))
    return update


def _check_proposal(action: Action, proposal: Proposal, today: date) -> None:
    if proposal.due_date and not proposal.due_date_reason:
        raise RuleError("Enter the reason for the new due date", "due_date_reason")
    if proposal.due_date and proposal.due_date < action.start_date:
        raise RuleError("The new due date must be on or after the action's start date", "due_date")
    if proposal.rag is Rag.BLUE:
        raise RuleError("Blue is given only to complete actions: select complete instead", "rag")
    by_the_rules = proposal_rag(action, proposal, today)
    differs = proposal.status is not ActionStatus.COMPLETE and proposal.rag is not by_the_rules
    if differs and not proposal.rag_reason:
        raise RuleError(
            f"Enter why you rate this {proposal.rag.label.lower()} when the RAG rules "
            f"give {by_the_rules.label.lower()}",
            "rag_reason",
        )


def _apply_proposal(update: ProgressUpdate, proposal: Proposal) -> None:
    update.narrative = proposal.narrative
    update.proposed_status = proposal.status
    # Complete is blue by definition; the stored proposal keeps a RAG for the record.
    update.proposed_rag = Rag.GREEN if proposal.rag is Rag.BLUE else proposal.rag
    update.rag_reason = proposal.rag_reason
    update.impact_evidenced = proposal.impact_evidenced
    update.proposed_due_date = proposal.due_date
    update.due_date_reason = proposal.due_date_reason if proposal.due_date else None
    existing = {value.measure_id: value for value in update.measure_values}
    for measure_id, (value, as_of) in proposal.measure_values.items():
        if measure_id in existing:
            existing[measure_id].value, existing[measure_id].as_of = value, as_of
        else:
            update.measure_values.append(
                MeasureValue(measure_id=measure_id, value=value, as_of=as_of)
            )


def write_update(
    author: User,
    action: Action,
    proposal: Proposal,
    token: str,
    today: date,
    attachments: Attachments,
    submit: bool,
    privacy_confirmed: bool = False,
) -> ProgressUpdate:
    """A new update with its evidence, saved as a draft or submitted for approval."""
    update = draft_update(author, action, proposal, token, today)
    attach(author, update, attachments)
    if submit:
        submit_update(author, update, update.version, privacy_confirmed)
    return update


def rewrite_update(
    author: User,
    update: ProgressUpdate,
    version: int | None,
    proposal: Proposal,
    today: date,
    attachments: Attachments,
    submit: bool,
    privacy_confirmed: bool = False,
) -> ProgressUpdate:
    """A draft or returned update revised, with any new evidence, and perhaps submitted."""
    revise_update(author, update, version, proposal, today)
    attach(author, update, attachments)
    if submit:
        submit_update(author, update, update.version, privacy_confirmed)
    return update


class AlreadyWaiting(RuleError):
    """The action has an update awaiting approval already: one at a time."""

    def __init__(self, action: Action):
        super().__init__(
            f"Another update to action {action.reference} is awaiting approval. It must be "
            "approved, returned or withdrawn before this one can be submitted"
        )


def submit_update(
    author: User, update: ProgressUpdate, version: int | None, privacy_confirmed: bool = False
) -> ProgressUpdate:
    """Submit for approval; possible personal data must be answered for first."""
    _expect(update, version, (UpdateState.DRAFT, UpdateState.RETURNED))
    _check_none_waiting(update)
    _check_completion_has_evidence(update)
    _check_someone_may_approve(update)
    confirmed = _check_personal_data(update, privacy_confirmed)
    update.state, update.submitted_at = UpdateState.SUBMITTED, utcnow()
    # A resubmission is reviewed afresh; the earlier return stays in the comments.
    update.reviewer, update.reviewed_at, update.on_behalf_of = None, None, None
    # Two updates to one action submitted at the same moment: the index lets one through.
    flush(AlreadyWaiting(update.action).message, unique_race=True)
    changes = {"state": ["draft", "submitted"]} | confirmed
    _record(author, update, "submitted", "Update submitted for approval", changes)
    return update


def _check_none_waiting(update: ProgressUpdate) -> None:
    waiting = sa.select(ProgressUpdate.id).where(
        ProgressUpdate.action_id == update.action_id,
        ProgressUpdate.state == UpdateState.SUBMITTED,
        ProgressUpdate.id != update.id,
    )
    if db.session.scalar(waiting) is not None:
        raise AlreadyWaiting(update.action)


def _check_someone_may_approve(update: ProgressUpdate) -> None:
    if not permissions.has_reviewer(update):
        raise RuleError(
            f"Nobody else can approve this update yet: {update.action.service_area.name} has "
            "no other head of service, and there is no other director. Ask an administrator "
            "to name a head of service for the area"
        )


def _check_personal_data(update: ProgressUpdate, confirmed: bool) -> dict:
    """Refuse while the update may hold personal data nobody has answered for; once answered,
    what was confirmed goes into the audit event."""
    hits = update_hits(update)
    if not hits:
        return {}
    if not confirmed:
        raise RuleError(
            f"This update may hold personal data: {describe_hits(hits)}. Remove it, or "
            "confirm that it is not personal data",
            "privacy_confirmed",
        )
    return {"confirmed_not_personal_data": [text for _, text in hits]}


def withdraw_update(author: User, update: ProgressUpdate, version: int | None) -> ProgressUpdate:
    _expect(update, version, (UpdateState.SUBMITTED,))
    update.state, update.submitted_at = UpdateState.DRAFT, None
    flush()
    _record(
        author,
        update,
        "withdrawn",
        "Update withdrawn by its author",
        {"state": ["submitted", "draft"]},
    )
    return update


def approve_update(
    reviewer: User,
    update: ProgressUpdate,
    version: int | None,
    privacy_confirmed: bool = False,
    comment: str = "",
    *,
    exception: str | None = None,
    today: date | None = None,
) -> ProgressUpdate:
    """Approve, and apply what the update changes to the action in the same transaction.

    An update written before the action last changed applies only the fields it changes
    from what its author saw; what changed since stays (changes.py). A rating other than the
    rules' needs the reviewer's own written exception."""
    today = today or date.today()
    _expect(update, version, (UpdateState.SUBMITTED,))
    if reviewer.id == update.author_id:
        raise RuleError("You cannot approve an update you wrote")
    for_head = _reviewing_for(reviewer, update, today)
    _check_completion_has_evidence(update)
    applied, kept = approval_result(update), kept_since(update)  # does it still fit?
    exception = _check_exception(update, exception, today)
    confirmed = _check_personal_data(update, privacy_confirmed)
    written_before = action_changed_since(update)
    proposal = proposal_in_words(update)
    update.state, update.reviewer, update.reviewed_at = UpdateState.APPROVED, reviewer, utcnow()
    update.on_behalf_of = for_head
    flush()
    action = update.action
    before = snapshot(action, AUDITED_FIELDS)
    for field_name, value in applied.items():
        setattr(action, field_name, value)
    # Each approval replaces the exception: this reviewer's words, or none.
    action.rag_exception = exception
    action.rag_exception_by = reviewer if exception else None
    action.rag_exception_on = today if exception else None
    flush()
    changes = diff(action, before, AUDITED_FIELDS)
    if "due_date" in changes:
        changes["due_date_reason"] = update.due_date_reason
    if written_before:
        changes["written_against_version"] = update.base_action_version
        changes["kept_as_changed_since"] = kept
    changes |= confirmed
    _decided(reviewer, update, ReviewKind.APPROVED, comment, proposal, changes)
    return update


def approval_rag(update: ProgressUpdate, today: date) -> Rag:
    """The rating the RAG rules give the action as approving the update would leave it."""
    measure_values = {v.measure_id: (v.value, v.as_of) for v in update.measure_values}
    return rules_rag(
        update.action,
        today,
        status=update.proposed_status,
        due_date=update.proposed_due_date,
        measure_values=measure_values,
    )


def _check_exception(update: ProgressUpdate, exception: str | None, today: date) -> str | None:
    """The reviewer's exception when the update's rating is not the rules' (else None)."""
    by_the_rules = approval_rag(update, today)
    if update.effective_rag is by_the_rules:
        return None
    if not exception:
        raise RuleError(
            f"Enter the exception: why this action should be {update.effective_rag.label.lower()}"
            f" when the RAG rules give {by_the_rules.label.lower()}. It is shown beside the "
            "rating in the plan",
            "rag_exception",
        )
    return exception


def return_update(
    reviewer: User,
    update: ProgressUpdate,
    version: int | None,
    comment: str,
    today: date | None = None,
) -> ProgressUpdate:
    """Send back to the author with a comment saying what needs to change."""
    _expect(update, version, (UpdateState.SUBMITTED,))
    if not comment:
        raise RuleError("Enter a comment saying what needs to change", "comment")
    if reviewer.id == update.author_id:
        raise RuleError("You cannot review an update you wrote")
    for_head = _reviewing_for(reviewer, update, today)
    update.state, update.reviewer, update.reviewed_at = UpdateState.RETURNED, reviewer, utcnow()
    update.on_behalf_of = for_head
    flush()
    changes = {"comment": comment}
    _decided(reviewer, update, ReviewKind.RETURNED, comment, proposal_in_words(update), changes)
    return update


def _reviewing_for(reviewer: User, update: ProgressUpdate, today: date | None) -> User | None:
    """Refuse anyone who may not decide the update; a deputy decides for the absent head."""
    today = today or date.today()
    if not permissions.may_review(reviewer, update, today):
        raise RuleError("You cannot review this update")
    return permissions.acting_for(reviewer, update, today)


def _decided(
    reviewer: User,
    update: ProgressUpdate,
    kind: ReviewKind,
    comment: str,
    proposal: dict,
    changes: dict,
) -> None:
    """Keep the reviewer's comment in the update's thread, and record the decision."""
    if comment:
        db.session.add(
            ReviewComment(
                update=update,
                author=reviewer,
                on_behalf_of=update.on_behalf_of,
                kind=kind,
                text=comment,
                proposal=proposal,
            )
        )
        changes.setdefault("comment", comment)
    summary = f"Update {kind.label.lower()} by {reviewer.name}"
    if update.on_behalf_of is not None:
        summary += f" on behalf of {update.on_behalf_of.name}"
        changes["on_behalf_of"] = update.on_behalf_of.name
    _record(reviewer, update, kind.value, summary, changes)


def _check_completion_has_evidence(update: ProgressUpdate) -> None:
    if update.proposed_status is ActionStatus.COMPLETE and not update.evidence:
        raise RuleError(
            "Add at least one piece of evidence to propose that the action is complete", "file"
        )
    if update.impact_evidenced and not update.evidence:
        raise RuleError("Add the evidence that shows the action's impact", "file")


def _expect(update: ProgressUpdate, version: int | None, states: tuple[UpdateState, ...]) -> None:
    """Refuse a request made from an out-of-date page, saying what happened since."""
    check_version(update, version, still_allowed=update.state in states, happened=_happened(update))


def _happened(update: ProgressUpdate) -> str:
    if update.state is UpdateState.APPROVED:
        return f"approved by {update.reviewer.name} at {update.reviewed_at:%H:%M on %-d %B %Y}"
    if update.state is UpdateState.RETURNED:
        return f"returned by {update.reviewer.name} at {update.reviewed_at:%H:%M on %-d %B %Y}"
    return f"changed by {update.author.name} at {update.updated_at:%H:%M on %-d %B %Y}"


def _proposal_changes(update: ProgressUpdate) -> dict:
    return {
        "narrative": update.narrative,
        "status": update.proposed_status,
        "rag": update.effective_rag,
        "due_date": update.proposed_due_date,
        "measure_values": {str(v.measure_id): str(v.value) for v in update.measure_values},
    }


def _record(actor: User, update: ProgressUpdate, verb: str, summary: str, changes: dict) -> None:
    authority_id = actor.authority_id
    record_event(actor, authority_id, update, verb, summary, changes, action_id=update.action_id)
