"""The staff pages of credit: grades, the joint-punishment list, publications. Reads through
``selectors`` (scoped), writes through ``services`` (``run_service``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from hexie.core import audit, clock
from hexie.core.tables import Table
from hexie.core.views import form_errors_text, run_service
from hexie.credit import selectors, services
from hexie.credit.forms import (
    DecisionForm,
    DeliveryForm,
    ListingDecisionForm,
    ObjectionForm,
    ProposeForm,
    PublicationForm,
    RecordForm,
    RemovalForm,
    StatementForm,
    YearForm,
)
from hexie.credit.models import CreditGrade, Grade, Listing, Publication
from hexie.credit.panels import LISTING_PAGE, PUBLICATION_PAGE
from hexie.credit.services.listings import PersonData
from hexie.orgs.scoping import LEADERS, as_staff, has_role, may
from hexie.prevention.selectors import account_of


def is_employer_account(user: Any) -> bool:
    return account_of(user) is not None

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> Any:
    staff = as_staff(request.user)
    if staff is None or not may(staff, CreditGrade):
        raise Http404
    return staff


def _post(request: HttpRequest, form: Any, call: Callable[[Any], Any], success: str) -> Any:
    if not form.is_valid():
        messages.error(request, form_errors_text(form.errors))
        return None
    return run_service(request, lambda: call(form.cleaned_data), success=success)


# --- grades -----------------------------------------------------------------------------------


# Sortable columns: the worst grade (C) first by default.
GRADE_SORTS = {"grade": ("grade", "employer__name", "pk"), "employer": ("employer__name", "pk"),
               "state": ("state", "employer__name", "pk"), "sanctions": ("sanctions", "employer__name", "pk")}
PUBLICATION_SORTS = {"quarter": ("year", "quarter", "kind", "pk"), "kind": ("kind", "-year", "-quarter", "pk"),
                     "unit": ("org_unit__path", "-year", "-quarter", "pk"), "state": ("state", "-year", "-quarter", "pk")}
LISTING_SORTS = {"employer": ("employer__name", "pk"), "state": ("state", "employer__name", "pk"),
                 "decided": ("decided_on", "pk"), "expires": ("expires_on", "pk")}


@login_required
def grade_list(request: HttpRequest) -> HttpResponse:
    """The grades of a year in my jurisdiction, worst first, with the distribution by district."""
    staff = _staff(request)
    try:
        year = int(request.GET.get("year", "") or selectors.last_record_year())
    except ValueError:
        year = selectors.last_record_year()
    grade = request.GET.get("grade", "")
    qs = selectors.grades(staff).filter(year=year)
    if grade in Grade.values:
        qs = qs.filter(grade=grade)
    unit = request.GET.get("unit", "")
    if unit.isdigit():  # the KPI page's click-through: one district's grades (still within scope)
        qs = qs.filter(org_unit_id=int(unit))
    table = Table.from_request(request, qs, sorts=GRADE_SORTS, default="-grade", default_size=PAGE_SIZE)
    return render(request, "credit/grade_list.html", {
        "table": table, "page": table.page, "filter_errors": table.errors, "year": year, "grade": grade,
        "grades": Grade.choices, "distribution": selectors.grade_distribution(staff, year),
        "is_leader": has_role(staff, LEADERS)}, status=400 if table.errors else 200)


@login_required
@require_POST
def grade_compute(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = YearForm(request.POST)
    _post(request, form, lambda d: services.compute_grades(actor=staff, year=d["year"]), _("已完成等级评定。"))
    return redirect(f"{reverse('credit:grades')}?year={request.POST.get('year', '')}")


@login_required
@require_POST
def grade_notify(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = YearForm(request.POST)
    _post(request, form, lambda d: services.notify_grades(actor=staff, year=d["year"]), _("已告知评定结果。"))
    return redirect(f"{reverse('credit:grades')}?year={request.POST.get('year', '')}")


@login_required
def grade_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A grade with the criteria that decided it, the cases and records behind it, its history."""
    staff = _staff(request)
    grade = selectors.grade_detail(staff, pk)
    return render(request, "credit/grade_detail.html", {
        "g": grade, "explained": selectors.explain(grade), "cases": grade.cases().order_by("resolved_at")[:100],
        "records": grade.records()[:100], "orders": grade.orders()[:100], "history": audit.entries_for(grade)[:50],
        "delivery_form": DeliveryForm(initial={"delivered_on": clock.today()}),
        "objection_form": ObjectionForm(initial={"received_on": clock.today()}), "decision_form": DecisionForm(
            initial={"grade": grade.grade}), "is_leader": has_role(staff, LEADERS)})


