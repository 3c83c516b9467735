"""The upload form for feed imports: the feed and one file, with clear messages for what is refused."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.monitoring import feeds, services
from hexie.monitoring.models import Feed


class ImportUploadForm(forms.Form):
    """Pick a feed and a .csv, .xlsx or .parquet file; type and size are checked before storing."""

    feed = forms.ChoiceField(
        label=_("数据类型"), choices=Feed.choices,
        error_messages={"required": _("请选择数据类型"),
                        "invalid_choice": _("数据类型无效")},
    )
    file = forms.FileField(
        label=_("文件（.csv / .xlsx / .parquet）"),
        error_messages={"required": _("请选择要上传的文件"),
                        "empty": _("文件为空"),
                        "invalid": _("未收到文件，请重新选择")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.parquet"}),
    )

    def clean_file(self) -> UploadedFile:
        f: UploadedFile = self.cleaned_data["file"]
        if Path(f.name or "").suffix.lower() not in feeds.EXTENSIONS:
            raise ValidationError(feeds.unsupported_extension(f.name or ""))
        limit = services.max_bytes()
        if (f.size or 0) > limit:
            mb = limit // (1024 * 1024)
            raise ValidationError(gettext("文件超过%(mb)s MB的上限") % {"mb": mb})
        return f


class WithdrawForm(forms.Form):
    """Why a whole import is taken back out of the lake (kept in the audit log)."""

    reason = forms.CharField(
        label=_("撤回原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("请填写撤回原因"),
                        "max_length": _("撤回原因不超过300字")},
    )
