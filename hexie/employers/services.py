"""Every write to the registry: employers, projects, work teams, the real-name roster, monitoring
points and their monthly reports.

Each service is keyword-only, typed, runs in one transaction, checks who may write and where, and
records what it did in Django's admin log (``LogEntry``) in the same transaction, so the object's
history page in the admin shows every change with its author.

Who may write: administrators, leaders, handlers and front-desk staff, each within their own org
unit and below (the same jurisdiction they read). Partner agencies may not write (403). A row
outside the user's jurisdiction answers 404, the same as a row that does not exist; choosing an org
unit outside it is a validation error on the ``org_unit`` field.

Parties of a project (owner, general contractor, subcontractors) and the employer of a work team
may be any registered employer: a contractor registered in one district builds in another, and an
employer's name and credit code are public registry facts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404

from hexie.core import audit, clock
from hexie.core.errors import DomainError, NotPermitted
from hexie.core.pii import lookup_hash
from hexie.core.validators import normalise_phone, validate_credit_code, validate_id_number, validate_phone
from hexie.employers.models import (
    Employer,
    EmployerSize,
    Industry,
    MonitoringPoint,
    MonitoringReport,
    Project,
    ProjectStatus,
    RosterEntry,
    Worker,
    WorkTeam,
)
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import BUREAU_STAFF, CHANGE, in_jurisdiction, restrict

M = TypeVar("M", bound=models.Model)

# The largest figures a row can hold (DecimalField max_digits), checked here so that a typo answers
# a message naming the field instead of a database error.
MAX_CONTRACT_VALUE = Decimal("99999999999999.99")
MAX_DEPOSIT = Decimal("999999999999.99")
MAX_COUNT = 10_000_000

NOT_FOUND = "未找到 / Not found."

Errors = dict[str, list[str]]


# --- shared checks --------------------------------------------------------------------------


def _check_writer(actor: User | Any) -> User:
    """The actor may write to the registry at all (role), or NotPermitted."""
    if not isinstance(actor, User) or not actor.is_authenticated or not actor.is_active:
        raise NotPermitted("请先登录 / Log in first.")
    if actor.is_superuser:
        return actor
    if actor.role not in BUREAU_STAFF or actor.org_unit_id is None:
        raise NotPermitted("您的角色不能修改登记信息 / Your role cannot change the registry.")
    return actor


def _unit(actor: User, unit_id: int | None, errors: Errors, name: str = "org_unit") -> OrgUnit | None:
    """The chosen org unit, if it exists and lies in the actor's jurisdiction (else an error on `name`)."""
    if unit_id is None:
        errors.setdefault(name, []).append("请选择所在区划 / Choose the org unit.")
        return None
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        errors.setdefault(name, []).append("所选区划不存在 / That org unit does not exist.")
        return None
    if not in_jurisdiction(actor, unit):
        errors.setdefault(name, []).append("所选区划不在您的辖区内 / That org unit is outside your jurisdiction.")
        return None
    return unit


def _scoped(qs: models.QuerySet[M], actor: User, pk: int) -> M:
    """The row if it lies in the actor's jurisdiction, locked for the rest of the transaction; else 404."""
    obj = restrict(qs, actor, CHANGE).select_for_update().filter(pk=pk).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


def _employer(pk: int | None, errors: Errors, name: str, label: str, *, required: bool) -> Employer | None:
    if pk is None:
        if required:
            errors.setdefault(name, []).append(f"请选择{label} / Choose the {name.replace('_', ' ')}.")
        return None
    emp = Employer.objects.filter(pk=pk).first()
    if emp is None:
        errors.setdefault(name, []).append(f"{label}不存在 / No such employer ({name}).")
    return emp


def _text(value: str | None) -> str:
    return (value or "").strip()


def _phone(value: str, errors: Errors, name: str, *, required: bool = False) -> str:
    phone = normalise_phone(_text(value))
    if not phone:
        if required:
            errors.setdefault(name, []).append("请填写联系电话 / The phone number is required.")
        return ""
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors.setdefault(name, []).extend(exc.messages)
    return phone


def _amount(value: Decimal | None, errors: Errors, name: str, label: str, maximum: Decimal) -> Decimal:
    if value is None:
        return Decimal(0)
    if value < 0:
        errors.setdefault(name, []).append(f"{label}不能为负数 / {name} cannot be negative.")
    elif value > maximum:
        errors.setdefault(name, []).append(f"{label}数值过大，请核对 / {name} is too large; please check it.")
    return value


