"""Admin: document templates (administrators upload a bureau's own .docx), issued documents, bulletins."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.core.admin import AuditedAdmin, ReadOnlyAdmin
from hexie.insights.models import Bulletin, BulletinRun, CaseDocument, DocumentTemplate
from hexie.insights.rendering import check_template


class DocumentTemplateForm(forms.ModelForm):
    """Checks an uploaded template before it replaces the one in use: a real .docx that renders."""

    class Meta:
        model = DocumentTemplate
        fields = ["kind", "name", "file", "is_active"]

    def clean_file(self) -> Any:
        f = self.cleaned_data.get("file")
        if not f or "file" not in self.changed_data:
            return f
        if not str(f.name).lower().endswith(".docx"):
            raise ValidationError(
                gettext("请上传Word文档（.docx），旧版.doc请先另存为.docx")
            )
        kind = self.cleaned_data.get("kind") or (self.instance.kind if self.instance.pk else "")
        data = f.read()
        f.seek(0)
        check_template(kind, data)
        return f


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(AuditedAdmin):
    form = DocumentTemplateForm
    list_display = ["name", "kind", "in_use", "version", "updated_at", "updated_by"]
    readonly_fields = ["version", "updated_at", "updated_by", "current_template"]
    fields = ["kind", "name", "file", "is_active", "current_template", "version", "updated_at", "updated_by"]

    @admin.display(description=_("使用中"))
    def in_use(self, obj: DocumentTemplate) -> str:
        return gettext("上传版本 v%(version)s") % {"version": obj.version} if obj.uses_upload else gettext("系统默认")

    @admin.display(description=_("当前模板"))
    def current_template(self, obj: DocumentTemplate) -> str:
        if not obj.pk:
            return "—"
        url = reverse("insights:template_download", args=[obj.kind])
        which = gettext("上传版本") if obj.uses_upload else gettext("系统默认")
        return format_html(gettext("<a href=\"{}\">下载（{}），修改后再上传</a>"), url, which)

    def get_readonly_fields(self, request: HttpRequest, obj: DocumentTemplate | None = None) -> Any:
        # The kind is fixed once the row exists: documents already issued point at it.
        return [*self.readonly_fields, "kind"] if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: DocumentTemplate, form: Any, change: bool) -> None:
        if change and "file" in form.changed_data:
            obj.version += 1
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # one row per kind; to go back to the default, untick "use the uploaded template"


@admin.register(CaseDocument)
class CaseDocumentAdmin(ReadOnlyAdmin):
    """Part of the case file: issued from the case page, which numbers them and writes the timeline."""

    list_display = ["number", "kind", "case", "generated_at", "generated_by", "template_version"]
    list_filter = ["kind"]
    search_fields = ["number", "case__number"]


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    """Made by the schedule or the bulletins page (regenerating one replaces it)."""

    list_display = ["title", "kind", "period_start", "period_end", "org_unit", "generated_at", "pdf_note"]
    list_filter = ["kind"]


@admin.register(BulletinRun)
class BulletinRunAdmin(ReadOnlyAdmin):
    """Each generation of a bulletin, written by the generation itself and by the reaper of killed workers."""

    list_display = ["kind", "period_start", "org_unit", "state", "started_at", "finished_at", "requested_by"]
    list_filter = ["state", "kind"]
