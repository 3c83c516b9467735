"""Staff pages as a user meets them: scope, masking, registration errors, actions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hexie.cases.models import Case
from hexie.core.tests.factories import VALID_CREDIT_CODE, VALID_ID

pytestmark = pytest.mark.django_db

# Who sees a case registered in a Yuelu street (before any referral).
SEES_YUELU_CASE = {
    "city_leader": True, "desk": True, "handler": True, "handler2": True, "leader": True, "admin": True,
    "outsider": False, "outside_leader": False, "partner": False,
}


@pytest.mark.parametrize(("who", "sees"), sorted(SEES_YUELU_CASE.items()))
def test_role_by_jurisdiction_matrix_on_pages(who, sees, client, users, make_case):
    case = make_case()
    client.force_login(users[who])
    detail = client.get(f"/cases/{case.pk}/")
    missing = client.get("/cases/99999999/")
    assert detail.status_code == (200 if sees else 404)
    assert missing.status_code == 404
    if not sees:
        assert detail.content == missing.content  # outside scope looks exactly like "does not exist"
    assert (case.number in client.get("/cases/").content.decode()) is sees


def test_partner_sees_only_what_was_referred_to_it(client, users, make_case, agency, other_agency):
    from hexie.cases import services

    referred = make_case("assigned")
    services.transition(case_id=referred.pk, actor=users["handler"], name="start_handling", track="referral",
                        agency=agency.pk)
    elsewhere = make_case("assigned", complainant_phone="13900000071", complainant_id_number="")
    services.transition(case_id=elsewhere.pk, actor=users["handler"], name="start_handling", track="referral",
                        agency=other_agency.pk)
    client.force_login(users["partner"])
    assert client.get(f"/cases/{referred.pk}/").status_code == 200
    assert client.get(f"/cases/{elsewhere.pk}/").status_code == 404
    queue = client.get("/cases/").content.decode()
    assert referred.number in queue and elsewhere.number not in queue


def test_anonymous_is_sent_to_log_in(client, make_case):
    case = make_case()
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_detail_masks_personal_data_and_shows_deadline_basis(client, users, make_case, calendar):
    case = make_case()
    client.force_login(users["desk"])
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "13800138000" not in html and "138****8000" in html
    assert VALID_ID not in html and "110***********1233" in html
    assert "第十八条" in html  # the article the acceptance clock comes from
    assert "受理" in html  # the action the desk may take now


def test_queue_filters_and_puts_what_is_due_first(client, users, make_case):
    red = make_case(description="要去拉横幅", complainant_phone="13900000081", complainant_id_number="")
    green = make_case(complainant_phone="13900000082", complainant_id_number="", employer_name="乙公司",
                      employer_credit_code="")
    client.force_login(users["leader"])
    html = client.get("/cases/?risk_level=red").content.decode()
    assert red.number in html and green.number not in html
    html = client.get("/cases/?district=430102").content.decode()  # Furong: none of ours
    assert red.number not in html


def _form(**overrides):
    data = {
        "case_type": "wage_arrears", "channel": "hotline_12345", "external_ref": "GD20261123001",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "complainant_name": "李四", "complainant_phone": "13912345678", "complainant_id_number": VALID_ID,
        "employer_name": "长沙某劳务公司", "employer_credit_code": VALID_CREDIT_CODE, "employer_address": "",
        "project_name": "梅溪湖安置房项目", "workers_count": "12", "amount_claimed": "56000.00",
        "description": "12名工人三个月工资未发",
    }
    data.update(overrides)
    return data


def test_front_desk_registers_a_12345_work_order(client, users, city):
    client.force_login(users["desk"])
    response = client.post("/cases/new/", _form(org_unit=city["yuelu_street"].pk))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.channel == "hotline_12345" and case.external_ref == "GD20261123001"
    assert case.is_collective and case.registered_by == users["desk"]


@pytest.mark.parametrize(("field", "value", "text"), [
    ("complainant_id_number", "110101199003071234", "身份证号码校验位"),
    ("employer_credit_code", "91430100MA4L16JQ9E", "统一社会信用代码校验位"),
    ("complainant_phone", "12345", "联系电话"),
    ("amount_claimed", "-5", "金额不能为负数"),
    ("amount_claimed", "1000000000", "金额"),
    ("amount_claimed", "12.345", "两位小数"),
    ("workers_count", "0", "涉及人数"),
    ("received_at", "2099-01-01T10:00", "不能晚于当前时间"),
    ("org_unit", "999999", "所选区域"),
])
def test_bad_input_gets_a_field_error_not_a_500(field, value, text, client, users, city):
    client.force_login(users["desk"])
    data = _form(org_unit=city["yuelu_street"].pk)
    data[field] = value
    response = client.post("/cases/new/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and text in " ".join(errors[field])
    assert not Case.objects.exists()


def test_desk_cannot_register_outside_its_district(client, users, city):
    client.force_login(users["desk"])
    response = client.post("/cases/new/", _form(org_unit=city["furong_street"].pk))
    assert response.status_code == 400 and "org_unit" in response.context["form"].errors


def test_wrong_type_or_oversized_evidence_is_refused(client, users, city, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(users["desk"])
    exe = SimpleUploadedFile("evidence.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post("/cases/new/", {**_form(org_unit=city["yuelu_street"].pk), "attachments": [exe]})
    assert response.status_code == 400 and "类型不允许" in response.content.decode()
    big = SimpleUploadedFile("pay.pdf", b"%PDF-1.4" + b"0" * 2048, content_type="application/pdf")
    response = client.post("/cases/new/", {**_form(org_unit=city["yuelu_street"].pk), "attachments": [big]})
    assert response.status_code == 400 and "超过" in response.content.decode()
    fake = SimpleUploadedFile("photo.png", b"not a png", content_type="image/png")
    response = client.post("/cases/new/", {**_form(org_unit=city["yuelu_street"].pk), "attachments": [fake]})
    assert response.status_code == 400 and "不符" in response.content.decode()
    assert not Case.objects.exists()


def test_evidence_is_stored_and_downloadable_only_in_scope(client, users, city):
    client.force_login(users["desk"])
    pdf = SimpleUploadedFile("工资条.pdf", b"%PDF-1.4 payslip", content_type="application/pdf")
    client.post("/cases/new/", {**_form(org_unit=city["yuelu_street"].pk), "attachments": [pdf]})
    case = Case.objects.get()
    att = case.attachments.get()
    assert att.original_name == "工资条.pdf" and att.size == len(b"%PDF-1.4 payslip")
    assert client.get(f"/cases/{case.pk}/attachments/{att.pk}/").status_code == 200
    client.force_login(users["outsider"])
    assert client.get(f"/cases/{case.pk}/attachments/{att.pk}/").status_code == 404


def test_actions_through_the_page(client, users, make_case):
    case = make_case()
    client.force_login(users["desk"])
    client.post(f"/cases/{case.pk}/act/accept/", {"version": case.version})
    assert Case.objects.get(pk=case.pk).status == "accepted"
    # A stale form (old version) is refused with a message, not applied twice.
    response = client.post(f"/cases/{case.pk}/act/refuse/", {"version": case.version, "reason": "x"}, follow=True)
    assert "不能" in response.content.decode() or "刷新" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "accepted"
    client.force_login(users["leader"])
    client.post(f"/cases/{case.pk}/act/assign/", {"handler": users["handler"].pk,
                                                   "responsible_leader": users["leader"].pk})
    case.refresh_from_db()
    assert case.status == "assigned" and case.handler == users["handler"]


def test_queue_says_which_filter_is_invalid_instead_of_listing_everything(client, users, make_case):
    case = make_case()
    client.force_login(users["desk"])
    html = client.get("/cases/?status=nonsense").content.decode()
    assert "筛选条件无效" in html and "状态" in html
    assert case.number not in html
    assert case.number in client.get("/cases/?status=registered").content.decode()


def test_queue_filters_collective_cases(client, users, make_case):
    group = make_case(workers_count=12, complainant_phone="13900000081", complainant_id_number="")
    single = make_case(complainant_phone="13900000082", complainant_id_number="")
    client.force_login(users["desk"])
    html = client.get("/cases/?collective=true").content.decode()
    assert group.number in html and single.number not in html


def test_queue_marks_overdue_and_due_soon(client, users, make_case, calendar):
    from datetime import timedelta

    late = make_case(complainant_phone="13900000091", complainant_id_number="")
    soon = make_case(complainant_phone="13900000092", complainant_id_number="")
    today = timezone.localdate()
    Case.objects.filter(pk=late.pk).update(next_due_on=today - timedelta(days=1))
    Case.objects.filter(pk=soon.pk).update(next_due_on=today)
    client.force_login(users["desk"])
    html = client.get("/cases/").content.decode()
    assert f"{today - timedelta(days=1):%Y-%m-%d} 超期" in html
    assert f"{today:%Y-%m-%d} 临期" in html


def test_queue_lines_escape_what_was_typed(client, users, make_case):
    case = make_case(employer_name='<b>"鑫达" & \'众诚\'</b>', complainant_phone="13900000093")
    client.force_login(users["desk"])
    html = client.get("/cases/").content.decode()
    line = html[html.index(f'href="/cases/{case.pk}/"'):]
    line = line[:line.index("</tr>")]
    assert "<td>&lt;b&gt;&quot;鑫达&quot; &amp; &#x27;众诚&#x27;&lt;/b&gt;</td>" in line
    assert "<b>" not in line


def test_pages_are_chinese_by_default_and_english_only_when_chosen(client, users):
    client.force_login(users["desk"])
    english_browser = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english_browser["Content-Language"] == "zh-hans"
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    assert switched.status_code == 302
    assert client.get("/cases/")["Content-Language"] == "en"
    assert client.get("/admin/", follow=True)["Content-Language"] == "en"


def test_the_accept_form_offers_the_tracks_that_fit_with_the_types_default_chosen(client, users, make_case):
    case = make_case(case_type="labour_dispute")
    client.force_login(users["desk"])
    html = client.get(f"/cases/{case.pk}/").content.decode()
    form = html[html.index(f"/cases/{case.pk}/act/accept/"):]
    form = form[:form.index("</form>")]
    assert '<option value="arbitration" selected>' in form
    assert 'value="mediation"' in form and 'value="petition"' not in form and 'value="consultation"' not in form


def test_accepting_on_the_page_starts_the_chosen_tracks_clock_or_names_track(client, users, make_case, calendar):
    case = make_case(case_type="labour_dispute")
    client.force_login(users["desk"])
    response = client.post(f"/cases/{case.pk}/act/accept/", {"version": case.version, "track": "consultation"},
                           follow=True)
    assert "track" in response.content.decode() and Case.objects.get(pk=case.pk).status == "registered"
    client.post(f"/cases/{case.pk}/act/accept/", {"version": case.version, "track": "mediation"})
    case.refresh_from_db()
    assert case.status == "accepted" and case.track == "mediation"
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "第十四条" in html  # the mediation clock, with its basis, runs from acceptance


def test_evidence_with_a_very_long_name_keeps_its_extension(client, users, city):
    client.force_login(users["desk"])
    name = "工资条" * 80 + ".pdf"  # 244 characters, over the 200 kept
    pdf = SimpleUploadedFile(name, b"%PDF-1.4 payslip", content_type="application/pdf")
    client.post("/cases/new/", {**_form(org_unit=city["yuelu_street"].pk), "attachments": [pdf]})
    att = Case.objects.get().attachments.get()
    assert len(att.original_name) == 200 and att.original_name.endswith(".pdf")
    download = client.get(f"/cases/{att.case_id}/attachments/{att.pk}/")
    assert ".pdf" in download["Content-Disposition"]
