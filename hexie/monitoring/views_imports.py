"""Staff pages for feed imports: the list, the upload form, a batch's progress and its error report.

Thin: reads and scoping are in ``selectors``, storing and checking in ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from hexie.core.errors import DomainError
from hexie.core.nav import role_required
from hexie.core.tables import Table
from hexie.monitoring import nav, selectors, services
from hexie.monitoring.feeds.messages import localise, localise_errors
from hexie.monitoring.forms_imports import ImportUploadForm, WithdrawForm
from hexie.monitoring.models import Feed, ImportBatch

_RETRYABLE = (ImportBatch.State.REJECTED, ImportBatch.State.FAILED)
_FINISHED = (ImportBatch.State.DONE, ImportBatch.State.REJECTED, ImportBatch.State.FAILED,
             ImportBatch.State.WITHDRAWN)


def _progress_context(batch: ImportBatch) -> dict[str, object]:
    total = batch.rows_total
    percent = 100 if batch.state in _FINISHED else (min(100, batch.rows_done * 100 // total) if total else 0)
    return {"batch": batch, "percent": percent, "finished": batch.state in _FINISHED,
            "errors": localise_errors(batch.errors), "message": localise(batch.message)}


# The import list's sortable columns, newest first by default.
IMPORT_SORTS = {"created": ("created_at", "pk"), "feed": ("feed", "-created_at", "-pk"),
                "state": ("state", "-created_at", "-pk"), "rows": ("rows_total", "pk"), "errors": ("error_count", "pk"),
                "unit": ("org_unit__path", "-created_at", "-pk")}


@login_required
@role_required(nav.IMPORTS.roles)
def import_list(request: HttpRequest) -> HttpResponse:
    """Imports of the user's unit and below, newest first."""
    qs = selectors.imports_for(request.user)
    errors = []
    feed, state = str(request.GET.get("feed") or "").strip(), str(request.GET.get("state") or "").strip()
    if feed and feed not in Feed.values:
        errors.append(gettext("数据类型“%(value)s”无效") % {"value": feed[:20]})
    elif feed:
        qs = qs.filter(feed=feed)
    if state and state not in ImportBatch.State.values:
        errors.append(gettext("状态“%(value)s”无效") % {"value": state[:20]})
    elif state:
        qs = qs.filter(state=state)
    table = Table.from_request(request, qs if not errors else qs.none(), sorts=IMPORT_SORTS, default="-created")
    errors += table.errors
    return render(request, "monitoring/imports.html", {
        "table": table, "page": table.page, "filter_errors": errors, "feed": feed, "state": state,
        "feeds": Feed.choices, "states": ImportBatch.State.choices, "can_import": selectors.can_import(request.user)},
        status=400 if errors else 200)


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    """Upload a feed file; the check runs in the background and the batch page shows its progress."""
    if not selectors.can_import(request.user):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    too_large = (request.method == "POST" and "file" not in request.FILES
                 and int(request.META.get("CONTENT_LENGTH") or 0) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
    if too_large:
        # Uploads are held in memory until stored encrypted; one past that size is not received at
        # all, so say why rather than "choose a file".
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", gettext("文件超过%(mb)s MB的上限") % {"mb": services.max_bytes() // 2**20})
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sub = services.submit_file(feed=form.cleaned_data["feed"], path_or_uploaded=upload,
                                      original_name=upload.name, actor=request.user)  # type: ignore[arg-type]
        except DomainError as exc:
            form.add_error("file", localise(str(exc.message)))
        else:
            if sub.message == services.OTHER_UNIT:
                messages.warning(request, sub.message)
                return redirect("monitoring:imports")
            if not sub.created or sub.message == services.RETRYING:
                messages.info(request, sub.message)
            return redirect("monitoring:import_detail", pk=sub.batch.pk)
    return render(request, "monitoring/imports_new.html", {"form": form, "max_mb": services.max_bytes() // 2**20})


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch: state, a progress bar that refreshes itself until done, and the first errors."""
    batch = selectors.import_for(request.user, pk)
    return render(request, "monitoring/imports_detail.html", _detail_context(request, batch, WithdrawForm()))


def _detail_context(request: HttpRequest, batch: ImportBatch, form: WithdrawForm) -> dict[str, object]:
    return {**_progress_context(batch), "withdraw_form": form,
            "can_withdraw": services.can_withdraw(request.user, batch),  # type: ignore[arg-type]
            "can_retry": batch.state in _RETRYABLE and selectors.can_import(request.user)}


@login_required
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a failed or rejected import again (POST); back to its page, which shows the progress."""
    batch = selectors.import_for(request.user, pk)
    if request.method != "POST":
        return redirect("monitoring:import_detail", pk=batch.pk)
    if not selectors.can_import(request.user):
        raise PermissionDenied
    try:
        services.retry_import(batch_id=batch.pk, actor=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.warning(request, exc.message)
    else:
        messages.info(request, gettext("已重新排队检查"))
    return redirect("monitoring:import_detail", pk=batch.pk)


@login_required
def import_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a whole accepted import, with a reason (POST); its months are evaluated again."""
    batch = selectors.import_for(request.user, pk)
    if request.method != "POST":
        return redirect("monitoring:import_detail", pk=batch.pk)
    if not services.can_withdraw(request.user, batch):  # type: ignore[arg-type]
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            batch, runs = services.withdraw_import(batch_id=batch.pk, actor=request.user,  # type: ignore[arg-type]
                                                   reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, gettext("已撤回导入，并重新检查%(n)s个月的预警") % {"n": len(runs)})
            return redirect("monitoring:import_detail", pk=batch.pk)
    return render(request, "monitoring/imports_detail.html", _detail_context(request, batch, form), status=400)


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment polled by htmx every second (it stops polling once finished)."""
    batch = selectors.import_for(request.user, pk)
    return render(request, "monitoring/_import_progress.html", _progress_context(batch))


@login_required
def import_errors(request: HttpRequest, pk: int) -> FileResponse:
    """The full error report (CSV, UTF-8 with BOM) of a rejected batch."""
    batch = selectors.import_for(request.user, pk)
    if not batch.error_report:
        raise Http404
    try:
        fh = batch.error_report.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(fh, as_attachment=True, filename=f"import-{batch.pk}-errors.csv",
                        content_type="text/csv; charset=utf-8")
