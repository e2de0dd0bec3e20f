"""Who may do what. Every view asks here; templates receive the answers.

Tenancy is settled before these are asked (see scoping.py): every object passed in already
belongs to the user's authority.
"""

from workflow.models import (
    Action,
    ActionStatus,
    ProgressUpdate,
    Recommendation,
    Role,
    UpdateState,
    User,
)


def can_manage_inspections(user: User) -> bool:
    return user.role is Role.ADMINISTRATOR


def can_manage_users(user: User) -> bool:
    return user.role is Role.ADMINISTRATOR


def can_create_action(user: User) -> bool:
    return user.role in (Role.ADMINISTRATOR, Role.HEAD_OF_SERVICE)


def can_edit_action(user: User, action: Action) -> bool:
    if user.role is Role.ADMINISTRATOR:
        return True
    return _heads_area(user, action)


def can_write_update(user: User, action: Action) -> bool:
    """The owner or the named delegate reports on an action that is still open."""
    is_owner = user.id in (action.owner_id, action.delegate_id)
    return is_owner and not action.recommendation.is_closed


def owns_update(user: User, update: ProgressUpdate) -> bool:
    """The author, while they may still report on the action."""
    return update.author_id == user.id and can_write_update(user, update.action)


def can_edit_update(user: User, update: ProgressUpdate) -> bool:
    editable = update.state in (UpdateState.DRAFT, UpdateState.RETURNED)
    return editable and owns_update(user, update)


def may_withdraw(user: User, update: ProgressUpdate) -> bool:
    """Only the author takes back an update, and only while it waits (the rule checks that)."""
    return update.author_id == user.id


def can_withdraw_update(user: User, update: ProgressUpdate) -> bool:
    return update.state is UpdateState.SUBMITTED and may_withdraw(user, update)


def may_review(user: User, update: ProgressUpdate) -> bool:
    """A head of the action's service area reviews, and never an update they wrote."""
    return update.author_id != user.id and _heads_area(user, update.action)


def can_review_update(user: User, update: ProgressUpdate) -> bool:
    return update.state is UpdateState.SUBMITTED and may_review(user, update)


def can_review_updates(user: User) -> bool:
    return user.role is Role.HEAD_OF_SERVICE


def can_close_recommendation(user: User, recommendation: Recommendation) -> bool:
    if user.role is not Role.DIRECTOR or recommendation.is_closed:
        return False
    actions = recommendation.actions
    return bool(actions) and all(a.status is ActionStatus.COMPLETE for a in actions)


def can_reopen_recommendation(user: User, recommendation: Recommendation) -> bool:
    return user.role is Role.DIRECTOR and recommendation.is_closed


def can_issue_plan(user: User) -> bool:
    return user.role is Role.DIRECTOR


def can_clear_privacy_hit(user: User) -> bool:
    """Only the director who issues the plan decides that a hit is not personal data."""
    return user.role is Role.DIRECTOR


def can_redact_update(user: User, update: ProgressUpdate) -> bool:
    """A director redacts personal data from an approved update (the original is restricted)."""
    return user.role is Role.DIRECTOR and update.state is UpdateState.APPROVED


def can_see_own_actions(user: User) -> bool:
    return user.role in (Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE)


def _heads_area(user: User, action: Action) -> bool:
    return user.role is Role.HEAD_OF_SERVICE and user.service_area_id == action.service_area_id


def can_assign_area(user: User, service_area_id: int | None) -> bool:
    if user.role is Role.HEAD_OF_SERVICE:
        return user.service_area_id == service_area_id
    return user.role is Role.ADMINISTRATOR


def can_read_audit_trail(user: User) -> bool:
    """Administrators read their authority's audit trail (every change, who, when)."""
    return user.role is Role.ADMINISTRATOR


def can_see_jobs(user: User) -> bool:
    """Administrators see their authority's background jobs and retry failed ones."""
    return user.role is Role.ADMINISTRATOR
