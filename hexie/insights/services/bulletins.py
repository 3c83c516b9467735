"""Generating and archiving bulletins (周调度、月度、季度通报).

`generate_bulletin` reads the period's figures (`bulletins.build_bulletin_data`), renders them
(`bulletin_rendering.render_bulletin`) and stores the result: one row per kind, period and unit,
replaced when generated again, with one audit entry. Each generation is a `BulletinRun` held by
its worker's lease (`hexie.core.leases`): one whose worker was killed is marked failed by the
reaper, listed on the bulletins page and generated again from there (`retry_generation`). The scheduled tasks (tasks.py) call
`generate_scheduled` for the city and each district; leaders generate on demand from the
bulletins page.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext

from hexie.core import audit, clock, leases
from hexie.core.errors import DomainError
from hexie.core.permissions import require_role
from hexie.insights.bulletin_rendering import RenderedBulletin, bulletin_title, render_bulletin
from hexie.insights.bulletins import build_bulletin_data, scheduled_units, units_for_generation
from hexie.insights.models import Bulletin, BulletinRun, PeriodKind
from hexie.insights.periods import Period, last_complete_period, period_containing, unknown_kind
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import LEADERS, restrict

log = logging.getLogger("hexie.insights")


def _check_actor(actor: User | None, unit: OrgUnit) -> None:
    if actor is None:
        return  # the schedule
    require_role(actor, LEADERS, gettext("只有领导和管理员可以生成通报"))
    if not units_for_generation(actor).filter(pk=unit.pk).exists():
        raise Http404(gettext("未找到"))


# Official documents and bulletins are Chinese whatever language the person issuing them reads.
@translation.override(settings.LANGUAGE_CODE)
def generate_bulletin(*, kind: str, period_start: date, org_unit: OrgUnit, actor: User | None) -> Bulletin:
    """Generate (or regenerate) the bulletin of a kind for the period containing `period_start`.

    `actor` None is the schedule. A leader or administrator may generate for units in their
    jurisdiction (Http404 outside it, NotPermitted for other roles). A period that has not begun
    is refused. Regenerating replaces the row's files and figures and keeps the row.

    The figures are read and the files rendered before the transaction, which then only stores
    them: charts and a PDF conversion take seconds, and no row should stay locked that long.
    """
    if kind not in PeriodKind.values:
        raise unknown_kind(kind)
    _check_actor(actor, org_unit)
    period = period_containing(kind, period_start)
    today = clock.today()
    if period.start > today:
        raise DomainError(gettext("统计期间尚未开始"), code="period_in_future", field="period")
    run, lease = leases.start(BulletinRun, kind=kind, period_start=period.start, org_unit=org_unit,
                              requested_by=actor, started_at=clock.now())
    with lease:
        try:
            data = build_bulletin_data(period=period, unit=org_unit, today=today)
            rendered = render_bulletin(unit=org_unit, period=period, data=data, today=today)
            figures = {
                "headline": data["headline"], "values": data["values"], "last_year": data["last_year"],
                "ranking": data["ranking"], "employers_by_complaints": data["employers_by_complaints"],
                "employers_by_warnings": data["employers_by_warnings"], "warnings": data["warnings"],
                "template_version": rendered.template_version,
            }
            return _store(period=period, unit=org_unit, actor=actor, rendered=rendered, figures=figures, lease=lease)
        except leases.LeaseLost:
            # Reaped while this worker was stalled: nothing was stored, and the page says it failed.
            raise DomainError(gettext("通报生成超时，已标记为失败，请重新生成"), code="generation_lost") from None
        except Exception as exc:
            lease.mine().update(state=BulletinRun.State.FAILED, finished_at=clock.now(),
                                message=f"{type(exc).__name__}: {exc}"[:2000])
            raise


def retry_generation(*, run_id: int, actor: User) -> Bulletin:
    """Generate again the bulletin of a failed generation (the bulletins page's button).

    In the actor's jurisdiction (404 otherwise) and for leaders; a generation still "running" on
    an expired lease counts as failed. The new generation is a run of its own."""
    run = restrict(BulletinRun.objects.filter(pk=run_id), actor).select_related("org_unit").first()
    if run is None:
        raise Http404
    require_role(actor, LEADERS, gettext("只有领导和管理员可以生成通报"))
    if run.state == BulletinRun.State.RUNNING and leases.is_stale(run):
        leases.expire(run)
        run.refresh_from_db()
    if run.state != BulletinRun.State.FAILED:
        raise DomainError(gettext("只有生成失败的通报可以重新生成"), code="not_retryable")
    return generate_bulletin(kind=run.kind, period_start=run.period_start, org_unit=run.org_unit, actor=actor)


def failed_generations(user: User) -> QuerySet[BulletinRun]:
    """The user's failed generations not generated since (newest first), for the bulletins page."""
    done_since = BulletinRun.objects.filter(kind=OuterRef("kind"), period_start=OuterRef("period_start"),
                                            org_unit=OuterRef("org_unit"), state=BulletinRun.State.DONE,
                                            pk__gt=OuterRef("pk"))
    return (restrict(BulletinRun.objects.filter(state=BulletinRun.State.FAILED), user)
            .exclude(Exists(done_since)).select_related("org_unit").order_by("-started_at")[:20])


def _store(*, period: Period, unit: OrgUnit, actor: User | None, rendered: RenderedBulletin,
           figures: dict[str, Any], lease: leases.Lease) -> Bulletin:
    """Write the files, the one row of (kind, period, unit) and its audit entry; the replaced files
    go after commit."""
    kind = period.kind
    new_files: list[str] = []
    try:
        with transaction.atomic():
            existing = (Bulletin.objects.select_for_update()
                        .filter(kind=kind, period_start=period.start, org_unit=unit).first())
            b = existing or Bulletin(kind=kind, period_start=period.start, org_unit=unit)
            old_files = [f.name for f in (b.docx, b.pdf) if existing and f]
            b.period_end, b.title = period.end, bulletin_title(kind, period)
            b.generated_at, b.generated_by = clock.now(), actor
            b.pdf_note, b.note, b.figures = rendered.pdf_note, rendered.note, figures
            b.docx.save(f"{rendered.stem}.docx", ContentFile(rendered.docx), save=False)
            new_files.append(b.docx.name)
            if rendered.pdf is not None:
                b.pdf.save(f"{rendered.stem}.pdf", ContentFile(rendered.pdf), save=False)
                new_files.append(b.pdf.name)
            else:
                b.pdf = ""  # type: ignore[assignment]
            b.save()
            done = "重新生成" if existing else "生成"  # the audit's record, in the bureau's language
            audit.record(actor=actor, action=audit.Action.GENERATE, obj=b, message=f"{done}{unit.name}{b.title}")
            replaced = [n for n in old_files if n not in new_files]
            transaction.on_commit(lambda: _delete_files(replaced))
            # Only while the generation is still ours: one reaped meanwhile stores nothing.
            if not lease.mine().update(state=BulletinRun.State.DONE, finished_at=clock.now(), bulletin=b):
                raise leases.LeaseLost
    except IntegrityError:
        # Another worker stored the same bulletin between our look-up and insert: keep theirs.
        _delete_files(new_files)
        theirs = Bulletin.objects.get(kind=kind, period_start=period.start, org_unit=unit)
        lease.mine().update(state=BulletinRun.State.DONE, finished_at=clock.now(), bulletin=theirs)
        return theirs
    except BaseException:
        _delete_files(new_files)
        raise
    return b


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def generate_scheduled(*, kind: str, today: date | None = None) -> dict[str, Any]:
    """Generate the last complete period's bulletin for the city and every district (the worker's job).

    Each unit's bulletin is its own transaction: one unit's failure is logged and does not stop
    the others.
    """
    today = today or clock.today()
    period = last_complete_period(kind, today)
    done, failed = [], []
    for unit in scheduled_units():
        try:
            generate_bulletin(kind=kind, period_start=period.start, org_unit=unit, actor=None)
            done.append(unit.code)
        except Exception:
            log.exception("scheduled %s bulletin for %s (%s) failed", kind, unit.code, period.start)
            failed.append(unit.code)
    return {"kind": kind, "period_start": period.start.isoformat(), "generated": done, "failed": failed}
