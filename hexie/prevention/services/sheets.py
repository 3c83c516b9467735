"""Which sheet applies where, and importing a sheet from .xlsx (all or nothing, row-level errors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hexie.core import audit
from hexie.core.models import AuditEvent
from hexie.core.permissions import require_role
from hexie.core.xlsx import XlsxError, read_rows
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import ADMINS, parent_codes
from hexie.prevention.models import ScoreSheet, SheetItem, SheetKind, SheetSection
from hexie.prevention.rules import points_problems, sheet_problems


def sheet_in_force(*, code: str, unit: OrgUnit, on: date) -> ScoreSheet | None:
    """The version of sheet ``code`` in force on ``on`` for ``unit``: the one owned by the nearest
    unit at or above it, else the installation's default; the highest version among equals."""
    codes = [*parent_codes(unit), unit.code]
    candidates = list(
        ScoreSheet.objects.filter(code=code, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(Q(owner_unit__isnull=True) | Q(owner_unit__code__in=codes))
        .select_related("owner_unit"))
    if not candidates:
        return None
    return max(candidates, key=lambda s: (len(s.owner_unit.path) if s.owner_unit else 0, s.version))


def check_sheet(sheet: ScoreSheet) -> None:
    """Refuse a sheet whose points do not add up, naming each section or item that is off."""
    problems = sheet_problems(sheet)
    if problems:
        raise ValidationError({"sheet": problems})


# --- .xlsx import -----------------------------------------------------------------------------

#: Sheet 1 "量表": one row of headers, one row of values. Sheet 2 "项目": one row per item.
SHEET_HEADERS = ["代码", "名称", "类别", "生效日期", "满分", "合格总分", "加分上限", "扣分上限", "依据", "整改期限（工作日）"]
ITEM_HEADERS = ["部分代码", "部分名称", "部分分值", "部分合格分", "项目代码", "检查内容", "分值", "扣分规则", "所需材料", "依据"]


@dataclass
class _Errors:
    rows: list[str] = field(default_factory=list)

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.rows.append(_("%(sheet)s 第%(row)d行“%(column)s”：%(message)s")
                         % {"sheet": sheet, "row": row, "column": column, "message": message})


def _decimal(value: Any, *, required: bool, errors: _Errors, sheet: str, row: int, column: str) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(sheet, row, column, _("不能为空"))
        return None
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(sheet, row, column, _("应为数字"))
        return None
    if d < 0 or d.as_tuple().exponent < -1:  # type: ignore[operator]
        errors.add(sheet, row, column, _("应为不小于0、最多一位小数的数字"))
        return None
    return d


def _date(value: Any, errors: _Errors, sheet: str, row: int, column: str) -> date | None:
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()  # a datetime cell
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(sheet, row, column, _("应为日期，如 2026-01-01"))
        return None


@transaction.atomic
def import_sheet_xlsx(*, actor: User, uploaded: UploadedFile, owner_unit_id: int | None) -> ScoreSheet:
    """Import one version of a sheet from .xlsx: everything or nothing, every bad cell named.

    The new version is owned by ``owner_unit_id`` (a bureau's override) or installation-wide (None,
    the top of the tree only). Its version number follows the highest one of its code and owner.
    """
    staff = require_role(actor, ADMINS, _("只有管理员可以导入评分量表"))
    owner: OrgUnit | None = None
    if owner_unit_id is not None:
        owner = OrgUnit.objects.filter(pk=owner_unit_id).first()
        if owner is None or not (staff.is_superuser or (staff.org_unit and owner.path.startswith(staff.org_unit.path))):
            raise ValidationError({"owner_unit": [_("所选单位不在您的辖区内")]})
    elif not staff.is_superuser and (staff.org_unit is None or staff.org_unit.parent_id is not None):
        raise ValidationError({"owner_unit": [_("全系统默认量表只能由最上级单位的管理员导入，请选择制定单位")]})
    try:
        books = read_rows(uploaded, sheets=2)
    except XlsxError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    errors = _Errors()
    head, items = books
    if len(head) < 2 or [str(c or "").strip() for c in head[0][:len(SHEET_HEADERS)]] != SHEET_HEADERS:
        raise ValidationError({"file": [_("第一个工作表应为“量表”，表头依次为：%(h)s") % {"h": "、".join(SHEET_HEADERS)}]})
    if not items or [str(c or "").strip() for c in items[0][:len(ITEM_HEADERS)]] != ITEM_HEADERS:
        raise ValidationError({"file": [_("第二个工作表应为“项目”，表头依次为：%(h)s") % {"h": "、".join(ITEM_HEADERS)}]})
    v = dict(zip(SHEET_HEADERS, list(head[1]) + [None] * len(SHEET_HEADERS), strict=False))
    S1 = _("量表")
    code = str(v["代码"] or "").strip()
    if not code:
        errors.add(S1, 2, "代码", _("不能为空"))
    name = str(v["名称"] or "").strip()
    if not name:
        errors.add(S1, 2, "名称", _("不能为空"))
    kind = {str(label): value for value, label in SheetKind.choices}.get(str(v["类别"] or "").strip(),
                                                                       str(v["类别"] or "").strip())
    if kind not in SheetKind.values:
        errors.add(S1, 2, "类别", _("应为：%(kinds)s") % {"kinds": "、".join(str(lbl) for _v, lbl in SheetKind.choices)})
    effective = _date(v["生效日期"], errors, S1, 2, "生效日期")
    total = _decimal(v["满分"], required=True, errors=errors, sheet=S1, row=2, column="满分")
    pass_total = _decimal(v["合格总分"], required=False, errors=errors, sheet=S1, row=2, column="合格总分")
    bonus = _decimal(v["加分上限"], required=False, errors=errors, sheet=S1, row=2, column="加分上限") or Decimal(0)
    penalty = _decimal(v["扣分上限"], required=False, errors=errors, sheet=S1, row=2, column="扣分上限") or Decimal(0)
    basis = str(v["依据"] or "").strip()
    if not basis:
        errors.add(S1, 2, "依据", _("请写明依据"))
    days_raw = v["整改期限（工作日）"]
    days = 15
    if days_raw not in (None, ""):
        try:
            days = int(str(days_raw).strip().split(".")[0])
            if not 1 <= days <= 365:
                raise ValueError
        except ValueError:
            errors.add(S1, 2, "整改期限（工作日）", _("应为1至365之间的整数"))

    S2 = _("项目")
    sections: dict[str, dict[str, Any]] = {}
    for n, raw in enumerate(items[1:], start=2):
        row = dict(zip(ITEM_HEADERS, list(raw) + [None] * len(ITEM_HEADERS), strict=False))
        if all(c in (None, "") for c in row.values()):
            continue
        s_code = str(row["部分代码"] or "").strip()
        i_code = str(row["项目代码"] or "").strip()
        title = str(row["检查内容"] or "").strip()
        for column, value in (("部分代码", s_code), ("项目代码", i_code), ("检查内容", title)):
            if not value:
                errors.add(S2, n, column, _("不能为空"))
        points = _decimal(row["分值"], required=True, errors=errors, sheet=S2, row=n, column="分值")
        section: dict[str, Any] | None = sections.get(s_code)
        if section is None and s_code:
            s_points = _decimal(row["部分分值"], required=True, errors=errors, sheet=S2, row=n, column="部分分值")
            section = sections[s_code] = {
                "code": s_code, "title": str(row["部分名称"] or "").strip() or s_code, "max_points": s_points,
                "pass_points": _decimal(row["部分合格分"], required=False, errors=errors, sheet=S2, row=n,
                                        column="部分合格分"),
                "basis": "", "items": []}
        if section is None:
            continue
        if any(i["code"] == i_code for i in section["items"]):
            errors.add(S2, n, "项目代码", _("与本部分前面的项目重复"))
        section["items"].append({
            "code": i_code, "title": title[:300], "max_points": points or Decimal(0),
            "deduction_rule": str(row["扣分规则"] or "").strip(), "evidence_required": str(row["所需材料"] or "").strip()[:300],
            "basis": str(row["依据"] or "").strip() or basis})
    if not sections:
        errors.add(S2, 2, "部分代码", _("没有任何项目"))
    if errors.rows:
        raise ValidationError({"file": errors.rows})
    assert total is not None and effective is not None
    problems = points_problems(total=total, pass_total=pass_total, sections=[
        (s["code"], s["title"], s["max_points"] or Decimal(0), s["pass_points"],
         [(i["code"], i["max_points"]) for i in s["items"]]) for s in sections.values()])
    if problems:
        raise ValidationError({"file": problems})
    last = (ScoreSheet.objects.filter(code=code, owner_unit=owner).order_by("-version")
            .values_list("version", flat=True).first()) or 0
    sheet = ScoreSheet.objects.create(
        code=code, version=last + 1, kind=kind, name=name[:120], owner_unit=owner, effective_from=effective,
        total_points=total, pass_total=pass_total, bonus_cap=bonus, penalty_cap=penalty, legal_basis=basis,
        rectify_working_days=days, verified=False)
    for s_order, s in enumerate(sections.values(), start=1):
        saved = SheetSection.objects.create(sheet=sheet, order=s_order, code=s["code"], title=s["title"][:120],
                                          max_points=s["max_points"], pass_points=s["pass_points"])
        SheetItem.objects.bulk_create([SheetItem(section=saved, order=i_order, **i)
                                       for i_order, i in enumerate(s["items"], start=1)])
    audit.record(actor=staff, action=AuditEvent.Action.IMPORT, obj=sheet,
                 message=_("从 %(file)s 导入评分量表第%(v)d版") % {"file": uploaded.name, "v": sheet.version})
    return sheet
