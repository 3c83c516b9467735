"""Lists people can work with: a column sorted by a key named in the URL (``?sort=-due``), only
from the page's own whitelist, numbered pages with a choice of page size, and a total count.

A view names its sort keys and what each orders by, then asks for the page::

    SORTS = {"due": ("next_due_on", "id"), "received": ("received_at", "id")}
    table = Table.from_request(request, qs, sorts=SORTS, default="due")
    if table.errors: ...                                   # an unknown key: say so, list nothing

The page header renders ``{% sort_header table "due" _("届满") %}`` and the foot
``{% table_pager table %}``; both keep every other query parameter (the filters) in their links.
An unknown sort key or page size is refused with a message naming the parameter, never silently
replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest, QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

PAGE_SIZES = (20, 50, 100)
_NOT_FILTERS = frozenset({"sort", "size", "page"})
DEFAULT_PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """A paginator that counts at most `limit` rows: beyond that the list shows "more than
    `limit`" and offers the pages up to it, as large admin sites do. A one-character search can
    match hundreds of thousands of cases; counting them all on every view cost more than finding
    the page. The count reads no ordering: the first `limit` + 1 rows in any order are enough."""

    def __init__(self, object_list: Any, per_page: int, *, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list  # a QuerySet: the queue's
        return min(rows.order_by()[: self.limit + 1].count(), self.limit + 1)

    @property
    def capped(self) -> bool:
        """More rows match than were counted: the count shown is a lower bound."""
        return self.count > self.limit

    @cached_property
    def num_pages(self) -> int:
        return max(1, -(-min(self.count, self.limit) // self.per_page))


def planner_rows(qs: QuerySet[Any]) -> int | None:
    """How many rows PostgreSQL's planner expects the queryset to return (``EXPLAIN``: planned,
    not run, so it costs what planning costs); None on other databases. A queryset that can
    match nothing (a filter on an empty list) is 0 without asking."""
    conn = connections[qs.db]
    if conn.vendor != "postgresql":
        return None
    try:
        sql, params = qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return 0
    plan = explain(qs.db, sql, params)
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (TypeError, KeyError, IndexError, ValueError):
        return None


def explain(using: str, sql: str, params: Any) -> Any:
    """PostgreSQL's plan of a statement (``EXPLAIN (FORMAT JSON)``: planned, not run), parsed."""
    with connections[using].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        row = cursor.fetchone()
    plan = row[0] if row else None
    return json.loads(plan) if isinstance(plan, str | bytes) else plan


class EstimatedPaginator(Paginator):
    """A paginator that shows "about N" for a large list instead of counting it on every view, as
    large admin sites do: the planner's estimate (PostgreSQL's statistics, one ``EXPLAIN``) when it
    is at least `estimate_above` rows, the exact count below that, and on other databases. Counting
    a city's million cases on every view of its queue cost more than finding the page. The pages
    offered follow the estimate; an estimate too high leaves the last pages short or empty."""

    def __init__(self, object_list: Any, per_page: int, *, estimate_above: int) -> None:
        super().__init__(object_list, per_page)
        self.estimate_above = estimate_above
        self.estimated = False

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list  # a QuerySet: the queue's
        guess = planner_rows(rows)
        if guess is not None and guess >= self.estimate_above:
            self.estimated = True
            return round_estimate(guess)
        return int(rows.order_by().count())


def round_estimate(n: int) -> int:
    """An estimate to three significant figures: the digits after those are not known."""
    if n < 1000:
        return n
    step = 10 ** (len(str(n)) - 3)
    return round(n / step) * step


def _order(fields: Sequence[str], descending: bool) -> list[OrderBy]:
    """Order by the fields, empty values always last (a case with no running clock sorts after
    every dated one, whichever way the column is turned). A field written "-name" runs against
    the column's direction: the tie-break "newest first" under an ascending due date."""
    out = []
    for name in fields:
        desc = descending != name.startswith("-")
        expr = F(name.lstrip("-"))
        out.append(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True))
    return out


@dataclass
class Table:
    """The sorted, paged rows of one list, with what its header and pager need."""

    page: Page
    sort: str
    descending: bool
    size: int
    query: QueryDict
    default: str
    sizes: Sequence[int] = PAGE_SIZES
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, request: HttpRequest, qs: QuerySet[Any], *, sorts: Mapping[str, Sequence[str]],
                     default: str, sizes: Sequence[int] = PAGE_SIZES,
                     default_size: int = DEFAULT_PAGE_SIZE, count_limit: int | None = None,
                     estimate_above: int | None = None,
                     paginator: Callable[[QuerySet[Any], int], Paginator] | None = None) -> Table:
        """`count_limit`: count at most this many rows (see CappedPaginator); `estimate_above`:
        show the planner's estimate from this many rows on (see EstimatedPaginator); neither:
        count them all. `paginator`, given the sorted rows and the page size, makes the paginator
        itself (a list that finds its rows its own way); it takes precedence over both."""
        errors: list[str] = []
        raw = str(request.GET.get("sort") or "").strip()
        key, descending = default.lstrip("-"), default.startswith("-")
        if raw:
            wanted = raw.lstrip("-")
            if wanted in sorts:
                key, descending = wanted, raw.startswith("-")
            else:
                errors.append(_("排序“%(value)s”无效，可选：%(keys)s") % {"value": raw[:20], "keys": "、".join(sorts)})
        size = default_size
        raw_size = str(request.GET.get("size") or "").strip()
        if raw_size:
            if raw_size.isdigit() and int(raw_size) in sizes:
                size = int(raw_size)
            else:
                errors.append(_("每页条数“%(value)s”无效，可选：%(sizes)s")
                              % {"value": raw_size[:10], "sizes": "、".join(str(s) for s in sizes)})
        if errors:
            qs = qs.none()
        else:
            qs = qs.order_by(*_order(sorts[key], descending))
        pages: Paginator
        if paginator is not None:
            pages = paginator(qs, size)
        elif count_limit is not None:
            pages = CappedPaginator(qs, size, limit=count_limit)
        elif estimate_above is not None:
            pages = EstimatedPaginator(qs, size, estimate_above=estimate_above)
        else:
            pages = Paginator(qs, size)
        page = pages.get_page(request.GET.get("page"))
        return cls(page=page, sort=key, descending=descending, size=size, query=request.GET.copy(),
                   default=default, sizes=tuple(sizes), errors=errors)

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def filtered(self) -> bool:
        """Whether a filter narrows the list (anything in the URL but the sort, the page and its size):
        an empty list then says that the filters found nothing, not that there is nothing."""
        return any(v.strip() for k, values in self.query.lists() if k not in _NOT_FILTERS for v in values)

    def link(self, **changes: Any) -> str:
        """The query string of this list with some parameters changed (None removes one)."""
        query = self.query.copy()
        for name, value in changes.items():
            query.pop(name, None)
            if value is not None:
                query[name] = str(value)
        return query.urlencode()

    def sort_link(self, key: str) -> str:
        """The link a column header points to: this column, the other way round if it is the
        current one; back to the first page, since the rows change."""
        descending = not self.descending if key == self.sort else False
        return self.link(sort=f"-{key}" if descending else key, page=None)


def page_numbers(page: Page) -> list[int | None]:
    """The pages to offer: the first, the last, and two either side of this one; None for a gap."""
    last, here = page.paginator.num_pages, page.number
    wanted = sorted({1, last, *range(max(1, here - 2), min(last, here + 2) + 1)})
    out: list[int | None] = []
    for n in wanted:
        previous = out[-1] if out else None
        if previous is not None and n - previous > 1:
            out.append(None)
        out.append(n)
    return out
