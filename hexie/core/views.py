"""What every staff page shares: running a service call from a POST and telling the user how it
went (the refusal's own words, naming the field), then going back to the page. And the kernel's
own page: the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext

from hexie.core import nav_entries, selectors
from hexie.core.errors import DomainError
from hexie.core.models import AuditEvent
from hexie.core.nav import role_required
from hexie.core.tables import Table
from hexie.orgs.scoping import may

T = TypeVar("T")


def error_text(exc: ValidationError) -> str:
    """A validation error's messages as one line (each already names its field)."""
    return "；".join(str(m) for m in exc.messages)


def run_service(request: HttpRequest, call: Callable[[], T], *, success: str | Callable[[T], str]) -> T | None:
    """Run ``call`` (a service function) for a POST view.

    A refusal (bad input, a wrong role or state) becomes an error message on the page the view
    returns to, and None is returned; otherwise ``success`` (a text, or a function of the result)
    becomes the success message and the result is returned.
    """
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return None
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


def form_errors_text(errors: Any) -> str:
    """A bound form's errors as one line."""
    return "；".join(str(m) for errs in errors.values() for m in errs)


def form_field_errors(form: Any) -> str:
    """A bound form's errors as one line, each under its field's label (a form-wide error alone)."""
    return "；".join(f"{form.fields[k].label or k}：{m}" if k in form.fields else str(m)
                    for k, errs in form.errors.items() for m in errs)


AUDIT_SORTS = {"at": ("at", "pk"), "action": ("action", "-at", "-pk"), "type": ("object_type", "-at", "-pk")}


@login_required
@role_required(nav_entries.AUDIT_LOG.roles, hide=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log of the user's jurisdiction: registry, monitoring, documents, configuration."""
    if not may(request.user, AuditEvent):
        raise Http404(gettext("未找到"))
    flt = selectors.AuditFilter.parse(request.GET)
    qs = selectors.audit_log(request.user, flt) if not flt.errors else selectors.audit_log(request.user).none()
    table = Table.from_request(request, qs, sorts=AUDIT_SORTS, default="-at")
    page = table.page
    for entry in page:
        entry.type_label = selectors.object_type_label(entry.object_type)  # type: ignore[attr-defined]
    return render(request, "core/audit_log.html", {
        "page": page, "table": table, "filter_errors": table.errors, "flt": flt, "actions": AuditEvent.Action.choices,
        "object_types": selectors.audit_object_types(request.user)}, status=400 if table.errors else 200)


def favicon(request: HttpRequest) -> HttpResponse:
    """The site icon at the address browsers ask for, from the static files (fingerprinted in production)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
