"""The employer's own pages under /employer/: log-in with password and SMS code, its file (its
assessments and orders only), its self check-up and annual verification, answering orders."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hexie.core import clock
from hexie.core.views import run_service
from hexie.prevention import selectors, services
from hexie.prevention.models import EmployerAccount
from hexie.prevention.panels import ORDER_PAGE
from hexie.prevention.views import answer_item, evidence_file, form_context

PENDING = "prevention_pending_account"
LOGIN = "employer:login"


def _account(request: HttpRequest) -> EmployerAccount:
    account = selectors.account_of(request.user)
    if account is None:
        raise Http404(_("未找到"))
    return account


def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: the password (counted by the lockout like every log-in); then a code goes by SMS."""
    error = ""
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username", ""),
                            password=request.POST.get("password", ""), employer_login=True)
        account = selectors.account_of(user) if user is not None else None
        if account is None:
            error = _("登录名或密码不正确")
        else:
            services.send_login_code(account=account)
            request.session[PENDING] = account.pk
            return redirect("employer:code")
    return render(request, "prevention/employer/login.html", {"error": error})


def code_view(request: HttpRequest) -> HttpResponse:
    """Step two: the SMS code sent to the account's mobile."""
    pk = request.session.get(PENDING)
    account = EmployerAccount.objects.select_related("user").filter(pk=pk).first() if pk else None
    if account is None:
        return redirect(LOGIN)
    error = ""
    if request.method == "POST":
        if request.POST.get("resend"):
            services.send_login_code(account=account)
        elif services.verify_login_code(account=account, code=request.POST.get("code", "")):
            request.session.pop(PENDING, None)
            login(request, account.user, backend="hexie.orgs.backends.HexieBackend")
            return redirect("employer:home")
        else:
            error = _("验证码不正确或已过期")
    return render(request, "prevention/employer/code.html", {"error": error, "last4": account.phone_last4})


@login_required(login_url=LOGIN)
def home(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    user = request.user
    return render(request, "prevention/employer/home.html", {
        "employer": account.employer,
        "assessments": selectors.assessments(user).order_by("-started_at")[:50],
        "orders": selectors.orders(user).order_by("-issued_on")[:50],
    })


@login_required(login_url=LOGIN)
@require_POST
def start(request: HttpRequest, sheet_code: str) -> HttpResponse:
    user = _account(request).user
    a = run_service(request, lambda: services.start_assessment(actor=user, sheet_code=sheet_code),
                    success=_("请逐项填写，每项填写后自动保存"))
    return redirect("employer:assessment", pk=a.pk) if a else redirect("employer:home")


@login_required(login_url=LOGIN)
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    _account(request)
    a = selectors.assessment_detail(request.user, pk)
    ctx: dict[str, Any] = form_context(request, a)
    ctx.update({"base": "prevention/employer/base.html", "fill": a.origin == "self", "employer_side": True})
    return render(request, "prevention/assessment.html", ctx)


@login_required(login_url=LOGIN)
@require_POST
def answer(request: HttpRequest, pk: int, item_id: int) -> JsonResponse:
    return answer_item(request, _account(request).user, pk, item_id)


@login_required(login_url=LOGIN)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request).user
    run_service(request, lambda: services.submit_assessment(actor=user, assessment_id=pk),
                success=_("已提交，等待人社局审核"))
    return redirect("employer:assessment", pk=pk)


@login_required(login_url=LOGIN)
def order(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request).user
    o = selectors.order_detail(user, pk)
    if request.method == "POST":
        run_service(request, lambda: services.answer_order(actor=user, order_id=pk,
                                                           response=request.POST.get("response", ""),
                                                           files=request.FILES.getlist("files")),
                    success=_("整改情况已提交"))
        return redirect("employer:order", pk=pk)
    return render(request, "prevention/order.html", {"o": o, "base": "prevention/employer/base.html",
                                                     "staff": False, "evidence": list(o.evidence.all()), "today": clock.today(),
                   "panels": ORDER_PAGE.render(user, o)})


@login_required(login_url=LOGIN)
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    return evidence_file(_account(request).user, pk)
