"""A front desk may record a landline for a visitor without a mobile; no SMS goes to it."""

from __future__ import annotations

import pytest

from hexie.cases.models import Case, Notification
from hexie.cases.tests.test_pages import _form

pytestmark = pytest.mark.django_db


def test_the_register_form_says_a_landline_receives_no_sms(client, users):
    client.force_login(users["desk"])
    assert "固定电话可以登记，但收不到短信" in client.get("/cases/new/").content.decode()


@pytest.mark.parametrize(("phone", "sms"), [("0731-88886666", False), ("13912345678", True)])
def test_a_landline_is_registered_and_gets_no_sms(client, users, city, phone, sms):
    client.force_login(users["desk"])
    response = client.post("/cases/new/", _form(org_unit=city["yuelu_street"].pk, complainant_phone=phone))
    assert response.status_code == 302
    case = Case.objects.get()
    assert Notification.objects.filter(case=case, channel=Notification.Channel.SMS).exists() is sms
