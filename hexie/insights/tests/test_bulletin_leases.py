"""A bulletin generation whose worker was killed is failed by the reaper once its lease has run
out, shown on the bulletins page of its jurisdiction, and generated again from there."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hexie.core import clock, leases
from hexie.core.models import AuditEvent
from hexie.insights.models import Bulletin, BulletinRun
from hexie.insights.services.bulletins import generate_bulletin

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return timezone.make_aware(datetime(y, m, d, h))


def _killed_generation(unit: Any, actor: Any) -> BulletinRun:
    run, _lease = leases.start(BulletinRun, kind="monthly", period_start=date(2026, 10, 1), org_unit=unit,
                               requested_by=actor, started_at=timezone.now())
    return run


def test_a_generation_is_recorded_with_its_bulletin(city: dict[str, Any], users: dict[str, Any]) -> None:
    with clock.at(at(2026, 11, 2)):
        b = generate_bulletin(kind="monthly", period_start=date(2026, 10, 1), org_unit=city["yuelu"],
                              actor=users["leader"])
    run = BulletinRun.objects.get()
    assert run.state == BulletinRun.State.DONE and run.bulletin == b and run.requested_by == users["leader"]


def test_a_killed_generation_is_failed_after_its_lease_and_generated_again(
        client: Any, city: dict[str, Any], users: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    run = _killed_generation(city["yuelu"], users["leader"])
    expires = BulletinRun.objects.get(pk=run.pk).lease_expires_at
    assert leases.reap(now=expires - timedelta(seconds=1))["insights.bulletinrun"] == 0
    assert leases.reap(now=expires + timedelta(seconds=1))["insights.bulletinrun"] == 1
    run.refresh_from_db()
    assert run.state == BulletinRun.State.FAILED and "停止响应" in run.message
    assert AuditEvent.objects.filter(object_type="insights.bulletinrun", object_id=str(run.pk),
                                     org_unit=city["yuelu"]).exists()

    client.force_login(users["outside_leader"])  # another district sees nothing of it, and cannot retry it
    assert reverse("insights:bulletin_retry", args=[run.pk]) not in client.get(reverse("insights:bulletins")).content.decode()
    client.post(reverse("insights:bulletin_retry", args=[run.pk]))
    assert not Bulletin.objects.exists()

    client.force_login(users["leader"])
    page = client.get(reverse("insights:bulletins")).content.decode()
    assert reverse("insights:bulletin_retry", args=[run.pk]) in page and "生成失败的通报" in page
    with clock.at(at(2026, 11, 2)), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("insights:bulletin_retry", args=[run.pk]))
    b = Bulletin.objects.get()
    assert (b.kind, b.period_start, b.org_unit) == ("monthly", date(2026, 10, 1), city["yuelu"])
    assert BulletinRun.objects.filter(state=BulletinRun.State.DONE, bulletin=b).count() == 1
    # Generated since: the failure no longer asks for attention.
    assert "生成失败的通报" not in client.get(reverse("insights:bulletins")).content.decode()


def test_a_generation_that_raises_is_recorded_failed(city: dict[str, Any], users: dict[str, Any],
                                                     monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr("hexie.insights.services.bulletins.render_bulletin", broken)
    with clock.at(at(2026, 11, 2)), pytest.raises(OSError):
        generate_bulletin(kind="monthly", period_start=date(2026, 10, 1), org_unit=city["yuelu"],
                          actor=users["leader"])
    run = BulletinRun.objects.get()
    assert run.state == BulletinRun.State.FAILED and "disk full" in run.message and run.finished_at
