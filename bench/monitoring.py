"""Measure the wage-monitoring job against a pandas baseline and DuckDB's bare group-by.

    .venv/bin/python bench/monitoring.py [--rows 10000000] [--engine duckdb] [--keep] [--repeat 3]
                                         [--only hexie,pandas,floor,floor_month,pandas_all]
    SPARK_MASTER=spark://host:7077 .venv/bin/python bench/monitoring.py --engine pyspark ...   # on a cluster

Generates (DuckDB SQL, no Python loops; bench/_monitoring_data.py) about N attendance rows over
three months (January to March 2026; a worker is on site 20 days a month, so there are N / 60
workers, 400 to a project), one payroll row per worker × project × month plus a correction and a
back-pay import, a deposit per project × month, the roster and the projects' minimum wages, with
planted anomalies for every rule on known projects. The feeds have exactly the columns of the lake
(hexie.monitoring.lake.SCHEMAS): a column added there and not generated here stops the run. The
files go to bench/out/monitoring-N/ (git-ignored; `--keep` reuses them).

Then, each in a fresh process so that its peak memory is its own, it times March 2026 as seen on
6 May 2026 with the default thresholds:

* hexie  — the real code path: hexie.monitoring.pipeline.load_parquet + find_warnings.
* pandas — the baseline: the same rules written with pandas read_parquet / groupby / merge
           (bench/_monitoring_pandas.py).
* floor  — DuckDB's bare group-by of the attendance by worker × project × month (count, sum of
           minutes), materialised: the cost of reading and aggregating the whole big input once.
* floor_month — the same group-by for month M alone (what the job's first step does, reading only
           M's row groups); not run unless asked for (`--only ...,floor_month`).
* pandas_all — the baseline reading whole files (no `columns=`); not run unless asked for.

It checks that hexie finds exactly the planted projects, that pandas finds the same
(rule, project, workers, amount) set, and that the floor's attendance counts agree with the
figures in hexie's findings; prints rows/s, wall time, peak RSS and the ratios; and writes
bench/out/monitoring-<rows>-<time>.json and bench/out/monitoring-latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from _monitoring_data import AS_OF, MONTH, PLANTED_CLASSES, generate, planted, say
from _monitoring_pandas import pandas_job

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"

TARGETS = {"hexie_s_at_100M": 15.0, "hexie_s_at_500M": 30.0, "speedup_vs_pandas": 20.0, "hexie_over_floor": 2.0,
           "peak_mb": 4096.0}


def data_dir(rows: int) -> Path:
    return OUT / f"monitoring-{rows}"


# --- the contenders (each runs in its own process) -----------------------------------------------


def _files(d: Path) -> dict[str, str]:
    return {k: str(d / f"{k}.parquet") for k in ("attendance", "payroll", "deposits", "roster", "projects")}


def run_hexie(d: Path, engine: str) -> dict[str, Any]:
    import pyarrow.dataset  # noqa: F401  (pyarrow loads it on the first read_table: an import, not work)
    import pyarrow.parquet as pq

    sys.path.insert(0, str(REPO))
    import ibis.backends.duckdb  # noqa: F401  (imported before the clock starts, like pandas for the baseline)

    from hexie.monitoring import pipeline

    f = _files(d)
    t0 = time.perf_counter()
    if engine == "pyspark":
        # Configured as the job configures it (hexie/settings.py): SPARK_MASTER sends the run to a
        # cluster (spark://host:7077; local[2] otherwise), SPARK_DRIVER_MEMORY, SPARK_PARTITIONS.
        con = pipeline.open_backend(engine, spark_master=os.environ.get("SPARK_MASTER", "local[2]"),
                                    memory_limit=os.environ.get("SPARK_DRIVER_MEMORY", "3GB"),
                                    threads=int(os.environ.get("SPARK_PARTITIONS", "4")))
    else:
        con = pipeline.open_backend(engine)
    # On Spark: the JVM's start and, on a cluster, the application's registration with the master.
    start = time.perf_counter() - t0
    inputs = pipeline.load_parquet(con, attendance=[f["attendance"]], payroll=[f["payroll"]],
                                   deposits=[f["deposits"]])
    # The Django side builds these two from the registry; here they come from Parquet.
    roster = pipeline.as_table("roster", pq.read_table(f["roster"]))
    projects = pipeline.as_table("projects", pq.read_table(f["projects"]))
    findings = pipeline.find_warnings(con, month=MONTH, as_of=AS_OF, attendance=inputs.attendance,
                                      payroll=inputs.payroll, deposits=inputs.deposits, roster=roster,
                                      projects=projects, rules=dict(pipeline.DEFAULT_RULES))
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "start_s": start, "findings": [
        {"rule": x.rule, "project_id": x.project_id, "workers": x.workers, "amount_fen": x.amount_fen,
         "detail": x.detail, "worker_ids": len(x.worker_ids)} for x in findings]}

def run_pandas(d: Path, rules: dict[str, int], *, prune: bool) -> dict[str, Any]:
    import pandas  # noqa: F401  (imported before the clock starts, like ibis for the job)
    import pyarrow.dataset  # noqa: F401  (pyarrow loads it on the first read: an import, not work)

    t0 = time.perf_counter()
    found = pandas_job(_files(d), MONTH, AS_OF, rules, prune=prune)
    return {"wall_s": time.perf_counter() - t0, "findings": found}


def run_floor(d: Path, projects: list[int], *, month_only: bool = False) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(config={"memory_limit": "3GB"})
    path = _files(d)["attendance"]
    where = f"WHERE month = {MONTH}" if month_only else ""
    t0 = time.perf_counter()
    con.execute(f"""
        CREATE TABLE agg AS
        SELECT worker_id, project_id, month, count(*) AS days, sum(minutes) AS minutes
        FROM read_parquet('{path}') {where} GROUP BY worker_id, project_id, month
    """)
    wall = time.perf_counter() - t0
    groups = con.execute("SELECT count(*) FROM agg").fetchone()[0]  # type: ignore[index]
    figures = con.execute(
        f"SELECT project_id, count(*), sum(days) FROM agg WHERE month = {MONTH} AND project_id IN "
        f"(SELECT unnest(?::BIGINT[])) GROUP BY project_id", [projects]).fetchall()
    return {"wall_s": wall, "groups": groups,
            "figures": {str(p): {"attending": n, "attendance_days": int(days)} for p, n, days in figures}}


class PeakRSS:
    """Largest resident set of this process and its children (a Spark JVM), sampled every 20 ms,
    and this process's own high-water mark (own_peak_rss), whichever is larger."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                rss = self.proc.memory_info().rss + sum(
                    c.memory_info().rss for c in self.proc.children(recursive=True))
            except Exception:  # noqa: S112  (a child that exits between listing and reading)
                continue
            self.peak = max(self.peak, rss)
            self.stop.wait(0.02)

    def finish(self) -> int:
        self.stop.set()
        self.thread.join()
        return max(own_peak_rss(), self.peak)


