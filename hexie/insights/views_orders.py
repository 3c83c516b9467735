"""Download a rectification order as .docx: whoever may open the order (its district's staff, the
employer's own account) may download it; anyone else gets the same 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from hexie.insights.order_documents import render_order
from hexie.prevention import selectors as prevention

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def order_docx(request: HttpRequest, order_id: int) -> HttpResponse:
    order = prevention.order_detail(request.user, order_id)
    response = HttpResponse(render_order(order), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="order-{order.pk}.docx"'
    return response
