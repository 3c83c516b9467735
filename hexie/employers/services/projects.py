"""Registering and correcting construction projects and their work teams."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext

from hexie.core import audit
from hexie.core.validators import normalise_account_number, normalise_identifier
from hexie.employers.models import (
    Employer,
    Project,
    ProjectStatus,
    WorkTeam,
)
from hexie.employers.services.checks import (
    MAX_CONTRACT_VALUE,
    MAX_DEPOSIT,
    Errors,
    apply_changes,
    check_writer,
    checked_amount,
    chosen_employer,
    chosen_unit,
    clean_phone,
    clean_text,
    nameable_employers,
    raise_errors,
    scoped_for_update,
)
from hexie.orgs.models import User


@dataclass(frozen=True)
class ProjectData:
    """What a clerk enters about a construction project and its parties."""

    code: str
    name: str
    org_unit_id: int | None
    general_contractor_id: int | None
    owner_id: int | None = None
    subcontractor_ids: tuple[int, ...] = ()
    address: str = ""
    status: str = ProjectStatus.BUILDING
    contract_value: Decimal = Decimal(0)
    start_date: date | None = None
    planned_end_date: date | None = None
    special_account_bank: str = ""
    special_account_number: str = ""
    special_account_opened_on: date | None = None
    guarantee_deposit: Decimal = Decimal(0)
    wage_officer_name: str = ""
    wage_officer_phone: str = ""
    has_notice_board: bool = False

    @classmethod
    def of(cls, project: Project) -> ProjectData:
        values = {f.name: getattr(project, f.name) for f in fields(cls) if f.name != "subcontractor_ids"}
        values["subcontractor_ids"] = tuple(project.subcontractors.values_list("pk", flat=True))
        return cls(**values)


def _project_values(actor: User, data: ProjectData, *, pk: int | None,
                    project: Project | None = None) -> tuple[dict[str, Any], list[Employer]]:
    errors: Errors = {}
    # Another district's employer answers like a missing one (docs/architecture.md, registry).
    nameable = nameable_employers(actor, project)
    code = normalise_identifier(data.code).upper()
    if not code:
        errors["code"] = [gettext("请填写项目编码")]
    elif len(code) > 32:
        errors["code"] = [gettext("项目编码最多32个字符")]
    elif Project.objects.filter(code=code).exclude(pk=pk or 0).exists():
        errors["code"] = [gettext("该项目编码已登记")]
    name = clean_text(data.name)
    if not name:
        errors["name"] = [gettext("请填写项目名称")]
    elif len(name) > 200:
        errors["name"] = [gettext("项目名称最多200个字符")]
    if data.status not in ProjectStatus.values:
        errors["status"] = [gettext("状态“%(status)s”不是有效选项") % {"status": data.status}]
    unit = chosen_unit(actor, data.org_unit_id, errors)
    contractor = chosen_employer(data.general_contractor_id, errors, "general_contractor", "施工总承包单位",
                                 required=True, within=nameable)
    owner = chosen_employer(data.owner_id, errors, "owner", "建设单位", required=False, within=nameable)
    sub_ids = list(dict.fromkeys(data.subcontractor_ids))
    subs = list(nameable.filter(pk__in=sub_ids))
    if len(subs) != len(sub_ids):
        errors["subcontractors"] = [gettext("所选分包单位不存在")]
    elif data.general_contractor_id is not None and data.general_contractor_id in sub_ids:
        errors["subcontractors"] = [
            gettext("施工总承包单位不能同时是分包单位")]
    value = checked_amount(data.contract_value, errors, "contract_value", "合同金额", MAX_CONTRACT_VALUE)
    deposit = checked_amount(data.guarantee_deposit, errors, "guarantee_deposit", "工资保证金", MAX_DEPOSIT)
    if data.start_date and data.planned_end_date and data.planned_end_date < data.start_date:
        errors["planned_end_date"] = [
            gettext("计划竣工日期不能早于开工日期")]
    account = normalise_account_number(data.special_account_number)
    if account and not (account.isascii() and account.isdigit()):
        errors["special_account_number"] = [gettext("工资专户账号应为数字")]
    elif len(account) > 40:
        errors["special_account_number"] = [gettext("工资专户账号过长")]
    if account and not clean_text(data.special_account_bank):
        errors["special_account_bank"] = [
            gettext("填写专户账号时请填写开户行")]
    phone = clean_phone(data.wage_officer_phone, errors, "wage_officer_phone")
    raise_errors(errors)
    values = {
        "code": code, "name": name, "org_unit": unit, "address": clean_text(data.address), "status": data.status,
        "owner": owner, "general_contractor": contractor, "contract_value": value,
        "start_date": data.start_date, "planned_end_date": data.planned_end_date,
        "special_account_bank": clean_text(data.special_account_bank), "special_account_number": account,
        "special_account_opened_on": data.special_account_opened_on, "guarantee_deposit": deposit,
        "wage_officer_name": clean_text(data.wage_officer_name), "wage_officer_phone": phone,
        "has_notice_board": bool(data.has_notice_board),
    }
    return values, subs


@transaction.atomic
def create_project(*, actor: User, data: ProjectData) -> Project:
    """Register a construction project with its parties: code unique, general contractor required,
    planned end not before the start, amounts not negative."""
    actor = check_writer(actor)
    values, subs = _project_values(actor, data, pk=None)
    project = Project(**values)
    project.save()
    project.subcontractors.set(subs)
    audit.record(actor=actor, action=audit.Action.CREATE, obj=project)
    return project


@transaction.atomic
def update_project(*, actor: User, project_id: int, data: ProjectData) -> Project:
    """Correct a project's facts and parties (same checks as registration)."""
    actor = check_writer(actor)
    project = scoped_for_update(Project.objects.all(), actor, project_id)
    values, subs = _project_values(actor, data, pk=project.pk, project=project)
    changed = apply_changes(project, values)
    if changed:
        project.save()
    if {s.pk for s in subs} != set(project.subcontractors.values_list("pk", flat=True)):
        project.subcontractors.set(subs)
        changed.append("subcontractors")
    if changed:
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=project, fields=changed)
    return project


