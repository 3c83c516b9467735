"""Staff pages: the inspector's list and the phone form (each item saved as it is answered), a
leader's sign-off, orders and their re-check, plans and the re-check of a draw."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hexie.core import clock
from hexie.core.errors import DomainError
from hexie.core.forms import submit as submit_form
from hexie.core.tables import Table
from hexie.core.validators import normalise_credit_code
from hexie.core.views import run_service
from hexie.employers.models import Employer
from hexie.orgs.models import Role, User
from hexie.orgs.scoping import BUREAU_STAFF, has_role, restrict
from hexie.prevention import selectors, services
from hexie.prevention.forms import AccountForm, PlanForm, SheetImportForm
from hexie.prevention.models import Assessment, AssessmentOrigin, AssessmentState
from hexie.prevention.panels import ORDER_PAGE
from hexie.prevention.rules import fmt, sheet_problems

LEADING = frozenset({Role.LEADER, Role.ADMIN})


def _staff(request: HttpRequest) -> User:
    """The member of staff behind the request; anyone else (an employer account) gets a 404."""
    if not has_role(request.user, BUREAU_STAFF):
        raise Http404(_("未找到"))
    return cast(User, request.user)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    return render(request, "prevention/home.html", {
        "mine": selectors.my_assessments(user).order_by("started_at")[:100],
        "to_sign": selectors.to_sign_off(user).order_by("submitted_at")[:100] if has_role(user, LEADING) else [],
        "overdue": selectors.overdue_orders(user).order_by("deadline")[:100],
        "open_orders": selectors.orders(user).filter(state__in=["issued", "answered"]).order_by("deadline")[:100],
        "plans": selectors.plans(user)[:50],
    })


def form_context(request: HttpRequest, a: Assessment) -> dict[str, Any]:
    """The phone form: every item with its answer so far (shared by staff and employer pages)."""
    answers = selectors.answers_by_item(a)
    sections = []
    for s in a.sheet.sections.prefetch_related("items"):
        sections.append({"section": s, "items": [{"item": i, "answer": answers.get(i.pk)} for i in s.items.all()]})
    return {"a": a, "sections": sections, "editable": a.state in (AssessmentState.IN_PROGRESS, AssessmentState.RETURNED),
            "answered": len(answers), "orders": list(a.orders.all())}


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    a = selectors.assessment_detail(user, pk)
    ctx = form_context(request, a)
    ctx["can_sign"] = has_role(user, LEADING) and a.state == AssessmentState.SUBMITTED
    ctx["base"] = "base.html"
    ctx["fill"] = a.origin == AssessmentOrigin.INSPECTION and (user.role != Role.HANDLER or a.inspector_id == user.pk)
    return render(request, "prevention/assessment.html", ctx)


def answer_item(request: HttpRequest, actor: User, pk: int, item_id: int) -> JsonResponse:
    """One item's answer from the phone (also what the queue resends): JSON in, JSON out."""
    raw = request.POST.get("answered_at", "")
    try:
        answered_at: datetime | None = parse_datetime(raw) if raw else None
    except ValueError:
        answered_at = None  # a garbled time from the phone: the answer counts as given now
    try:
        answer = services.record_answer(
            actor=actor, assessment_id=pk, item_id=item_id, result=request.POST.get("result", ""),
            deduction=request.POST.get("deduction", ""), note=request.POST.get("note", ""),
            answered_at=answered_at, files=request.FILES.getlist("files"))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "errors": exc.messages}, status=400)
    except DomainError as exc:
        return JsonResponse({"ok": False, "errors": [exc.message]}, status=exc.http_status)
    return JsonResponse({"ok": True, "points": fmt(answer.points), "evidence": answer.evidence.count(),
                         "recorded_at": answer.recorded_at.isoformat()})


@login_required
@require_POST
def staff_answer(request: HttpRequest, pk: int, item_id: int) -> JsonResponse:
    return answer_item(request, _staff(request), pk, item_id)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    run_service(request, lambda: services.submit_assessment(
        actor=user, assessment_id=pk, bonus=request.POST.get("bonus"), penalty=request.POST.get("penalty")),
        success=_("已提交审核"))
    return redirect("prevention:assessment", pk=pk)


@login_required
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    if request.POST.get("decision") == "return":
        run_service(request, lambda: services.return_assessment(actor=user, assessment_id=pk,
                                                                note=request.POST.get("note", "")),
                    success=_("已退回"))
    else:
        run_service(request, lambda: services.sign_off(actor=user, assessment_id=pk,
                                                       note=request.POST.get("note", "")),
                    success=_("已签发"))
    return redirect("prevention:assessment", pk=pk)