def _count(value: int, errors: Errors, name: str, label: str) -> int:
    if value < 0:
        errors.setdefault(name, []).append(f"{label}不能为负数 / {name} cannot be negative.")
    elif value > MAX_COUNT:
        errors.setdefault(name, []).append(f"{label}数值过大，请核对 / {name} is too large; please check it.")
    return value


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _apply(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# --- employers ------------------------------------------------------------------------------


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
    code = _text(data.credit_code).upper()
    if not code:
        errors["credit_code"] = ["请填写统一社会信用代码 / The credit code is required."]
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
                    "该统一社会信用代码已登记 / An employer with this credit code is already registered."]
    name = _text(data.name)
    if not name:
        errors["name"] = ["请填写单位名称 / The employer's name is required."]
    elif len(name) > 200:
        errors["name"] = ["单位名称最多200个字符 / The name has at most 200 characters."]
    if data.industry not in Industry.values:
        errors["industry"] = [f"行业“{data.industry}”不是有效选项 / industry: \"{data.industry}\" is not a valid choice."]
    if data.size not in EmployerSize.values:
        errors["size"] = [f"规模“{data.size}”不是有效选项 / size: \"{data.size}\" is not a valid choice."]
    unit = _unit(actor, data.org_unit_id, errors)
    phone = _phone(data.contact_phone, errors, "contact_phone")
    _raise(errors)
    return {
        "credit_code": code, "name": name, "org_unit": unit, "legal_representative": _text(data.legal_representative),
        "industry": data.industry, "size": data.size, "address": _text(data.address), "contact_phone": phone,
    }


@transaction.atomic
def create_employer(*, actor: User, data: EmployerData) -> Employer:
    """Register an employer: valid and unique credit code (GB 32100), org unit in the actor's jurisdiction."""
    actor = _check_writer(actor)
    employer = Employer(**_employer_values(actor, data, pk=None))
    employer.save()
    audit.record(actor=actor, action=audit.Action.CREATE, obj=employer)
    return employer


@transaction.atomic
def update_employer(*, actor: User, employer_id: int, data: EmployerData) -> Employer:
    """Correct an employer's facts; the employer and its new org unit must both be in the actor's jurisdiction."""
    actor = _check_writer(actor)
    employer = _scoped(Employer.objects.all(), actor, employer_id)
    changed = _apply(employer, _employer_values(actor, data, pk=employer.pk))
    if changed:
        employer.save()
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=employer, fields=changed)
    return employer


# --- projects -------------------------------------------------------------------------------


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


def _project_values(actor: User, data: ProjectData, *, pk: int | None) -> tuple[dict[str, Any], list[Employer]]:
    errors: Errors = {}
    code = _text(data.code).upper()
    if not code:
        errors["code"] = ["请填写项目编码 / The project code is required."]
    elif len(code) > 32:
        errors["code"] = ["项目编码最多32个字符 / The project code has at most 32 characters."]
    elif Project.objects.filter(code=code).exclude(pk=pk or 0).exists():
        errors["code"] = ["该项目编码已登记 / A project with this code is already registered."]
    name = _text(data.name)
    if not name:
        errors["name"] = ["请填写项目名称 / The project's name is required."]
    elif len(name) > 200:
        errors["name"] = ["项目名称最多200个字符 / The name has at most 200 characters."]
    if data.status not in ProjectStatus.values:
        errors["status"] = [f"状态“{data.status}”不是有效选项 / status: \"{data.status}\" is not a valid choice."]
    unit = _unit(actor, data.org_unit_id, errors)
    contractor = _employer(data.general_contractor_id, errors, "general_contractor", "施工总承包单位", required=True)
    owner = _employer(data.owner_id, errors, "owner", "建设单位", required=False)
    sub_ids = list(dict.fromkeys(data.subcontractor_ids))
    subs = list(Employer.objects.filter(pk__in=sub_ids))
    if len(subs) != len(sub_ids):
        errors["subcontractors"] = ["所选分包单位不存在 / A chosen subcontractor does not exist."]
    elif data.general_contractor_id is not None and data.general_contractor_id in sub_ids:
        errors["subcontractors"] = [
            "施工总承包单位不能同时是分包单位 / The general contractor cannot also be a subcontractor."]
    value = _amount(data.contract_value, errors, "contract_value", "合同金额", MAX_CONTRACT_VALUE)
    deposit = _amount(data.guarantee_deposit, errors, "guarantee_deposit", "工资保证金", MAX_DEPOSIT)
    if data.start_date and data.planned_end_date and data.planned_end_date < data.start_date:
        errors["planned_end_date"] = [
            "计划竣工日期不能早于开工日期 / The planned end cannot be before the start date."]
    account = _text(data.special_account_number).replace(" ", "")
    if account and not account.isdigit():
        errors["special_account_number"] = ["工资专户账号应为数字 / The special account number has digits only."]
    elif len(account) > 40:
        errors["special_account_number"] = ["工资专户账号过长 / The special account number is too long."]
    if account and not _text(data.special_account_bank):
        errors["special_account_bank"] = [
            "填写专户账号时请填写开户行 / Give the bank of the special account."]
    phone = _phone(data.wage_officer_phone, errors, "wage_officer_phone")
    _raise(errors)
    values = {
        "code": code, "name": name, "org_unit": unit, "address": _text(data.address), "status": data.status,
        "owner": owner, "general_contractor": contractor, "contract_value": value,
        "start_date": data.start_date, "planned_end_date": data.planned_end_date,
        "special_account_bank": _text(data.special_account_bank), "special_account_number": account,
        "special_account_opened_on": data.special_account_opened_on, "guarantee_deposit": deposit,
        "wage_officer_name": _text(data.wage_officer_name), "wage_officer_phone": phone,
        "has_notice_board": bool(data.has_notice_board),
    }
    return values, subs


