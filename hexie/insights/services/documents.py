"""Issuing a case's official documents (受理通知书, 不予受理通知书, 督办函, 移送函, 调解协议书).

`generate_case_document` checks who asks and whether the document makes sense for the case now
(`document_rules`), numbers it (文号), renders the kind's Word template with the case's data
(`document_context`), stores the file in the case file and adds a "document_generated" entry to
the case timeline, all in one transaction. A document is part of the case file: its record is
the timeline event, not an audit entry.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext

from hexie.cases.models import Case
from hexie.cases.services import add_event, get_case_for_update
from hexie.core import clock
from hexie.core.errors import DomainError, NotPermitted
from hexie.insights.document_context import build_case_context
from hexie.insights.document_rules import document_number, issuer_for, role_refusal, state_refusal
from hexie.insights.formatting import zh
from hexie.insights.models import CASE_DOCUMENT_KINDS, CaseDocument, DocumentKind, DocumentNumberSequence
from hexie.insights.rendering import render_docx, template_row, template_source
from hexie.orgs.models import OrgUnit, User

log = logging.getLogger("hexie.insights")


def _next_number(*, issuer: OrgUnit, kind: str, year: int) -> str:
    """Issue the next 文号 of the issuer, kind and year, e.g. 岳人社受〔2026〕12号.

    The counter row is bumped with a conditional UPDATE inside the issuing transaction: the row
    stays locked until commit, so two clerks issuing at once get different numbers, and a document
    that fails to be stored gives its number back.
    """
    for _attempt in range(2):
        bumped = DocumentNumberSequence.objects.filter(issuer=issuer, kind=kind, year=year).update(
            last=F("last") + 1
        )
        if bumped:
            break
        try:
            with transaction.atomic():
                DocumentNumberSequence.objects.create(issuer=issuer, kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # another clerk created it first: bump it on the next turn
    n = DocumentNumberSequence.objects.filter(issuer=issuer, kind=kind, year=year).values_list(
        "last", flat=True).get()
    return document_number(issuer=issuer, kind=kind, year=year, n=n)


# Official documents and bulletins are Chinese whatever language the person issuing them reads.
@translation.override(settings.LANGUAGE_CODE)
def generate_case_document(*, case_id: int, kind: str, actor: User) -> CaseDocument:
    """Issue an official document on a case: checks, number, render, store, timeline — all or nothing.

    Raises Http404 when the actor may not see the case (as for a case that does not exist),
    NotPermitted when the role may not issue the kind, DomainError when the kind makes no sense
    for the case now (e.g. a refusal notice for an accepted case), ValidationError for an unknown
    kind. Nothing is stored unless everything succeeded.
    """
    if kind not in CASE_DOCUMENT_KINDS:
        raise ValidationError({"kind": [gettext("未知的文书种类")]})
    stored_name = ""
    try:
        with transaction.atomic():
            case = get_case_for_update(case_id=case_id, actor=actor)
            problem = role_refusal(kind, actor)
            if problem:
                raise NotPermitted(problem)
            problem = state_refusal(kind, case)
            if problem:
                raise DomainError(problem, code="document_not_applicable")
            case = Case.objects.select_related("org_unit", "handler", "responsible_leader", "employer").get(pk=case.pk)
            now = clock.now()
            today = clock.today()
            issuer = issuer_for(kind, case, actor)
            number = _next_number(issuer=issuer, kind=kind, year=today.year)
            row = template_row(kind)
            source, is_default = template_source(row)
            context = build_case_context(case, kind, number=number, issuer=issuer, today=today)
            try:
                content = render_docx(source, lambda _tpl: context)
            except Exception as exc:
                log.exception("document template %s v%s failed to render", kind, row.version)
                raise DomainError(
                    gettext("文书模板无法生成（%(error)s），请管理员检查模板") % {"error": type(exc).__name__},
                    code="template_failed",
                ) from exc
            doc = CaseDocument(
                case=case, kind=kind, template=row, template_version=row.version, template_is_default=is_default,
                number=number, issuer=issuer, generated_at=now, generated_by=actor,
            )
            doc.file.save(f"{kind}-{today:%Y%m%d}-{case.number}.docx", ContentFile(content), save=False)
            stored_name = doc.file.name
            doc.save()
            add_event(
                case=case, kind="document_generated", actor=actor,
                message=f"{zh(DocumentKind(kind).label)} {number}",
                data={"document_id": doc.pk, "kind": kind, "number": number},
            )
            return doc
    except BaseException:
        # The database rolled back; the file written inside the transaction must go too.
        if stored_name:
            default_storage.delete(stored_name)
        raise
