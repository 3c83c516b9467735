"""Template pieces every page shares: the pager, sortable table headers, the risk badge, the masked phone, and the panels
upper apps add to a lower app's page (``hexie.core.panels``)."""

from __future__ import annotations

from html import escape as html_escape
from typing import Any

from django import template
from django.core.paginator import Page
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from hexie.core.enums import RiskLevel
from hexie.core.pii import mask_phone
from hexie.core.tables import Table, page_numbers

register = template.Library()


@register.inclusion_tag("core/_table_pager.html", takes_context=True)
def pager(context: dict[str, Any], page: Page) -> dict[str, Any]:
    """Numbered pages and the total count of a list paged by its view, keeping the page's other
    query parameters (its filters) in every link."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)

    def link(n: int) -> str:
        q = query.copy()
        q["page"] = str(n)
        return q.urlencode()

    return {
        "page": page,
        "pages": [(n, link(n) if n else "") for n in page_numbers(page)],
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
        "sizes": [], "hidden": [],
    }


@register.filter
def masked_phone(value: str | None) -> str:
    """A phone as pages show it: the first three and last four digits only."""
    return mask_phone(value or "")


@register.simple_tag
def risk_badge(level: str | None) -> SafeString:
    """The red / orange / yellow / green badge, its colour named in text too."""
    value = level if level in RiskLevel.values else RiskLevel.GREEN
    label = RiskLevel(value).label
    return format_html('<span class="badge risk-{}" title="{}">{}</span>', value, label, label)


# The staff menu's markup (base.html), group by group and entry by entry, as the template loop wrote it.
_NAV_GROUP = ('\n        <h2 class="nav-group" id="nav-{0}">{1}</h2>\n        <ul class="nav flex-column" '
              'aria-labelledby="nav-{0}">\n          {2}\n        </ul>\n        ')
_NAV_ITEM = '\n          <li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>\n          '


def _text(value: Any) -> str:
    """A value as format_html writes it: its own HTML if it is marked safe, else escaped (with the
    stdlib escape that django.utils.html.escape applies, without its lazy-string wrapper)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html_escape(str(value))


@register.simple_tag
def nav_groups(groups: Any) -> SafeString:
    """The sidebar's groups and entries (``hexie.core.nav.menu``), the current page's entry marked
    active: written here in one pass rather than by two nested template loops on every page."""
    return SafeString("".join(
        _NAV_GROUP.format(_text(group.key), _text(group.label), "".join(
            _NAV_ITEM.format(" active" if item.active else "", _text(item.url),
                             ' aria-current="page"' if item.active else "", _text(item.label))
            for item in group.items))
        for group in groups))


@register.simple_tag
def select_options(choices: list[tuple[str, str]], query: QueryDict, name: str) -> SafeString:
    """A select's options, the one the query names selected (its last value, as ``query.name``
    reads in a template). One tag instead of a template loop with a comparison per option."""
    chosen = query.get(name)
    return SafeString("".join(
        f'<option value="{_text(value)}" {"selected" if chosen == value else ""}>{_text(label)}</option>'
        for value, label in choices))


@register.simple_tag
def sort_header(table: Table, key: str, label: str, css: str = "") -> SafeString:
    """A column header that sorts the list by ``key`` (a key of the view's whitelist), with the
    direction in text and in ``aria-sort`` for screen readers."""
    if table.sort == key:
        state, arrow = ("descending", "↓") if table.descending else ("ascending", "↑")
        hint = _("降序") if table.descending else _("升序")
        return format_html(
            '<th scope="col" class="{}" aria-sort="{}"><a href="?{}" class="sort-link">{} '
            '<span aria-hidden="true">{}</span><span class="visually-hidden">（{}）</span></a></th>',
            css, state, table.sort_link(key), label, arrow, hint)
    return format_html('<th scope="col" class="{}"><a href="?{}" class="sort-link">{}</a></th>',
                       css, table.sort_link(key), label)


@register.inclusion_tag("core/_table_empty.html")
def table_empty(table: Table, colspan: int, nothing: str, nothing_found: str) -> dict[str, Any]:
    """The row an empty list shows, saying why: ``nothing_found`` (with a link clearing the filters)
    when filters narrowed it, ``nothing`` when there is nothing to list; an invalid sort or page
    size has its own message above the table."""
    return {"table": table, "colspan": colspan, "text": nothing_found if table.filtered else nothing,
            "clear": table.filtered and not table.errors}


@register.inclusion_tag("core/_table_pager.html")
def table_pager(table: Table) -> dict[str, Any]:
    """Numbered pages, the page-size choice and the total count, keeping the filters and the sort."""
    return {
        "table": table, "page": table.page,
        "pages": [(n, table.link(page=n) if n else "") for n in page_numbers(table.page)],
        "previous": table.link(page=table.page.previous_page_number()) if table.page.has_previous() else "",
        "next": table.link(page=table.page.next_page_number()) if table.page.has_next() else "",
        "sizes": [(s, table.link(size=s, page=None)) for s in table.sizes],
        "hidden": [(k, v) for k, values in table.query.lists() if k not in ("size", "page") for v in values],
    }
