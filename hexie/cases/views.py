"""Staff pages: the queue, a case's file, registration, actions, supervision. Thin: the work is in
services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from hexie.cases import nav, selectors, services
from hexie.cases.chapters import chapters
from hexie.cases.filters import CaseFilter, QueueFilter, SupervisionFilter
from hexie.cases.forms import (
    ActionForm,
    AttachmentForm,
    ExtendForm,
    IntakeForm,
    RegistryLinkForm,
    RestartForm,
)
from hexie.cases.models import Attachment, CaseType, Deadline, Referral, Status, Supervision, Track
from hexie.cases.panels import CASE_FILE
from hexie.cases.search import QueueSearchPaginator
from hexie.cases.services import registry
from hexie.cases.services.clocks import RESTARTABLE_STATUSES
from hexie.cases.workflow import EVIDENCE_STATUSES
from hexie.core import clock
from hexie.core.enums import RiskLevel
from hexie.core.forms import submit
from hexie.core.nav import role_required
from hexie.core.tables import Table
from hexie.core.templatetags.hexie import risk_badge
from hexie.core.views import form_errors_text, run_service
from hexie.orgs.models import OrgUnit
from hexie.orgs.scoping import BUREAU_STAFF, LEADERS, PARTNERS, has_role, restrict
from hexie.workcal.rules import shift_working_days
from hexie.workcal.selectors import get_calendar

# The queue's sortable columns (?sort=key, -key for the other way): only these, each with its
# tie-breaks, so that a URL cannot order by an arbitrary column.
QUEUE_SORTS = {
    "due": ("next_due_on", "-received_at", "-id"),
    "received": ("received_at", "id"),
    "number": ("number",),
    "workers": ("workers_count", "-received_at", "-id"),
    "status": ("status", "next_due_on", "-id"),
}

# The most cases a search counts before the queue says "more than 1000" (20 pages of 50): a search
# is narrowed by typing more, not by paging further. Counting stops there, so a one-character
# search that matches a third of a million cases costs what a rarer one does (bench/search.py).
SEARCH_COUNT_LIMIT = 1_000

# From how many cases an unfiltered queue shows the planner's "about N" instead of counting them
# (hexie.core.tables.EstimatedPaginator): below it the count is exact and cheap.
QUEUE_ESTIMATE_ABOVE = 50_000

# The filters behind the dashboards' figures (hexie.insights): no control of their own on the
# queue, so a list opened from a figure keeps them as hidden fields and names them.
KPI_FILTERS = ("received_from", "received_to", "accepted_from", "accepted_to", "track_accepted_from",
               "track_accepted_to", "resolved_from", "resolved_to", "closed_from", "closed_to", "open_on",
               "track_open_on", "stage", "limit", "track", "disputes", "conclusion",
               "closed_by", "ended", "dispute_cause", "outcome", "satisfaction_min", "satisfaction_max", "repeat")


# What queue_rows reads of each case, fetched as plain values: a page of model instances (the case,
# its unit and its handler each) cost more Python than finding and counting the cases.
QUEUE_COLUMNS = ("pk", "number", "is_collective", "cluster_id", "risk_level", "case_type", "employer_name",
                 "workers_count", "status", "next_due_on", "received_at", "org_unit__name", "handler__full_name",
                 "handler__username")


# One line of the queue. Written here rather than in the template: a template loop with its tags,
# filters and display methods cost more per page than finding and counting the cases (bench/README.md).
_LINE = ('<tr>\n  <td><a href="{}">{}</a>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n'
         '  <td class="text-end">{}</td>\n  <td>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n'
         '  <td class="text-nowrap">{}</td>\n  <td class="text-nowrap">{}</td>\n</tr>\n')


def queue_rows(cases: Any, *, today: date, soon: Callable[[], date]) -> list[SafeString]:
    """The page's cases (rows of QUEUE_COLUMNS) as queue lines (``<tr>``): the number linked to the
    case, its collective and cluster badges, the risk badge, type, employer cut to 24 characters,
    workers, status, unit, handler, the due date with "overdue" / "due soon", the receipt time.
    Labels are looked up once per page, not once per line. ``soon()`` is the last day that counts
    as due soon, asked for only when a line has a due date from today on (a page of overdue or
    finished cases needs no calendar)."""
    link = escape(reverse("cases:detail", args=[0])[:-2])  # ".../cases/0/" without "0/"
    overdue, due_soon = " " + escape(gettext("超期")), " " + escape(gettext("临期"))
    collective = format_html(' <span class="badge bg-dark">{}</span>', gettext("集体"))
    clustered = format_html(' <span class="badge bg-secondary">{}</span>', gettext("聚集"))
    badges = {level: risk_badge(level) for level in RiskLevel.values}
    types = {v: escape(str(label)) for v, label in CaseType.choices}
    statuses = {v: escape(str(label)) for v, label in Status.choices}
    rows = []
    soon_on: date | None = None
    # Each value is escaped as format_html would (stdlib html.escape, which Django's escape applies),
    # and the markup pieces (badges, the due date) are built from escaped parts: the same line, without
    # the lazy-string checks of format_html's escaping on each of a page's six hundred values.
    for (pk, number, is_collective, cluster_id, risk_level, case_type, name, workers, status, next_due_on,
         received_at, unit_name, handler_full_name, handler_username) in cases:
        due = "—"
        if next_due_on:
            css, word = "", ""
            if next_due_on < today:
                css, word = "overdue", overdue
            else:
                soon_on = soon_on or soon()
                if next_due_on <= soon_on:
                    css, word = "due-soon", due_soon
            due = f'<span class="{css}">{next_due_on.isoformat()}{word}</span>'
        marks = (collective if is_collective else "") + (clustered if cluster_id else "")
        # A handler's display name: the full name, else the user name (User.display_name).
        handler = (handler_full_name or handler_username) if handler_username is not None else ""
        rows.append(SafeString(_LINE.format(
            f"{link}{pk}/", escape(number), marks, badges.get(risk_level) or risk_badge(risk_level),
            types[case_type] if case_type in types else escape(case_type),
            escape(name if len(name) <= 24 else name[:23] + "…"), escape(str(workers)),
            statuses[status] if status in statuses else escape(status), escape(unit_name), escape(handler or "—"),
            due, escape(timezone.localtime(received_at).strftime("%Y-%m-%d %H:%M")),
        )))
    return rows


# The queue's four selects: their labels and options are the models' fixed choices, worked out
# once per process and language instead of through the filter form's fields on every view.
QUEUE_SELECTS = ("case_type", "status", "risk_level", "channel")
_SELECTS: dict[str, dict[str, tuple[str, list[tuple[str, str]]]]] = {}


def queue_selects() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Label and (value, label) options of each of the queue's selects, in the active language."""
    language = get_language() or settings.LANGUAGE_CODE
    known = _SELECTS.get(language)
    if known is None:
        fields = {name: CaseFilter.base_filters[name].field for name in QUEUE_SELECTS}
        known = _SELECTS[language] = {
            name: (str(field.label), [(str(value), str(label)) for value, label in field.choices])  # type: ignore[attr-defined]
            for name, field in fields.items()}
    return known


