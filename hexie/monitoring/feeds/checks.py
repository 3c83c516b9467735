"""Checking a feed whole: every row against its spec, keys repeated in the file or the lake, and
the error list and report a user fixes the file from.

The checks run in DuckDB over Arrow tables, a block of rows at a time, so a million-row file is
checked in seconds; Python only touches the *distinct* ID numbers (checksum, HMAC lookup) and
project codes. Every row is checked, never stopping at the first error: an import is accepted
whole or not at all, and the user needs the complete list to fix the file in one go.

This module reads no database itself: the registry look-ups (projects in the uploader's scope,
workers, the roster, earlier batches) come through the :class:`Registry` protocol, which
``hexie.monitoring.selectors.FeedRegistry`` implements with the ORM.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.utils.translation import gettext, gettext_noop

from hexie.core.pii import encrypt, lookup_hash
from hexie.core.validators import IDENTIFIER_FORM, is_valid_id_number
from hexie.monitoring import lake
from hexie.monitoring.feeds.attendance import ATTENDANCE
from hexie.monitoring.feeds.columns import RowError, map_headers
from hexie.monitoring.feeds.deposit import DEPOSIT
from hexie.monitoring.feeds.messages import ALREADY_IMPORTED, ALREADY_IMPORTED_OR_CORRECT, DUPLICATE_ROW
from hexie.monitoring.feeds.payroll import PAYROLL
from hexie.monitoring.feeds.readers import EMPTY, UTF8_BOM, RawTable
from hexie.monitoring.feeds.spec import FeedSpec, checks_on, conversion_sql
from hexie.monitoring.feeds.sql import lit

SPECS: dict[str, FeedSpec] = {spec.name: spec for spec in (ATTENDANCE, PAYROLL, DEPOSIT)}
# Rows checked per block: the progress bar moves after each one.
CHUNK_ROWS = 50_000
# What counts as blank around a value: ordinary and full-width spaces, tabs, line ends.
_SPACES = " \t\r\n\u3000"
_IDENTIFIERS = frozenset({"id_number", "bank_card", "project_code"})

ERROR_SCHEMA = pa.schema([("row", pa.int64()), ("field", pa.string()), ("message", pa.string())])


class Registry(Protocol):
    """What the checks need to know from the database, asked once per import with distinct keys."""

    def projects(self, codes: list[str]) -> dict[str, int]:
        """Project code → id, for the codes that exist AND are in the uploader's scope."""
        ...

    def workers(self, id_hashes: list[str]) -> dict[str, int]:
        """Worker.id_hash → worker id, for the hashes on the real-name register."""
        ...

    def roster(self, project_ids: list[int]) -> list[tuple[int, int, date]]:
        """(worker id, project id, entry date) of every roster entry of these projects."""
        ...

    def worker_names(self, worker_ids: list[int]) -> dict[int, str]:
        """Worker id → the name on the real-name register."""
        ...

    def batch_labels(self, batch_ids: list[int]) -> dict[int, str]:
        """Import id → the file name it came from, to name the earlier import in an error."""
        ...


@dataclass
class Outcome:
    """The result of checking one feed: either a lake table (no errors) or the errors."""

    rows_total: int
    errors: pa.Table
    table: pa.Table | None = None
    months: list[int] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return self.errors.num_rows

    @property
    def ok(self) -> bool:
        return self.errors.num_rows == 0 and self.table is not None


def errors_table(items: Iterable[RowError]) -> pa.Table:
    items = list(items)
    return pa.table({"row": pa.array([i[0] for i in items], type=pa.int64()),
                     "field": pa.array([i[1] for i in items], type=pa.string()),
                     "message": pa.array([i[2] for i in items], type=pa.string())}, schema=ERROR_SCHEMA)


