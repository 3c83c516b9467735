"""The credit rules as pure functions (no database): which criteria fire for an employer's counts
and which grade follows, and whether the conditions of a joint-punishment listing hold.

The yearly computation does the same in SQL for every employer at once (``services.grades``);
a test keeps both in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

A, B, C = "A", "B", "C"
ORDER = {A: 0, B: 1, C: 2}
EVALUATION_PASSED = "evaluation_passed"


class CriterionLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def min_count(self) -> int: ...
    @property
    def grade(self) -> str: ...
    @property
    def basis(self) -> str: ...


def is_raise(criterion: CriterionLike) -> bool:
    """A criterion that lifts a B to A (a passed evaluation) rather than lowering the grade."""
    return criterion.kind == EVALUATION_PASSED and criterion.grade == A


@dataclass(frozen=True)
class Verdict:
    grade: str
    fired: tuple[CriterionLike, ...]


def grade_for(counts: Mapping[str, int], criteria: Iterable[CriterionLike]) -> Verdict:
    """The grade the counts of one year give: the worst grade among the lowering criteria that
    fire (A when none), then B lifted to A when a raising criterion fires."""
    rules = list(criteria)
    fired = [c for c in rules if not is_raise(c) and counts.get(c.kind, 0) >= c.min_count]
    grade = max((c.grade for c in fired), key=ORDER.__getitem__, default=A)
    if grade == B:
        lift = [c for c in rules if is_raise(c) and counts.get(c.kind, 0) >= c.min_count]
        if lift:
            return Verdict(A, tuple(fired + lift))
    return Verdict(grade, tuple(c for c in fired if c.grade == grade))


@dataclass(frozen=True)
class Thresholds:
    """法释〔2013〕3号 第三条 as the province fixes it (CreditSetting rows)."""

    single_amount: Decimal
    single_months: int
    collective_amount: Decimal
    collective_workers: int


def at_criminal_threshold(*, amount: Decimal | None, workers: int | None, months: int | None,
                          t: Thresholds) -> bool:
    """Arrears at the threshold of 拒不支付劳动报酬罪: one worker unpaid for the months and the
    amount, or the number of workers and the total amount."""
    amount = amount or Decimal("0")
    if (workers or 0) >= t.collective_workers and amount >= t.collective_amount:
        return True
    return (months or 0) >= t.single_months and amount >= t.single_amount
