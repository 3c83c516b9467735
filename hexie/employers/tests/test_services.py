"""Registry services: the rules they enforce, who may write where, and the audit trail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from hexie.core import clock
from hexie.core.errors import NotPermitted
from hexie.core.models import AuditEvent
from hexie.core.pii import lookup_hash
from hexie.core.tests.factories import VALID_CREDIT_CODE, VALID_ID
from hexie.employers import services
from hexie.employers.models import Employer, MonitoringReport, RosterEntry, Worker
from hexie.employers.tests.factories import EmployerDataFactory, ProjectDataFactory, credit_code, id_number

pytestmark = pytest.mark.django_db


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def bilingual(text: str) -> bool:
    """In the default language, Chinese (the catalogue's English is for Accept-Language: en)."""
    return any("\u4e00" <= c <= "\u9fff" for c in text)


# --- employers ------------------------------------------------------------------------------


def test_create_employer_normalises_and_logs(city, users):
    e = services.create_employer(actor=users["desk"], data=EmployerDataFactory(
        unit=city["yuelu_street"], credit_code=" " + VALID_CREDIT_CODE.lower() + " ", name="  湖南鑫达电子科技有限公司 "))
    assert e.credit_code == VALID_CREDIT_CODE and e.name == "湖南鑫达电子科技有限公司"
    log = AuditEvent.objects.get(object_id=str(e.pk), object_type="employers.employer")
    assert log.action == AuditEvent.Action.CREATE and log.actor == users["desk"]
    assert log.org_unit == city["yuelu_street"]  # the employer's jurisdiction: Yuelu's leaders read it


@pytest.mark.parametrize("code, fragment", [
    ("91430100MA4L16JQ9E", "校验位不正确"),  # wrong checksum
    ("91430100MA4L16JQ9", "18"),  # too short
    ("91430100MA4L16JQIO", "不含I、O"),  # letters not in the alphabet
    ("", "请填写"),
])
def test_employer_credit_code_is_checked(city, users, code, fragment):
    with pytest.raises(ValidationError) as exc:
        services.create_employer(actor=users["desk"], data=EmployerDataFactory(unit=city["yuelu"], credit_code=code))
    messages = errors_of(exc)["credit_code"]
    assert fragment in " ".join(messages) and all(bilingual(m) for m in messages)


def test_employer_credit_code_is_unique(city, users):
    services.create_employer(actor=users["desk"], data=EmployerDataFactory(unit=city["yuelu"], credit_code=VALID_CREDIT_CODE))
    with pytest.raises(ValidationError) as exc:
        services.create_employer(actor=users["desk"], data=EmployerDataFactory(unit=city["yuelu"], credit_code=VALID_CREDIT_CODE))
    assert "该统一社会信用代码已登记" in errors_of(exc)["credit_code"][0]


def test_employer_other_fields_are_checked(city, users):
    with pytest.raises(ValidationError) as exc:
        services.create_employer(actor=users["desk"], data=EmployerDataFactory(
            unit=city["yuelu"], name=" ", industry="mining", contact_phone="12345"))
    errs = errors_of(exc)
    assert set(errs) == {"name", "industry", "contact_phone"}


def test_employer_outside_jurisdiction_is_refused(city, users):
    with pytest.raises(ValidationError) as exc:
        services.create_employer(actor=users["desk"], data=EmployerDataFactory(unit=city["furong_street"]))
    assert "辖区" in errors_of(exc)["org_unit"][0]
    # The city's administrator may register anywhere in the city.
    services.create_employer(actor=users["admin"], data=EmployerDataFactory(unit=city["furong_street"]))


def test_partner_may_not_write(city, users):
    with pytest.raises(NotPermitted):
        services.create_employer(actor=users["partner"], data=EmployerDataFactory(unit=city["yuelu"]))


def test_update_employer_logs_the_changed_fields(registry, users):
    e = registry["contractor"]
    data = services.EmployerData.of(e)
    updated = services.update_employer(actor=users["handler"], employer_id=e.pk,
                                       data=services.EmployerData(**{**data.__dict__, "address": "岳麓区桐梓坡路88号"}))
    assert updated.address == "岳麓区桐梓坡路88号"
    log = AuditEvent.objects.filter(object_id=str(e.pk), action=AuditEvent.Action.UPDATE).get()
    assert any("地址" in f for f in log.fields)


def test_update_employer_outside_scope_is_404(registry, users):
    e = registry["furong"]
    with pytest.raises(Http404):
        services.update_employer(actor=users["desk"], employer_id=e.pk, data=services.EmployerData.of(e))


# --- projects -------------------------------------------------------------------------------


def test_create_project_with_parties(registry, city, users):
    p = services.create_project(actor=users["desk"], data=ProjectDataFactory(
        unit=city["yuelu"], contractor=registry["contractor"], code="430104202600099", owner_id=registry["sub"].pk,
        subcontractor_ids=(registry["sub"].pk,)))
    assert p.general_contractor == registry["contractor"]
    assert list(p.subcontractors.all()) == [registry["sub"]]
    assert AuditEvent.objects.filter(object_id=str(p.pk), object_type="employers.project").exists()


def test_project_rules(registry, city, users):
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=users["desk"], data=ProjectDataFactory(
            unit=city["yuelu"], contractor=registry["contractor"], code=registry["project"].code,
            start_date=date(2026, 5, 1), planned_end_date=date(2026, 4, 1), contract_value=Decimal("-1"),
            guarantee_deposit=Decimal("-5"), general_contractor_id=None,
            special_account_number="6222 AB"))
    errs = errors_of(exc)
    assert set(errs) >= {"code", "planned_end_date", "contract_value", "guarantee_deposit", "general_contractor",
                         "special_account_number"}
    assert all(bilingual(m) for msgs in errs.values() for m in msgs)


