"""Reading a workbook of orders (.xlsx): the first sheet, one order a row, headers in Chinese.

Every bad cell is reported with its row and column, and nothing is imported unless every row is
good. The workbook's unpacked size is checked before it is read: a few kilobytes may unpack to a
grid of millions of cells.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from hexie.bridge.models import Source
from hexie.bridge.services import OrderData

MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
COLUMNS = {"来源": "source", "工单编号": "external_ref", "收到时间": "received_at", "标题": "title", "内容": "content",
           "诉求人": "complainant_name", "联系电话": "complainant_phone", "用人单位": "employer_name",
           "区划代码": "org_unit_code", "涉及人数": "workers_count", "金额": "amount_claimed"}
REQUIRED = ("source", "external_ref", "received_at", "title", "complainant_name", "complainant_phone",
            "employer_name", "org_unit_code")
SOURCE_WORDS = {"12345": Source.HOTLINE_12345, "12345热线": Source.HOTLINE_12345, "wage_clue": Source.WAGE_CLUE,
                "全国根治欠薪线索反映平台": Source.WAGE_CLUE, "欠薪线索平台": Source.WAGE_CLUE}


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_orders(upload: Any) -> list[tuple[int, OrderData]]:
    """The orders of a workbook with their row numbers; a ValidationError naming every bad row."""
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(upload) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED_BYTES:
                raise _file_error(gettext("文件解压后过大"))
        upload.seek(0)
        wb = CalamineWorkbook.from_filelike(upload)
        values = wb.get_sheet_by_index(0).to_python(skip_empty_area=False) if wb.sheet_names else []
    except ValidationError:
        raise
    except Exception:  # a zip error, calamine's own errors: the file is not a readable workbook
        raise _file_error(gettext("无法读取该Excel文件（.xlsx）")) from None
    if not values:
        raise _file_error(gettext("文件为空"))
    headers = [_text(v) for v in values[0]]
    missing = [zh for zh, key in COLUMNS.items() if key in REQUIRED and zh not in headers]
    if missing:
        raise _file_error(gettext("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    body = [(i, row) for i, row in enumerate(values[1:], start=2) if any(_text(v) for v in row)]
    if not body:
        raise _file_error(gettext("文件中没有工单"))
    if len(body) > MAX_ROWS:
        raise _file_error(gettext("每个文件最多%(n)s行") % {"n": MAX_ROWS})
    out: list[tuple[int, OrderData]] = []
    errors: dict[str, list[str]] = {}
    for n, row in body:
        cells = {COLUMNS[h]: row[i] if i < len(row) else None for i, h in enumerate(headers) if h in COLUMNS}
        problems: list[str] = []
        for key in REQUIRED:
            if not _text(cells.get(key)):
                label = next(zh for zh, k in COLUMNS.items() if k == key)
                problems.append(gettext("%(label)s为空") % {"label": label})
        source = SOURCE_WORDS.get(_text(cells.get("source")), "")
        if _text(cells.get("source")) and not source:
            problems.append(gettext("来源“%(source)s”无效") % {"source": _text(cells.get("source"))})
        received = cells.get("received_at")
        if isinstance(received, str):
            try:
                received = datetime.fromisoformat(received.strip())
            except ValueError:
                problems.append(gettext("收到时间格式应为 2026-03-02 10:00"))
                received = None
        if received is not None and not isinstance(received, datetime):
            problems.append(gettext("收到时间格式应为 2026-03-02 10:00"))
            received = None
        try:
            workers = int(_text(cells.get("workers_count")) or 1)
            amount = Decimal(_text(cells.get("amount_claimed")) or "0")
        except (ValueError, InvalidOperation):
            problems.append(gettext("涉及人数或金额不是数字"))
            workers, amount = 1, Decimal(0)
        if problems:
            errors[gettext("第%(n)s行") % {"n": n}] = problems
            continue
        assert isinstance(received, datetime)
        if timezone.is_naive(received):
            received = timezone.make_aware(received)
        out.append((n, OrderData(
            source=source, external_ref=_text(cells["external_ref"]), received_at=received,
            title=_text(cells["title"]), content=_text(cells.get("content")),
            complainant_name=_text(cells["complainant_name"]), complainant_phone=_text(cells["complainant_phone"]),
            employer_name=_text(cells["employer_name"]), org_unit_code=_text(cells["org_unit_code"]),
            workers_count=workers, amount_claimed=amount)))
    if errors:
        raise ValidationError(errors)
    return out