@login_required
@require_POST
def grade_objection(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    _post(request, ObjectionForm(request.POST), lambda d: services.object_to_grade(
        actor=staff, grade_id=pk, reason=d["reason"], received_on=d["received_on"]), _("已登记异议。"))
    return redirect("credit:grade", pk=pk)


@login_required
@require_POST
def grade_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Record when and how the grade's notice was served: the objection window runs from then."""
    staff = _staff(request)
    _post(request, DeliveryForm(request.POST), lambda d: services.record_grade_delivery(
        actor=staff, grade_id=pk, delivered_on=d["delivered_on"], method=d["delivery_method"]), _("已登记送达。"))
    return redirect("credit:grade", pk=pk)


@login_required
@require_POST
def grade_decide(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    _post(request, DecisionForm(request.POST), lambda d: services.decide_objection(
        actor=staff, grade_id=pk, grade=d["grade"], reason=d["reason"]), _("已作出复核决定。"))
    return redirect("credit:grade", pk=pk)


@login_required
@require_POST
def record_create(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = RecordForm(request.POST)
    record = _post(request, form, lambda d: services.record_violation(
        actor=staff, employer_id=d["employer"], kind=d["kind"], occurred_on=d["occurred_on"],
        description=d["description"], case_id=d.get("case"), amount=d.get("amount"), workers=d.get("workers"),
        months=d.get("months")), _("已登记违法失信记录。"))
    return redirect("employers:detail", pk=record.employer_id) if record is not None else _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page the refused form was on (the employer's file), or the grades."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return redirect(referer)
    return redirect("credit:grades")


@login_required(login_url="employer:login")
def my_grades(request: HttpRequest) -> HttpResponse:
    """An employer's own grades with the criteria that decided them, and its right to object."""
    own = selectors.own_grades(request.user)
    if request.method == "POST":
        run_service(request, lambda: services.object_as_employer(
            user=request.user, grade_id=int(request.POST.get("grade", "0") or 0),
            reason=request.POST.get("reason", "")[:4000]), success=_("已提交异议，我们将在复核后告知结果。"))
        return redirect("credit_employer:mine")
    if not own and not is_employer_account(request.user):
        raise Http404
    return render(request, "credit/mine.html", {
        "grades": [(g, selectors.explain(g)) for g in own], "today": clock.today()})


# --- the joint-punishment list ---------------------------------------------------------------


@login_required
def listing_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    state = request.GET.get("state", "")
    qs = selectors.listings(staff)
    if state in Listing.State.values:
        qs = qs.filter(state=state)
    # The KPI page's click-through: decided (not withdrawn) or ended in a year.
    decided, ended = request.GET.get("decided", ""), request.GET.get("ended", "")
    if decided.isdigit():
        qs = qs.filter(decided_on__year=int(decided)).exclude(state=Listing.State.WITHDRAWN)
    if ended.isdigit():
        qs = qs.filter(ended_on__year=int(ended))
    table = Table.from_request(request, qs, sorts=LISTING_SORTS, default="-decided", default_size=PAGE_SIZE)
    return render(request, "credit/listing_list.html", {
        "table": table, "page": table.page, "filter_errors": table.errors, "state": state,
        "states": Listing.State.choices}, status=400 if table.errors else 200)


EXPORT_COLUMNS = ["单位名称", "统一社会信用代码", "法定代表人", "状态", "列入事由", "决定日期", "公布日期", "列入期满日期",
                  "认定机关所在区划"]


def export_rows(qs: Any) -> list[list[str]]:
    """The list as other agencies receive it: the employer, the decision and its term (the persons'
    ID numbers masked)."""
    rows = []
    for lst in qs.prefetch_related("persons"):
        reps = "、".join(f"{p.name}（{p.id_masked}）" for p in lst.persons.all())
        rows.append([lst.employer.name, lst.employer.credit_code, reps, str(lst.get_state_display()), lst.reasons,
                     str(lst.decided_on or ""), str(lst.published_on or ""), str(lst.expires_on or ""),
                     lst.org_unit.name])
    return rows


@login_required
def listing_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The listings in force, as CSV or .xlsx."""
    staff = _staff(request)
    qs = selectors.listings(staff).filter(state__in=[Listing.State.LISTED, Listing.State.PUBLISHED])
    rows = export_rows(qs)
    stamp = clock.today().strftime("%Y%m%d")
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel opens a UTF-8 CSV with a BOM as UTF-8
        writer = csv.writer(buf)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(rows)
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="listings-{stamp}.csv"'
        return resp
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "失信联合惩戒对象名单"
        ws.append(EXPORT_COLUMNS)
        for r in rows:
            ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        resp = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = f'attachment; filename="listings-{stamp}.xlsx"'
        return resp
    raise Http404


@login_required
@require_POST
def listing_propose(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = ProposeForm(request.POST)
    listing = _post(request, form, lambda d: services.propose_listing(
        actor=staff, employer_id=d["employer"], order_record_id=d["order_record"],
        incident_record_id=d.get("incident_record"), reasons=d["reasons"],
        persons=[PersonData(role=r, name=n, id_number=i) for r, n, i in form.persons()]), _("已提出列入。"))
    if listing is not None:
        return redirect("credit:listing", pk=listing.pk)
    return _back(request)


@login_required
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    listing = selectors.listing_detail(staff, pk)
    return render(request, "credit/listing_detail.html", {
        "l": listing, "persons": listing.persons.all(), "history": audit.entries_for(listing)[:50],
        "statement_form": StatementForm(initial={"received_on": clock.today()}),
        "delivery_form": DeliveryForm(initial={"delivered_on": clock.today()}),
        "decision_form": ListingDecisionForm(), "removal_form": RemovalForm(), "is_leader": has_role(staff, LEADERS),
        "panels": LISTING_PAGE.render(staff, listing)})


LISTING_STEPS: dict[str, tuple[Any, Callable[[Any, int, dict[str, Any]], Any], Any]] = {
    "notice": (None, lambda s, pk, d: services.issue_listing_notice(actor=s, listing_id=pk), _lazy("已签发告知书。")),
    "delivery": (DeliveryForm, lambda s, pk, d: services.record_listing_delivery(
        actor=s, listing_id=pk, delivered_on=d["delivered_on"], method=d["delivery_method"]), _lazy("已登记送达。")),
    "statement": (StatementForm, lambda s, pk, d: services.record_statement(
        actor=s, listing_id=pk, text=d["text"], received_on=d["received_on"]), _lazy("已登记陈述申辩。")),
    "decide": (ListingDecisionForm, lambda s, pk, d: services.decide_listing(
        actor=s, listing_id=pk, list_it=d["list_it"], reason=d["reason"]), _lazy("已作出决定。")),
    "publish": (None, lambda s, pk, d: services.publish_listing(actor=s, listing_id=pk), _lazy("已公布。")),
    "remove": (RemovalForm, lambda s, pk, d: services.remove_early(
        actor=s, listing_id=pk, paid_on=d["paid_on"], corrected_on=d["corrected_on"], pledge_on=d["pledge_on"],
        reason=d["reason"]), _lazy("已决定提前移出。")),
}


@login_required
@require_POST
def listing_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    staff = _staff(request)
    if step not in LISTING_STEPS:
        raise Http404
    form_class, call, success = LISTING_STEPS[step]
    selectors.listing_detail(staff, pk)  # 404 outside the jurisdiction, before any form message
    if form_class is None:
        run_service(request, lambda: call(staff, pk, {}), success=success)
    else:
        _post(request, form_class(request.POST), lambda d: call(staff, pk, d), success)
    return redirect("credit:listing", pk=pk)


# --- publications ----------------------------------------------------------------------------


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    today = clock.today()
    qs = selectors.publications(staff)
    # The KPI page's click-through: one kind's lists of a year in one state.
    kind, year, state = request.GET.get("kind", ""), request.GET.get("year", ""), request.GET.get("state", "")
    if kind in Publication.Kind.values:
        qs = qs.filter(kind=kind)
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if state in Publication.State.values:
        qs = qs.filter(state=state)
    entries_total = qs.aggregate(n=Count("entries"))["n"] or 0
    table = Table.from_request(request, qs.annotate(n_entries=Count("entries")), sorts=PUBLICATION_SORTS,
                               default="-quarter", default_size=PAGE_SIZE)
    return render(request, "credit/publication_list.html", {
        "table": table, "page": table.page, "filter_errors": table.errors, "kind": kind,
        "kinds": Publication.Kind.choices, "is_leader": has_role(staff, LEADERS), "entries_total": entries_total,
        "form": PublicationForm(initial={"unit": staff.org_unit_id, "year": today.year,
                                         "quarter": (today.month - 1) // 3 + 1})}, status=400 if table.errors else 200)


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    pub = selectors.publication_detail(staff, pk)
    return render(request, "credit/publication_detail.html", {
        "p": pub, "entries": pub.entries.select_related("employer", "case"), "is_leader": has_role(staff, LEADERS),
        "panels": PUBLICATION_PAGE.render(staff, pub)})


@login_required
@require_POST
def publication_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    staff = _staff(request)
    if step == "generate" and pk == 0:
        form = PublicationForm(request.POST)
        pub = _post(request, form, lambda d: services.generate_publication(
            actor=staff, kind=d["kind"], unit_id=d["unit"], year=d["year"], quarter=d["quarter"],
            incentives=d.get("incentives") or ""), _("已生成名单草稿。"))
        return redirect("credit:publication", pk=pub.pk) if pub else redirect("credit:publications")
    selectors.publication_detail(staff, pk)
    if step == "review":
        run_service(request, lambda: services.review_publication(actor=staff, publication_id=pk), success=_("已审核。"))
    elif step == "issue":
        run_service(request, lambda: services.issue_publication(actor=staff, publication_id=pk), success=_("已发布。"))
    else:
        raise Http404
    return redirect("credit:publication", pk=pk)

