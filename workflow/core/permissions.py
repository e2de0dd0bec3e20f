"""Who may do what. Every view asks here; templates receive the answers.

Tenancy is settled before these are asked (see core/tenancy.py): every object passed in
already belongs to the user's authority.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflow.extensions import db
from workflow.models import (
    Action,
    ActionPartner,
    ActionStatus,
    ProgressUpdate,
    Recommendation,
    ReviewCover,
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


def can_own_action(user: User, service_area_id: int | None, action_id: int | None = None) -> bool:
    """Owners and delegates write an action's updates: service managers, the heads of the
    action's service area, and the director; never read-only people. While the area is still
    to be chosen (a new action's form) any head of service may be offered. A partner only
    on an action they were invited to (so never on a new one)."""
    if user.role is Role.PARTNER:
        return action_id is not None and is_invited_to(user, action_id)
    if user.role is Role.HEAD_OF_SERVICE:
        return service_area_id is None or user.service_area_id == service_area_id
    return user.role in (Role.SERVICE_MANAGER, Role.DIRECTOR)


def can_write_update(user: User, action: Action) -> bool:
    """The owner, the named delegate, or an invited partner reports on an action that is
    still open."""
    if action.recommendation.is_closed:
        return False
    if user.role is Role.PARTNER:
        return is_invited_to(user, action.id)
    is_owner = user.id in (action.owner_id, action.delegate_id)
    return is_owner and can_own_action(user, action.service_area_id, action.id)


# Partner contributors come from outside the council: they reach the actions they were
# invited to and their own updates (core/tenancy.py answers 404 for everything else), and
# none of the authority's own pages (403).


def is_invited_to(user: User, action_id: int) -> bool:
    """The partner was invited to this action (and has not been removed from it)."""
    query = sa.select(ActionPartner.action_id).where(
        ActionPartner.user_id == user.id, ActionPartner.action_id == action_id
    )
    return user.role is Role.PARTNER and db.session.scalar(query) is not None


def can_browse_authority(user: User) -> bool:
    """The authority's own lists (inspections, dashboard, search): its staff, not partners."""
    return user.role is not Role.PARTNER


def can_use_api(user: User) -> bool:
    """The API reads the whole authority's plan, so partners have no tokens for it."""
    return user.role is not Role.PARTNER


def may_open_update(user: User, update: ProgressUpdate) -> bool:
    """Whether a link to another update of an action the user writes for leads anywhere:
    a partner opens only their own."""
    return user.role is not Role.PARTNER or update.author_id == user.id


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


# Who reviews an update, in one place (the queue, the pages, the rules and the reminders all
# ask here). Nobody reviews an update they wrote. A head of the action's service area reviews;
# so does the deputy a head named, while the cover lasts, on that head's behalf. Where no
# other head of the area is left (the author is the only one, or there is none), the director
# reviews: so every update has someone who may approve it.


def review_scope(user: User, today: date) -> sa.ColumnElement[bool]:
    """The updates `user` may review, as a condition on ProgressUpdate."""
    area = _area_of_update()
    covered = _covered_heads(user, today).where(
        User.service_area_id == area, User.id != ProgressUpdate.author_id
    )
    ways = [covered.correlate(ProgressUpdate).exists()]
    if user.role is Role.HEAD_OF_SERVICE:
        ways.append(area == user.service_area_id)
    if user.role is Role.DIRECTOR:
        ways.append(~_other_heads_of_area(area).correlate(ProgressUpdate).exists())
    return sa.and_(
        ProgressUpdate.authority_id == user.authority_id,
        ProgressUpdate.author_id != user.id,
        sa.or_(*ways),
    )


def may_review(user: User, update: ProgressUpdate, today: date | None = None) -> bool:
    """Whether `user` may decide this update, whatever state it is in (the rule checks that)."""
    if not user.active or user.id == update.author_id:
        return False
    query = sa.select(ProgressUpdate.id).where(
        ProgressUpdate.id == update.id, review_scope(user, today or date.today())
    )
    return db.session.scalar(query) is not None


def can_review_update(user: User, update: ProgressUpdate, today: date | None = None) -> bool:
    return update.state is UpdateState.SUBMITTED and may_review(user, update, today)


def acting_for(user: User, update: ProgressUpdate, today: date) -> User | None:
    """The absent head a deputy decides this update for; None when they decide as themselves."""
    if _heads_area(user, update.action):
        return None
    heads = _covered_heads(user, today).where(
        User.service_area_id == update.action.service_area_id, User.id != update.author_id
    )
    return db.session.scalars(heads.order_by(User.name, User.id).limit(1)).first()


def covered_heads(user: User, today: date) -> list[User]:
    """The heads of service `user` stands in for today."""
    return list(db.session.scalars(_covered_heads(user, today).order_by(User.name)))


def has_reviewer(update: ProgressUpdate) -> bool:
    """Someone other than the author may decide it: another head of the area, or a director."""
    directors = sa.select(User.id).where(
        User.authority_id == update.authority_id,
        User.role == Role.DIRECTOR,
        User.active.is_(True),
        User.id != update.author_id,
    )
    heads = _other_heads_of_area(update.action.service_area_id, update.author_id)
    query = sa.select(sa.or_(heads.exists(), directors.exists()))
    return bool(db.session.scalar(query))


def can_review_updates(user: User) -> bool:
    """Heads of service, and the director, who reviews what no head of service can."""
    return user.role in (Role.HEAD_OF_SERVICE, Role.DIRECTOR)


def can_name_deputy(user: User) -> bool:
    return user.role is Role.HEAD_OF_SERVICE


def _area_of_update() -> sa.ScalarSelect:
    return (
        sa.select(Action.service_area_id)
        .where(Action.id == ProgressUpdate.action_id)
        .correlate_except(Action)
        .scalar_subquery()
    )


# Made once: an alias builds a copy of every column, and the queue asks on every page.
_OTHER_HEAD = aliased(User, name="other_head")


def _other_heads_of_area(area, author_id=ProgressUpdate.author_id) -> sa.Select:
    """Active heads of service of the area, other than the update's author."""
    head = _OTHER_HEAD
    return sa.select(head.id).where(
        head.role == Role.HEAD_OF_SERVICE,
        head.active.is_(True),
        head.service_area_id == area,
        head.id != author_id,
    )


def _covered_heads(deputy: User, today: date) -> sa.Select:
    """The active heads of service whose cover names `deputy` today."""
    return (
        sa.select(User)
        .join(ReviewCover, ReviewCover.head_id == User.id)
        .where(
            ReviewCover.deputy_id == deputy.id,
            ReviewCover.starts_on <= today,
            ReviewCover.ends_on >= today,
            User.role == Role.HEAD_OF_SERVICE,
            User.active.is_(True),
        )
    )


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
    return user.role in (Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.PARTNER)


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
