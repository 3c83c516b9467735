"""The data lake: monitoring feeds as Parquet files, one file per accepted import.

Layout: ``LAKE_DIR/<feed>/batch-<import id>.parquet``. A file appears only when its whole import
was accepted (written to a temporary name, then renamed), so a reader never sees half an import.
Amounts are integer fen and months integer yyyymm, so that DuckDB and Spark compute the same
figures exactly (no floating-point or time-zone differences between the engines).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

# One schema per feed; importers convert every source format into these columns.
SCHEMAS: dict[str, pa.Schema] = {
    "attendance": pa.schema([
        ("worker_id", pa.int64()),
        ("project_id", pa.int64()),
        ("work_date", pa.date32()),
        ("month", pa.int32()),  # yyyymm of work_date
        ("minutes", pa.int32()),  # time on site that day
        ("batch_id", pa.int64()),
    ]),
    "payroll": pa.schema([
        ("worker_id", pa.int64()),
        ("project_id", pa.int64()),
        ("month", pa.int32()),  # pay month (payMonth), yyyymm
        ("days", pa.int32()),
        ("minutes", pa.int32()),
        ("gross_fen", pa.int64()),  # totalPayAmount
        ("net_fen", pa.int64()),  # actualAmount
        ("paid_on", pa.date32()),  # null: not paid yet
        ("bank_card_token", pa.string()),  # Fernet-encrypted card number
        ("bank_card_last4", pa.string()),
        ("is_back_pay", pa.bool_()),
        ("is_correction", pa.bool_()),  # supersedes the earlier row of the same worker × project × month
        ("batch_id", pa.int64()),
    ]),
    "deposit": pa.schema([
        ("project_id", pa.int64()),
        ("month", pa.int32()),
        ("amount_fen", pa.int64()),
        ("deposited_on", pa.date32()),
        ("batch_id", pa.int64()),
    ]),
}


def lake_dir() -> Path:
    return Path(settings.LAKE_DIR)


def feed_dir(feed: str) -> Path:
    return lake_dir() / feed


def batch_path(feed: str, batch_id: int) -> Path:
    return feed_dir(feed) / f"batch-{batch_id}.parquet"


def write_batch(feed: str, batch_id: int, table: pa.Table) -> Path:
    """Write one accepted import atomically; returns the final path."""
    table = table.select(SCHEMAS[feed].names).cast(SCHEMAS[feed])
    final = batch_path(feed, batch_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, final)
    return final


def withdrawn_path(feed: str, batch_id: int) -> Path:
    """Where a withdrawn import's file is kept: outside the feed's folder, so no reader sees it."""
    return lake_dir() / "withdrawn" / feed / f"batch-{batch_id}.parquet"


def withdraw_batch(feed: str, batch_id: int) -> bool:
    """Take one import out of the lake in one rename (kept aside); False if it had no file."""
    src, dst = batch_path(feed, batch_id), withdrawn_path(feed, batch_id)
    if not src.exists():
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)
    return True


def restore_batch(feed: str, batch_id: int) -> None:
    """Undo :func:`withdraw_batch` (the withdrawal could not be recorded)."""
    os.replace(withdrawn_path(feed, batch_id), batch_path(feed, batch_id))


def remove_batch(feed: str, batch_id: int) -> None:
    batch_path(feed, batch_id).unlink(missing_ok=True)


def feed_files(feed: str) -> list[str]:
    """The accepted files of a feed (possibly none)."""
    d = feed_dir(feed)
    return sorted(str(p) for p in d.glob("batch-*.parquet")) if d.exists() else []


# The lake's encrypted columns (Fernet tokens), per feed: a PII key rotation re-encrypts them.
TOKEN_COLUMNS: dict[str, list[str]] = {
    feed: [name for name in schema.names if name.endswith("_token")] for feed, schema in SCHEMAS.items()
}


def rotate_tokens() -> int:
    """Re-encrypt the lake's tokens under the newest PII key, a file at a time (each replaced
    atomically); files already current are left alone, so an interrupted run resumes. Returns
    how many files were rewritten."""
    from hexie.crypto import cipher

    rewritten = 0
    for feed, columns in TOKEN_COLUMNS.items():
        if not columns:
            continue
        for name in feed_files(feed):
            table = pq.read_table(name)
            changed = False
            for column in columns:
                values = table.column(column).to_pylist()
                new = [cipher.rotate(v) if v and not cipher.is_current(v) else v for v in values]
                if new != values:
                    table = table.set_column(table.schema.get_field_index(column), column, pa.array(new, pa.string()))
                    changed = True
            if changed:
                tmp = Path(name).with_suffix(".parquet.tmp")
                pq.write_table(table.cast(SCHEMAS[feed]), tmp, compression="zstd")
                os.replace(tmp, name)
                rewritten += 1
    return rewritten
