"""Monitoring's writes in the audit log: one entry per import accepted or rejected, one per run
(not one per warning: the warnings and the cases they open keep their own history)."""

from __future__ import annotations

from typing import Any

import pytest

from hexie.core import audit
from hexie.core.models import AuditEvent
from hexie.monitoring import detect, services
from hexie.monitoring.models import ImportBatch, MinimumWage, MonitorRun, Warning
from hexie.monitoring.tests import registry_for_detect as reg_detect
from hexie.monitoring.tests.feed_files import ATT_HEADER, attendance_rows, csv_bytes
from hexie.monitoring.tests.feed_files import run as import_now
from hexie.monitoring.tests.registry_for_detect import AS_OF, M

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("detect_clock"),
              pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")]



def _entries(obj: Any) -> list[tuple[str, int | None, int | None, str]]:
    return [(e.action, e.actor_id, e.org_unit_id, e.message) for e in audit.entries_for(obj)]


def test_an_accepted_import_is_recorded_for_its_uploader(reg: Any, users: dict[str, Any]) -> None:
    batch = import_now(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, attendance_rows(7)))
    assert batch.state == ImportBatch.State.DONE
    assert _entries(batch) == [(audit.Action.IMPORT, users["handler"].pk, batch.org_unit_id, batch.message)]


def test_a_rejected_import_is_recorded_with_its_reason(reg: Any, users: dict[str, Any]) -> None:
    rows = attendance_rows(3)
    rows[1][3] = "x"
    batch = import_now(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, rows))
    assert batch.state == ImportBatch.State.REJECTED
    assert _entries(batch) == [(audit.Action.IMPORT, users["handler"].pk, batch.org_unit_id, batch.message)]


def test_a_run_is_recorded_once_whatever_it_found(scene: dict[str, reg_detect.Site], city: dict[str, Any]) -> None:
    run = services.run_monitor(month=M, as_of=AS_OF)
    assert Warning.objects.count() > 1
    # The schedule's run is no one unit's work: filed under the bureau's unit, whose leaders read it.
    assert _entries(run) == [(audit.Action.RUN, None, city["city"].pk, run.message)]
    assert not AuditEvent.objects.filter(object_type="monitoring.warning").exists()


def test_a_failed_run_is_recorded_too(db: Any, monkeypatch: Any) -> None:
    def broken() -> Any:
        raise RuntimeError("the registry is unreadable")

    monkeypatch.setattr(detect, "active_rules", broken)
    with pytest.raises(RuntimeError):
        services.run_monitor(month=M, as_of=AS_OF)
    run = MonitorRun.objects.get()
    assert not run.ok
    assert _entries(run) == [(audit.Action.RUN, None, None, "RuntimeError: the registry is unreadable")]


def test_seeded_minimum_wages_are_recorded_under_their_unit(city: dict[str, Any]) -> None:
    assert services.seed_minimum_wages() == 3
    for row in MinimumWage.objects.all():
        assert [(action, unit) for action, _by, unit, _text in _entries(row)] == [
            (audit.Action.CREATE, row.org_unit_id)]
