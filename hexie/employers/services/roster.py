"""The real-name roster: a worker entering and leaving a site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from hexie.core import audit
from hexie.core.errors import DomainError
from hexie.core.pii import lookup_hash
from hexie.core.validators import normalise_id_number, validate_id_number
from hexie.employers.models import (
    Project,
    RosterEntry,
    Worker,
)
from hexie.employers.services.checks import (
    Errors,
    check_writer,
    clean_phone,
    clean_text,
    raise_errors,
    scoped_for_update,
)
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import district_of


@dataclass(frozen=True)
class WorkerRegistration:
    """A worker's real-name registration on a project (实名制进场登记)."""

    name: str
    id_number: str
    phone: str
    entry_date: date | None
    team_id: int | None = None
    trade: str = ""


def register_of(unit: OrgUnit) -> OrgUnit:
    """Whose register a person registered on a project in ``unit`` goes to: the unit's district,
    or the unit itself above the districts."""
    return district_of(unit) or unit


@transaction.atomic
def register_worker(*, actor: User, project_id: int, data: WorkerRegistration) -> RosterEntry:
    """Put a worker on a project's roster. The person is found by the HMAC of the ID number in the
    register of the project's district only: someone already on that register keeps one Worker row
    (with the latest phone number), and the name must match the one registered there. Someone only
    another district holds gets this district's own record: the other is never compared, read or
    changed (docs/architecture.md, "The registry across districts")."""
    actor = check_writer(actor)
    project = scoped_for_update(Project.objects.select_related("org_unit"), actor, project_id)
    errors: Errors = {}
    name = clean_text(data.name)
    if not name:
        errors["name"] = [gettext("请填写姓名")]
    elif len(name) > 50:
        errors["name"] = [gettext("姓名最多50个字符")]
    id_number = normalise_id_number(data.id_number)
    try:
        validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = list(exc.messages)
    phone = clean_phone(data.phone, errors, "phone", required=True)
    team = None
    if data.team_id is not None:
        team = project.teams.filter(pk=data.team_id).first()
        if team is None:
            errors["team"] = [gettext("所选班组不属于该项目")]
    if data.entry_date is None:
        errors["entry_date"] = [gettext("请填写进场日期")]
    if len(clean_text(data.trade)) > 30:
        errors["trade"] = [gettext("工种最多30个字符")]
    raise_errors(errors)
    id_hash = lookup_hash(id_number)
    register = register_of(project.org_unit)
    worker = Worker.objects.select_for_update().filter(id_hash=id_hash, org_unit=register).first()
    if worker is not None:
        if worker.name != name:
            raise ValidationError({"name": [
                gettext("姓名与该身份证号已登记的姓名不一致")]})
        if RosterEntry.objects.filter(worker=worker, project=project).exists():
            raise ValidationError({"id_number": [
                gettext("该工人已在本项目实名制名册中")]})
        if phone and worker.phone != phone:
            worker.phone, worker.phone_last4 = phone, phone[-4:]
            worker.save(update_fields=["phone", "phone_last4"])
    else:
        worker = Worker.objects.create(name=name, id_number=id_number, id_hash=id_hash, id_last4=id_number[-4:],
                                       phone=phone, phone_last4=phone[-4:], org_unit=register)
    assert data.entry_date is not None
    entry = RosterEntry.objects.create(worker=worker, project=project, team=team, trade=clean_text(data.trade),
                                       entry_date=data.entry_date)
    audit.record(actor=actor, action=audit.Action.CREATE, obj=entry,
                 message=gettext("进场登记 %(entry_date)s") % {"entry_date": format(data.entry_date, '%Y-%m-%d')})
    return entry


class AlreadyExited(DomainError):
    code = "already_exited"
    http_status = 409


@transaction.atomic
def record_exit(*, actor: User, entry_id: int, exit_date: date) -> RosterEntry:
    """Record a worker's leaving the site (退场). The exit date is not before the entry date."""
    actor = check_writer(actor)
    entry = scoped_for_update(RosterEntry.objects.select_related("worker", "project"), actor, entry_id)
    if entry.exit_date is not None:
        raise AlreadyExited(
            gettext("该工人已于%(exit_date)s退场") % {"exit_date": format(entry.exit_date, '%Y-%m-%d')},
            field="exit_date")
    if exit_date < entry.entry_date:
        raise ValidationError({"exit_date": [gettext("退场日期不能早于进场日期")]})
    entry.exit_date = exit_date
    entry.save(update_fields=["exit_date"])
    audit.record(actor=actor, action=audit.Action.UPDATE, obj=entry, fields=["exit_date"],
                 message=gettext("退场登记 %(exit_date)s") % {"exit_date": format(exit_date, '%Y-%m-%d')})
    return entry


def assign_registers(worker_model: Any, entry_model: Any, unit_model: Any) -> int:
    """Give each worker recorded before districts kept their own registers the register of the
    district its roster entries lie in (used by the migration that introduced them, with its
    historical models). A worker on rosters of several districts stays shared: splitting it would
    orphan the rows the lake already holds under its id. Returns how many were assigned."""
    assigned = 0
    for worker in worker_model.objects.filter(org_unit__isnull=True).iterator():
        units = {e.project.org_unit for e in entry_model.objects.filter(worker=worker).select_related("project__org_unit")}
        registers = set()
        for unit in units:
            codes = [code for code in unit.path.split("/") if code]
            district = unit_model.objects.filter(code__in=codes, level="district").first()
            registers.add((district or unit).pk)
        if len(registers) == 1:
            worker_model.objects.filter(pk=worker.pk).update(org_unit_id=registers.pop())
            assigned += 1
    return assigned
