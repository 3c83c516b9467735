"""The worker's pages (no account): landing, filing, thank-you, tracking, rating; and the QR
posters (the poster itself is public, the list of them is for staff). Thin: the work is in
``portal.services`` and ``portal.selectors``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hexie.cases.models import CaseType
from hexie.core import clock
from hexie.core.errors import DomainError
from hexie.core.lockout import client_ip
from hexie.core.nav import role_required
from hexie.orgs.scoping import district_of
from hexie.portal import nav, selectors, services
from hexie.portal.forms import PUBLIC_CASE_TYPES, ComplaintForm, RateForm, TrackForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SESSION_FILED = "portal_filed"




def _rate_limited(request: HttpRequest, message: StrOrPromise) -> HttpResponse:
    return render(request, "portal/rate_limited.html", {"message": message}, status=429)


def home(request: HttpRequest) -> HttpResponse:
    """Landing page: file a wage-arrears complaint or a labour dispute, track a case, the hotline."""
    return render(request, "portal/home.html", {"track_form": TrackForm(), "src": request.GET.get("src", "")})


def _initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"src": "qr" if request.GET.get("src") == "qr" else ""}
    if request.GET.get("type") in (CaseType.WAGE_ARREARS, CaseType.LABOUR_DISPUTE):
        initial["case_type"] = request.GET["type"]
    code = request.GET.get("district", "")
    if code and selectors.districts().filter(code=code).exists():
        initial["district"] = code
    # A project's poster names the site: the form shows it, and its district, already chosen.
    project = selectors.poster_project(request.GET.get("project", ""))
    if project is not None:
        initial["project"] = project.pk
        district = district_of(project.org_unit)
        if district is not None:
            initial["district"] = district.code
    return initial


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def file_complaint(request: HttpRequest) -> HttpResponse:
    """The filing form; on success the tracking code is shown on the thank-you page."""
    ip = client_ip(request)
    if request.method == "POST":
        if not services.filing_allowed(ip=ip):
            return _rate_limited(request, services.FILING_LIMIT_MESSAGE)
        form = ComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                case = services.file_complaint(
                    data=form.to_intake(), ip=ip, attachments=form.cleaned_data.get("attachments") or [])
            except services.RateLimited as exc:
                return _rate_limited(request, exc.message)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                request.session[SESSION_FILED] = {
                    "number": case.number, "tracking_code": case.tracking_code,
                    "case_type": str(case.get_case_type_display()),
                    "decision": selectors.acceptance_deadline(case),
                }
                return redirect("portal:filed")
    else:
        form = ComplaintForm(initial=_initial(request))
    ctx = {"form": form, "areas": selectors.areas(), "max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
           "acceptance": selectors.acceptance_periods(PUBLIC_CASE_TYPES, clock.today()),
           "chosen_project": selectors.poster_project(form["project"].value() or "")}
    return render(request, "portal/file.html", ctx, status=400 if form.errors else 200)


@never_cache
def filed(request: HttpRequest) -> HttpResponse:
    """Thank-you page: the case number and the tracking code, with what to do next."""
    filed = request.session.get(SESSION_FILED)
    if not filed:
        return redirect("portal:home")
    track_form = TrackForm(initial={"tracking_code": filed["tracking_code"]})
    return render(request, "portal/filed.html", {"filed": filed, "track_form": track_form})


def _case_page(
    request: HttpRequest, case: Any, *, phone_last4: str, status: int = 200, rate_form: RateForm | None = None,
    **extra: Any,
) -> HttpResponse:
    ctx = selectors.public_case_view(case)
    # The rating form carries the code and digits the worker just typed: rating checks them again.
    ctx["rate_form"] = rate_form or RateForm(initial={"tracking_code": case.tracking_code, "phone_last4": phone_last4})
    ctx.update(extra)
    return render(request, "portal/case.html", ctx, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Track a case with its code and the last four digits of the phone: status, public timeline,
    running deadlines; the rating form once it is resolved."""
    if request.method != "POST":
        return render(request, "portal/track.html", {"track_form": TrackForm()})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/track.html", {"track_form": form}, status=400)
    last4 = form.cleaned_data["phone_last4"]
    try:
        case = services.find_case(tracking_code=form.cleaned_data["tracking_code"], phone_last4=last4,
                                  ip=client_ip(request))
    except services.RateLimited as exc:
        return _rate_limited(request, exc.message)
    except services.CaseNotFound as exc:
        # One answer for every miss, whichever of the two was wrong (only the typed values differ).
        return render(request, "portal/track.html", {"track_form": form, "not_found": exc.message}, status=404)
    return _case_page(request, case, phone_last4=last4)


