"""The per-address filing limit holds when one address files many complaints at the same moment:
parallel filings wait for each other on the address's row, so none slips past the count."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

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


@pytest.mark.django_db
def test_another_address_is_not_held_back(intake: Callable[..., Any], settings: Any) -> None:
    settings.PORTAL_RATE_LIMIT_PER_HOUR = 1
    services.file_complaint(data=intake(channel="web"), ip="203.0.113.7")
    with pytest.raises(services.RateLimited):
        services.file_complaint(data=intake(channel="web", complainant_phone="13907310002"), ip="203.0.113.7")
    services.file_complaint(data=intake(channel="web", complainant_phone="13907310003"), ip="198.51.100.9")
    assert Case.objects.count() == 2
