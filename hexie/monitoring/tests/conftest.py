"""The monitoring tests' shared scenes: for imports, two projects (Yuelu, Furong) with seven workers
on both rosters and one registered worker on none; for detection, seven projects with one problem
each in the lake (``registry_for_detect.build_scene``), read with the clock at its evaluation day."""

from __future__ import annotations

from typing import Any

import pytest

from hexie.core import clock
from hexie.core.tests.factories import VALID_CREDIT_CODE
from hexie.employers.tests.factories import EmployerFactory, ProjectFactory, RosterEntryFactory, WorkerFactory
from hexie.monitoring.tests import registry_for_detect
from hexie.monitoring.tests.feed_files import ENTRY, FR, IDS, OFF_ROSTER, YL


@pytest.fixture
def reg(city: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """Two projects (Yuelu, Furong), seven workers on both rosters, one registered worker on none."""
    emp = EmployerFactory(credit_code=VALID_CREDIT_CODE, name="长沙某建设集团", org_unit=city["yuelu"])
    yl = ProjectFactory(code=YL, name="岳麓安置房", org_unit=city["yuelu_street"], general_contractor=emp)
    fr = ProjectFactory(code=FR, name="芙蓉商业中心", org_unit=city["furong"], general_contractor=emp)
    workers = []
    for i, idn in enumerate([*IDS, OFF_ROSTER]):
        w = WorkerFactory(name=f"工人{i}", number=idn)
        workers.append(w)
        if idn != OFF_ROSTER:
            RosterEntryFactory(worker=w, project=yl, entry_date=ENTRY)
            RosterEntryFactory(worker=w, project=fr, entry_date=ENTRY)
    return {"yl": yl, "fr": fr, "workers": workers}


@pytest.fixture
def detect_clock() -> Any:
    """The clock at the detection scene's evaluation day, for the whole test."""
    with clock.at(registry_for_detect.NOW):
        yield


@pytest.fixture
def scene(city: dict[str, Any], users: dict[str, Any], intake: Any) -> dict[str, registry_for_detect.Site]:
    return registry_for_detect.build_scene(city, users, intake)