# --- work teams -----------------------------------------------------------------------------


@transaction.atomic
def create_work_team(
    *, actor: User, project_id: int, name: str, employer_id: int | None, leader_name: str = ""
) -> WorkTeam:
    """Add a work team to a project: employed by the project's general contractor or one of its
    subcontractors, its name unique on the project."""
    actor = check_writer(actor)
    project = scoped_for_update(Project.objects.all(), actor, project_id)
    errors: Errors = {}
    name = clean_text(name)
    if not name:
        errors["name"] = [gettext("请填写班组名称")]
    elif len(name) > 100:
        errors["name"] = [gettext("班组名称最多100个字符")]
    elif project.teams.filter(name=name).exists():
        errors["name"] = [gettext("该项目已有同名班组")]
    # Only the project's own parties: any other id, in or out of the jurisdiction, gets one answer.
    parties = Employer.objects.filter(models.Q(pk=project.general_contractor_id)
                                      | models.Q(pk__in=project.subcontractors.values("pk")))
    employer = parties.filter(pk=employer_id).first() if employer_id is not None else None
    if employer_id is None:
        errors["employer"] = [gettext("请选择所属单位")]
    elif employer is None:
        errors["employer"] = [
            gettext("班组所属单位应为该项目的总承包或分包单位")]
    raise_errors(errors)
    assert employer is not None  # raise_errors refused a missing employer
    team = WorkTeam.objects.create(project=project, name=name, employer=employer, leader_name=clean_text(leader_name))
    audit.record(actor=actor, action=audit.Action.CREATE, obj=team)
    return team