@transaction.atomic
def create_project(*, actor: User, data: ProjectData) -> Project:
    """Register a construction project with its parties: code unique, general contractor required,
    planned end not before the start, amounts not negative."""
    actor = _check_writer(actor)
    values, subs = _project_values(actor, data, pk=None)
    project = Project(**values)
    project.save()
    project.subcontractors.set(subs)
    audit.record(actor=actor, action=audit.Action.CREATE, obj=project)
    return project


@transaction.atomic
def update_project(*, actor: User, project_id: int, data: ProjectData) -> Project:
    """Correct a project's facts and parties (same checks as registration)."""
    actor = _check_writer(actor)
    project = _scoped(Project.objects.all(), actor, project_id)
    values, subs = _project_values(actor, data, pk=project.pk)
    changed = _apply(project, values)
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
    actor = _check_writer(actor)
    project = _scoped(Project.objects.all(), actor, project_id)
    errors: Errors = {}
    name = _text(name)
    if not name:
        errors["name"] = ["请填写班组名称 / The team's name is required."]
    elif len(name) > 100:
        errors["name"] = ["班组名称最多100个字符 / The team's name has at most 100 characters."]
    elif project.teams.filter(name=name).exists():
        errors["name"] = ["该项目已有同名班组 / The project already has a team with this name."]
    employer = _employer(employer_id, errors, "employer", "所属单位", required=True)
    if employer is not None and employer.pk != project.general_contractor_id \
            and not project.subcontractors.filter(pk=employer.pk).exists():
        errors["employer"] = [
            "班组所属单位应为该项目的总承包或分包单位 / The team's employer must be the project's general "
            "contractor or one of its subcontractors."]
    _raise(errors)
    assert employer is not None  # _raise refused a missing employer
    team = WorkTeam.objects.create(project=project, name=name, employer=employer, leader_name=_text(leader_name))
    audit.record(actor=actor, action=audit.Action.CREATE, obj=team)
    return team


# --- the real-name roster -------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerRegistration:
    """A worker's real-name registration on a project (实名制进场登记)."""

    name: str
    id_number: str
    phone: str
    entry_date: date | None
    team_id: int | None = None
    trade: str = ""


