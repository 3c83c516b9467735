"""The upload form for feed imports: the feed and one file, with clear messages for what is refused."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from hexie.monitoring import feeds, services
from hexie.monitoring.models import Feed


class ImportUploadForm(forms.Form):
    """Pick a feed and a .csv, .xlsx or .parquet file; type and size are checked before storing."""

    feed = forms.ChoiceField(
        label="数据类型 Feed", choices=Feed.choices,
        error_messages={"required": "请选择数据类型 / Choose a feed.",
                        "invalid_choice": "数据类型无效 / Not a valid feed."},
    )
    file = forms.FileField(
        label="文件 File (.csv / .xlsx / .parquet)",
        error_messages={"required": "请选择要上传的文件 / Choose a file to upload.",
                        "empty": "文件为空 / The file is empty.",
                        "invalid": "未收到文件，请重新选择 / No file was received; choose it again."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.parquet"}),
    )

    def clean_file(self) -> UploadedFile:
        f: UploadedFile = self.cleaned_data["file"]
        if Path(f.name or "").suffix.lower() not in feeds.EXTENSIONS:
            raise ValidationError(feeds.unsupported_extension(f.name or ""))
        limit = services.max_bytes()
        if (f.size or 0) > limit:
            mb = limit // (1024 * 1024)
            raise ValidationError(f"文件超过{mb} MB的上限 / The file is larger than the {mb} MB limit.")
        return f


class WithdrawForm(forms.Form):
    """Why a whole import is taken back out of the lake (kept in the audit log)."""

    reason = forms.CharField(
        label="撤回原因 Reason", max_length=300, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": "请填写撤回原因 / Give the reason for withdrawing the import.",
                        "max_length": "撤回原因不超过300字 / The reason must be at most 300 characters."},
    )
