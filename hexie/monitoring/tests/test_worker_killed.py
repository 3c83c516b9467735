"""A real worker killed in the middle of an import (kill -9) leaves no batch running for ever.

Everything here is real and in processes of its own: a database file, Huey on its SQLite file
storage, ``manage.py run_huey``. The only help the test gets is ``IMPORT_TEST_BLOCK_DELAY_MS``, a
pause after each checked block of rows (honoured in tests only), so that the worker is surely
killed while it holds the batch. Then the worker is started again: its reaper marks the batch
failed once the lease has run out, and a retry completes it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

pytestmark = [pytest.mark.slow]

ROOT = Path(settings.BASE_DIR)
LEASE_SECONDS = 3

SETUP = """
import io
from hexie.core.tests.factories import VALID_CREDIT_CODE
from hexie.employers.tests.factories import EmployerFactory, ProjectFactory, RosterEntryFactory, WorkerFactory
from hexie.monitoring.services import imports
from hexie.monitoring.tests.feed_files import ATT_HEADER, ENTRY, IDS, YL, attendance_rows, csv_bytes
from hexie.orgs.models import OrgLevel, Role
from hexie.orgs.tests.factories import OrgUnitFactory, UserFactory

city = OrgUnitFactory(code="430100", name="长沙市", level=OrgLevel.CITY)
yuelu = OrgUnitFactory(code="430104", name="岳麓区", parent=city)
clerk = UserFactory(username="clerk", role=Role.HANDLER, org_unit=yuelu)
employer = EmployerFactory(credit_code=VALID_CREDIT_CODE, name="长沙某建设集团", org_unit=yuelu)
project = ProjectFactory(code=YL, name="岳麓安置房", org_unit=yuelu, general_contractor=employer)
for i, idn in enumerate(IDS):
    RosterEntryFactory(worker=WorkerFactory(name=f"工人{i}", number=idn), project=project, entry_date=ENTRY)
data = csv_bytes(ATT_HEADER, attendance_rows(140))
sub = imports.submit_file(feed="attendance", path_or_uploaded=io.BytesIO(data), original_name="att.csv",
                          actor=clerk)
print("BATCH", sub.batch.pk, sub.batch.state)
"""

RETRY = """
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.services import imports
from hexie.orgs.models import User

batch = ImportBatch.objects.get()
sub = imports.retry_import(batch_id=batch.pk, actor=User.objects.get(username="clerk"))
print("RETRY", sub.batch.pk, sub.batch.state)
"""


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A migrated database file, its media and lake folders, and Huey's queue file, all in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "hexie.settings", "HEXIE_TESTING": "1", "HUEY_IMMEDIATE": "0", "REDIS_URL": "",
        "HEXIE_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"), "LAKE_DIR": str(tmp_path / "lake"),
        "JOB_LEASE_SECONDS": str(LEASE_SECONDS),
    })
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"],  # noqa: S603 - our interpreter, fixed argv
                   cwd=ROOT, env=env, check=True, timeout=300)
    workers: list[subprocess.Popen[bytes]] = []
    yield {"env": env, "db": tmp_path / "db.sqlite3", "workers": workers, "tmp": tmp_path}
    for w in workers:
        if w.poll() is None:
            w.kill()
            w.wait(10)


def _python(world: dict[str, Any], code: str) -> str:
    script = "import django; django.setup()\n" + code
    done = subprocess.run([sys.executable, "-c", script],  # noqa: S603 - our interpreter, the test's own script
                          cwd=ROOT, env=world["env"], capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done.stdout.decode()


def _start_worker(world: dict[str, Any], **extra: str) -> subprocess.Popen[bytes]:
    log = (world["tmp"] / f"worker-{len(world['workers'])}.log").open("wb")
    # A short poll so that the retry is picked up at once (Huey backs off to 10 s when idle).
    argv = [sys.executable, "manage.py", "run_huey", "--workers", "1", "--max-delay", "0.5"]
    proc = subprocess.Popen(argv, cwd=ROOT, env={**world["env"], **extra},  # noqa: S603 - fixed argv
                            stdout=log, stderr=subprocess.STDOUT)
    world["workers"].append(proc)
    return proc


def _batch(world: dict[str, Any]) -> dict[str, Any]:
    with sqlite3.connect(world["db"], timeout=20) as con:
        con.row_factory = sqlite3.Row
        row = con.execute("SELECT state, rows_done, rows_imported, message, lease_expires_at "
                          "FROM monitoring_importbatch").fetchone()
    return dict(row)


def _wait_for(world: dict[str, Any], ok: Callable[[dict[str, Any]], bool], what: str, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = _batch(world)
        if ok(row):
            return row
        time.sleep(0.2)
    logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in sorted(world["tmp"].glob("worker-*.log")))
    raise AssertionError(f"{what}: still {_batch(world)} after {seconds} s\n{logs}")


def test_a_killed_worker_leaves_a_failed_batch_that_a_retry_completes(world: dict[str, Any]) -> None:
    assert "BATCH 1 queued" in _python(world, SETUP)

    # The worker takes the batch and stops for a minute after its first block of rows: kill it there.
    first = _start_worker(world, IMPORT_TEST_BLOCK_DELAY_MS="60000")
    _wait_for(world, lambda b: b["state"] == "running" and b["rows_done"] > 0, "the worker to be mid-import", 60)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    stranded = _batch(world)
    assert stranded["state"] == "running"  # what a killed worker used to leave for ever

    # Once the lease has run out, a worker started again fails the batch as it starts.
    expires = datetime.fromisoformat(stranded["lease_expires_at"]).replace(tzinfo=UTC)
    time.sleep(max(0.0, (expires - datetime.now(UTC)).total_seconds()) + 0.5)
    _start_worker(world)
    failed = _wait_for(world, lambda b: b["state"] != "running", "the reaper", 60)
    assert failed["state"] == "failed" and "停止响应" in failed["message"], failed

    # The retry is checked by that worker and imported whole.
    assert "RETRY 1 queued" in _python(world, RETRY)
    done = _wait_for(world, lambda b: b["state"] in ("done", "rejected", "failed"), "the retry", 90)
    assert done["state"] == "done" and done["rows_imported"] == 140, done
