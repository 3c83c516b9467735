"""The staff lists people work with: a column sorts the list (either way), numbered pages with a
choice of page size, a count, filters kept in every sort and page link, and an empty list that
says why (nothing yet, or nothing matching the filters)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from hexie.employers.tests.factories import EmployerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _names(html: str, url_name: str) -> list[str]:
    """The names linked from the rows, in order."""
    return re.findall(rf'href="/registry/{url_name}/\d+/">([^<]+)</a>', html)


@pytest.fixture
def employers(city: dict[str, Any]) -> list[Any]:
    # 23 employers: more than the smallest page (20), so there are two pages of 20.
    return [EmployerFactory(name=f"长沙{n:02d}号劳务公司", org_unit=city["yuelu_street"]) for n in range(23)]


def test_a_column_sorts_either_way(client: Any, users: dict[str, Any], employers: list[Any]) -> None:
    client.force_login(users["leader"])
    url = reverse("employers:list")
    up = client.get(url, {"sort": "name", "size": 100}).content.decode()
    down = client.get(url, {"sort": "-name", "size": 100}).content.decode()
    names = sorted(e.name for e in employers)
    assert [n for n in _names(up, "employers") if n in names] == names
    assert [n for n in _names(down, "employers") if n in names] == names[::-1]
    assert 'aria-sort="ascending"' in up and 'aria-sort="descending"' in down


def test_pages_keep_the_filters_and_the_sort(client: Any, users: dict[str, Any], employers: list[Any]) -> None:
    client.force_login(users["leader"])
    response = client.get(reverse("employers:list"), {"q": "劳务", "sort": "name", "size": 20})
    html = response.content.decode()
    assert response.status_code == 200
    assert "共 23 条" in html  # the count of the filtered list
    assert len(_names(html, "employers")) == 20  # a page of the chosen size
    # the link to page 2 keeps the search and the sort; page 2 holds the last three
    link = re.search(r'href="\?([^"]*page=2[^"]*)"', html)
    assert link and "q=%E5%8A%B3%E5%8A%A1" in link.group(1) and "sort=name" in link.group(1)
    second = client.get(reverse("employers:list") + "?" + link.group(1).replace("&amp;", "&")).content.decode()
    assert _names(second, "employers") == sorted(e.name for e in employers)[20:]
    # a column header keeps the search too, and goes back to the first page
    header = re.search(r'href="\?([^"]*sort=code[^"]*)"', html)
    assert header and "q=%E5%8A%B3%E5%8A%A1" in header.group(1) and "page=" not in header.group(1)


def test_an_unknown_sort_or_page_size_is_named_not_guessed(client: Any, users: dict[str, Any],
                                                         employers: list[Any]) -> None:
    client.force_login(users["leader"])
    bad_sort = client.get(reverse("employers:list"), {"sort": "password"})
    bad_size = client.get(reverse("employers:projects"), {"size": "21"})
    assert bad_sort.status_code == 400 and "排序“password”无效" in bad_sort.content.decode()
    assert bad_size.status_code == 400 and "每页条数“21”无效" in bad_size.content.decode()
    # the largest offered size is accepted; one past it is not
    assert client.get(reverse("employers:list"), {"size": "100"}).status_code == 200
    assert client.get(reverse("employers:list"), {"size": "101"}).status_code == 400


def test_an_empty_list_says_why(client: Any, users: dict[str, Any], employers: list[Any]) -> None:
    client.force_login(users["leader"])
    filtered = client.get(reverse("employers:list"), {"q": "没有这家公司"}).content.decode()
    assert "没有符合筛选条件的用人单位" in filtered and "清除筛选" in filtered
    nothing = client.get(reverse("employers:points")).content.decode()  # no monitoring point set up
    assert "辖区内尚未设立监测点" in nothing and "清除筛选" not in nothing


@pytest.mark.parametrize(("url_name", "sort"), [
    ("employers:list", "area"), ("employers:projects", "workers"), ("employers:points", "since"),
    ("monitoring:imports", "errors"), ("monitoring:runs", "month"), ("monitoring:grades", "contractor"),
    ("credit:grades", "sanctions"), ("credit:listings", "expires"), ("credit:publications", "unit"),
    ("insights:bulletins", "unit"), ("core:audit_log", "action"),
])
def test_every_list_sorts_pages_and_counts(client: Any, users: dict[str, Any], city: dict[str, Any],
                                           url_name: str, sort: str) -> None:
    ProjectFactory(org_unit=city["yuelu_street"])
    client.force_login(users["city_leader"])
    for direction in (sort, f"-{sort}"):
        response = client.get(reverse(url_name), {"sort": direction, "size": 20})
        html = response.content.decode()
        assert response.status_code == 200, (url_name, direction)
        assert "aria-sort=" in html and 'name="size"' in html and "共 " in html
    assert client.get(reverse(url_name), {"sort": "nope"}).status_code == 400