def check(
    feed: str,
    raw: RawTable,
    registry: Registry,
    *,
    today: date,
    batch_id: int,
    progress: Callable[[int], None] | None = None,
    lake_files: list[str] | None = None,
) -> Outcome:
    """Check and convert every row of a feed; the lake table only when there is no error at all.

    ``lake_files`` are the feed's earlier accepted files (default: all of ``lake.feed_files``
    except this batch's own), searched for keys this import would repeat.
    """
    if feed not in SPECS:
        raise ValueError(feed)
    spec = SPECS[feed]
    n = raw.num_rows
    index, shown, header_errors = map_headers(spec, raw)
    if header_errors:
        return Outcome(rows_total=n, errors=errors_table(header_errors))

    # The working table: one text column per field (missing optional ones as NULL) and the row number.
    arrays: dict[str, pa.Array] = {"__row": raw.rows}
    for col in spec.columns:
        if col.key not in index:
            arrays[col.key] = pa.nulls(n, pa.string())
            continue
        # Blanks around a value (also full-width spaces from Chinese input methods) are not part of it;
        # the look-ups below and the SQL both see these trimmed values.
        text = pc.utf8_trim(raw.columns[index[col.key]], characters=_SPACES)
        if col.key in _IDENTIFIERS:  # full-width digits and letters → ASCII, as validators.normalise_identifier
            text = pc.utf8_normalize(text, form=IDENTIFIER_FORM)
        arrays[col.key] = pc.ascii_upper(text) if col.key == "id_number" else text  # a final 'x' is the check 'X'
    work = pa.table(arrays)

    con = duckdb.connect()
    try:
        _register_lookups(con, spec, work, registry)
        errs = _row_errors(con, spec, work, shown, today=today, progress=progress)
        errs.append(_repeated_keys(con, spec, shown))
        # Keys already in the lake from earlier imports: name the import that brought them.
        if lake_files is None:
            own = str(lake.batch_path(feed, batch_id))
            lake_files = [f for f in lake.feed_files(feed) if f != own]
        if n and (lake_files or spec.key.corrects):
            errs.append(_lake_overlap(con, spec, lake_files, shown[spec.key.field], registry))

        errors = pa.concat_tables([errors_table(raw.errors),
                                   *[e.select(["row", "field", "message"]).cast(ERROR_SCHEMA) for e in _sorted(errs)]])
        if errors.num_rows:
            errors = errors.sort_by([("row", "ascending")])
            return Outcome(rows_total=n, errors=errors)
        if n == 0:
            return Outcome(rows_total=0, errors=errors_table([(None, "", gettext(EMPTY))]))
        table = _lake_table(con, spec, batch_id)
        months = sorted(int(m) for m in pc.unique(table["month"]).to_pylist() if m is not None)
        return Outcome(rows_total=n, errors=errors, table=table, months=months)
    finally:
        con.close()


def _distinct_text(arr: pa.Array) -> list[str]:
    return [v for v in pc.unique(arr).to_pylist() if v]


def _register_lookups(con: duckdb.DuckDBPyConnection, spec: FeedSpec, work: pa.Table,
                      registry: Registry) -> None:
    """The tables the spec's SQL joins: projects, and for feeds of workers the IDs and the roster.

    Look-ups on distinct values only: a million rows carry a few thousand projects and workers.
    """
    codes = _distinct_text(work["project_code"].combine_chunks())
    projects = registry.projects(codes) if codes else {}
    con.register("projects", pa.table({"code": pa.array(list(projects), pa.string()),
                                       "project_id": pa.array(list(projects.values()), pa.int64())}))
    if not spec.of_workers:
        return
    idns = _distinct_text(work["id_number"].combine_chunks())
    valid = {v: is_valid_id_number(v) for v in idns}
    hashes = {v: lookup_hash(v) for v, ok in valid.items() if ok}
    workers = registry.workers(sorted(set(hashes.values()))) if hashes else {}
    ids = [workers.get(hashes.get(v, "")) for v in idns]
    names = registry.worker_names(sorted({i for i in ids if i is not None})) if workers else {}
    con.register("ids", pa.table({
        "idn": pa.array(idns, pa.string()),
        "valid": pa.array([valid[v] for v in idns], pa.bool_()),
        "worker_id": pa.array(ids, pa.int64()),
        "worker_name": pa.array([names.get(i) if i is not None else None for i in ids], pa.string()),
    }))
    roster = registry.roster(sorted(set(projects.values()))) if projects else []
    con.register("roster", pa.table({
        "worker_id": pa.array([r[0] for r in roster], pa.int64()),
        "project_id": pa.array([r[1] for r in roster], pa.int64()),
        "entry_date": pa.array([r[2] for r in roster], pa.date32()),
    }))


