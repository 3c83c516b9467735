"""Pure scoring rules: whether a sheet's points add up, an item's points from its answer, and an
assessment's total, section scores and pass or fail. No database writes here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

ZERO = Decimal(0)


def sheet_problems(sheet: Any) -> list[str]:
    """What is wrong with a sheet's points, each message naming the section or item; [] when it adds up.

    The sections must add up to the sheet's total, each section's items to the section, and a pass
    mark may not exceed what it is a mark of.
    """
    sections = list(sheet.sections.prefetch_related("items"))
    return points_problems(
        total=sheet.total_points, pass_total=sheet.pass_total,
        sections=[(s.code, s.title, s.max_points, s.pass_points, [(i.code, i.max_points) for i in s.items.all()])
                  for s in sections],
    )


def fmt(d: Decimal | None) -> str:
    """Points as people write them: 8, 7.5 (never 8.0 or 1E+2)."""
    if d is None:
        return ""
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def points_problems(
    *, total: Decimal, pass_total: Decimal | None,
    sections: Sequence[tuple[str, str, Decimal, Decimal | None, Sequence[tuple[str, Decimal]]]],
) -> list[str]:
    """The checks of :func:`sheet_problems` over plain values (also what the .xlsx import uses)."""
    problems: list[str] = []
    if not sections:
        problems.append(_("量表没有任何部分"))
    section_sum = sum((s[2] for s in sections), ZERO)
    if sections and section_sum != total:
        problems.append(_("各部分分值合计 %(sum)s 分，与满分 %(total)s 分不符") % {"sum": fmt(section_sum), "total": fmt(total)})
    if pass_total is not None and pass_total > total:
        problems.append(_("合格总分 %(pass)s 分高于满分 %(total)s 分") % {"pass": fmt(pass_total), "total": fmt(total)})
    for code, title, points, pass_points, items in sections:
        name = f"{code} {title}"
        if not items:
            problems.append(_("部分“%(section)s”没有检查项目") % {"section": name})
            continue
        item_sum = sum((i[1] for i in items), ZERO)
        if item_sum != points:
            problems.append(_("部分“%(section)s”的项目分值合计 %(sum)s 分，与该部分分值 %(points)s 分不符")
                            % {"section": name, "sum": fmt(item_sum), "points": fmt(points)})
        if pass_points is not None and pass_points > points:
            problems.append(_("部分“%(section)s”的合格分 %(pass)s 分高于该部分分值 %(points)s 分")
                            % {"section": name, "pass": fmt(pass_points), "points": fmt(points)})
        for item_code, item_points in items:
            if item_points <= 0:
                problems.append(_("项目“%(item)s”的分值应大于0") % {"item": item_code})
    return problems


def item_points(*, result: str, max_points: Decimal, deduction: Decimal) -> Decimal:
    """Points an item earns: full when it complies or does not apply, none when it fails, the
    maximum less the deduction when it partly complies (never below zero)."""
    if result in ("complies", "na"):
        return max_points
    if result == "fails":
        return ZERO
    return max(ZERO, max_points - deduction)


@dataclass(frozen=True)
class SectionScore:
    code: str
    points: Decimal
    max_points: Decimal
    pass_points: Decimal | None

    @property
    def passed(self) -> bool:
        return self.pass_points is None or self.points >= self.pass_points


@dataclass(frozen=True)
class Score:
    total: Decimal
    sections: list[SectionScore]
    passed: bool


def clamp_adjustment(value: Decimal, cap: Decimal) -> Decimal:
    return max(ZERO, min(value, cap))


def score(
    *, sections: Iterable[tuple[str, Decimal, Decimal | None, Iterable[Decimal]]], pass_total: Decimal | None,
    bonus: Decimal, penalty: Decimal, bonus_cap: Decimal, penalty_cap: Decimal, total_points: Decimal,
) -> Score:
    """Total and section scores: the items' points, plus the bonus and less the penalty, each within
    its cap; passed when the total reaches the pass mark and every section its own."""
    result = [SectionScore(code, sum(points, ZERO), max_points, pass_points)
              for code, max_points, pass_points, points in sections]
    base = sum((s.points for s in result), ZERO)
    total = base + clamp_adjustment(bonus, bonus_cap) - clamp_adjustment(penalty, penalty_cap)
    total = max(ZERO, min(total, total_points + bonus_cap))
    passed = (pass_total is None or total >= pass_total) and all(s.passed for s in result)
    return Score(total=total, sections=result, passed=passed)


#: The name of the draw's algorithm, kept in the record: a later change of algorithm must not make
#: an old draw look forged.
DRAW_ALGORITHM = "python-random-v2:sha512(seed);sample(sorted employers);sample(sorted inspectors)"


def draw(*, seed: str, employer_pool: Sequence[int], inspector_pool: Sequence[int], employers: int,
         inspectors: int) -> tuple[list[int], list[int]]:
    """The 双随机 draw: employers and inspectors picked from their pools by one seeded generator.

    Deterministic for the same seed and pools (the pools are sorted first), so anyone holding the
    record can draw again and compare. Not for secrets: the seed is published with the plan.
    """
    import random

    rng = random.Random(f"hexie-draw:{seed}")  # noqa: S311 (a reproducible draw, not a secret)
    picked_employers = rng.sample(sorted(employer_pool), min(employers, len(employer_pool)))
    picked_inspectors = rng.sample(sorted(inspector_pool), min(inspectors, len(inspector_pool)))
    return picked_employers, picked_inspectors


@dataclass(frozen=True)
class Move:
    """One move of an assessment or an order: the states it may start from and where it ends
    (None: the state stays), with the refusal said when it starts elsewhere."""

    sources: tuple[str, ...]
    target: str | None
    refusal: Any  # a lazy translation, said in the language of the request that is refused


#: The assessment's state table (DESIGN principle 3: one declarative table the services read).
ASSESSMENT_MOVES: dict[str, Move] = {
    "answer": Move(("in_progress", "returned"), None, _lazy("已提交的检查不能再修改")),
    "submit": Move(("in_progress", "returned"), "submitted", _lazy("该检查已经提交")),
    "sign_off": Move(("submitted",), "signed_off", _lazy("只能签发待审核的检查")),
    "return": Move(("submitted",), "returned", _lazy("只能退回待审核的检查")),
}

#: The rectification order's state table.
ORDER_MOVES: dict[str, Move] = {
    "answer": Move(("issued", "answered"), "answered", _lazy("该指令书已经办结，不能再答复")),
    "recheck_complied": Move(("issued", "answered"), "complied", _lazy("该指令书已经办结")),
    "recheck_not_complied": Move(("issued", "answered"), None, _lazy("该指令书已经办结")),
    "escalate": Move(("issued", "answered"), "escalated", _lazy("该指令书已经办结")),
}


def check_move(table: dict[str, Move], name: str, state: str) -> str:
    """The state a move ends in, if it may start from ``state``; otherwise the move's refusal.

    Raises ValueError with the refusal (the services turn it into a 409 naming what is wrong).
    """
    move = table[name]
    if state not in move.sources:
        raise ValueError(str(move.refusal))
    return move.target or state
