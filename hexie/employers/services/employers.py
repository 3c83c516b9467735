"""Registering and correcting employers."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from hexie.core import audit
from hexie.core.validators import normalise_credit_code, validate_credit_code
from hexie.employers.models import (
    Employer,
    EmployerSize,
    Industry,
)
from hexie.employers.services.checks import (
    Errors,
    apply_changes,
    check_writer,
    chosen_unit,
    clean_phone,
    clean_text,
    raise_errors,
    scoped_for_update,
)
from hexie.orgs.models import User


@dataclass(frozen=True)
class EmployerData:
    """What a clerk enters about an employer."""

    credit_code: str
    name: str
    org_unit_id: int | None
    legal_representative: str = ""
    industry: str = Industry.OTHER
    size: str = EmployerSize.SMALL
    address: str = ""
    contact_phone: str = ""

    @classmethod
    def of(cls, employer: Employer) -> EmployerData:
        return cls(**{f.name: getattr(employer, f.name) for f in fields(cls)})


def _employer_values(actor: User, data: EmployerData, *, pk: int | None) -> dict[str, Any]:
    errors: Errors = {}
    code = normalise_credit_code(data.credit_code)
    if not code:
        errors["credit_code"] = [gettext("请填写统一社会信用代码")]
    else:
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            errors["credit_code"] = list(exc.messages)
        else:
            others = Employer.objects.filter(credit_code=code)
            if pk is not None:
                others = others.exclude(pk=pk)
            if others.exists():
                errors["credit_code"] = [
                    gettext("该统一社会信用代码已登记")]
    name = clean_text(data.name)
    if not name:
        errors["name"] = [gettext("请填写单位名称")]
    elif len(name) > 200:
        errors["name"] = [gettext("单位名称最多200个字符")]
    if data.industry not in Industry.values:
        errors["industry"] = [gettext("行业“%(industry)s”不是有效选项") % {"industry": data.industry}]
    if data.size not in EmployerSize.values:
        errors["size"] = [gettext("规模“%(size)s”不是有效选项") % {"size": data.size}]
    unit = chosen_unit(actor, data.org_unit_id, errors)
    phone = clean_phone(data.contact_phone, errors, "contact_phone")
    raise_errors(errors)
    return {
        "credit_code": code, "name": name, "org_unit": unit, "legal_representative": clean_text(data.legal_representative),
        "industry": data.industry, "size": data.size, "address": clean_text(data.address), "contact_phone": phone,
    }


@transaction.atomic
def create_employer(*, actor: User, data: EmployerData) -> Employer:
    """Register an employer: valid and unique credit code (GB 32100), org unit in the actor's jurisdiction."""
    actor = check_writer(actor)
    employer = Employer(**_employer_values(actor, data, pk=None))
    employer.save()
    audit.record(actor=actor, action=audit.Action.CREATE, obj=employer)
    return employer


@transaction.atomic
def update_employer(*, actor: User, employer_id: int, data: EmployerData) -> Employer:
    """Correct an employer's facts; the employer and its new org unit must both be in the actor's jurisdiction."""
    actor = check_writer(actor)
    employer = scoped_for_update(Employer.objects.all(), actor, employer_id)
    changed = apply_changes(employer, _employer_values(actor, data, pk=employer.pk))
    if changed:
        employer.save()
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=employer, fields=changed)
    return employer