@transaction.atomic
def register_worker(*, actor: User, project_id: int, data: WorkerRegistration) -> RosterEntry:
    """Put a worker on a project's roster. The person is found by the HMAC of the ID number: someone
    already registered on another project keeps one Worker row (with the latest phone number); the
    name must match the one registered with that ID number."""
    actor = _check_writer(actor)
    project = _scoped(Project.objects.all(), actor, project_id)
    errors: Errors = {}
    name = _text(data.name)
    if not name:
        errors["name"] = ["请填写姓名 / The worker's name is required."]
    elif len(name) > 50:
        errors["name"] = ["姓名最多50个字符 / The name has at most 50 characters."]
    id_number = _text(data.id_number).upper()
    try:
        validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = list(exc.messages)
    phone = _phone(data.phone, errors, "phone", required=True)
    team = None
    if data.team_id is not None:
        team = project.teams.filter(pk=data.team_id).first()
        if team is None:
            errors["team"] = ["所选班组不属于该项目 / The team does not belong to this project."]
    if data.entry_date is None:
        errors["entry_date"] = ["请填写进场日期 / The entry date is required."]
    if len(_text(data.trade)) > 30:
        errors["trade"] = ["工种最多30个字符 / The trade has at most 30 characters."]
    _raise(errors)
    id_hash = lookup_hash(id_number)
    worker = Worker.objects.select_for_update().filter(id_hash=id_hash).first()
    if worker is not None:
        if worker.name != name:
            raise ValidationError({"name": [
                "姓名与该身份证号已登记的姓名不一致 / The name does not match the one registered with this ID number."]})
        if RosterEntry.objects.filter(worker=worker, project=project).exists():
            raise ValidationError({"id_number": [
                "该工人已在本项目实名制名册中 / This worker is already on the project's roster."]})
        if phone and worker.phone != phone:
            worker.phone, worker.phone_last4 = phone, phone[-4:]
            worker.save(update_fields=["phone", "phone_last4"])
    else:
        worker = Worker.objects.create(name=name, id_number=id_number, id_hash=id_hash, id_last4=id_number[-4:],
                                       phone=phone, phone_last4=phone[-4:])
    assert data.entry_date is not None
    entry = RosterEntry.objects.create(worker=worker, project=project, team=team, trade=_text(data.trade),
                                       entry_date=data.entry_date)
    audit.record(actor=actor, action=audit.Action.CREATE, obj=entry,
                 message=f"进场登记 {data.entry_date:%Y-%m-%d} / Entered the site on {data.entry_date:%Y-%m-%d}")
    return entry


class AlreadyExited(DomainError):
    code = "already_exited"
    http_status = 409


@transaction.atomic
def record_exit(*, actor: User, entry_id: int, exit_date: date) -> RosterEntry:
    """Record a worker's leaving the site (退场). The exit date is not before the entry date."""
    actor = _check_writer(actor)
    entry = _scoped(RosterEntry.objects.select_related("worker", "project"), actor, entry_id)
    if entry.exit_date is not None:
        raise AlreadyExited(
            f"该工人已于{entry.exit_date:%Y-%m-%d}退场 / The worker already left on {entry.exit_date:%Y-%m-%d}.",
            field="exit_date")
    if exit_date < entry.entry_date:
        raise ValidationError({"exit_date": ["退场日期不能早于进场日期 / The exit date cannot be before the entry date."]})
    entry.exit_date = exit_date
    entry.save(update_fields=["exit_date"])
    audit.record(actor=actor, action=audit.Action.UPDATE, obj=entry, fields=["exit_date"],
                 message=f"退场登记 {exit_date:%Y-%m-%d} / Left the site on {exit_date:%Y-%m-%d}")
    return entry


# --- monitoring points ----------------------------------------------------------------------


@transaction.atomic
def create_monitoring_point(
    *, actor: User, employer_id: int, since: date, contact_name: str = "", contact_phone: str = "",
    is_active: bool = True,
) -> MonitoringPoint:
    """Make an employer in the actor's jurisdiction a monitoring point (one point per employer)."""
    actor = _check_writer(actor)
    employer = restrict(Employer.objects.all(), actor, CHANGE).filter(pk=employer_id).first()
    errors: Errors = {}
    if employer is None:
        errors["employer"] = ["所选单位不存在或不在您的辖区内 / No such employer in your jurisdiction."]
    elif MonitoringPoint.objects.filter(employer=employer).exists():
        errors["employer"] = ["该单位已是监测点 / This employer is already a monitoring point."]
    phone = _phone(contact_phone, errors, "contact_phone")
    _raise(errors)
    assert employer is not None  # _raise refused a missing one
    point = MonitoringPoint.objects.create(employer=employer, since=since, contact_name=_text(contact_name),
                                           contact_phone=phone, is_active=is_active)
    audit.record(actor=actor, action=audit.Action.CREATE, obj=point)
    return point


