"""The wage-arrears detection job, written once in Ibis; runs on DuckDB (embedded) and on Spark.

Pure on purpose: no Django import, so that the benchmark and a Spark cluster can run it without
the project's settings. The Django side builds the roster and project tables from the registry,
calls :func:`find_warnings` and turns each :class:`Finding` into a warning row. ``inputs`` opens
the engine and reads the tables; ``findings`` holds the rules.

Portability rules (the same input gives the same list on both engines): no Python UDFs, months as
integer ``yyyymm``, only date-level comparisons against literal dates computed here in Python (no
timestamps, no time zones), amounts in integer fen. Divisions that feed a threshold are turned into
integer multiplications, and the few derived figures (average pay, a share in percent) are computed
in Python from the integers the engine returns, so no engine's floating point decides a warning.

Cost: attendance is the big input. It is read once, for month M only (the filter on ``month`` lets
the Parquet reader skip other months' row groups), aggregated to one row per worker × project,
joined with the payroll (summed per worker × project in one pass over month M and, for
pay_over_year, the earlier months of its year; only the few pairs with a correction are read
again, see ``findings._pay_by_worker_project``) and materialised (``.cache()``), as are its
per-project sums and the workers over a pay limit; every rule is then derived from those tables,
and all findings come back in two queries (the findings, and their workers).

The rules and their defaults are those of ``domain/rules.md`` §3 ("warning rules seen in real
provincial monitoring platforms").
"""

from __future__ import annotations

from hexie.monitoring.months import add_months, check_month, first_day, last_day
from hexie.monitoring.pipeline.findings import DEFAULT_RULES, MAX_WORKER_IDS, Finding, find_warnings
from hexie.monitoring.pipeline.inputs import SCHEMAS, Inputs, as_table, load_parquet, open_backend

__all__ = [
    "DEFAULT_RULES", "MAX_WORKER_IDS", "SCHEMAS", "Finding", "Inputs", "add_months", "as_table",
    "check_month", "find_warnings", "first_day", "last_day", "load_parquet", "open_backend",
]
