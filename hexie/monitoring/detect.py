"""What the detection job finds: registry + lake → pipeline → findings. Reads only.

The job (``services.monitor.run_monitor``) asks this module for the active rules and each
project's minimum wage, builds the roster and project tables from the registry, runs the pure
pipeline (``hexie.monitoring.pipeline``, DuckDB or Spark) over the lake's Parquet files, and adds
the one rule computed here from cases (open complaints against a project). Every finding comes
back as a :class:`Found`, ready to become a warning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from hexie.cases.models import OPEN_STATUSES, Case, Channel
from hexie.employers.models import Project, RosterEntry
from hexie.monitoring import lake
from hexie.monitoring import rules as R
from hexie.monitoring.models import MinimumWage, WarningRule
from hexie.monitoring.months import first_day, last_day

ENGINES = ("duckdb", "spark")


class MonitorError(Exception):
    """The job could not run (bad month, engine not installed, unreadable lake): a clear message."""


def check_engine(engine: str) -> str:
    """The engine name the pipeline understands; a clear MonitorError when it cannot run here."""
    if engine not in ENGINES and engine != "pyspark":
        raise MonitorError(gettext("未知的计算引擎“%(engine)s”，可选 duckdb、spark") % {"engine": engine})
    if engine in ("spark", "pyspark"):
        import importlib.util

        if importlib.util.find_spec("pyspark") is None:
            raise MonitorError(gettext("未安装 pyspark，无法使用 Spark 引擎：pip install 'pyspark>=4.0,<4.1'"))
        return "pyspark"
    return engine


def active_rules() -> dict[str, WarningRule]:
    """The rules switched on, by code."""
    return {r.code: r for r in WarningRule.objects.filter(is_active=True)}


def project_min_wages(month: int) -> dict[int, int]:
    """Each project's local monthly minimum wage (fen) in force on the first day of `month`.

    The nearest row up the project's org-unit path wins (a street inherits its district's figure);
    with no row at all, the seeded default for the district code (rules.default_min_wage_fen).
    """
    on = first_day(month)
    by_path: dict[str, int] = {}
    for path, amount in (MinimumWage.objects.filter(effective_from__lte=on)
                         .order_by("org_unit__path", "-effective_from")
                         .values_list("org_unit__path", "monthly_amount")):
        by_path.setdefault(path, int(Decimal(amount) * 100))
    out: dict[int, int] = {}
    for pk, path, code in Project.objects.values_list("pk", "org_unit__path", "org_unit__code"):
        codes = [c for c in path.split("/") if c]
        fen = None
        for i in range(len(codes), 0, -1):
            fen = by_path.get("/".join(codes[:i]) + "/")
            if fen is not None:
                break
        out[pk] = fen if fen is not None else R.default_min_wage_fen(code)
    return out


def roster_table() -> pa.Table:
    """The real-name roster as the pipeline's roster table (one row per worker × project)."""
    names = ("worker_id", "project_id", "entry_date", "exit_date")
    cols: dict[str, list[Any]] = {name: [] for name in names}
    for row in RosterEntry.objects.values_list(*names).iterator(chunk_size=20000):
        for name, value in zip(names, row, strict=True):
            cols[name].append(value)
    return pa.table({
        "worker_id": pa.array(cols["worker_id"], pa.int64()), "project_id": pa.array(cols["project_id"], pa.int64()),
        "entry_date": pa.array(cols["entry_date"], pa.date32()), "exit_date": pa.array(cols["exit_date"], pa.date32()),
    })


def projects_table(min_wages: dict[int, int]) -> pa.Table:
    """Each project's minimum wage as the pipeline's projects table."""
    ids = sorted(min_wages)
    return pa.table({"project_id": pa.array(ids, pa.int64()),
                     "min_wage_fen": pa.array([min_wages[i] for i in ids], pa.int64())})


@dataclass
class Found:
    """One finding (the pipeline's, or an open complaint computed here), ready for its warning."""

    rule: str
    project_id: int
    workers: int
    amount_fen: int
    worker_ids: tuple[int, ...]
    detail: dict[str, int]
    cases: list[dict[str, Any]] = field(default_factory=list)


def open_engine(engine: str) -> Any:
    """A connection to ``engine`` configured from settings: a Spark run goes to ``SPARK_MASTER``
    (``local[2]`` or a cluster's ``spark://host:7077``) with the configured driver memory and
    shuffle partitions."""
    from hexie.monitoring import pipeline  # ibis is heavy; only the job imports it

    if engine == "pyspark":
        return pipeline.open_backend(engine, spark_master=settings.SPARK_MASTER,
                                     memory_limit=settings.SPARK_DRIVER_MEMORY,
                                     threads=settings.SPARK_PARTITIONS)
    return pipeline.open_backend(engine)


def pipeline_findings(*, month: int, engine: str, as_of: date, rules_on: dict[str, WarningRule],
                      min_wages: dict[int, int]) -> list[Found]:
    """What the pipeline finds for ``month`` on ``engine`` (a name from :func:`check_engine`)."""
    from hexie.monitoring import pipeline  # ibis is heavy; only the job imports it

    thresholds = {code: R.pipeline_threshold(code, r.threshold)
                  for code, r in rules_on.items() if code in R.PIPELINE_RULES}
    if not thresholds:
        return []
    con = open_engine(engine)
    try:
        feeds = pipeline.load_parquet(
            con, attendance=lake.feed_files("attendance"), payroll=lake.feed_files("payroll"),
            deposits=lake.feed_files("deposit"),
        )
        findings = pipeline.find_warnings(
            con, month=month, as_of=as_of, attendance=feeds.attendance, payroll=feeds.payroll,
            deposits=feeds.deposits, roster=pipeline.as_table("roster", roster_table()),
            projects=pipeline.as_table("projects", projects_table(min_wages)), rules=thresholds,
        )
    finally:
        if engine == "duckdb":  # a Spark session is shared by the process and stays up
            con.disconnect()
    return [Found(f.rule, f.project_id, f.workers, f.amount_fen, tuple(f.worker_ids), dict(f.detail))
            for f in findings]


def _month_end_moment(month: int) -> datetime:
    return timezone.make_aware(datetime.combine(last_day(month) + timedelta(days=1), datetime.min.time()))


def open_complaints(month: int) -> list[Found]:
    """Open complaints linked to a registered project (``Case.project``), received by the end of
    `month`. A typed project name never counts: two projects may share one. Cases the monitoring
    job opened do not count: they follow from the warnings and would otherwise raise themselves."""
    per_project: dict[int, list[Any]] = defaultdict(list)
    cases = (Case.objects.filter(status__in=OPEN_STATUSES, received_at__lt=_month_end_moment(month),
                                 project__isnull=False)
             .exclude(channel=Channel.MONITORING)
             .values("pk", "number", "project_id", "workers_count", "amount_claimed", "status")
             .order_by("received_at", "pk"))
    for c in cases:
        per_project[c["project_id"]].append(c)
    out = []
    for pk, items in sorted(per_project.items()):
        workers = sum(c["workers_count"] for c in items)
        amount = sum(int(Decimal(c["amount_claimed"]) * 100) for c in items)
        out.append(Found(
            rule=R.OPEN_COMPLAINT, project_id=pk, workers=workers, amount_fen=amount, worker_ids=(),
            detail={"cases": len(items)},
            cases=[{"id": c["pk"], "number": c["number"], "status": c["status"],
                    "workers": c["workers_count"]} for c in items],
        ))
    return out
