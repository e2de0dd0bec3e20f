"""Measures of success for an action, and the values reported against them."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.action import Action
from workflow.models.base import Base, utcnow
from workflow.models.update import ProgressUpdate

# Every number of a measure (baseline, target, each reported value): up to ten digits before
# the point and four after. Forms read their limits from it (GovDecimalField's ``numeric``).
MEASURE_NUMBER = sa.Numeric(14, 4)


class Measure(Base):
    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("action.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    unit: Mapped[str] = mapped_column(sa.String(40))
    baseline_value: Mapped[Decimal] = mapped_column(MEASURE_NUMBER)
    baseline_date: Mapped[date]
    target_value: Mapped[Decimal] = mapped_column(MEASURE_NUMBER)
    target_date: Mapped[date]
    higher_is_better: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[Action] = relationship()
    values: Mapped[list["MeasureValue"]] = relationship(
        back_populates="measure", order_by="MeasureValue.as_of"
    )


class MeasureValue(Base):
    __tablename__ = "measure_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(sa.ForeignKey("measure.id"), index=True)
    update_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_update.id"), index=True)
    value: Mapped[Decimal] = mapped_column(MEASURE_NUMBER)
    as_of: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="values")
    update: Mapped[ProgressUpdate] = relationship(back_populates="measure_values")
