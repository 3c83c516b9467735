"""The cases monitoring opens: one wage-arrears case per project × month for its red warnings.

A case is registered through the case service like any complaint (channel "monitoring"), then
kept up to date with timeline events as its warnings are raised, updated and cleared. A case is
never closed here: the handler decides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.cases import services as case_services
from hexie.cases.models import Case, CaseType, Channel
from hexie.core.validators import validate_credit_code
from hexie.employers.models import Project
from hexie.monitoring import rules as R
from hexie.monitoring.evidence import case_description, estimated_arrears_fen, finding_lines
from hexie.monitoring.models import MonitoringCase, Warning
from hexie.monitoring.months import month_label

MONITORING_COMPLAINANT = _("监测预警")
ALL_CLEARED = (_("本案关联的监测预警已全部消除；案件仍按正常流程办理，由承办人决定是否办结。"))


@dataclass
class CaseChanges:
    """What a run did to its cases: counts, and one line per case for the run record."""

    opened: int = 0
    updated: int = 0
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def sync_monitoring_cases(
    *, month: int, now: datetime, warnings: Iterable[Warning], changed: Iterable[Warning],
    resolved: Iterable[Warning], projects: Mapping[int, Project], min_wages: Mapping[int, int],
) -> CaseChanges:
    """Open a case for each project whose red warnings of ``month`` have none yet; add a timeline
    event to a case when its warnings change or clear.

    ``warnings`` are all of the month's warnings as the run left them, ``changed`` those it
    opened, reopened or updated, ``resolved`` those it cleared.
    """
    out = CaseChanges()
    changed_ids = {w.pk for w in changed}
    reds: dict[int, list[Warning]] = defaultdict(list)
    for w in warnings:
        if w.state == Warning.State.OPEN and w.grade == "red":
            reds[w.project_id].append(w)
    links = {mc.project_id: mc for mc in MonitoringCase.objects.filter(month=month, project_id__in=list(reds))
             .select_related("case")}
    for project_id, ws in sorted(reds.items()):
        ws.sort(key=lambda w: (w.rule.sort, w.rule.code))
        mc = links.get(project_id)
        project = projects.get(project_id) or ws[0].project
        if mc is None:
            min_wage = min_wages.get(project_id, R.MIN_WAGE_FALLBACK_YUAN * 100)
            case = _open_case(project, month, ws, min_wage, now)
            out.opened += 1
            out.notes.append(gettext("新立案：%(number)s %(project)s") % {"number": case.number, "project": project.name})
            continue
        case = mc.case
        unlinked = [w.pk for w in ws if w.case_id != case.pk]
        if unlinked:
            Warning.objects.filter(pk__in=unlinked).update(case=case)
        news = [w for w in ws if w.pk in changed_ids]
        if news:
            case_services.add_event(
                case=case, kind="warning_updated", at=now,
                message=gettext("监测预警更新（%(month)s）：") % {"month": month_label(month)} + "\n" + finding_lines(news),
                data={"warnings": [w.pk for w in news], "month": month},
            )
            out.updated += 1
            out.notes.append(gettext("案件更新：%(number)s %(project)s") % {"number": case.number, "project": project.name})
    _report_cleared(month=month, now=now, resolved=resolved, out=out)
    return out


def _open_case(project: Project, month: int, reds: list[Warning], min_wage_fen: int, now: datetime) -> Case:
    """Register the case, link it to the project's month and its warnings, and say why it was opened."""
    gc = project.general_contractor
    credit_code = gc.credit_code
    try:
        validate_credit_code(credit_code)
    except ValidationError:
        credit_code = ""  # a registry typo must not stop the case: the name still identifies it
    amount = Decimal(min(estimated_arrears_fen(reds, min_wage_fen), int(case_services.MAX_AMOUNT) * 100)) / 100
    workers = max(1, min(max(w.evidence.get("workers", 1) for w in reds), case_services.MAX_WORKERS))
    data = case_services.IntakeData(
        case_type=CaseType.WAGE_ARREARS, channel=Channel.MONITORING, received_at=now,
        complainant_name=str(MONITORING_COMPLAINANT), complainant_phone="", employer_name=gc.name,
        employer_credit_code=credit_code, employer_address=gc.address, project_name=project.name,
        project_id=project.pk, org_unit_id=project.org_unit_id, description=case_description(project, month, reds, workers=workers,
                                                                      amount=amount),
        workers_count=workers, amount_claimed=amount.quantize(Decimal("0.01")),
        external_ref=f"MON-{project.code}-{month}"[:64],
    )
    case = case_services.register_case(data=data, actor=None, now=now)
    MonitoringCase.objects.create(project_id=project.pk, month=month, case=case)
    Warning.objects.filter(pk__in=[w.pk for w in reds]).update(case=case)
    case_services.add_event(
        case=case, kind="warning_raised", at=now,
        message=gettext("监测预警（%(month)s）：") % {"month": month_label(month)} + "\n" + finding_lines(reds),
        data={"warnings": [w.pk for w in reds], "month": month},
    )
    return case


def _report_cleared(*, month: int, now: datetime, resolved: Iterable[Warning], out: CaseChanges) -> None:
    """One event per cleared warning on its case, and one more when the case has none left open."""
    by_case: dict[int, list[Warning]] = defaultdict(list)
    for w in resolved:
        if w.case_id:
            by_case[w.case_id].append(w)
    if not by_case:
        return
    still_open = set(Warning.objects.filter(case_id__in=list(by_case), state=Warning.State.OPEN)
                     .values_list("case_id", flat=True))
    for case in Case.objects.filter(pk__in=list(by_case)):
        for w in by_case[case.pk]:
            case_services.add_event(
                case=case, kind="warning_resolved", at=now,
                message=f"预警消除：{w.rule.name}（{month_label(w.month)}）— {w.resolution}",
                data={"warning": w.pk, "rule": w.rule.code, "month": w.month},
            )
        if case.pk not in still_open:
            case_services.add_event(case=case, kind="warning_resolved", at=now, message=str(ALL_CLEARED),
                                    data={"all_cleared": True, "month": month})
        out.updated += 1
        out.notes.append(gettext("案件更新：%(number)s（预警消除）") % {"number": case.number})