def own_peak_rss() -> int:
    """This process's own peak resident set, in bytes.

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries that figure over fork and exec, so a
    contender started by a parent that had generated the data (4.6 GB at 500 M rows) reported the
    parent's peak as its own. VmHWM is the high-water mark of this process image's memory alone.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # no /proc: the kB figure


def child(args: argparse.Namespace) -> None:
    d = Path(args.dir)
    meter = PeakRSS()
    if args.child == "hexie":
        result = run_hexie(d, args.engine)
    elif args.child in ("pandas", "pandas_all"):
        result = run_pandas(d, json.loads(args.rules), prune=args.child == "pandas")
    else:
        result = run_floor(d, [int(x) for x in args.projects.split(",") if x],
                           month_only=args.child == "floor_month")
    result["peak_rss_mb"] = meter.finish() / 2**20
    print("RESULT " + json.dumps(result), flush=True)


def spawn(name: str, d: Path, *extra: str, engine: str = "duckdb") -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--dir", str(d),
           "--engine", engine, *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603  (our own script)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    tail = (proc.stderr or proc.stdout)[-1500:]
    failure = "out of memory (killed)" if proc.returncode in (-9, 137) else f"exit {proc.returncode}"
    if "MemoryError" in tail:
        failure = "MemoryError"
    return {"failed": failure, "stderr_tail": tail}


# --- the run -------------------------------------------------------------------------------------


def key(f: dict[str, Any] | list[Any]) -> tuple[str, int, int, int]:
    if isinstance(f, dict):
        return (f["rule"], f["project_id"], f["workers"], f["amount_fen"])
    return (f[0], int(f[1]), int(f[2]), int(f[3]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--engine", default="duckdb", choices=["duckdb", "pyspark"])
    ap.add_argument("--keep", action="store_true", help="reuse the data in bench/out/monitoring-N/ if present")
    ap.add_argument("--repeat", type=int, default=None, help="runs of the hexie job (default 3, 1 above 20 M rows)")
    ap.add_argument("--only", default="hexie,pandas,floor",
                    help="contenders, comma-separated; pandas_all: pandas reading whole files")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--projects", default="", help=argparse.SUPPRESS)
    ap.add_argument("--rules", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return

    sys.path.insert(0, str(REPO))
    from hexie.monitoring.pipeline import DEFAULT_RULES  # the pandas children stay free of ibis

    if unplanted := sorted(set(DEFAULT_RULES) - set(PLANTED_CLASSES)):
        sys.exit(f"bench/monitoring.py: no planted anomaly for the rule(s) {', '.join(unplanted)}")
    d = data_dir(args.rows)
    if not (args.keep and (d / "shape.json").exists()):
        say(f"generating {args.rows:,} attendance rows into {d.relative_to(REPO)}/")
        generate(args.rows, d)
    s = json.loads((d / "shape.json").read_text())
    rows = s["attendance"]
    expected = planted(s["projects"])
    only = set(args.only.split(","))
    repeat = args.repeat or (3 if rows <= 20_000_000 else 1)
    sizes = {k: Path(v).stat().st_size / 2**20 for k, v in _files(d).items()}
    say(f"data: {rows:,} attendance rows ({sizes['attendance']:.0f} MB), {s['workers']:,} workers, "
        f"{s['projects']:,} projects; payroll {sizes['payroll']:.0f} MB; month {MONTH} as of {AS_OF}")

    results: dict[str, Any] = {"rows": rows, "shape": s, "engine": args.engine, "month": MONTH,
                               "as_of": str(AS_OF), "machine": {"cpus": os.cpu_count(),
                                                                "python": platform.python_version()},
                               # Other work on the machine moves every figure; the load says how much.
                               "load_avg_at_start": os.getloadavg()}
    if "hexie" in only:
        runs = []
        for i in range(repeat):
            r = spawn("hexie", d, engine=args.engine)
            if "failed" in r:
                sys.exit(f"the hexie job failed: {r}")
            say(f"  hexie run {i + 1}: {r['wall_s']:.2f} s (opening the engine {r['start_s']:.2f} s), "
                f"peak {r['peak_rss_mb']:.0f} MB")
            runs.append(r)
        walls = [r["wall_s"] for r in runs]
        results["hexie"] = {"wall_s": statistics.median(walls), "runs_s": walls,
                            "start_s": statistics.median(r["start_s"] for r in runs),
                            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "findings": runs[-1]["findings"]}
    for name in ("pandas", "pandas_all"):
        if name in only:
            r = spawn(name, d, "--rules", json.dumps(DEFAULT_RULES))
            say(f"  {name}: {r['wall_s']:.2f} s" if "failed" not in r else f"  {name}: {r['failed']}")
            results[name] = r
    ids = sorted({p for ps in expected.values() for p in ps})
    for name in ("floor", "floor_month"):
        if name in only:
            r = spawn(name, d, "--projects", ",".join(map(str, ids)))
            say(f"  {name}: {r['wall_s']:.2f} s")
            results[name] = r

    # Agreement.
    checks: dict[str, Any] = {}
    hx = results.get("hexie")
    if hx:
        got = {rule: sorted({f["project_id"] for f in hx["findings"] if f["rule"] == rule}) for rule in expected}
        checks["hexie_finds_planted"] = got == expected
        if got != expected:
            checks["hexie_vs_planted"] = {r: {"expected": expected[r], "got": got[r]} for r in expected
                                          if got[r] != expected[r]}
    for name in ("pandas", "pandas_all"):
        pd_r = results.get(name)
        if hx and pd_r and "findings" in pd_r:
            a = {key(f) for f in hx["findings"]}
            b = {key(f) for f in pd_r["findings"]}
            checks[f"{name}_agrees"] = a == b
            if a != b:
                checks[f"{name}_only_hexie"] = sorted(a - b)[:20]
                checks[f"{name}_only_pandas"] = sorted(b - a)[:20]
            pd_r["findings"] = len(pd_r["findings"])
    fl = results.get("floor")
    if hx and fl:
        bad = []
        for f in hx["findings"]:
            if f["rule"] == "exit_unsettled":
                continue  # its attendance_days are the leavers' own, not the project's
            fig = fl["figures"].get(str(f["project_id"]), {})
            for name in ("attending", "attendance_days"):
                if name in f["detail"] and fig.get(name) != f["detail"][name]:
                    bad.append((f["rule"], f["project_id"], name, f["detail"][name], fig.get(name)))
        checks["floor_agrees"] = not bad
        if bad:
            checks["floor_disagrees"] = bad[:20]
    results["checks"] = checks

    # Table.
    say("")
    say(f"{'contender':<12} {'wall s':>8} {'M rows/s':>9} {'peak MB':>8}")
    for name in ("hexie", "pandas", "pandas_all", "floor", "floor_month"):
        r = results.get(name)
        if not r:
            continue
        if "failed" in r:
            say(f"{name:<12} failed at {rows:,} rows: {r['failed']}")
            continue
        r["rows_per_s"] = rows / r["wall_s"]
        say(f"{name:<12} {r['wall_s']:>8.2f} {r['rows_per_s'] / 1e6:>9.1f} {r['peak_rss_mb']:>8.0f}")
    ratios: dict[str, float] = {}
    for name in ("pandas", "pandas_all"):
        pd_r = results.get(name)
        if hx and pd_r and "wall_s" in pd_r:
            ratios[f"speedup_vs_{name}"] = pd_r["wall_s"] / hx["wall_s"]
    if hx and fl:
        ratios["hexie_over_floor"] = hx["wall_s"] / fl["wall_s"]
    if hx and results.get("floor_month"):
        ratios["hexie_over_floor_month"] = hx["wall_s"] / results["floor_month"]["wall_s"]
    results["ratios"] = ratios
    results["load_avg_at_end"] = os.getloadavg()
    say("")
    for name, value in ratios.items():
        faster = name.startswith("speedup")
        if not faster and name not in TARGETS:
            say(f"{name}: {value:.2f}")
            continue
        aim = TARGETS["speedup_vs_pandas" if faster else name]
        ok = value >= aim if faster else value <= aim
        say(f"{name}: {value:.2f} (aim {'≥' if faster else '≤'} {aim:g}) {'✔' if ok else '✘'}")
    if hx:
        say(f"hexie peak RSS {hx['peak_rss_mb']:.0f} MB (aim ≤ {TARGETS['peak_mb']:.0f})")
        if rows >= 90_000_000:
            aim = TARGETS["hexie_s_at_500M" if rows >= 450_000_000 else "hexie_s_at_100M"]
            say(f"hexie wall {hx['wall_s']:.2f} s at {rows:,} rows (aim ≤ {aim:g} s on idle cores)")
        say(f"findings: {len(hx['findings'])}")
    for name, value in checks.items():
        say(f"check {name}: {value}")
    say(f"load average at start / end: {results['load_avg_at_start'][0]:.1f} / {results['load_avg_at_end'][0]:.1f}"
        f" on {os.cpu_count()} cores")

    OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = OUT / f"monitoring-{rows}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    (OUT / "monitoring-latest.json").write_text(path.read_text())
    say(f"results written to {path.relative_to(REPO)}")
    if not all(v for k, v in checks.items() if k.endswith(("_planted", "_agrees"))):
        sys.exit(1)


if __name__ == "__main__":
    main()
