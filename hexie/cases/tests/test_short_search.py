"""The queue's search with one or two characters finds exactly what "contains, ignoring case" finds
in the case number, the employer and the project, and the complainant only by the exact name, on
SQLite and PostgreSQL alike (PostgreSQL looks short terms up in an index of one- and two-character
pieces); a search matching many cases shows a capped count instead of counting them all."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from hexie.cases import views
from hexie.cases.filters import case_free, search_q, walk_q
from hexie.cases.models import Case


@pytest.fixture
def cases(make_case: Any) -> dict[str, Case]:
    return {
        "jiangong": make_case(employer_name="长沙建工集团有限公司", complainant_name="王五",
                              complainant_phone="13900000601"),
        # 建 and 工 both, but never side by side: "建工" must not find it.
        "apart": make_case(employer_name="湖南建设工程公司", complainant_name="王五一",
                           complainant_phone="13900000602"),
        # Latin letters and digits beside Chinese characters, in the project name.
        "mixed": make_case(employer_name="Acme劳务abc", project_name="X9号楼", complainant_name="李雷",
                           complainant_phone="13900000603"),
        # "乙丙" spans the end of the employer and the start of the project: not a match.
        "edges": make_case(employer_name="甲乙", project_name="丙丁", complainant_name="韩梅梅",
                           complainant_phone="13900000604"),
    }


def _expected(cases: dict[str, Case], term: str) -> set[str]:
    """What icontains means: the term inside one of the three columns, ignoring case, or the exact name."""
    t = term.upper()
    return {key for key, c in cases.items()
            if any(t in col.upper() for col in (c.number, c.employer_name, c.project_name))
            or c.complainant_name == term}


def _found(cases: dict[str, Case], term: str) -> set[str]:
    found = set(Case.objects.filter(search_q(term)).values_list("pk", flat=True))
    return {key for key, c in cases.items() if c.pk in found}


@pytest.mark.parametrize("term, expected", [
    ("建", {"jiangong", "apart"}),
    ("建工", {"jiangong"}),
    ("设工", {"apart"}),
    ("工建", set()),
    ("a", {"mixed"}),                 # one Latin letter, either case
    ("AB", {"mixed"}),
    ("E劳", {"mixed"}),               # Latin beside Chinese
    ("9号", {"mixed"}),
    ("x9", {"mixed"}),
    ("乙丙", set()),                  # across two columns: never
    ("乙", {"edges"}),
    ("王", set()),                    # a name is found only whole, as before
    ("王五", {"jiangong"}),
    ("李雷", {"mixed"}),
    ("雷", set()),
    ("%", set()),                     # LIKE's wildcards are searched for literally
    ("_", set()),
])
def test_short_terms_find_what_contains_finds(cases, term, expected):
    assert _found(cases, term) == expected
    if connection.vendor == "postgresql":
        # The same condition checked row by row, as the queue read in order checks it.
        walked = set(Case.objects.filter(walk_q(term)).values_list("pk", flat=True))
        assert {key for key, c in cases.items() if c.pk in walked} == expected


@pytest.mark.parametrize("term, free", [
    ("楼", True), ("58", True), ("-9", True), ("%_", True), ("（楼）", True), ("建 工", True),
    ("a", False), ("E劳", False), ("9号x", False), ("Ⅰ", False), ("ｂ", False), ("ß", False), ("", False),
])
def test_terms_without_cased_letters_are_matched_without_upper_casing(term, free):
    """Upper-casing a column cannot make or break a match of such a term, so it is skipped."""
    assert case_free(term) is free


def test_case_number_fragments_match_contains(cases):
    """One and two characters of a case number, each checked against icontains on every case."""
    number = cases["mixed"].number
    for term in {number[-1], number[-2:], number[:2], "-", "9", "0"}:
        assert _found(cases, term) == _expected(cases, term), term


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pieces index exists on PostgreSQL only")
def test_postgresql_reads_short_terms_from_the_pieces_index(cases):
    # Unordered, and with scans that ignore the index switched off: a handful of rows would otherwise
    # be read in date order through another index, whatever indexes exist.
    qs = Case.objects.filter(search_q("建工")).order_by()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "case_scope_grams" in plan  # the query's expression is the index's, so it can be used


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the queue's search index exists on PostgreSQL only")
def test_postgresql_reads_the_queue_in_order_from_the_index_alone(cases):
    """The condition checked on each row read in the queue's order uses only the columns that
    case_queue_search carries, and that index has the queue's order: no table row is read to check
    a case, and nothing is sorted."""
    from django.db.models import F

    order = (F("next_due_on").asc(nulls_last=True), F("received_at").desc(nulls_last=True),
             F("id").desc(nulls_last=True))
    qs = Case.objects.filter(walk_q("建"), org_unit_id__in=[c.org_unit_id for c in cases.values()])
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_bitmapscan = off")
        # A handful of rows would otherwise be sorted: what matters is that the index can serve.
        cur.execute("SET LOCAL enable_sort = off")
        cur.execute("SET LOCAL enable_incremental_sort = off")
        plan = qs.order_by(*order).values("pk")[:50].explain()
    assert "Index Only Scan using case_queue_search" in plan
    assert "Sort" not in plan


def test_a_search_matching_more_than_the_limit_shows_a_capped_count(client, users, cases, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 2)
    client.force_login(users["desk"])
    many = client.get("/cases/", {"q": "-"}).content.decode()  # in every case number: four cases
    assert "超过 2 条" in many and "共 4 条" not in many
    two = client.get("/cases/", {"q": "建"}).content.decode()
    assert "共 2 条" in two and "超过" not in two
    everything = client.get("/cases/").content.decode()  # no search: the full count, as before
    assert "共 4 条" in everything
