"""The API at its limits: a full batch of 50,000 payroll records (a body of ~13 MB) is accepted."""

from __future__ import annotations

import time
from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from hexie.core.pii import lookup_hash
from hexie.employers.models import RosterEntry, Worker
from hexie.monitoring import services
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.tests.feed_files import ENTRY, lake_rows, make_id

WORKERS = [make_id(i) for i in range(200, 400)]


def _records(n: int) -> list[dict[str, Any]]:
    # 50,000 distinct (worker, month) keys: 200 workers × 250 months from 1990 on.
    out = []
    for i in range(n):
        year, month = 1990 + (i // len(WORKERS)) // 12, (i // len(WORKERS)) % 12 + 1
        out.append({"projectCode": "XM-YL-001", "idCardNumber": WORKERS[i % len(WORKERS)],
                    "payMonth": f"{year}-{month:02d}",
                    "days": 22, "workHours": 176, "totalPayAmount": 6543.21, "actualAmount": 6000.1,
                    "balanceDate": "2024-04-10", "bankCardNumber": "6222021234567890", "isBackPay": "否"})
    return out


def test_a_full_batch_of_50000_records_is_accepted(reg, users, django_capture_on_commit_callbacks):
    for idn in WORKERS:
        w = Worker.objects.create(name="工人", id_number=idn, id_hash=lookup_hash(idn), id_last4=idn[-4:])
        RosterEntry.objects.create(worker=w, project=reg["yl"], entry_date=ENTRY)
    api = APIClient()
    api.force_authenticate(users["handler"])
    records = _records(services.API_MAX_RECORDS)
    url = reverse("api-monitoring-feed-records", args=["payroll"])
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.post(url, {"records": records}, format="json")
    elapsed = time.perf_counter() - started
    assert resp.status_code == 202, resp.content[:500]
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.DONE and batch.rows_imported == services.API_MAX_RECORDS
    assert len(lake_rows("payroll")) == services.API_MAX_RECORDS
    assert elapsed < 60  # two full checks (at once and in the job) and the lake write


def test_more_than_50000_records_are_refused(reg, users):
    api = APIClient()
    api.force_authenticate(users["handler"])
    resp = api.post(reverse("api-monitoring-feed-records", args=["payroll"]),
                    {"records": [{}] * (services.API_MAX_RECORDS + 1)}, format="json")
    assert resp.status_code == 400 and "50000" in resp.json()["records"][0]
