"""Evidence files are encrypted on disk, and the handler downloads them in clear."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hexie.cases.services.attachments import add_attachment

# A PDF (by its magic bytes) holding a payslip: an ID number and a bank card.
PAYSLIP = b"%PDF-1.4\n430104199001011234 6222021234567890123 " + b"x" * 300_000 + b"\n%%EOF\n"


def test_an_attachment_is_encrypted_on_disk_and_downloads_in_clear(make_case, users, client, settings):
    case = make_case()
    att = add_attachment(case_id=case.pk, actor=users["desk"],
                         uploaded=SimpleUploadedFile("工资条.pdf", PAYSLIP, content_type="application/pdf"))
    on_disk = Path(settings.MEDIA_ROOT, att.file.name).read_bytes()
    assert b"430104199001011234" not in on_disk and b"6222021234567890123" not in on_disk
    client.force_login(users["handler"])
    response = client.get(reverse("cases:attachment", args=[case.pk, att.pk]))
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(PAYSLIP)
    assert b"".join(response.streaming_content) == PAYSLIP
