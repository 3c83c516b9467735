"""200 parallel case creates through the API, half of them sent twice with the same Idempotency-Key
(the retry racing its original): nothing lost, nothing duplicated, case numbers unique and gapless.

On PostgreSQL only: there the requests really run at once (row locks, the unique index on the
idempotency key); SQLite serialises every write transaction, so the test would prove nothing
there. Bounded: 300 requests on 16 threads, well under a minute.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from hexie.cases.models import Case, Cluster
from hexie.core.models import IdempotencyRecord

CREATES = 200
THREADS = 16
API = "/api/v1"

pytestmark = pytest.mark.django_db(transaction=True)


def body(i: int) -> dict[str, Any]:
    return {
        "case_type": "wage_arrears", "channel": "hotline_12345", "external_ref": f"GD2026{i:06d}",
        # Twenty employers, so that clusters form and grow while the requests race.
        "complainant_name": "李四", "complainant_phone": f"1390731{i:04d}", "employer_name": f"长沙某劳务公司{i % 20}",
        "org_unit": "430104001", "workers_count": 2,
        "amount_claimed": "12000.00", "description": f"两名工人三个月工资未发（工单{i}）",
    }


def test_parallel_creates_with_retries_lose_nothing_and_duplicate_nothing(users: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one write transaction at a time, so nothing would race")
    # A transactional test before this one may have flushed the rules the migrations seed (the
    # cluster rule among them); the cached rules are dropped with the new rows' signals.
    import_module("hexie.cases.migrations.0003_seed_rules").seed(apps, None)
    sends = [i for i in range(CREATES)] + [i for i in range(0, CREATES, 2)]  # every other one retried
    random.Random(11).shuffle(sends)  # noqa: S311 - a fixed order, not a secret
    answers: dict[int, list[tuple[int, dict[str, Any], bool]]] = {i: [] for i in range(CREATES)}
    errors: list[BaseException] = []
    lock = threading.Lock()
    clients = threading.local()

    def send(i: int) -> None:
        try:
            if not hasattr(clients, "api"):
                clients.api = APIClient()
                clients.api.force_authenticate(users["desk"])
            r = clients.api.post(f"{API}/cases/", body(i), format="json", HTTP_IDEMPOTENCY_KEY=f"gd-{i}")
            with lock:
                answers[i].append((r.status_code, r.json(), r.headers.get("Idempotent-Replayed") == "true"))
        except BaseException as exc:  # a failure of the test, reported below
            errors.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(send, sends))
    assert errors == []

    for i, got in answers.items():
        assert [status for status, _, _ in got] == [201] * len(got), (i, got)
        assert len({a["id"] for _, a, _ in got}) == 1, (i, got)  # a retry answers the first case
        assert sum(not replayed for _, _, replayed in got) == 1, (i, got)  # and only one created it
    cases = list(Case.objects.values_list("external_ref", "number"))
    assert len(cases) == CREATES  # 0 lost, 0 duplicated
    assert {ref for ref, _ in cases} == {f"GD2026{i:06d}" for i in range(CREATES)}
    serials = sorted(int(number.rsplit("-", 1)[1]) for _, number in cases)
    assert serials == list(range(1, CREATES + 1))  # unique and gapless
    assert IdempotencyRecord.objects.count() == CREATES
    # Each employer's cluster counts exactly its ten cases.
    assert sorted(Cluster.objects.values_list("case_count", flat=True)) == [10] * 20
