"""Evidence files behind an answer or an order's reply: the same type and size checks as a case's files."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from hexie.cases.services.attachments import check_attachment
from hexie.core import clock
from hexie.core.filenames import shorten_name
from hexie.orgs.models import User
from hexie.prevention.models import Answer, Evidence, RectificationOrder

#: Photos and files kept per answer or per order.
MAX_EVIDENCE = 10


def check_files(files: Sequence[UploadedFile], *, already: int = 0) -> None:
    """Refuse the whole batch if any file is of a wrong type, too large, empty, or one too many."""
    messages: list[str] = []
    if already + len(files) > MAX_EVIDENCE:
        messages.append(_("每项最多%(n)d个证据文件") % {"n": MAX_EVIDENCE})
    for f in files:
        try:
            check_attachment(f)
        except ValidationError as exc:
            messages.extend(exc.messages)
    if messages:
        raise ValidationError({"files": messages})


def store(*, files: Sequence[UploadedFile], actor: User, answer: Answer | None = None,
          order: RectificationOrder | None = None) -> list[Evidence]:
    employer_id = answer.assessment.employer_id if answer is not None else order.employer_id  # type: ignore[union-attr]
    out = []
    for f in files:
        name = f.name or "file"
        ext = name[name.rfind("."):].lower() if "." in name else ""
        ev = Evidence(employer_id=employer_id, answer=answer, order=order, original_name=shorten_name(name, 200),
                      content_type=(f.content_type or "")[:100], size=f.size or 0, uploaded_by=actor,
                      uploaded_at=clock.now())
        ev.file.save(f"{secrets.token_hex(12)}{ext}", f, save=False)
        ev.save()
        out.append(ev)
    return out



