"""Case documents: issue one from the case page, download one. Thin: the work is in services.documents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hexie.core.views import run_service
from hexie.insights import documents
from hexie.insights.models import DocumentKind
from hexie.insights.rendering import template_row, template_source
from hexie.insights.services.documents import generate_case_document

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_POST
def generate(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    run_service(request, lambda: generate_case_document(
        case_id=case_id, kind=kind, actor=request.user),  # type: ignore[arg-type]
        success=lambda doc: gettext("已生成%(get_kind_display)s，文号%(number)s") % {"get_kind_display": doc.get_kind_display(), "number": doc.number})
    return redirect("cases:detail", pk=case_id)


@login_required
def download(request: HttpRequest, document_id: int) -> FileResponse:
    doc = documents.case_documents_for(request.user, document_id)
    if doc is None or not doc.file:
        raise Http404(gettext("未找到"))
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.download_name)


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The template a kind uses now (the upload or the packaged default), for an administrator to edit."""
    user = request.user
    if not (user.is_superuser or (user.is_staff and getattr(user, "is_bureau_admin", False))):
        raise Http404(gettext("未找到"))
    if kind not in DocumentKind.values:
        raise Http404(gettext("未找到"))
    source, is_default = template_source(template_row(kind))
    name = f"{kind}-{'default' if is_default else 'uploaded'}.docx"
    response = HttpResponse(source, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
