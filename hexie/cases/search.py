"""The queue's text searches on PostgreSQL: which index finds the rows.

A search can match a third of the cases ("建") or a few dozen. Two kinds of index serve it
(migration 0024), and each is fast for one kind of term and slow for the other:

* reading the queue in its own order (``case_queue_search``, which carries the unit and the
  searched columns, so no table row is read to check a case) and stopping at the page's last
  match: a few hundred index entries for a frequent term, the whole index (a million) for a term
  no case has;
* looking the term up, then reading every match from the table to sort it: a handful of rows for a
  rare term, tens of thousands for a frequent one. A term of one or two characters is looked up in
  the pieces index within the user's units (``case_scope_grams``), a longer one in the trigram
  indexes (0004). Below, both are "pieces".

PostgreSQL's planner picks between them badly (it cannot estimate ``strpos``, and it read a
district's "万和" in order through the table for 1.5 s), so the choice is made here, from the
planner's estimate of the matches in the user's units (one ``EXPLAIN``: the pieces' statistics are
good) and the table's size, and then from the capped count itself:

* the count (at most SEARCH_COUNT_LIMIT + 1 matches) reads the queue in order when the term is
  frequent enough that the limit is reached within WALK_ENTRIES entries; otherwise the pieces;
* the page reads the queue in order when more than the limit match (so a page of matches is
  expected within WALK_ENTRIES entries), and otherwise looks up the few matches in the pieces,
  sorted with a first key that no index has, so that PostgreSQL cannot walk the queue instead.

The page read in order is found as ids (index only) and the page's rows fetched by id in the
same statement. Every shape finds exactly what ``search_q`` finds (the same condition, written as
``strpos`` on each row or as an index look-up), so the results and the count are the ones SQLite
gives. A term that may be a tracking code or a phone number (found through other indexes) is not
searched this way: the filter applies ``search_q`` as before (filters.plain_text_search).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.db.models.expressions import ExpressionWrapper, OrderBy
from django.db.models.fields import BooleanField
from django.utils.functional import cached_property

from hexie.cases.filters import search_q, walk_q
from hexie.core.tables import CappedPaginator, explain

# The queue's default order (tables._order of views.QUEUE_SORTS["due"]), as case_queue_search has
# it: a query ordered otherwise is never read in order.
WALK_ORDER = ("next_due_on ASC NULLS LAST", "received_at DESC NULLS LAST", "id DESC NULLS LAST")

# How many index entries a read in queue order may be expected to take: ≈ 0.5 µs each on a busy
# machine (a million in 0.5 s), so up to 0.1 s. The planner's estimate of a city-wide queue's
# matches is about half the true count (bench/README.md), so the read is usually half as long.
WALK_ENTRIES = 200_000


def _order_sql(qs: QuerySet[Any]) -> tuple[str, ...] | None:
    out = []
    for expr in qs.query.order_by:
        if not isinstance(expr, OrderBy) or not hasattr(expr.expression, "name"):
            return None
        direction = "DESC" if expr.descending else "ASC"
        nulls = " NULLS LAST" if expr.nulls_last else (" NULLS FIRST" if expr.nulls_first else "")
        out.append(f"{expr.expression.name} {direction}{nulls}")
    return tuple(out)


class QueueSearchPaginator(CappedPaginator):
    """The queue's pages for a plain text search on PostgreSQL. `object_list` is the queue without
    the search (jurisdiction, other filters, order); `term` the search, already stripped."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, limit: int, term: str) -> None:
        super().__init__(object_list, per_page, limit=limit)
        self.term = term
        self.in_order = _order_sql(object_list) == WALK_ORDER
        self.shape = {"count": "", "page": ""}  # which way each was found: "walk" or "pieces"

    @cached_property
    def _estimate(self) -> tuple[float, float]:
        """The planner's count of matches in this queue, and of the table's rows (both at least 1),
        from one ``EXPLAIN`` (planned, not run) of the two as one UNION ALL."""
        rows: Any = self.object_list
        try:
            matches = rows.filter(search_q(self.term)).order_by().values("pk")
            sql, params = matches.union(rows.model.objects.order_by().values("pk"), all=True).query.sql_with_params()
        except EmptyResultSet:
            return 1.0, 1.0
        plan = explain(rows.db, sql, params)
        try:
            found, table = (float(p["Plan Rows"]) for p in plan[0]["Plan"]["Plans"])
        except (TypeError, KeyError, IndexError, ValueError):
            return 1.0, 1.0
        return max(1.0, found), max(1.0, table)

    def _walk_short(self, wanted: int, matches: float) -> bool:
        """Whether `wanted` matches are expected within WALK_ENTRIES entries of the queue's order,
        `matches` of the table's rows matching (spread evenly)."""
        return self.in_order and wanted * self._estimate[1] / matches <= WALK_ENTRIES

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        if self.in_order and self._walk_short(self.limit + 1, self._estimate[0]):
            self.shape["count"] = "walk"
            found = rows.filter(walk_q(self.term))[: self.limit + 1].count()
        else:
            self.shape["count"] = "pieces"
            found = rows.filter(search_q(self.term)).order_by()[: self.limit + 1].count()
        return min(int(found), self.limit + 1)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows: Any = self.object_list
        # More than the limit match (at least that many, or the estimate if higher): read in order.
        # Fewer: those few are looked up, whatever the estimate said.
        if self.capped and self._walk_short(top, max(self._estimate[0], self.limit + 1)):
            self.shape["page"] = "walk"
            ids = rows.filter(walk_q(self.term)).values("pk")[bottom:top]
            found = rows.filter(pk__in=ids)
        else:
            self.shape["page"] = "pieces"
            found = rows.filter(search_q(self.term))
            if self.in_order:
                # No index has this key first: the matches are looked up, then sorted.
                first = ExpressionWrapper(Q(next_due_on__isnull=True), output_field=BooleanField())
                found = found.order_by(first.asc(), *rows.query.order_by)
            found = found[bottom:top]
        return Page(found, number, self)