def test_general_contractor_cannot_also_subcontract(registry, city, users):
    with pytest.raises(ValidationError) as exc:
        services.create_project(actor=users["desk"], data=ProjectDataFactory(
            unit=city["yuelu"], contractor=registry["contractor"], code="X1", subcontractor_ids=(registry["contractor"].pk,)))
    assert "subcontractors" in errors_of(exc)


def test_update_project_changes_subcontractors(registry, users):
    p = registry["project"]
    data = services.ProjectData.of(p)
    services.update_project(actor=users["desk"], project_id=p.pk,
                            data=services.ProjectData(**{**data.__dict__, "subcontractor_ids": ()}))
    assert p.subcontractors.count() == 0
    assert any("分包单位" in f for f in AuditEvent.objects.filter(
        object_id=str(p.pk), action=AuditEvent.Action.UPDATE).get().fields)


def test_outsider_cannot_touch_a_project(registry, users):
    with pytest.raises(Http404):
        services.create_work_team(actor=users["outsider"], project_id=registry["project"].pk, name="木工班组",
                                  employer_id=registry["sub"].pk)


def test_team_employer_must_be_a_party(registry, users):
    with pytest.raises(ValidationError) as exc:
        services.create_work_team(actor=users["desk"], project_id=registry["project"].pk, name="木工班组",
                                  employer_id=registry["furong"].pk)
    assert "employer" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.create_work_team(actor=users["desk"], project_id=registry["project"].pk, name="钢筋班组",
                                  employer_id=registry["sub"].pk)
    assert "name" in errors_of(exc)


# --- roster ---------------------------------------------------------------------------------


def registration(**overrides: Any) -> services.WorkerRegistration:
    values: dict[str, Any] = {"name": "张三", "id_number": VALID_ID, "phone": "13800138000",
                              "entry_date": date(2026, 7, 1)}
    values.update(overrides)
    return services.WorkerRegistration(**values)


def test_register_worker_encrypts_and_reuses_the_person(registry, users):
    entry = services.register_worker(actor=users["desk"], project_id=registry["project"].pk,
                                     data=registration(team_id=registry["team"].pk, trade="钢筋工"))
    w = entry.worker
    assert w.id_hash == lookup_hash(VALID_ID) and w.id_last4 == VALID_ID[-4:]
    assert Worker.objects.filter(pk=w.pk).values_list("id_number", flat=True)  # readable through the field
    from django.db import connection
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone FROM employers_worker WHERE id = %s", [w.pk])
        raw_id, raw_phone = cur.fetchone()
    assert VALID_ID not in raw_id and "13800138000" not in raw_phone
    # The same person on a second project of the district keeps one Worker row; the newest phone is kept.
    other = services.create_project(actor=users["admin"], data=ProjectDataFactory(
        unit=registry["project"].org_unit, contractor=registry["contractor"], code="430104202600002"))
    second = services.register_worker(actor=users["admin"], project_id=other.pk,
                                      data=registration(phone="13900139000", id_number=VALID_ID.lower()))
    assert second.worker_id == w.pk and Worker.objects.count() == 1
    w.refresh_from_db()
    assert w.phone == "13900139000" and w.phone_last4 == "9000"
    assert AuditEvent.objects.filter(object_type="employers.rosterentry").count() == 2


def test_register_worker_checks(registry, users):
    pid = registry["project"].pk
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=users["desk"], project_id=pid, data=registration(
            id_number=VALID_ID[:-1] + "4", phone="", entry_date=None, team_id=registry["team"].pk + 999, name=""))
    errs = errors_of(exc)
    assert set(errs) == {"id_number", "phone", "entry_date", "team", "name"}
    assert "身份证号码校验位不正确，请核对" in errs["id_number"][0]


