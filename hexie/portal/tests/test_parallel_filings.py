"""The per-address filing limit holds when one address files many complaints at the same moment:
parallel filings wait for each other on the address's row, so none slips past the count."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from hexie.cases.models import Case
from hexie.portal import services
from hexie.portal.models import PortalAddress

LIMIT = 3
PARALLEL = 12


@pytest.mark.django_db(transaction=True)
def test_parallel_filings_from_one_address_respect_the_limit(intake: Callable[..., Any], settings: Any) -> None:
    settings.PORTAL_RATE_LIMIT_PER_HOUR = LIMIT
    start = threading.Barrier(PARALLEL)
    filed: list[str] = []
    refused: list[str] = []
    errors: list[Exception] = []

    def worker(i: int) -> None:
        data = intake(channel="web", complainant_phone=f"1390731{i:04d}", complainant_id_number="")
        try:
            start.wait()
            case = services.file_complaint(data=data, ip="203.0.113.7")
            filed.append(case.number)
        except services.RateLimited:
            refused.append(str(i))
        except Exception as exc:  # anything else is a failure of the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(filed) == LIMIT and len(refused) == PARALLEL - LIMIT
    assert Case.objects.count() == LIMIT
    assert PortalAddress.objects.count() == 1  # the one address, as a keyed hash


@pytest.mark.django_db(transaction=True)
def test_parallel_api_filings_from_two_addresses_each_respect_the_limit(city: Any, settings: Any) -> None:
    """Through the public API, as a phone sends them: 20 filings at once from each of two addresses."""
    settings.PORTAL_RATE_LIMIT_PER_HOUR = LIMIT
    addresses = ["203.0.113.7", "198.51.100.9"]
    per_address = 20
    start = threading.Barrier(per_address * len(addresses))
    answers: dict[str, list[int]] = {a: [] for a in addresses}
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        ip = addresses[i % len(addresses)]
        body = {"case_type": "wage_arrears", "org_unit": "430104001", "complainant_name": "王五",
                "complainant_phone": f"1390732{i:04d}", "employer_name": "长沙某建筑劳务有限公司",
                "workers_count": 3, "amount_claimed": "24000.00", "description": "项目完工三个月，工资一直未发。"}
        try:
            start.wait()
            r = APIClient().post("/api/v1/public/complaints/", body, format="json", REMOTE_ADDR=ip)
            answers[ip].append(r.status_code)
        except BaseException as exc:  # a failure of the test, reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(per_address * len(addresses))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for ip in addresses:
        assert sorted(answers[ip]) == [201] * LIMIT + [429] * (per_address - LIMIT), (ip, answers[ip])
    assert Case.objects.count() == LIMIT * len(addresses)
    assert PortalAddress.objects.count() == len(addresses)


@pytest.mark.django_db
def test_another_address_is_not_held_back(intake: Callable[..., Any], settings: Any) -> None:
    settings.PORTAL_RATE_LIMIT_PER_HOUR = 1
    services.file_complaint(data=intake(channel="web"), ip="203.0.113.7")
    with pytest.raises(services.RateLimited):
        services.file_complaint(data=intake(channel="web", complainant_phone="13907310002"), ip="203.0.113.7")
    services.file_complaint(data=intake(channel="web", complainant_phone="13907310003"), ip="198.51.100.9")
    assert Case.objects.count() == 2
