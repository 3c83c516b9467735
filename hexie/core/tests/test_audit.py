"""The one audit log: written by services and by the admin in the writer's transaction, read by
leaders of the jurisdiction, with no personal data in it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from hexie.core import audit
from hexie.core.models import AuditEvent
from hexie.core.selectors import audit_log
from hexie.orgs.models import OrgUnit, PartnerAgency

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_an_entry_needs_the_writers_transaction(users, city):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(actor=users["leader"], action=audit.Action.UPDATE, obj=city["yuelu"])
    with transaction.atomic():
        entry = audit.record(actor=users["leader"], action=audit.Action.UPDATE, obj=city["yuelu"],
                             fields=["name"], message="改名")
    assert entry.object_type == "orgs.orgunit" and entry.object_id == str(city["yuelu"].pk)
    assert entry.org_unit == city["yuelu"] and entry.fields == ["名称"]


def test_a_rolled_back_change_leaves_no_entry(users, city):
    with pytest.raises(ValueError), transaction.atomic():
        audit.record(actor=users["leader"], action=audit.Action.UPDATE, obj=city["yuelu"])
        raise ValueError("the change failed")
    assert not AuditEvent.objects.exists()


def test_a_city_wide_row_is_filed_under_the_actors_unit(users, agency):
    with transaction.atomic():
        entry = audit.record(actor=users["admin"], action=audit.Action.UPDATE, obj=agency)
    assert entry.org_unit == users["admin"].org_unit


def test_admin_edits_land_in_the_audit_log(admin_client, city):
    response = admin_client.post(reverse("admin:orgs_partneragency_add"), {
        "name": "岳麓区住建局", "kind": "housing", "org_unit": city["yuelu"].pk})
    assert response.status_code == 302
    agency = PartnerAgency.objects.get(name="岳麓区住建局")
    entry = AuditEvent.objects.get(object_type="orgs.partneragency", object_id=str(agency.pk))
    assert entry.action == AuditEvent.Action.CREATE and entry.actor is not None
    admin_client.post(reverse("admin:orgs_orgunit_change", args=[city["yuelu"].pk]), {
        "code": "430104", "name": "岳麓区（新）", "level": "district", "parent": city["city"].pk})
    changed = AuditEvent.objects.get(object_type="orgs.orgunit", action=AuditEvent.Action.UPDATE)
    assert OrgUnit.objects.get(pk=city["yuelu"].pk).name == "岳麓区（新）"
    assert any("名称" in f for f in changed.fields)


def test_leaders_read_the_log_of_their_jurisdiction(client, users, city):
    with transaction.atomic():
        audit.record(actor=users["leader"], action=audit.Action.UPDATE, obj=city["yuelu_street"], message="岳麓的修改")
        audit.record(actor=users["outside_leader"], action=audit.Action.UPDATE, obj=city["furong_street"],
                     message="芙蓉的修改")
    url = reverse("core:audit_log")
    client.force_login(users["leader"])
    page = client.get(url).content.decode()
    assert "岳麓的修改" in page and "芙蓉的修改" not in page
    assert "操作日志" in client.get(reverse("cases:queue")).content.decode()
    filtered = client.get(url, {"action": "create"}).content.decode()
    assert "岳麓的修改" not in filtered
    assert "操作类型无效" in client.get(url, {"action": "purple"}).content.decode()
    client.force_login(users["city_leader"])
    page = client.get(url).content.decode()
    assert "岳麓的修改" in page and "芙蓉的修改" in page
    for who in ("desk", "handler", "partner"):
        client.force_login(users[who])
        assert client.get(url).status_code == 404
        assert "操作日志" not in client.get(reverse("cases:queue")).content.decode()


def test_the_schedules_work_is_filed_under_the_bureau(users, city, settings):
    """A run with no actor and no unit of its own (the nightly job) is read by the city's leaders."""
    settings.HEXIE_BUREAU_CODE = "430100"
    with transaction.atomic():
        entry = audit.record(actor=None, action=audit.Action.RUN, object_type="monitoring.monitorrun",
                             object_repr="2026年10月")
    assert entry.org_unit == city["city"]
    assert list(audit_log(users["city_leader"])) == [entry] and not audit_log(users["leader"]).exists()