@login_required
def order(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    o = selectors.order_detail(user, pk)
    return render(request, "prevention/order.html", {"o": o, "base": "base.html", "staff": True,
                                                     "evidence": list(o.evidence.all()), "today": clock.today(),
                   "panels": ORDER_PAGE.render(user, o)})


@login_required
@require_POST
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    run_service(request, lambda: services.recheck_order(actor=user, order_id=pk,
                                                        complied=request.POST.get("complied") == "yes",
                                                        note=request.POST.get("note", "")),
                success=_("已记录复查结果"))
    return redirect("prevention:order", pk=pk)


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    p = selectors.get_for(selectors.plans(user), user, pk)
    check = None
    if request.method == "POST" and p.method == "random":
        check = run_service(request, lambda: services.recheck_draw(actor=user, plan_id=pk),
                            success=lambda c: _("复核一致：同一种子抽出同样的单位和人员") if c.matches and c.assessments_match
                            else _("复核不一致"))
    return render(request, "prevention/plan.html", {
        "p": p, "check": check, "assessments": p.assessments.select_related("employer", "inspector")[:500]})




@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = PlanForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            employer_ids = form.employer_ids() if d["method"] == "list" else None
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            created = submit_form(form, lambda: services.create_plan(
                actor=user, name=d["name"], sheet_id=d["sheet_id"], method=d["method"], starts_on=d["starts_on"],
                due_on=d["due_on"], employer_ids=employer_ids, grid_unit_id=d["grid_unit"].pk if d["grid_unit"] else None,
                draw_employers=d["draw_employers"], draw_inspectors=d["draw_inspectors"],
                inspector_ids=[u.pk for u in d["inspectors"]], seed=d["seed"] or ""))
            if created is not None:
                return redirect("prevention:plan", pk=created.pk)
    return render(request, "prevention/form.html", {"form": form, "title": _("新建检查计划")})


@login_required
def account_new(request: HttpRequest) -> HttpResponse:
    """An administrator issues an employer's log-in; the one-time password is shown once, here."""
    user = _staff(request)
    form = AccountForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        employer = restrict(Employer.objects.filter(credit_code=normalise_credit_code(d["credit_code"])), user).first()
        if employer is None:
            form.add_error("credit_code", _("未登记或不在辖区内的信用代码"))
        else:
            issued = submit_form(form, lambda: services.issue_account(actor=user, employer_id=employer.pk,
                                                                 username=d["username"], phone=d["phone"]))
    return render(request, "prevention/form.html", {"form": form, "title": _("开通用人单位账号"), "issued": issued})


@login_required
def sheets(request: HttpRequest) -> HttpResponse:
    """The score sheets in force here (the defaults, the city's and the district's own versions),
    each with its points check and verified flag; an administrator imports a new version."""
    user = _staff(request)
    form = SheetImportForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["owner_unit"]
        sheet = submit_form(form, lambda: services.import_sheet_xlsx(
            actor=user, uploaded=form.cleaned_data["file"], owner_unit_id=unit.pk if unit else None))
        if sheet is not None:
            messages.success(request, _("已导入%(name)s第%(v)d版") % {"name": sheet.name, "v": sheet.version})
            return redirect("prevention:sheets")
    rows = [{"sheet": s, "problems": sheet_problems(s)} for s in selectors.sheets(user)]
    return render(request, "prevention/sheets.html", {"rows": rows, "form": form,
                                                      "can_import": has_role(user, frozenset({Role.ADMIN}))})


def evidence_file(user: Any, pk: int) -> FileResponse:
    """An evidence file, for whoever may see the answer or order it belongs to (else 404)."""
    ev = selectors.evidence_detail(user, pk)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    return evidence_file(_staff(request), pk)


LIST_PAGE_SIZE = 50
ASSESSMENT_SORTS = {"year": ("year", "employer__name", "pk"), "employer": ("employer__name", "-year", "pk"),
                    "kind": ("kind", "-year", "pk"), "state": ("state", "-year", "pk"), "score": ("score", "pk")}
ORDER_SORTS = {"deadline": ("deadline", "pk"), "number": ("number", "pk"), "employer": ("employer__name", "deadline", "pk"),
               "state": ("state", "deadline", "pk"), "closed": ("closed_on", "pk")}


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    """Assessments as filtered by the query (what a prevention figure counts, a click away)."""
    user = _staff(request)
    params = {k: request.GET.get(k, "") for k in selectors.ASSESSMENT_PARAMS}
    table = Table.from_request(request, selectors.assessment_list(user, params), sorts=ASSESSMENT_SORTS,
                               default="-year", default_size=LIST_PAGE_SIZE)
    return render(request, "prevention/assessment_list.html", {
        "table": table, "page": table.page, "filter_errors": table.errors, "params": params},
        status=400 if table.errors else 200)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """Rectification orders as filtered by the query, with their deadline and state."""
    user = _staff(request)
    params = {k: request.GET.get(k, "") for k in selectors.ORDER_PARAMS}
    table = Table.from_request(request, selectors.order_list(user, params), sorts=ORDER_SORTS,
                               default="deadline", default_size=LIST_PAGE_SIZE)
    return render(request, "prevention/order_list.html", {
        "table": table, "page": table.page, "filter_errors": table.errors, "params": params,
        "today": clock.today()}, status=400 if table.errors else 200)
