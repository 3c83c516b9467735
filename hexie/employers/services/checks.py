"""The checks every registry write shares: who may write, where, and the shape of its values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.core.errors import NotPermitted
from hexie.core.validators import normalise_phone, validate_phone
from hexie.employers.models import (
    Employer,
)
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import BUREAU_STAFF, CHANGE, in_jurisdiction, restrict

M = TypeVar("M", bound=models.Model)

# The largest figures a row can hold (DecimalField max_digits), checked here so that a typo answers
# a message naming the field instead of a database error.
MAX_CONTRACT_VALUE = Decimal("99999999999999.99")
MAX_DEPOSIT = Decimal("999999999999.99")
MAX_COUNT = 10_000_000

NOT_FOUND = _("未找到")

Errors = dict[str, list[str]]


# --- shared checks --------------------------------------------------------------------------


def check_writer(actor: User | Any) -> User:
    """The actor may write to the registry at all (role), or NotPermitted."""
    if not isinstance(actor, User) or not actor.is_authenticated or not actor.is_active:
        raise NotPermitted(gettext("请先登录"))
    if actor.is_superuser:
        return actor
    if actor.role not in BUREAU_STAFF or actor.org_unit_id is None:
        raise NotPermitted(gettext("您的角色不能修改登记信息"))
    return actor


def chosen_unit(actor: User, unit_id: int | None, errors: Errors, name: str = "org_unit") -> OrgUnit | None:
    """The chosen org unit, if it exists and lies in the actor's jurisdiction (else an error on `name`)."""
    if unit_id is None:
        errors.setdefault(name, []).append(gettext("请选择所在区划"))
        return None
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        errors.setdefault(name, []).append(gettext("所选区划不存在"))
        return None
    if not in_jurisdiction(actor, unit):
        errors.setdefault(name, []).append(gettext("所选区划不在您的辖区内"))
        return None
    return unit


def scoped_for_update(qs: models.QuerySet[M], actor: User, pk: int) -> M:
    """The row if it lies in the actor's jurisdiction, locked for the rest of the transaction; else 404."""
    obj = restrict(qs, actor, CHANGE).select_for_update().filter(pk=pk).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


def chosen_employer(pk: int | None, errors: Errors, name: str, label: str, *, required: bool,
                    within: models.QuerySet[Employer]) -> Employer | None:
    """The employer chosen for ``name`` among ``within`` (those the actor may name): one outside
    them answers exactly like one that does not exist — its name and id are never given back."""
    if pk is None:
        if required:
            errors.setdefault(name, []).append(gettext("请选择%(label)s") % {"label": label, "replace": name.replace('_', ' ')})
        return None
    emp = within.filter(pk=pk).first()
    if emp is None:
        errors.setdefault(name, []).append(gettext("%(label)s不存在") % {"label": label, "name": name})
    return emp


def nameable_employers(actor: User, project: Any = None) -> models.QuerySet[Employer]:
    """The employers a project's parties may be chosen from: those in the actor's jurisdiction,
    and those the project already names (kept when it is edited, never newly revealed)."""
    scoped = restrict(Employer.objects.all(), actor)
    if project is None:
        return scoped
    linked = {project.general_contractor_id, project.owner_id, *project.subcontractors.values_list("pk", flat=True)}
    return Employer.objects.filter(models.Q(pk__in=scoped.values("pk")) | models.Q(pk__in=linked - {None}))



def clean_text(value: str | None) -> str:
    return (value or "").strip()


def clean_phone(value: str, errors: Errors, name: str, *, required: bool = False) -> str:
    phone = normalise_phone(clean_text(value))
    if not phone:
        if required:
            errors.setdefault(name, []).append(gettext("请填写联系电话"))
        return ""
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors.setdefault(name, []).extend(exc.messages)
    return phone


def checked_amount(value: Decimal | None, errors: Errors, name: str, label: str, maximum: Decimal) -> Decimal:
    if value is None:
        return Decimal(0)
    if value < 0:
        errors.setdefault(name, []).append(gettext("%(label)s不能为负数") % {"label": label, "name": name})
    elif value > maximum:
        errors.setdefault(name, []).append(gettext("%(label)s数值过大，请核对") % {"label": label, "name": name})
    return value


def checked_count(value: int, errors: Errors, name: str, label: str) -> int:
    if value < 0:
        errors.setdefault(name, []).append(gettext("%(label)s不能为负数") % {"label": label, "name": name})
    elif value > MAX_COUNT:
        errors.setdefault(name, []).append(gettext("%(label)s数值过大，请核对") % {"label": label, "name": name})
    return value


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def apply_changes(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