@login_required
@role_required(nav.QUEUE.roles)
def queue(request: HttpRequest) -> HttpResponse:
    """My queue: everything in my jurisdiction, what is due first on top, with the filters."""
    base = selectors.queue(request.user)  # the jurisdiction resolved once for the request
    # A text search's rows are found by the paginator (hexie.cases.search), not by the filter.
    f = QueueFilter(request.GET or None, queryset=base, request=request, leave_text_search=True)
    filter_errors: list[str] = []
    if f.is_bound and not f.is_valid():
        # A tampered or stale link: say which filter is wrong rather than quietly listing everything.
        filter_errors = [f"{f.form.fields[name].label}：{m}" if name in f.form.fields else str(m)
                         for name, msgs in f.form.errors.items() for m in msgs]
        qs = base.none()
    else:
        qs = f.qs if f.is_bound else base
    # A search can match most of a million cases ("5", "公司"): count up to a limit, not all of them.
    searching = bool(str(request.GET.get("q") or "").strip())
    # Nothing narrows the jurisdiction: a city's whole queue is "about N", not counted on every view.
    narrowed = any(str(request.GET.get(name) or "").strip() for name in QueueFilter.base_filters)
    text = f.text_search if not filter_errors else ""
    table = Table.from_request(request, qs, sorts=QUEUE_SORTS, default="due",
                               count_limit=SEARCH_COUNT_LIMIT if searching else None,
                               estimate_above=None if narrowed else QUEUE_ESTIMATE_ABOVE,
                               paginator=(lambda rows, size: QueueSearchPaginator(
                                   rows, size, limit=SEARCH_COUNT_LIMIT, term=text)) if text else None)
    filter_errors += table.errors
    page = table.page
    # Only the columns a queue line shows, as plain values: a case row is wide (its phone and ID
    # number would be decrypted for every line), and model instances cost more Python than the
    # page's SQL. Taken from the page's slice (a QuerySet), so the count above stays a count of
    # cases alone.
    cases = page.object_list.values_list(*QUEUE_COLUMNS)  # type: ignore[attr-defined]
    districts = restrict(OrgUnit.objects.exclude(level="community"), request.user).filter(
        level__in=["city", "district"])
    today = timezone.localdate()

    def soon() -> date:
        # "Due soon" means what the supervision sweep reminds about: within N working days.
        return shift_working_days(get_calendar(), today, settings.SUPERVISION_DUE_SOON_WORKING_DAYS)

    ctx = {"filter": f, "page": page, "rows": queue_rows(cases, today=today, soon=soon), "table": table,
           "selects": queue_selects(),
           "districts": districts, "query": table.query, "filter_errors": filter_errors,
           # The dashboards' conditions a figure opened the list with: kept as hidden fields, and named.
           "kpi_filters": [f.form[name] for name in KPI_FILTERS if name in f.form.fields and f.form[name].value()],
           "can_register": has_role(request.user, nav.REGISTER.roles)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/_queue_table.html", ctx)
    return render(request, "cases/queue.html", ctx)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_detail(request.user, pk)
    today = timezone.localdate()
    deadlines = list(case.deadlines.select_related("rule").order_by("state", "due_on"))
    for d in deadlines:
        d.days_left = (d.due_on - today).days  # type: ignore[attr-defined]
    linked = []
    if case.cluster_id:
        linked = list(selectors.case_queryset(request.user).filter(cluster_id=case.cluster_id).exclude(pk=case.pk)
                      .only("pk", "number", "employer_name", "status", "received_at")[:20])
    ctx = {
        "case": case,
        "today": today,
        "deadlines": deadlines,
        # The file read as chapters, one per track the case went along; newest first, as the list was.
        "chapters": [
            {"title": c.title, "track": c.track, "events": c.events[::-1]}
            for c in reversed(chapters(case.events.select_related("actor").order_by("at", "id")))
        ],
        "actions": services.allowed_actions(case, request.user),  # type: ignore[arg-type]
        "action_form": ActionForm(user=request.user, case=case, initial={"version": case.version}),
        "extend_form": ExtendForm(),
        "restart_form": RestartForm(),
        "attachment_form": AttachmentForm(),
        "attachments": case.attachments.all(),
        "referrals": case.referrals.select_related("agency"),
        "linked": linked,
        "can_extend": has_role(request.user, LEADERS),
        "can_answer_referrals": has_role(request.user, PARTNERS),
        "can_add_evidence": case.status in EVIDENCE_STATUSES,
        "is_arbitration": case.track == Track.ARBITRATION and case.status in RESTARTABLE_STATUSES,
    }
    if has_role(request.user, BUREAU_STAFF):
        ctx["registry"] = registry.suggestions(case, request.user)
    # What other apps add to the case page (issued documents…), already scoped to the user.
    ctx["panels"] = CASE_FILE.render(request.user, case)
    return render(request, "cases/detail.html", ctx)


@login_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, change or remove the case's link to a registered employer or project."""
    form = RegistryLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form.errors))
    else:
        run_service(request, lambda: registry.link_registry(
            case_id=pk, actor=request.user, **form.params()),  # type: ignore[arg-type]
            success=gettext("已更新关联"))
    return redirect("cases:detail", pk=pk)