def _row_errors(con: duckdb.DuckDBPyConnection, spec: FeedSpec, work: pa.Table, shown: dict[str, str], *,
                today: date, progress: Callable[[int], None] | None) -> list[pa.Table]:
    """Type every row into the table ``conv`` (the kept columns) and say what is wrong with each bad one.

    One pass per block types the rows and keeps the typed columns with a flag "some check failed"
    (in DuckDB's own format, nothing round-trips through Arrow). Only the flagged rows, usually
    none, are then run through the checks one by one to say what is wrong.
    """
    n = work.num_rows
    conv_sql = conversion_sql(spec)
    checks = checks_on(spec, today)
    err_sql = " UNION ALL ".join(
        f"SELECT __row AS row, {i} AS ord, {lit(shown[c.field])} AS field, "  # noqa: S608  (see the note in feeds.sql)
        f"{c.message_expr} AS message FROM chunk WHERE {c.when}"
        for i, c in enumerate(checks)
    )
    bad_expr = " OR ".join(f"({c.when})" for c in checks)
    keep_sql = f"SELECT __row, {', '.join(spec.keep)}, coalesce({bad_expr}, false) AS bad FROM ({conv_sql}) q"  # noqa: S608  (see the note in feeds.sql)
    for start in range(0, max(n, 1), CHUNK_ROWS):
        con.register("raw", work.slice(start, CHUNK_ROWS))
        con.execute(("CREATE TEMP TABLE conv AS " if start == 0 else "INSERT INTO conv ") + keep_sql)
        con.unregister("raw")
        if progress is not None:
            progress(min(start + CHUNK_ROWS, n))
    errs: list[pa.Table] = []
    bad_rows = con.sql("SELECT __row FROM conv WHERE bad").to_arrow_table()["__row"]
    if len(bad_rows):
        flagged = work.filter(pc.is_in(work["__row"], value_set=bad_rows.combine_chunks()))
        for start in range(0, flagged.num_rows, CHUNK_ROWS):
            con.register("raw", flagged.slice(start, CHUNK_ROWS))
            con.execute(f"CREATE OR REPLACE TEMP TABLE chunk AS {conv_sql}")
            errs.append(con.sql(err_sql).to_arrow_table())
            con.unregister("raw")
    return errs


def _repeated_keys(con: duckdb.DuckDBPyConnection, spec: FeedSpec, shown: dict[str, str]) -> pa.Table:
    """Keys repeated inside the file: the second and later rows name the first."""
    key = spec.key
    key_cols = ", ".join(key.columns)
    not_null = " AND ".join(f"{k} IS NOT NULL" for k in key.columns)
    return con.sql(
        f"WITH dup AS (SELECT {key_cols} FROM conv WHERE {not_null} GROUP BY {key_cols} HAVING count(*) > 1) "  # noqa: S608  (see the note in feeds.sql)
        f"SELECT __row AS row, 1000 AS ord, {lit(shown[key.field])} AS field, "
        f"replace({lit(DUPLICATE_ROW.replace('%(key)s', key.zh))}, '%(row)s', CAST(first AS VARCHAR)) AS message "
        f"FROM (SELECT __row, min(__row) OVER (PARTITION BY {', '.join('c.' + k for k in key.columns)}) AS first "
        f"FROM conv c JOIN dup USING ({key_cols})) WHERE __row > first"
    ).to_arrow_table()


def _sorted(tables: list[pa.Table]) -> list[pa.Table]:
    """Errors by row, then in the order the checks are listed (the order a user reads the row)."""
    out = []
    for t in tables:
        if t.num_rows:
            out.append(t.sort_by([("row", "ascending"), ("ord", "ascending")]) if "ord" in t.column_names else t)
    return out


NOTHING_TO_CORRECT = gettext_noop("没有可更正的原记录（同一人同一项目同一月份）")


