"""The pipeline's inputs: a DuckDB or Spark connection, and the tables the job reads (the lake's
Parquet files, or in-memory tables built from the registry), each with exactly its schema."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import ibis
import ibis.expr.types as ir
import pyarrow as pa

# Columns the job reads (the lake files carry more, e.g. batch ids and card tokens: not read).
SCHEMAS: dict[str, pa.Schema] = {
    "attendance": pa.schema([
        ("worker_id", pa.int64()),
        ("project_id", pa.int64()),
        ("work_date", pa.date32()),
        ("month", pa.int32()),
        ("minutes", pa.int32()),
    ]),
    "payroll": pa.schema([
        ("worker_id", pa.int64()),
        ("project_id", pa.int64()),
        ("month", pa.int32()),
        ("days", pa.int32()),
        ("minutes", pa.int32()),
        ("gross_fen", pa.int64()),
        ("net_fen", pa.int64()),
        ("paid_on", pa.date32()),
        ("is_back_pay", pa.bool_()),
        ("batch_id", pa.int64()),  # the import: a correction in a later one supersedes the row
    ]),
    "deposits": pa.schema([
        ("project_id", pa.int64()),
        ("month", pa.int32()),
        ("amount_fen", pa.int64()),
        ("deposited_on", pa.date32()),
    ]),
    "roster": pa.schema([
        ("worker_id", pa.int64()),
        ("project_id", pa.int64()),
        ("entry_date", pa.date32()),
        ("exit_date", pa.date32()),
    ]),
    "projects": pa.schema([
        ("project_id", pa.int64()),
        ("min_wage_fen", pa.int64()),
    ]),
}


class Inputs(NamedTuple):
    """The three lake feeds as tables of one backend."""

    attendance: ir.Table
    payroll: ir.Table
    deposits: ir.Table


def _spark_memory(limit: str) -> str:
    """DuckDB's "3GB" spelled the way the JVM wants it ("3g")."""
    text = limit.strip().lower().replace(" ", "").removesuffix("b").removesuffix("i")
    return text if text[-1:] in "kmgt" else text + "m"


def open_backend(
    engine: str = "duckdb",
    *,
    memory_limit: str = "3GB",
    threads: int | None = None,
    spark_master: str = "local[2]",
) -> Any:
    """A connection for :func:`load_parquet` and :func:`find_warnings`.

    ``duckdb``: an in-memory database limited to ``memory_limit`` (it spills to disk beyond that)
    and ``threads`` (default: all cores). ``pyspark``/``spark``: a Spark session on
    ``spark_master``; on a cluster pass its master URL. A session that already exists is reused
    (Spark allows one per process), in which case its memory can no longer be changed.
    """
    if engine == "duckdb":
        config: dict[str, Any] = {"memory_limit": memory_limit}
        if threads:
            config["threads"] = threads
        return ibis.duckdb.connect(**config)
    if engine in ("pyspark", "spark"):
        from pyspark.sql import SparkSession  # optional dependency: only the Spark path needs it

        builder = (
            SparkSession.builder.master(spark_master)
            .appName("hexie-monitoring")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            # Local runs shuffle a few small aggregates; Spark's default of 200 partitions is all overhead.
            .config("spark.sql.shuffle.partitions", str(threads or 4))
            .config("spark.driver.memory", _spark_memory(memory_limit))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.ui.showConsoleProgress", "false")
        )
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        return ibis.pyspark.connect(session)
    raise ValueError(f"unknown engine: {engine!r} (duckdb, pyspark)")  # a programming error, not a user's


def as_table(kind: str, data: pa.Table | Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]] | None = None,
             ) -> ir.Table:
    """An in-memory input table of ``kind`` (a key of SCHEMAS) with exactly its schema.

    ``data`` is an Arrow table, a mapping of columns or a list of rows; extra columns are dropped.
    ``None`` or no rows gives an empty table of the right schema.
    """
    schema = SCHEMAS[kind]
    if data is None:
        table = schema.empty_table()
    elif isinstance(data, pa.Table):
        table = data.select(schema.names).cast(schema)
    elif isinstance(data, Mapping):
        table = pa.table({name: pa.array(data[name], type=schema.field(name).type) for name in schema.names})
    else:
        table = pa.Table.from_pylist([{name: row.get(name) for name in schema.names} for row in data],
                                     schema=schema)
    return ibis.memtable(table)


def _read_feed(con: Any, kind: str, paths: Sequence[str]) -> ir.Table:
    names = SCHEMAS[kind].names
    if not paths:
        return as_table(kind)
    if con.name == "pyspark":
        # Ibis's Spark reader takes one path; Spark itself takes many.
        name = ibis.util.gen_name(f"hexie_{kind}")
        con._session.read.parquet(*[str(p) for p in paths]).createOrReplaceTempView(name)
        table = con.table(name)
    else:
        table = con.read_parquet(list(map(str, paths)), table_name=ibis.util.gen_name(f"hexie_{kind}"))
    return table.select(*names)


def load_parquet(con: Any, *, attendance: Sequence[str], payroll: Sequence[str], deposits: Sequence[str],
                 ) -> Inputs:
    """The lake's Parquet files as tables of ``con`` (only the columns the job reads).

    An empty list gives an empty table of the right schema, so a city with no deposits yet still runs.
    """
    return Inputs(
        attendance=_read_feed(con, "attendance", attendance),
        payroll=_read_feed(con, "payroll", payroll),
        deposits=_read_feed(con, "deposits", deposits),
    )
