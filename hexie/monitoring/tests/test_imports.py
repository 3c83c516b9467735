"""Feed imports: formats, row checks, all-or-nothing, no double import, the pages and the API."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from hexie.core.errors import NotPermitted
from hexie.core.pii import decrypt
from hexie.employers.models import RosterEntry
from hexie.monitoring import lake, services
from hexie.monitoring.feeds.messages import localise
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.services import imports
from hexie.monitoring.tests.feed_files import (
    ATT_HEADER,
    ENTRY,
    FR,
    IDS,
    OFF_ROSTER,
    YL,
    attendance_rows,
    csv_bytes,
    lake_rows,
    make_id,
    run,
)

# --- formats --------------------------------------------------------------------------------


def test_utf8_csv_with_bom_is_imported(reg, users):
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, attendance_rows(14)))
    assert batch.state == ImportBatch.State.DONE, batch.errors
    assert batch.rows_imported == 14 and batch.rows_done == 14 and batch.months == [202403]
    rows = lake_rows("attendance")
    assert len(rows) == 14
    assert {r["minutes"] for r in rows} == {510}
    assert {r["project_id"] for r in rows} == {reg["yl"].pk}
    assert {r["batch_id"] for r in rows} == {batch.pk}
    assert rows[0]["work_date"] == dt.date(2024, 3, 1) and rows[0]["month"] == 202403
    assert Path(batch.lake_path) == lake.batch_path("attendance", batch.pk)


def test_gbk_csv_with_chinese_headers_and_in_out_times(reg, users):
    header = ["项目编码", "身份证号", "考勤日期", "进场时间", "离场时间", "姓名"]
    rows = [[YL, IDS[0], "2024/3/1", "07:30", "17:45", "工人0"], [YL, IDS[1], "2024-03-01", "8:00", "12:00", "工人1"]]
    batch = run(users["handler"], "attendance", "考勤.csv", csv_bytes(header, rows, "gbk"))
    assert batch.state == ImportBatch.State.DONE, batch.errors
    assert sorted(r["minutes"] for r in lake_rows("attendance")) == [240, 615]


def test_csv_neither_utf8_nor_gbk_is_rejected_clearly(reg, users):
    data = "projectCode,idCardNumber,date,workHours\n".encode("utf-16")
    batch = run(users["handler"], "attendance", "att.csv", data)
    assert batch.state == ImportBatch.State.REJECTED
    assert "UTF-8" in batch.message and "GBK" in batch.message
    assert lake.feed_files("attendance") == []


def test_xlsx_payroll_is_imported_exactly_in_fen(reg, users):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目编码", "身份证号", "工资月份", "出勤天数", "工时", "应发金额（元）", "实发金额（元）",
               "发放日期", "银行卡号", "是否补发"])
    ws.append([YL, IDS[0], "2024-03", 22, 176, 6543.21, 6000.1, dt.date(2024, 4, 10), "6222 0212 3456 7890", "否"])
    ws.append([YL, IDS[1], 202403, 20, 160.5, 5000, None, None, None, None])
    ws.append([YL, IDS[2], "2024-02", 3, 24, "0.07", "0.07", "2024-04-10", "6222021234567891", "是"])
    buf = io.BytesIO()
    wb.save(buf)
    batch = run(users["handler"], "payroll", "工资.xlsx", buf.getvalue())
    assert batch.state == ImportBatch.State.DONE, batch.errors
    assert batch.months == [202402, 202403]
    rows = {r["worker_id"]: r for r in lake_rows("payroll")}
    first, second, third = (rows[w.pk] for w in reg["workers"][:3])
    assert (first["gross_fen"], first["net_fen"], first["days"], first["minutes"]) == (654321, 600010, 22, 10560)
    assert first["paid_on"] == dt.date(2024, 4, 10) and first["is_back_pay"] is False
    assert first["bank_card_last4"] == "7890" and decrypt(first["bank_card_token"]) == "6222021234567890"
    assert "6222021234567890" not in first["bank_card_token"]
    assert (second["gross_fen"], second["net_fen"], second["paid_on"], second["minutes"]) == (500000, None, None, 9630)
    assert second["bank_card_token"] is None
    assert (third["gross_fen"], third["is_back_pay"], third["month"]) == (7, True, 202402)


def test_parquet_deposits_are_imported(reg, users):
    table = pa.table({
        "projectCode": [YL, YL],
        "payMonth": ["2024-02", "2024-03"],
        "amount": pa.array([123456.78, 100000.0]),
        "depositDate": pa.array([dt.date(2024, 2, 5), dt.date(2024, 3, 5)], pa.date32()),
    })
    buf = io.BytesIO()
    pq.write_table(table, buf)
    batch = run(users["handler"], "deposit", "deposits.parquet", buf.getvalue())
    assert batch.state == ImportBatch.State.DONE, batch.errors
    rows = sorted(lake_rows("deposit"), key=lambda r: r["month"])
    assert [(r["month"], r["amount_fen"], r["deposited_on"]) for r in rows] == [
        (202402, 12345678, dt.date(2024, 2, 5)), (202403, 10000000, dt.date(2024, 3, 5))]


def test_parquet_attendance_with_typed_columns(reg, users):
    table = pa.table({
        "project_code": [YL, YL],
        "id_card_number": [IDS[0], IDS[1]],
        "attendance_date": pa.array([dt.date(2024, 3, 1), dt.date(2024, 3, 1)], pa.date32()),
        "work_hours": pa.array([8.0, 7.25]),
    })
    buf = io.BytesIO()
    pq.write_table(table, buf)
    batch = run(users["handler"], "attendance", "att.parquet", buf.getvalue())
    assert batch.state == ImportBatch.State.DONE, batch.errors
    assert sorted(r["minutes"] for r in lake_rows("attendance")) == [435, 480]


# --- row checks and all-or-nothing -----------------------------------------------------------


def test_three_bad_rows_reject_the_whole_file_naming_rows_and_fields(reg, users):
    rows = attendance_rows(8)
    rows[1][1] = IDS[0][:-1] + ("0" if IDS[0][-1] != "0" else "1")  # row 3: wrong check digit
    rows[3][2] = "2024-02-30"  # row 5: no such date
    rows[5][3] = "25"  # row 7: more than 24 hours
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, rows))
    assert batch.state == ImportBatch.State.REJECTED
    assert batch.error_count == 3
    assert [(e["row"], e["field"]) for e in batch.errors] == [(3, "idCardNumber"), (5, "date"), (7, "workHours")]
    assert not any(" / " in e["message"] for e in batch.errors)  # one language, not Chinese / English
    assert batch.rows_imported == 0 and lake.feed_files("attendance") == []
    assert batch.error_report


def test_every_row_is_checked_not_only_the_first(reg, users):
    rows = attendance_rows(7)
    for r in rows:
        r[3] = "x"
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, rows))
    assert batch.error_count == 7 and [e["row"] for e in batch.errors] == [2, 3, 4, 5, 6, 7, 8]


def test_row_errors_of_each_kind(reg, users):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    rows = [
        [FR, IDS[0], "2024-03-01", "8"],  # 2: project outside the uploader's district
        ["NO-SUCH", IDS[0], "2024-03-01", "8"],  # 3: unknown project
        [YL, OFF_ROSTER, "2024-03-01", "8"],  # 4: registered, but not on this project's roster
        [YL, make_id(150), "2024-03-01", "8"],  # 5: valid ID, not registered at all
        [YL, IDS[1], "2023-12-31", "8"],  # 6: before the worker's entry date
        [YL, IDS[2], future, "8"],  # 7: in the future
        [YL, IDS[3], "2024-03-01", ""],  # 8: no hours
        [YL, IDS[4], "2024-03-01", "8"],  # 9: fine
        [YL, IDS[4], "2024-03-01", "4"],  # 10: same worker, project and date as row 9
        ["", "", "", "8"],  # 11: required values missing
    ]
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, rows))
    got = {(e["row"], e["field"]): e["message"] for e in batch.errors}
    assert "不在您的辖区" in got[(2, "projectCode")]
    assert "不存在" in got[(3, "projectCode")]
    assert "未在该项目实名登记" in got[(4, "idCardNumber")]
    assert got[(5, "idCardNumber")] == "未在该项目实名登记"  # kept in Chinese, one language only
    assert "进场日期" in got[(6, "date")] and "2024-01-01" in got[(6, "date")]
    assert "晚于今天" in got[(7, "date")]
    assert (8, "workHours") in got
    assert not any(r == 9 for r, _f in got)
    assert got[(10, "date")] == "与第9行重复（同一人同一项目同一天）"
    # shown in the reader's language, the values carried over
    with translation.override("en"):
        assert localise(got[(5, "idCardNumber")]) == "Not on the project's real-name roster"
        assert localise(got[(6, "date")]) == "The date is before the worker's entry date (2024-01-01)"
        assert localise(got[(10, "date")]) == "Duplicate of row 9 (same worker, project and date)"
    assert localise(got[(10, "date")]) == got[(10, "date")]
    assert {(11, "projectCode"), (11, "idCardNumber"), (11, "date")} <= set(got)


def test_payroll_checks(reg, users):
    header = ["projectCode", "idCardNumber", "payMonth", "totalPayAmount", "actualAmount", "balanceDate",
              "bankCardNumber", "isBackPay"]
    rows = [
        [YL, IDS[0], "2024-13", "100", "100", "", "", ""],  # 2: month 13
        [YL, IDS[1], "2024-03", "100.123", "100", "", "", ""],  # 3: three decimals
        [YL, IDS[2], "2024-03", "100", "200", "", "", ""],  # 4: net more than gross
        [YL, IDS[3], "2024-03", "-5", "", "", "", ""],  # 5: negative
        [YL, IDS[4], "2024-03", "100", "", "2024-04-10", "", ""],  # 6: paid without an amount
        [YL, IDS[5], "2024-03", "100", "90", "", "1234", "maybe"],  # 7: card too short, bad flag
        [YL, IDS[6], "2024-03", "100", "90", "", "", ""],  # 8: fine
        [YL, IDS[6], "202403", "50", "50", "", "", ""],  # 9: same worker and month as row 8
    ]
    batch = run(users["handler"], "payroll", "pay.csv", csv_bytes(header, rows))
    got = {(e["row"], e["field"]) for e in batch.errors}
    assert got == {(2, "payMonth"), (3, "totalPayAmount"), (4, "actualAmount"), (5, "totalPayAmount"),
                   (6, "actualAmount"), (7, "bankCardNumber"), (7, "isBackPay"), (9, "payMonth")}


def test_missing_column_is_named(reg, users):
    batch = run(users["handler"], "attendance", "att.csv",
                csv_bytes(["projectCode", "date", "workHours"], [[YL, "2024-03-01", "8"]]))
    assert batch.state == ImportBatch.State.REJECTED
    assert batch.errors[0]["row"] == 1
    assert batch.errors[0]["message"] == "缺少必填列 身份证号（idCardNumber）"
    with translation.override("en"):
        assert localise(batch.errors[0]["message"]) == "Missing column: idCardNumber"


@pytest.mark.parametrize(("name", "data", "fragment"), [
    ("att.xlsx", b"PK\x03\x04 not really a workbook", "Excel"),
    ("att.parquet", b"PAR1 garbage", "Parquet"),
    ("att.csv", b"projectCode,idCardNumber,date,workHours\r\n", "没有数据行"),
])
def test_unreadable_files_are_rejected_with_a_message(reg, users, name, data, fragment):
    batch = run(users["handler"], "attendance", name, data)
    assert batch.state == ImportBatch.State.REJECTED and fragment in batch.message


def test_wrong_extension_and_empty_file_are_refused(reg, users):
    with pytest.raises(imports.ImportRefused, match="不支持的文件类型"):
        run(users["handler"], "attendance", "att.txt", b"x")
    with pytest.raises(imports.ImportRefused, match="文件为空"):
        run(users["handler"], "attendance", "att.csv", b"")
    assert not ImportBatch.objects.exists()


def test_size_limit(reg, users, settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(imports.ImportRefused, match="上限"):
        run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, attendance_rows(2)))


# --- no double import -----------------------------------------------------------------------


def test_same_file_twice_changes_nothing(reg, users):
    data = csv_bytes(ATT_HEADER, attendance_rows(7))
    first = run(users["handler"], "attendance", "att.csv", data)
    before = {f: Path(f).stat().st_mtime_ns for f in lake.feed_files("attendance")}
    sub = imports.submit_file(feed="attendance", path_or_uploaded=io.BytesIO(data), original_name="again.csv",
                              actor=users["leader"], run_now=True)
    assert sub.batch.pk == first.pk and not sub.created
    assert sub.message == imports.ALREADY_IMPORTED
    assert ImportBatch.objects.count() == 1
    assert {f: Path(f).stat().st_mtime_ns for f in lake.feed_files("attendance")} == before


def test_overlap_with_an_earlier_import_names_it(reg, users):
    first = run(users["handler"], "attendance", "march-week1.csv", csv_bytes(ATT_HEADER, attendance_rows(7)))
    rows = attendance_rows(14)  # the first 7 rows again, and 7 new ones
    second = run(users["handler"], "attendance", "march.csv", csv_bytes(ATT_HEADER, rows))
    assert second.state == ImportBatch.State.REJECTED
    assert second.error_count == 7
    assert [e["row"] for e in second.errors] == list(range(2, 9))
    assert f"第{first.pk}号导入" in second.errors[0]["message"] and "march-week1.csv" in second.errors[0]["message"]
    with translation.override("en"):
        assert f"import #{first.pk} (" in localise(second.errors[0]["message"])
    assert len(lake_rows("attendance")) == 7


def test_rejected_file_may_be_tried_again_after_the_registry_is_fixed(reg, users):
    data = csv_bytes(ATT_HEADER, [[YL, OFF_ROSTER, "2024-03-01", "8"]])
    first = run(users["handler"], "attendance", "att.csv", data)
    assert first.state == ImportBatch.State.REJECTED
    RosterEntry.objects.create(worker=reg["workers"][-1], project=reg["yl"], entry_date=ENTRY)
    sub = imports.submit_file(feed="attendance", path_or_uploaded=io.BytesIO(data), original_name="att.csv",
                              actor=users["handler"], run_now=True)
    assert sub.batch.pk == first.pk and sub.message == imports.RETRYING
    assert sub.batch.state == ImportBatch.State.DONE and sub.batch.error_count == 0 and not sub.batch.error_report
    assert len(lake_rows("attendance")) == 1


def test_system_import_without_actor_is_scoped_to_the_given_unit(reg, city):
    data = csv_bytes(ATT_HEADER, attendance_rows(3, project=FR))
    batch = imports.import_file(feed="attendance", path_or_uploaded=io.BytesIO(data), original_name="fr.csv",
                                actor=None, org_unit=city["yuelu"], run_now=True)
    assert batch.state == ImportBatch.State.REJECTED
    batch2 = imports.import_file(feed="attendance", path_or_uploaded=io.BytesIO(data + b"\r\n"),
                                 original_name="fr.csv", actor=None, org_unit=city["city"], run_now=True)
    assert batch2.state == ImportBatch.State.DONE, batch2.errors


def test_import_from_a_path(reg, users, tmp_path):
    p = tmp_path / "att.csv"
    p.write_bytes(csv_bytes(ATT_HEADER, attendance_rows(7)))
    batch = imports.import_file(feed="attendance", path_or_uploaded=p, original_name=p.name,
                                actor=users["handler"], run_now=True)
    assert batch.state == ImportBatch.State.DONE


def test_partner_may_not_import(reg, users):
    with pytest.raises(NotPermitted):
        run(users["partner"], "attendance", "att.csv", csv_bytes(ATT_HEADER, attendance_rows(1)))


# --- pages ----------------------------------------------------------------------------------


def test_upload_page_queues_and_the_job_imports(reg, users, client, django_capture_on_commit_callbacks):
    client.force_login(users["handler"])
    assert client.get(reverse("monitoring:import_new")).status_code == 200
    upload = SimpleUploadedFile("att.csv", csv_bytes(ATT_HEADER, attendance_rows(7)), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("monitoring:import_new"), {"feed": "attendance", "file": upload})
    batch = ImportBatch.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("monitoring:import_detail", args=[batch.pk])
    assert batch.state == ImportBatch.State.DONE and batch.created_by == users["handler"]
    assert batch.org_unit == users["handler"].org_unit
    page = client.get(reverse("monitoring:imports"))
    assert page.status_code == 200 and "att.csv" in page.content.decode()


def test_upload_form_refuses_a_wrong_extension(reg, users, client):
    client.force_login(users["handler"])
    upload = SimpleUploadedFile("att.docx", b"hello")
    resp = client.post(reverse("monitoring:import_new"), {"feed": "attendance", "file": upload})
    assert resp.status_code == 200 and "不支持的文件类型" in resp.content.decode()
    assert not ImportBatch.objects.exists()


def test_second_upload_of_the_same_file_shows_the_earlier_batch(reg, users, client):
    data = csv_bytes(ATT_HEADER, attendance_rows(7))
    first = run(users["handler"], "attendance", "att.csv", data)
    client.force_login(users["handler"])
    resp = client.post(reverse("monitoring:import_new"),
                       {"feed": "attendance", "file": SimpleUploadedFile("copy.csv", data)}, follow=True)
    assert resp.redirect_chain[-1][0] == reverse("monitoring:import_detail", args=[first.pk])
    assert "该文件已导入，未作任何更改" in resp.content.decode()
    assert ImportBatch.objects.count() == 1


def test_progress_page_polls_until_finished(reg, users, client):
    # A queued batch (no worker has run it): the fragment keeps polling every second.
    sub = imports.submit_file(feed="attendance", path_or_uploaded=io.BytesIO(csv_bytes(ATT_HEADER, attendance_rows(3))),
                              original_name="att.csv", actor=users["handler"])
    client.force_login(users["handler"])
    detail = client.get(reverse("monitoring:import_detail", args=[sub.batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in detail and "progress-bar" in detail
    fragment = client.get(reverse("monitoring:import_progress", args=[sub.batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    services.run_import(batch_id=sub.batch.pk)
    fragment = client.get(reverse("monitoring:import_progress", args=[sub.batch.pk])).content.decode()
    assert "hx-trigger" not in fragment and "100%" in fragment


def test_rejected_batch_page_and_error_report(reg, users, client):
    rows = attendance_rows(3)
    rows[1][3] = "abc"
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, rows))
    client.force_login(users["handler"])
    page = client.get(reverse("monitoring:import_detail", args=[batch.pk])).content.decode()
    assert "workHours" in page and reverse("monitoring:import_errors", args=[batch.pk]) in page
    resp = client.get(reverse("monitoring:import_errors", args=[batch.pk]))
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    body = b"".join(resp.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0].replace('"', "") == "行号,字段,原因"
    assert text.splitlines()[1].startswith("3,")


def test_outsider_cannot_see_another_districts_import(reg, users, client):
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, [[YL, IDS[0], "2024-03-01", "x"]]))
    client.force_login(users["outsider"])
    for name in ("import_detail", "import_progress", "import_errors"):
        assert client.get(reverse(f"monitoring:{name}", args=[batch.pk])).status_code == 404
    assert "att.csv" not in client.get(reverse("monitoring:imports")).content.decode()
    client.force_login(users["city_leader"])
    assert client.get(reverse("monitoring:import_detail", args=[batch.pk])).status_code == 200
    api = APIClient()
    api.force_authenticate(users["outsider"])
    assert api.get(reverse("api-monitoring-import-detail", args=[batch.pk])).status_code == 404


# --- API ------------------------------------------------------------------------------------


def _api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_api_batch_accepted_then_replay_changes_nothing(reg, users, django_capture_on_commit_callbacks):
    records = [{"projectCode": YL, "idCardNumber": IDS[i], "date": "2024-03-04", "workHours": 8} for i in range(5)]
    api = _api(users["handler"])
    url = reverse("api-monitoring-feed-records", args=["attendance"])
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.post(url, {"records": records}, format="json")
    assert resp.status_code == 202, resp.json()
    body = resp.json()
    assert body["state"] == "queued" and body["url"].endswith(reverse("api-monitoring-import-detail",
                                                                      args=[body["id"]]))
    state = api.get(body["url"]).json()
    assert state["state"] == "done" and state["rows_imported"] == 5 and state["months"] == [202403]
    assert len(lake_rows("attendance")) == 5
    # The same records again (keys in another order): same content, nothing changes.
    again = [{k: r[k] for k in reversed(list(r))} for r in records]
    with django_capture_on_commit_callbacks(execute=True):
        resp2 = api.post(url, {"records": again}, format="json")
    assert resp2.status_code == 200 and resp2.json()["id"] == body["id"]
    assert "未作任何更改" in resp2.json()["message"]
    assert ImportBatch.objects.count() == 1 and len(lake_rows("attendance")) == 5
    listing = api.get(reverse("api-monitoring-import-list")).json()
    assert [b["id"] for b in listing["results"]] == [body["id"]]


def test_api_bad_records_answer_422_with_row_and_field(reg, users):
    records = [
        {"projectCode": YL, "idCardNumber": IDS[0], "date": "2024-03-04", "workHours": 8},
        {"projectCode": YL, "idCardNumber": "123", "date": "2024-03-04", "workHours": 8},
        {"projectCode": YL, "idCardNumber": IDS[2], "date": "04/03/2024", "workHours": 8},
    ]
    resp = _api(users["handler"]).post(reverse("api-monitoring-feed-records", args=["attendance"]),
                                       {"records": records}, format="json")
    assert resp.status_code == 422
    body = resp.json()
    assert body["error_count"] == 2
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "idCardNumber"), (3, "date")]
    assert not ImportBatch.objects.exists() and lake.feed_files("attendance") == []


@pytest.mark.parametrize(("payload", "status"), [
    ({}, 400), ({"records": "x"}, 400), ({"records": []}, 400), ({"records": [1]}, 422),
])
def test_api_malformed_bodies(reg, users, payload, status):
    resp = _api(users["handler"]).post(reverse("api-monitoring-feed-records", args=["payroll"]), payload,
                                       format="json")
    assert resp.status_code == status, resp.json()


def test_api_unknown_feed_and_partner(reg, users):
    assert _api(users["handler"]).post("/api/v1/monitoring/feeds/salary/", {"records": [{}]},
                                       format="json").status_code == 404
    assert _api(users["partner"]).post(reverse("api-monitoring-feed-records", args=["deposit"]),
                                       {"records": [{"projectCode": YL}]}, format="json").status_code == 403
    assert APIClient().post(reverse("api-monitoring-feed-records", args=["deposit"]), {"records": [{}]},
                            format="json").status_code == 401


def test_api_payroll_with_numbers_in_json(reg, users, django_capture_on_commit_callbacks):
    records = [{"projectCode": YL, "idCardNumber": IDS[0], "payMonth": "2024-03", "days": 22, "workHours": 176,
                "totalPayAmount": 6543.21, "actualAmount": 6000.1, "balanceDate": "2024-04-10",
                "bankCardNumber": "6222021234567890", "isBackPay": False}]
    with django_capture_on_commit_callbacks(execute=True):
        resp = _api(users["handler"]).post(reverse("api-monitoring-feed-records", args=["payroll"]),
                                           json.loads(json.dumps({"records": records})), format="json")
    assert resp.status_code == 202, resp.json()
    row = lake_rows("payroll")[0]
    assert (row["gross_fen"], row["net_fen"], row["is_back_pay"]) == (654321, 600010, False)


def test_csv_row_with_wrong_cell_count_is_named_and_later_rows_keep_their_numbers(reg, users):
    rows = [",".join(r) for r in attendance_rows(4)]
    rows[1] = rows[1] + ",extra"  # row 3
    rows[3] = rows[3].replace("8.5", "99")  # row 5: too many hours
    data = ("\r\n".join([",".join(ATT_HEADER), *rows, "", ""]) + "\r\n").encode()
    batch = run(users["handler"], "attendance", "att.csv", data)
    assert [(e["row"], e["field"]) for e in batch.errors] == [(3, ""), (5, "workHours")]
    assert "5" in batch.errors[0]["message"] and "4" in batch.errors[0]["message"]


def test_parquet_with_a_nested_column_it_does_not_use(reg, users):
    table = pa.table({"projectCode": [YL], "idCardNumber": [IDS[0]], "date": ["2024-03-01"], "workHours": ["8"],
                      "tags": pa.array([["a", "b"]])})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    assert run(users["handler"], "attendance", "att.parquet", buf.getvalue()).state == ImportBatch.State.DONE