def test_register_worker_twice_or_under_another_name(registry, users):
    pid = registry["project"].pk
    services.register_worker(actor=users["desk"], project_id=pid, data=registration())
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=users["desk"], project_id=pid, data=registration())
    assert "该工人已在本项目实名制名册中" in errors_of(exc)["id_number"][0]
    other = services.create_project(actor=users["admin"], data=ProjectDataFactory(
        unit=registry["project"].org_unit, contractor=registry["contractor"], code="430104202600002"))
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=users["desk"], project_id=other.pk, data=registration(name="李四"))
    assert "name" in errors_of(exc)


def test_record_exit(registry, users):
    entry = services.register_worker(actor=users["desk"], project_id=registry["project"].pk, data=registration())
    with pytest.raises(ValidationError):
        services.record_exit(actor=users["desk"], entry_id=entry.pk, exit_date=date(2026, 6, 30))
    with pytest.raises(Http404):
        services.record_exit(actor=users["outsider"], entry_id=entry.pk, exit_date=date(2026, 9, 1))
    services.record_exit(actor=users["desk"], entry_id=entry.pk, exit_date=date(2026, 9, 1))
    assert RosterEntry.objects.get(pk=entry.pk).exit_date == date(2026, 9, 1)
    with pytest.raises(services.AlreadyExited):
        services.record_exit(actor=users["desk"], entry_id=entry.pk, exit_date=date(2026, 9, 2))


# --- monitoring points ----------------------------------------------------------------------


@pytest.fixture
def point(registry, users):
    food = services.create_employer(actor=users["admin"], data=EmployerDataFactory(
        unit=registry["contractor"].org_unit, credit_code=credit_code(), name="湖南裕通食品有限公司", industry="food"))
    return services.create_monitoring_point(actor=users["desk"], employer_id=food.pk, since=date(2025, 1, 1),
                                            contact_name="王芳", contact_phone="13700137000")


def report(**overrides: Any) -> services.ReportData:
    values: dict[str, Any] = {"month": 202609, "headcount": 100, "hires": 5, "departures": 3,
                              "wages_paid": Decimal("500000"), "arrears": Decimal(0)}
    values.update(overrides)
    return services.ReportData(**values)


def test_monitoring_point_rules(point, registry, users):
    with pytest.raises(ValidationError) as exc:
        services.create_monitoring_point(actor=users["desk"], employer_id=point.employer_id, since=date(2025, 1, 1))
    assert "该单位已是监测点" in errors_of(exc)["employer"][0]
    with pytest.raises(ValidationError) as exc:
        services.create_monitoring_point(actor=users["desk"], employer_id=registry["furong"].pk, since=date(2025, 1, 1))
    assert "辖区" in errors_of(exc)["employer"][0]


def test_monthly_report_rules(point, users):
    with clock.at(clock.now().replace(year=2026, month=11, day=20)):
        with pytest.raises(ValidationError) as exc:
            services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report(month=202613))
        assert "YYYYMM" in errors_of(exc)["month"][0]
        with pytest.raises(ValidationError) as exc:
            services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report(month=202612))
        assert "不能填报未来月份" in errors_of(exc)["month"][0]
        with pytest.raises(ValidationError) as exc:
            services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report(
                headcount=-1, wages_paid=Decimal("-1")))
        assert set(errors_of(exc)) == {"headcount", "wages_paid"}
        with pytest.raises(ValidationError) as exc:
            services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report(
                headcount=10, hires=2, departures=13, arrears=Decimal("600000")))
        assert set(errors_of(exc)) == {"departures", "arrears"}
        with pytest.raises(ValidationError) as exc:
            services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report(
                headcount=10, hires=30, departures=0))
        assert set(errors_of(exc)) == {"hires"}

        services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report(month=202608, headcount=20))
        # Last month's 20 people plus 5 hires cannot lose 30.
        with pytest.raises(ValidationError) as exc:
            services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report(
                headcount=10, departures=30, hires=5))
        assert "（20）" in errors_of(exc)["departures"][0]

        services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report())
        # Filing the month again corrects it.
        services.record_monitoring_report(actor=users["desk"], point_id=point.pk, data=report(headcount=101, hires=6))
    assert MonitoringReport.objects.filter(point=point, month=202609).get().headcount == 101
    assert AuditEvent.objects.filter(object_type="employers.monitoringreport", action=AuditEvent.Action.UPDATE).exists()


def test_point_outside_scope_is_404(point, users):
    with pytest.raises(Http404):
        services.record_monitoring_report(actor=users["outsider"], point_id=point.pk, data=report(month=202601))


def test_employer_model_is_unchanged_by_failed_writes(city, users):
    with pytest.raises(ValidationError):
        services.create_employer(actor=users["desk"], data=EmployerDataFactory(unit=city["yuelu"], credit_code="bad"))
    assert not Employer.objects.exists() and not AuditEvent.objects.exists()


def test_id_numbers_generated_for_tests_are_valid():
    from hexie.core.validators import is_valid_id_number

    assert is_valid_id_number(id_number())