@login_required
@role_required(nav.REGISTER.roles)
def register(request: HttpRequest) -> HttpResponse:
    """Register a visit, call, letter or 12345 work order."""
    form = IntakeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        case = submit(form, lambda: services.register_case(
            data=form.to_intake(), actor=request.user,  # type: ignore[arg-type]
            attachments=form.cleaned_data.get("attachments") or []))
        if case is not None:
            messages.success(request, gettext("已登记案件 %(number)s") % {"number": case.number})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/register.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    # The same form as on the page, for this case: a conclusion its track cannot reach is refused here too.
    form = ActionForm(request.POST, user=request.user, case=selectors.case_detail(request.user, pk))
    if not form.is_valid():
        messages.error(request, form_errors_text(form.errors))
    else:
        run_service(request, lambda: services.transition(
            case_id=pk, actor=request.user, name=name,  # type: ignore[arg-type]
            expected_version=form.cleaned_data.get("version"), **form.params()), success=gettext("操作成功"))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def extend(request: HttpRequest, pk: int, deadline_id: int) -> HttpResponse:
    deadline = selectors.case_part(request.user, pk, Deadline, deadline_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写延期理由"))
    else:
        run_service(request, lambda: services.extend_deadline(
            deadline_id=deadline.pk, actor=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"]), success=gettext("期限已延长"))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def restart(request: HttpRequest, pk: int) -> HttpResponse:
    form = RestartForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择事由"))
    else:
        run_service(request, lambda: services.restart_clock(
            case_id=pk, actor=request.user,  # type: ignore[arg-type]
            ground=form.cleaned_data["ground"], note=form.cleaned_data.get("note", "")),
            success=gettext("审理期限已重新计算"))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("请选择文件"))
    else:
        run_service(request, lambda: services.add_attachment(
            case_id=pk, actor=request.user, uploaded=form.cleaned_data["file"]),  # type: ignore[arg-type]
            success=gettext("附件已上传"))
    return redirect("cases:detail", pk=pk)


@login_required
def attachment(request: HttpRequest, pk: int, att_id: int) -> FileResponse:
    att = selectors.case_part(request.user, pk, Attachment, att_id)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name)


# The supervision list's sortable columns. Days overdue grow as the earliest running due date
# goes back: "-overdue" (the default, most overdue first) is the earliest due date first.
SUPERVISION_SORTS = {
    "overdue": ("-next_due_on", "level", "id"),
    "level": ("level", "next_due_on", "id"),
    "latest": ("last_supervised", "id"),
    "number": ("number",),
}


@login_required
@role_required(nav.SUPERVISION_LIST.roles)
def supervision(request: HttpRequest) -> HttpResponse:
    """The supervision list (督办): one row per case, with the level it reached and its days
    overdue, the most overdue first; filters and sort kept in the URL."""
    cases = selectors.supervised_cases(request.user)
    f = SupervisionFilter(request.GET or None, queryset=cases, request=request)
    filter_errors: list[str] = []
    if f.is_bound and not f.is_valid():
        filter_errors = [f"{f.form.fields[name].label}：{m}" if name in f.form.fields else str(m)
                         for name, msgs in f.form.errors.items() for m in msgs]
        qs = cases.none()
    else:
        qs = f.qs if f.is_bound else cases
    table = Table.from_request(request, qs, sorts=SUPERVISION_SORTS, default="-overdue")
    filter_errors += table.errors
    today = clock.today()
    levels = {n: label for kind, n in selectors.SUPERVISION_LEVELS.items()
              for value, label in Supervision.Kind.choices if value == kind}
    for case in table.page:
        due = case.next_due_on
        case.days_overdue = (today - due).days if due is not None and due < today else 0  # type: ignore[attr-defined]
        case.level_kind = next(k for k, n in selectors.SUPERVISION_LEVELS.items() if n == case.level)  # type: ignore[attr-defined]
        case.level_label = levels[case.level]  # type: ignore[attr-defined]
    districts = restrict(OrgUnit.objects.all(), request.user).filter(level__in=["city", "district"])
    return render(request, "cases/supervision.html", {
        "filter": f, "table": table, "page": table.page, "today": today, "filter_errors": filter_errors,
        "query": request.GET.copy(), "districts": districts, "levels": Supervision.Kind.choices,
        "can_acknowledge": has_role(request.user, LEADERS)}, status=400 if filter_errors else 200)


@login_required
@require_POST
def acknowledge(request: HttpRequest, sup_id: int) -> HttpResponse:
    run_service(request, lambda: services.acknowledge_supervision(
        supervision_id=sup_id, actor=request.user, note=request.POST.get("note", "")),  # type: ignore[arg-type]
        success=gettext("已签收"))
    return redirect("cases:supervision")


@login_required
@require_POST
def answer_referral(request: HttpRequest, pk: int, referral_id: int) -> HttpResponse:
    referral = selectors.case_part(request.user, pk, Referral, referral_id)
    run_service(request, lambda: services.answer_referral(
        referral_id=referral.pk, actor=request.user, answer=request.POST.get("answer", "")),  # type: ignore[arg-type]
        success=gettext("已答复"))
    return redirect("cases:detail", pk=pk)
