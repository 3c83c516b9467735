"""The dashboard pages and exports: scope, filters, links that open the right lists, Excel."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hexie.core import clock
from hexie.insights.tests.dataset import NOW

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


def get(client: Any, user: Any, url: str, **params: str) -> Any:
    client.force_login(user)
    with clock.at(NOW):
        return client.get(url, params)


def test_city_view_has_cards_charts_tables_and_definitions(dataset: Any, users: Any, client: Any) -> None:
    r = get(client, users["city_leader"], reverse("insights:dashboard"), **PERIOD)
    assert r.status_code == 200
    html = r.content.decode()
    assert "法定期限内结案率" in html and "口径" in html
    assert 'id="chart-by_month"' in html and 'id="table-by_area"' in html
    assert "vendor/echarts/echarts.min.js" in html and "insights/dashboard.js" in html
    data = r.context["data"]
    assert data["kpis"]["volume"]["value"] == 9
    # One case a year earlier: the card says the base is too small instead of "+800%".
    assert "上年同期仅1件，基数过小" in html and "800" not in html.split('data-kpi="volume_yoy"')[1][:600]
    # A district bar on the overview opens that district's dashboard for the same period.
    areas = {a["code"]: a for a in data["series"]["by_area"]}
    assert areas["430104"]["dashboard"].startswith(reverse("insights:district", args=["430104"]))
    assert "start=2026-03-01" in areas["430104"]["dashboard"]


def test_table_view_links_open_lists_of_the_same_length(dataset: Any, users: Any, client: Any) -> None:
    r = get(client, users["city_leader"], reverse("insights:dashboard"), **PERIOD)
    tables = r.context["tables"]
    checked = 0
    for key in ("by_channel", "by_area", "within_by_area"):
        for row in tables[key]["rows"]:
            for cell in row[1:]:
                if cell["link"]:
                    with clock.at(NOW):
                        page = client.get(cell["link"])
                    assert page.status_code == 200
                    assert page.context["page"].paginator.count == cell["text"], (key, cell)
                    checked += 1
    assert checked >= 10


def test_district_view_and_scope(dataset: Any, users: Any, client: Any) -> None:
    url = reverse("insights:district", args=["430104"])
    r = get(client, users["city_leader"], url, **PERIOD)
    assert r.status_code == 200 and r.context["data"]["kpis"]["volume"]["value"] == 8
    # A district leader sees their own district by default, and nothing of another.
    r = get(client, users["leader"], reverse("insights:dashboard"), **PERIOD)
    assert r.context["data"]["scope"]["code"] == "430104"
    assert [u.code for u in r.context["units"]] == ["430104"]
    assert get(client, users["leader"], reverse("insights:district", args=["430102"]), **PERIOD).status_code == 404
    assert get(client, users["leader"], reverse("insights:dashboard"), district="430102").status_code == 404
    assert get(client, users["partner"], reverse("insights:dashboard")).status_code == 404
    client.logout()
    assert client.get(reverse("insights:dashboard")).status_code == 302


def test_bad_period_is_explained_not_a_500(dataset: Any, users: Any, client: Any) -> None:
    r = get(client, users["city_leader"], reverse("insights:dashboard"), start="2026-03-31", end="2026-03-01")
    assert r.status_code == 400 and "结束日期早于开始日期" in r.content.decode()
    r = get(client, users["city_leader"], reverse("insights:dashboard"), start="31/03/2026")
    assert r.status_code == 400 and "开始日期格式" in r.content.decode()
    r = get(client, users["city_leader"], reverse("insights:export"), chart="nope")
    assert r.status_code == 404


def test_default_period_is_the_last_twelve_months(dataset: Any, users: Any, client: Any) -> None:
    r = get(client, users["city_leader"], reverse("insights:dashboard"))
    assert r.status_code == 200
    data = r.context["data"]
    assert (str(data["start"]), str(data["end"])) == ("2025-04-16", "2026-04-15")


@pytest.mark.parametrize("chart", ["by_area", "within_by_area", "arbitration", "kpis", "all"])
def test_excel_export_has_the_definition(dataset: Any, users: Any, client: Any, chart: str) -> None:
    r = get(client, users["city_leader"], reverse("insights:export"), chart=chart, **PERIOD)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(r.content))
    text = "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "2026-03-01" in text
    if chart in ("by_area", "all"):
        assert "统计期内收到的全部案件" in text and "岳麓区" in text
    if chart == "within_by_area":
        assert "法定期限内结案率" in text
    if chart == "arbitration":
        assert "上期结转" in text and "统计期开始前已受理" in text


def test_export_of_a_district_is_scoped(dataset: Any, users: Any, client: Any) -> None:
    r = get(client, users["leader"], reverse("insights:export"), chart="kpis", **PERIOD)
    wb = load_workbook(BytesIO(r.content))
    rows = list(wb.active.iter_rows(values_only=True))
    volume = next(row for row in rows if row[0] and str(row[0]).startswith("案件量"))
    assert volume[1] == 8
    assert get(client, users["leader"], reverse("insights:export"), district="430102").status_code == 404


def test_export_link_on_the_page_keeps_period_and_district(dataset: Any, users: Any, client: Any) -> None:
    r = get(client, users["city_leader"], reverse("insights:district", args=["430104"]), **PERIOD)
    q = dict(parse_qsl(urlsplit(r.context["export_base"] + "chart=by_type").query))
    assert q == {"start": "2026-03-01", "end": "2026-03-31", "district": "430104", "chart": "by_type"}


def test_queue_names_and_keeps_the_figure_filters(dataset: Any, users: Any, client: Any) -> None:
    r = get(client, users["city_leader"], reverse("cases:queue"), limit="late", received_from="2026-03-01")
    html = r.content.decode()
    assert r.status_code == 200 and r.context["page"].paginator.count == 3
    assert 'name="limit" value="late"' in html and "kpi-filter" in html
    assert 'type="hidden" name="open"' not in html
