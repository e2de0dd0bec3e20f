"""Partner contributors: people outside the council (health, police, schools) who report on
the actions they were invited to, and on nothing else."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.action import Action
from workflow.models.base import Base, utcnow
from workflow.models.identity import Invitation
from workflow.models.user import User


class ActionPartner(Base):
    """A partner's place on one action: they see it and write its updates."""

    __tablename__ = "action_partner"

    action_id: Mapped[int] = mapped_column(sa.ForeignKey("action.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id"), primary_key=True, index=True
    )
    # The action's authority, copied on insert like the action's own, so scoping needs no join.
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authority.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[Action] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<ActionPartner {self.user_id} on {self.action_id}>"


class InvitationAction(Base):
    """An action a pending partner invitation names; the partner joins it on accepting."""

    __tablename__ = "invitation_action"

    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitation.id"), primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("action.id"), primary_key=True)

    invitation: Mapped[Invitation] = relationship()
    action: Mapped[Action] = relationship()
