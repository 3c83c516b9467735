"""Feed files for the import tests: a small registry's project codes and workers, CSV bytes,
running an import now, and reading back what reached the lake."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from hexie.core.validators import id_check_char
from hexie.monitoring import lake
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.services import imports

YL = "XM-YL-001"  # a Yuelu project
FR = "XM-FR-001"  # a Furong project
ENTRY = dt.date(2024, 1, 1)


def make_id(i: int) -> str:
    first17 = f"43010419900101{i:03d}"
    return first17 + id_check_char(first17)


IDS = [make_id(i) for i in range(1, 8)]
OFF_ROSTER = make_id(99)  # a valid ID of a registered worker who is on no project's roster


def attendance_rows(n: int = 7, project: str = YL, start: dt.date = dt.date(2024, 3, 1)) -> list[list[str]]:
    return [[project, IDS[i % len(IDS)], (start + dt.timedelta(days=i // len(IDS))).isoformat(), "8.5"]
            for i in range(n)]


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


ATT_HEADER = ["projectCode", "idCardNumber", "date", "workHours"]
PAY_HEADER = ["projectCode", "idCardNumber", "payMonth", "totalPayAmount", "actualAmount", "balanceDate",
              "isBackPay", "isCorrection"]


def pay_rows(workers: range, *, project: str = YL, month: str = "2024-03", paid_on: str = "2024-04-10",
             gross: str = "6000", back: str = "", corr: str = "") -> list[list[str]]:
    """Payroll rows (PAY_HEADER) for IDS[i], i in ``workers``: paid in full on ``paid_on`` ("" = not yet)."""
    return [[project, IDS[i], month, gross, gross, paid_on, back, corr] for i in workers]


def run(user: Any, feed: str, name: str, data: bytes) -> ImportBatch:
    return imports.import_file(feed=feed, path_or_uploaded=io.BytesIO(data), original_name=name, actor=user,
                               run_now=True)


def lake_rows(feed: str) -> list[dict[str, Any]]:
    files = lake.feed_files(feed)
    return pa.concat_tables([pq.read_table(f) for f in files]).to_pylist() if files else []
