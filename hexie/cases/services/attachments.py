"""Evidence files: what may be uploaded, and storing it on a case."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from hexie.cases.models import Attachment, Case
from hexie.cases.selectors import get_case_for_update
from hexie.cases.services.timeline import add_event
from hexie.cases.workflow import EVIDENCE_STATUSES
from hexie.core.filenames import shorten_name
from hexie.orgs.models import User

ALLOWED_ATTACHMENTS = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".docx": (b"PK",),
    ".xlsx": (b"PK",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    ".m4a": (b"",),
    ".mp4": (b"",),
    ".txt": (b"",),
}


# The longest original name kept (Attachment.original_name); longer ones are shortened, extension kept.
ORIGINAL_NAME_MAX = 200


def check_attachments(files: Sequence[UploadedFile]) -> None:
    """Check a batch of evidence files: how many, and each one's type and size.

    Raises one ValidationError listing every problem, so the worker or clerk fixes them all at once.
    """
    messages: list[str] = []
    if len(files) > settings.ATTACHMENT_MAX_FILES:
        messages.append(gettext("最多上传%(ATTACHMENT_MAX_FILES)s个文件") % {"ATTACHMENT_MAX_FILES": settings.ATTACHMENT_MAX_FILES})
    for f in files:
        try:
            check_attachment(f)
        except ValidationError as exc:
            messages.extend(exc.messages)
    if messages:
        raise ValidationError(messages)


def check_attachment(f: UploadedFile) -> None:
    """One file's type (by its name and its first bytes), size and emptiness; raises a ValidationError."""
    name = (f.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in ALLOWED_ATTACHMENTS:
        raise ValidationError({"attachments": [
            gettext("文件“%(name)s”类型不允许，仅支持 PDF、图片、Word、Excel、音视频") % {"name": f.name}
        ]})
    if f.size is None or f.size > settings.ATTACHMENT_MAX_BYTES:
        mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"attachments": [
            gettext("文件“%(name)s”超过%(mb)sMB") % {"name": f.name, "mb": mb}
        ]})
    if f.size == 0:
        raise ValidationError({"attachments": [gettext("文件“%(name)s”是空文件") % {"name": f.name}]})
    head = f.read(8)
    f.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_ATTACHMENTS[ext]):
        raise ValidationError({"attachments": [
            gettext("文件“%(name)s”的内容与扩展名不符") % {"name": f.name}
        ]})


def store_attachment(*, case: Case, f: UploadedFile, actor: User | None) -> Attachment:
    """Save a checked file under a random name (the original name is kept as a column)."""
    digest = hashlib.sha256(f.name.encode()).hexdigest()[:8] if f.name else "file"
    ext = f.name[f.name.rfind("."):].lower() if f.name and "." in f.name else ""
    att = Attachment(case=case, original_name=shorten_name(f.name or "", ORIGINAL_NAME_MAX), content_type=f.content_type or "",
                     size=f.size or 0, uploaded_by=actor)
    att.file.save(f"{secrets.token_hex(8)}-{digest}{ext}", f, save=False)
    att.save()
    return att


@transaction.atomic
def add_attachment(*, case_id: int, actor: User, uploaded: UploadedFile) -> Attachment:
    """Add one evidence file to a case the actor may see, within the per-case limit."""
    case = get_case_for_update(case_id=case_id, actor=actor)
    if case.status not in EVIDENCE_STATUSES:
        raise ValidationError({"file": [_("案件已%(status)s，案卷不再增加证据材料") % {"status": case.get_status_display()}]})
    check_attachment(uploaded)
    if case.attachments.count() >= settings.ATTACHMENT_MAX_FILES:
        raise ValidationError({"attachments": [gettext("附件数量已达上限")]})
    att = store_attachment(case=case, f=uploaded, actor=actor)
    add_event(case=case, kind="attachment", actor=actor, message=f"上传附件 {att.original_name}")
    return att
