"""Registry writes never read, change or reveal another district's rows (docs/architecture.md,
"The registry across districts"): a person another district holds, an employer outside scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from hexie.core.tests.factories import VALID_ID
from hexie.employers import services
from hexie.employers.models import Project, RosterEntry, Worker
from hexie.employers.tests.factories import ProjectDataFactory

API = "/api/v1/registry"


def registration(**overrides):
    values = {"name": "张三", "id_number": VALID_ID, "phone": "13800138000", "entry_date": date(2026, 7, 1)}
    values.update(overrides)
    return services.WorkerRegistration(**values)


def test_a_person_furong_holds_gets_yuelus_own_record_and_furongs_is_untouched(registry, users):
    furong_entry = services.register_worker(actor=users["outsider"], project_id=registry["furong_project"].pk,
                                            data=registration(name="张三", phone="13900139000"))
    # Another name and phone for the same ID in Yuelu: neither compared with Furong's nor written over it.
    yuelu_entry = services.register_worker(actor=users["desk"], project_id=registry["project"].pk,
                                           data=registration(name="张叁", phone="13700137000"))
    assert yuelu_entry.worker_id != furong_entry.worker_id
    furong = Worker.objects.get(pk=furong_entry.worker_id)
    assert (furong.name, furong.phone, furong.org_unit) == ("张三", "13900139000", registry["furong_project"].org_unit)
    yuelu = Worker.objects.get(pk=yuelu_entry.worker_id)
    assert (yuelu.name, yuelu.phone, yuelu.org_unit.code) == ("张叁", "13700137000", "430104")
    # Within Yuelu the register still holds one record per person, and its name is checked.
    other = services.create_project(actor=users["admin"], data=ProjectDataFactory(
        unit=registry["project"].org_unit, contractor=registry["contractor"], code="430104202600002"))
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=users["desk"], project_id=other.pk, data=registration(name="张三"))
    assert "name" in exc.value.message_dict


def test_the_yuelu_roster_page_shows_yuelus_record_only(client, registry, users):
    services.register_worker(actor=users["outsider"], project_id=registry["furong_project"].pk,
                             data=registration(name="张三", phone="13900139000"))
    services.register_worker(actor=users["desk"], project_id=registry["project"].pk,
                             data=registration(name="张叁", phone="13700137000"))
    client.force_login(users["desk"])
    page = client.get(f"/registry/projects/{registry['project'].pk}/roster/").content.decode()
    assert "张叁" in page and "137****7000" in page
    assert "张三" not in page and "9000" not in page


def _data(registry, **overrides):
    base = ProjectDataFactory(unit=registry["project"].org_unit, contractor=registry["contractor"],
                              code="430104202600003")
    return replace(base, **overrides)


@pytest.mark.parametrize("field", ["general_contractor_id", "owner_id"])
def test_another_districts_employer_as_a_party_answers_like_a_missing_one(registry, users, field):
    messages = []
    for pk in (registry["furong"].pk, 10**9):
        with pytest.raises(ValidationError) as exc:
            services.create_project(actor=users["desk"], data=_data(registry, **{field: pk}))
        messages.append(exc.value.message_dict[field.removesuffix("_id")])
    assert messages[0] == messages[1]
    assert Project.objects.filter(code="430104202600003").count() == 0


def test_another_districts_employer_as_a_subcontractor_answers_like_a_missing_one(registry, users):
    messages = []
    for pk in (registry["furong"].pk, 10**9):
        with pytest.raises(ValidationError) as exc:
            services.create_project(actor=users["desk"], data=_data(registry, subcontractor_ids=(pk,)))
        messages.append(exc.value.message_dict["subcontractors"])
    assert messages[0] == messages[1]


def test_the_api_never_names_another_districts_employer(api, registry):
    body = {"code": "430104202600004", "name": "洋湖工程", "org_unit": registry["project"].org_unit.code,
            "status": "building", "general_contractor": registry["furong"].credit_code}
    response = api("desk").post(f"{API}/projects/", body, format="json")
    assert response.status_code == 400
    text = response.content.decode()
    assert registry["furong"].name not in text and "不存在" in text
    missing = api("desk").post(f"{API}/projects/", {**body, "general_contractor": "91430100MA4L0000XX"},
                               format="json")
    assert missing.status_code == 400
    assert response.json()["general_contractor"] == [
        m.replace("91430100MA4L0000XX", registry["furong"].credit_code) for m in missing.json()["general_contractor"]]


def test_the_project_form_offers_no_other_districts_employer(client, registry, users):
    client.force_login(users["desk"])
    page = client.get("/registry/projects/new/").content.decode()
    assert registry["contractor"].name in page and registry["furong"].name not in page


def test_a_team_of_an_employer_outside_the_project_answers_like_a_missing_one(registry, users):
    messages = []
    for pk in (registry["furong"].pk, 10**9):
        with pytest.raises(ValidationError) as exc:
            services.create_work_team(actor=users["desk"], project_id=registry["project"].pk, name=f"班组{pk}",
                                      employer_id=pk)
        messages.append(exc.value.message_dict["employer"])
    assert messages[0] == messages[1]


def test_a_monitoring_point_of_another_districts_employer_answers_like_a_missing_one(registry, users):
    messages = []
    for pk in (registry["furong"].pk, 10**9):
        with pytest.raises(ValidationError) as exc:
            services.create_monitoring_point(actor=users["desk"], employer_id=pk, since=date(2026, 1, 1))
        messages.append(exc.value.message_dict["employer"])
    assert messages[0] == messages[1]


def test_an_entry_of_another_district_cannot_be_changed(registry, users):
    entry = services.register_worker(actor=users["outsider"], project_id=registry["furong_project"].pk,
                                     data=registration())
    from django.http import Http404

    with pytest.raises(Http404):
        services.record_exit(actor=users["desk"], entry_id=entry.pk, exit_date=date(2026, 8, 1))
    assert RosterEntry.objects.get(pk=entry.pk).exit_date is None


def test_the_migration_gives_older_records_the_district_of_their_roster(registry, users):
    from hexie.employers.services.roster import assign_registers
    from hexie.employers.tests.factories import WorkerFactory
    from hexie.orgs.models import OrgUnit

    one = WorkerFactory()
    both = WorkerFactory()
    RosterEntry.objects.create(worker=one, project=registry["project"], entry_date=date(2026, 1, 1))
    for project in (registry["project"], registry["furong_project"]):
        RosterEntry.objects.create(worker=both, project=project, entry_date=date(2026, 1, 1))
    assert assign_registers(Worker, RosterEntry, OrgUnit) == 1
    one.refresh_from_db()
    both.refresh_from_db()
    assert one.org_unit.code == "430104" and both.org_unit is None