@never_cache
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    """Rate the result (1–5, optional comment); needs the same code and digits as tracking."""
    form = RateForm(request.POST)
    if not form.is_valid():
        track_form = TrackForm(request.POST)
        if not track_form.is_valid():
            return render(request, "portal/track.html", {"track_form": track_form}, status=400)
        return _lookup_then(request, track_form, rate_form=form, status=400)
    d = form.cleaned_data
    try:
        case = services.rate_case(tracking_code=d["tracking_code"], phone_last4=d["phone_last4"],
                                  satisfaction=d["satisfaction"], comment=d.get("comment") or "",
                                  ip=client_ip(request))
    except services.RateLimited as exc:
        return _rate_limited(request, exc.message)
    except services.CaseNotFound as exc:
        return render(request, "portal/track.html", {"track_form": TrackForm(request.POST),
                                                     "not_found": exc.message}, status=404)
    except ValidationError as exc:
        return _lookup_then(request, TrackForm(request.POST), status=400,
                            error="；".join(m for msgs in exc.message_dict.values() for m in msgs))
    except DomainError as exc:
        return _lookup_then(request, TrackForm(request.POST), status=exc.http_status, error=exc.message)
    return _case_page(request, case, phone_last4=d["phone_last4"],
                      rated=gettext("感谢您的评价！/"))


def _lookup_then(request: HttpRequest, track_form: TrackForm, *, status: int, **extra: Any) -> HttpResponse:
    """Show the case again with an error (the code and digits were checked by the caller's form)."""
    track_form.is_valid()
    try:
        case = services.find_case(tracking_code=track_form.cleaned_data.get("tracking_code", ""),
                                  phone_last4=track_form.cleaned_data.get("phone_last4", ""),
                                  ip=client_ip(request))
    except services.RateLimited as exc:
        return _rate_limited(request, exc.message)
    except services.CaseNotFound as exc:
        return render(request, "portal/track.html", {"track_form": track_form, "not_found": exc.message},
                      status=404)
    return _case_page(request, case, status=status, phone_last4=track_form.cleaned_data["phone_last4"], **extra)


# --- QR posters ------------------------------------------------------------------------------


def poster(request: HttpRequest, code: str) -> HttpResponse:
    """A printable A4 poster for one district: scan the code to file a complaint (public)."""
    district = selectors.poster_district(code)
    url = selectors.filing_url(district, request)
    qr = segno.make(url, error="m")
    # segno writes the SVG itself from the URL (no user input reaches it unescaped).
    svg = mark_safe(qr.svg_inline(scale=1, omitsize=True, border=4, title=f"{district.name} 欠薪投诉二维码"))  # noqa: S308
    return render(request, "portal/poster.html", {"district": district, "url": url, "svg": svg})


@login_required
def project_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: a printable poster for one construction site; scanning it opens the filing form with
    the project chosen, and the complaint is filed linked to the project."""
    project = selectors.poster_project_for(request.user, pk)
    district = district_of(project.org_unit)
    if district is None:
        raise Http404(gettext("未找到"))
    url = selectors.project_filing_url(project, selectors.filing_url(district, request))
    qr = segno.make(url, error="m")
    # segno writes the SVG itself from the URL (no user input reaches it unescaped).
    svg = mark_safe(qr.svg_inline(scale=1, omitsize=True, border=4, title=f"{project.name} 欠薪投诉二维码"))  # noqa: S308
    return render(request, "portal/project_poster.html",
                  {"project": project, "district": district, "url": url, "svg": svg})


@login_required
@role_required(nav.POSTERS.roles)
def posters(request: HttpRequest) -> HttpResponse:
    """Staff: the posters of the districts in my jurisdiction, to print and put up."""
    items = [(d, selectors.filing_url(d, request)) for d in selectors.poster_districts(request.user)]
    return render(request, "portal/posters.html", {"items": items})
