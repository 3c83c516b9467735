"""Template pieces every page shares: the pager, the risk badge, the masked phone, and the panels
upper apps add to a lower app's page (``hexie.core.panels``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString

from hexie.core.enums import RiskLevel
from hexie.core.pii import mask_phone

register = template.Library()


@register.inclusion_tag("_pager.html", takes_context=True)
def pager(context: dict[str, Any], page: Page) -> dict[str, Any]:
    """Previous / next links that keep the page's other query parameters (its filters)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("page", None)
    return {"page": page, "base": query.urlencode()}


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