@transaction.atomic
def update_monitoring_point(
    *, actor: User, point_id: int, since: date, contact_name: str = "", contact_phone: str = "",
    is_active: bool = True,
) -> MonitoringPoint:
    """Correct a monitoring point's contact, start date or whether it still reports."""
    actor = _check_writer(actor)
    point = _scoped(MonitoringPoint.objects.select_related("employer"), actor, point_id)
    errors: Errors = {}
    phone = _phone(contact_phone, errors, "contact_phone")
    _raise(errors)
    changed = _apply(point, {"since": since, "contact_name": _text(contact_name), "contact_phone": phone,
                             "is_active": is_active})
    if changed:
        point.save()
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=point, fields=changed)
    return point


@dataclass(frozen=True)
class ReportData:
    """One month's figures of a monitoring point. `headcount` is the number employed at the month's end."""

    month: int
    headcount: int
    hires: int = 0
    departures: int = 0
    wages_paid: Decimal = Decimal(0)
    arrears: Decimal = Decimal(0)


def parse_month(value: Any) -> int | None:
    """A yyyymm month as an integer, or None when it is not one (month 01–12, year 2000–2100)."""
    text = str(value).strip().replace("-", "")
    if not (len(text) == 6 and text.isascii() and text.isdigit()):
        return None
    year, month = int(text[:4]), int(text[4:])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year * 100 + month


def _previous_month(month: int) -> int:
    year, m = divmod(month, 100)
    return (year - 1) * 100 + 12 if m == 1 else month - 1


@transaction.atomic
def record_monitoring_report(*, actor: User, point_id: int, data: ReportData) -> MonitoringReport:
    """File (or correct) a monitoring point's report for a month.

    Checks: a real month not after the current one; figures not negative; the people who left
    cannot outnumber those there at the start plus those hired (the start is last month's
    headcount when it was reported, else this month's end plus departures minus hires, which
    reduces to hires ≤ headcount + departures); arrears not above the wages due.
    A second report for the same month replaces the first and is logged as a correction.
    """
    actor = _check_writer(actor)
    point = _scoped(MonitoringPoint.objects.select_related("employer"), actor, point_id)
    errors: Errors = {}
    month = parse_month(data.month)
    today = clock.today()
    if month is None:
        errors["month"] = ["月份应为YYYYMM格式，如202608 / The month is YYYYMM, e.g. 202608."]
    elif month > today.year * 100 + today.month:
        errors["month"] = ["不能填报未来月份 / The month cannot be in the future."]
    _count(data.headcount, errors, "headcount", "在岗人数")
    _count(data.hires, errors, "hires", "新增人数")
    _count(data.departures, errors, "departures", "减少人数")
    wages = _amount(data.wages_paid, errors, "wages_paid", "应发工资总额", MAX_DEPOSIT)
    arrears = _amount(data.arrears, errors, "arrears", "欠薪金额", MAX_DEPOSIT)
    if not errors:
        assert month is not None
        previous = point.reports.filter(month=_previous_month(month)).values_list("headcount", flat=True).first()
        if data.hires > data.headcount + data.departures:
            errors["hires"] = ["新增人数不能多于月末在岗人数与减少人数之和 / Hires cannot exceed the headcount "
                               "at the month's end plus departures."]
        if previous is not None and data.departures > previous + data.hires:
            errors["departures"] = [
                f"减少人数不能多于上月在岗人数（{previous}）与新增人数之和 / Departures cannot exceed last "
                f"month's headcount ({previous}) plus hires."]
        elif previous is None and data.departures > data.headcount + data.hires:
            # Without last month's figure the start of the month is unknown: the loose bound.
            errors["departures"] = ["减少人数不能多于在岗人数与新增人数之和 / Departures cannot exceed "
                                    "headcount plus hires."]
        if arrears > wages:
            errors["arrears"] = ["欠薪金额不能大于应发工资总额 / Arrears cannot exceed the wages due."]
    _raise(errors)
    assert month is not None
    values = {"headcount": data.headcount, "hires": data.hires, "departures": data.departures,
              "wages_paid": wages, "arrears": arrears, "reported_at": clock.now()}
    report = point.reports.filter(month=month).select_for_update().first()
    if report is None:
        report = MonitoringReport.objects.create(point=point, month=month, **values)
        audit.record(actor=actor, action=audit.Action.CREATE, obj=report, message=f"{month}月报 / Report for {month}")
    else:
        changed = _apply(report, values)
        report.save()
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=report,
                     message=f"更正{month}月报 / Corrected the report for {month}",
                     fields=[n for n in changed if n != "reported_at"])
    return report
