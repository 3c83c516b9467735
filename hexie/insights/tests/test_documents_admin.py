"""Administrators replace a document template in the admin: only a .docx that renders is accepted."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from hexie.insights.models import DocumentKind, DocumentTemplate
from hexie.insights.rendering import DEFAULT_DIR, DEFAULT_FILES, check_template
from hexie.insights.services import documents

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def root_client(client: Any, db: Any) -> Any:
    """A logged-in superuser (not named "admin": the role-named users fixture has one)."""
    from hexie.orgs.models import User

    client.force_login(User.objects.create_superuser("root", "root@bureau.example", "pw-hexie-123"))
    return client


def docx_with(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(root_client: Any, row: DocumentTemplate, data: bytes, name: str = "notice.docx") -> Any:
    url = reverse("admin:insights_documenttemplate_change", args=[row.pk])
    return root_client.post(url, {"name": row.name, "is_active": "on",
                                   "file": SimpleUploadedFile(name, data, content_type=DOCX)})


def row(kind: str = DocumentKind.ACCEPTANCE_NOTICE) -> DocumentTemplate:
    return DocumentTemplate.objects.get(kind=kind)


def test_every_kind_is_seeded_and_every_default_template_passes_the_check() -> None:
    assert set(DocumentTemplate.objects.values_list("kind", flat=True)) == set(DocumentKind.values)
    for kind, filename in DEFAULT_FILES.items():
        check_template(kind, (DEFAULT_DIR / filename).read_bytes())


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"this is not a word file", "notice.docx", "不是有效的Word文档（.docx）"),
    (docx_with("x"), "notice.doc", "请上传Word文档（.docx）"),
    (docx_with("文号：{{ doc.number "), "notice.docx", "模板标签有语法错误"),
    (docx_with("{{ case.no_such_field }}"), "notice.docx", "模板使用了本类文书没有的变量"),
    (docx_with("{%p for d in deadlines %}"), "notice.docx", "模板标签有语法错误"),
], ids=["not-a-zip", "doc-extension", "unclosed-tag", "unknown-field", "unclosed-block"])
def test_a_broken_template_is_refused_with_a_message(root_client: Any, data: bytes, name: str,
                                                     message: str) -> None:
    before = row()
    response = upload(root_client, before, data, name)
    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert message in page
    after = row()
    assert not after.file and after.version == before.version


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="word/document.xml"):
        check_template(DocumentKind.ACCEPTANCE_NOTICE, buf.getvalue())


def test_a_good_template_is_used_for_the_next_document(root_client: Any, make_case: Callable[..., Any],
                                                       users: dict[str, Any]) -> None:
    response = upload(root_client, row(), docx_with("本局受理通知（自定义）", "{{ doc.number }}",
                                                      "{{ case.complainant_name }}：{{ case.employer_name }}"))
    assert response.status_code == 302
    updated = row()
    assert updated.version == 2 and updated.uses_upload and updated.updated_by is not None

    case = make_case("accepted")
    doc = documents.generate_case_document(case_id=case.pk, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=users["desk"])
    assert doc.template_version == 2 and not doc.template_is_default
    with doc.file.open("rb") as f:
        text = "\n".join(p.text for p in Document(f).paragraphs)
    assert "本局受理通知（自定义）" in text and doc.number in text and case.employer_name in text

    # Switching the upload off goes back to the packaged default.
    updated.is_active = False
    updated.save()
    again = documents.generate_case_document(case_id=case.pk, kind=DocumentKind.ACCEPTANCE_NOTICE,
                                             actor=users["desk"])
    assert again.template_is_default


def test_administrators_download_the_template_in_use(root_client: Any, users: dict[str, Any]) -> None:
    url = reverse("insights:template_download", args=["supervision_letter"])
    response = root_client.get(url)
    assert response.status_code == 200
    assert response.content == (DEFAULT_DIR / "supervision_letter.docx").read_bytes()
    assert root_client.get(reverse("insights:template_download", args=["nope"])).status_code == 404
    root_client.force_login(users["leader"])
    assert root_client.get(url).status_code == 404


def test_admin_lists_templates(root_client: Any) -> None:
    page = root_client.get(reverse("admin:insights_documenttemplate_changelist")).content.decode()
    assert "督办函" in page and "系统默认" in page
    change = root_client.get(reverse("admin:insights_documenttemplate_change", args=[row().pk]))
    assert reverse("insights:template_download", args=["acceptance_notice"]) in change.content.decode()