def _lake_overlap(con: duckdb.DuckDBPyConnection, spec: FeedSpec, files: list[str], field_name: str,
                  registry: Registry) -> pa.Table:
    """Rows that repeat a key of an earlier import (naming it), and corrections with nothing to correct."""
    key = spec.key
    keys = key.in_lake
    projects = [int(p) for p in con.sql("SELECT DISTINCT project_id FROM conv WHERE project_id IS NOT NULL")
                .fetchnumpy()["project_id"]]
    months = [int(m) for m in con.sql("SELECT DISTINCT month FROM conv WHERE month IS NOT NULL")
              .fetchnumpy()["month"]]
    if not projects or not months:
        return errors_table([])
    on = " AND ".join(f"c.{k} = l.{k}" for k in keys)
    if files:
        file_list = "[" + ", ".join(lit(f) for f in files) + "]"
        source = (f"read_parquet({file_list}, union_by_name = true) WHERE project_id IN "
                  f"({', '.join(map(str, projects))}) AND month IN ({', '.join(map(str, months))})")
    else:  # nothing imported yet: an empty table of the key's shape
        source = "conv WHERE false"
    con.execute(f"CREATE OR REPLACE TEMP TABLE earlier AS SELECT DISTINCT {', '.join(keys)}, "  # noqa: S608  (see the note in feeds.sql)
                f"{'batch_id' if files else 'CAST(NULL AS BIGINT) AS batch_id'} FROM {source}")
    orphans = errors_table([])
    if key.corrects:
        orphans = con.sql(
            f"SELECT c.__row AS row, 2000 AS ord, {lit(field_name)} AS field, {lit(NOTHING_TO_CORRECT)} AS message "  # noqa: S608  (see the note in feeds.sql)
            f"FROM conv c WHERE c.{key.corrects} AND NOT EXISTS (SELECT 1 FROM earlier l WHERE {on}) "
            f"ORDER BY c.__row").to_arrow_table()
    found = con.sql(
        f"SELECT c.__row AS row, min(l.batch_id) AS batch_id FROM conv c JOIN earlier l ON {on} "  # noqa: S608  (see the note in feeds.sql)
        f"WHERE {key.lake_when} GROUP BY c.__row"
    ).to_arrow_table()
    if not found.num_rows:
        return orphans
    batch_ids = sorted(int(b) for b in pc.unique(found["batch_id"]).to_pylist())
    labels = registry.batch_labels(batch_ids)
    con.register("labels", pa.table({
        "batch_id": pa.array(batch_ids, pa.int64()),
        "label": pa.array([labels.get(b, "") for b in batch_ids], pa.string()),
    }))
    con.register("found", found)
    template = lit(ALREADY_IMPORTED_OR_CORRECT if key.corrects else ALREADY_IMPORTED)
    repeated = con.sql(
        f"SELECT f.row, 2000 AS ord, {lit(field_name)} AS field, "  # noqa: S608  (see the note in feeds.sql)
        f"replace(replace({template}, '%(batch)s', CAST(f.batch_id AS VARCHAR)), '%(label)s', l.label) AS message "
        f"FROM found f JOIN labels l USING (batch_id) ORDER BY f.row"
    ).to_arrow_table()
    return pa.concat_tables([repeated, orphans.cast(repeated.schema)]) if orphans.num_rows else repeated


def _lake_table(con: duckdb.DuckDBPyConnection, spec: FeedSpec, batch_id: int) -> pa.Table:
    """The checked rows as the lake stores them."""
    if spec.encrypted:
        column = spec.encrypted
        plain = [r[0] for r in con.sql(
            f"SELECT DISTINCT {column} FROM conv WHERE {column} IS NOT NULL").fetchall()]  # noqa: S608  (see the note in feeds.sql)
        # One Fernet token per distinct value: the same card in many months costs one encryption.
        con.register("tokens", pa.table({"plain": pa.array(plain, pa.string()),
                                         "token": pa.array([encrypt(v) for v in plain], pa.string())}))
    table = con.sql(spec.lake_select).to_arrow_table()
    table = table.append_column("batch_id", pa.array(np.full(table.num_rows, batch_id, dtype=np.int64)))
    return table.select(lake.SCHEMAS[spec.name].names).cast(lake.SCHEMAS[spec.name])


def first_errors(errors: pa.Table, limit: int = 50) -> list[dict[str, Any]]:
    """The first errors as JSON-able dicts {row, field, message} (for the page and the API)."""
    return errors.slice(0, limit).to_pylist()


def write_error_report(errors: pa.Table, out: io.BufferedIOBase | Any) -> None:
    """The error list as CSV (UTF-8 with BOM, so Excel opens the Chinese text correctly)."""
    out.write(UTF8_BOM)
    header = pa.table({gettext("行号"): errors["row"], gettext("字段"): errors["field"], gettext("原因"): errors["message"]})
    pacsv.write_csv(header, out, write_options=pacsv.WriteOptions(include_header=True, quoting_style="needed"))
