"""The bulletins page: the archive (scoped), generating one on demand, downloading Word or PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hexie.core import clock
from hexie.core.nav import role_required
from hexie.core.tables import Table
from hexie.core.views import run_service
from hexie.insights import bulletins, nav
from hexie.insights.models import Bulletin, PeriodKind
from hexie.insights.pdf import NO_LIBREOFFICE_NOTE, libreoffice
from hexie.insights.periods import last_complete_period, parse_period
from hexie.insights.services.bulletins import failed_generations, generate_bulletin, retry_generation

BULLETIN_SORTS = {"period": ("period_start", "kind", "org_unit__path"), "kind": ("kind", "-period_start", "org_unit__path"),
                  "unit": ("org_unit__path", "-period_start", "kind"), "generated": ("generated_at", "pk")}


@login_required
@role_required(nav.BULLETINS.roles)
def archive(request: HttpRequest) -> HttpResponse:
    """Bulletins the user may read, newest first; leaders and administrators also get the generate form."""
    qs = bulletins.bulletins_visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in PeriodKind.values:
        qs = qs.filter(kind=kind)
    unit = request.GET.get("unit", "")
    if unit:
        qs = qs.filter(org_unit__code=unit)
    table = Table.from_request(request, qs, sorts=BULLETIN_SORTS, default="-period", default_size=20)
    page = table.page
    today = clock.today()
    units = bulletins.units_for_generation(request.user)
    ctx = {
        "page": page, "table": table, "filter_errors": table.errors, "kinds": PeriodKind.choices, "kind": kind, "unit": unit, "units": units,
        "hints": {k: last_complete_period(k, today).typed for k in PeriodKind.values},
        "pdf_available": libreoffice() is not None, "no_pdf_note": gettext(NO_LIBREOFFICE_NOTE),
        "failed": failed_generations(request.user) if units else [],  # type: ignore[arg-type]
    }
    return render(request, "insights/bulletins.html", ctx, status=400 if table.errors else 200)


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")

    def generate() -> Bulletin:
        if kind not in PeriodKind.values:
            raise ValidationError({"kind": [gettext("请选择通报周期")]})
        period = parse_period(kind, request.POST.get("period", ""))
        unit = bulletins.units_for_generation(request.user).filter(code=request.POST.get("unit", "")).first()
        if unit is None:
            raise ValidationError({"unit": [gettext("请选择您辖区内的单位")]})
        return generate_bulletin(kind=kind, period_start=period.start, org_unit=unit,
                                 actor=request.user)  # type: ignore[arg-type]

    run_service(request, generate, success=lambda b: gettext("已生成 %(title)s") % {"title": b.title}
                + (f"（{b.pdf_note}）" if b.pdf_note else ""))
    return redirect("insights:bulletins")


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate again the bulletin of a failed generation."""
    run_service(request, lambda: retry_generation(run_id=pk, actor=request.user),  # type: ignore[arg-type]
                success=lambda b: gettext("已生成 %(title)s") % {"title": b.title})
    return redirect("insights:bulletins")


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    b = bulletins.bulletins_visible_to(request.user).filter(pk=pk).first()
    if b is None or fmt not in ("docx", "pdf"):
        raise Http404(gettext("未找到"))
    f = b.docx if fmt == "docx" else b.pdf
    if not f:
        raise Http404(b.pdf_note or gettext("未找到"))
    return FileResponse(f.open("rb"), as_attachment=True,
                        filename=f"{b.title}-{b.org_unit.name}.{fmt}")
