"""The monitoring job on a real standalone Spark cluster: a master and a worker started with
pyspark's own ``spark-class``, bound to loopback. The job is configured the way a province would
configure it (``MONITOR_ENGINE=spark``, ``SPARK_MASTER=spark://…``) and must give exactly the warnings
DuckDB gives, as an application the master has seen.

The job runs in a child process: Spark allows one session per process, and this test process may
already hold a ``local[2]`` one from the other Spark tests.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from hexie.monitoring.tests.test_pipeline import _from_lake, duck, lake, run  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")]

ROOT = Path(__file__).resolve().parents[3]

CHILD = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hexie.settings")
django.setup()
from hexie.monitoring.detect import open_engine
from hexie.monitoring.tests.test_pipeline import _from_lake, run
lake = json.loads(sys.argv[1])
con = open_engine("pyspark")
print("FINDINGS " + json.dumps([repr(f) for f in run(con, **_from_lake(con, lake))]))
print("APP " + con._session.sparkContext.applicationId)
con._session.stop()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _master_state(ui_port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=5) as response:
        return dict(json.load(response))


def _wait_for(check: Any, what: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"the Spark cluster did not come up: {what}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A standalone master and one worker (1 core, 1 GB) on 127.0.0.1, stopped afterwards."""
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (java is not on PATH)")
    pyspark = pytest.importorskip("pyspark")
    spark_home = Path(pyspark.__file__).parent
    work = tmp_path_factory.mktemp("spark")
    env = {**os.environ, "SPARK_HOME": str(spark_home), "SPARK_LOCAL_IP": "127.0.0.1",
           "SPARK_WORKER_DIR": str(work / "worker"), "SPARK_LOG_DIR": str(work / "logs"),
           "PYSPARK_PYTHON": sys.executable}
    port, ui_port, worker_ui = _free_port(), _free_port(), _free_port()
    spark_class = str(spark_home / "bin" / "spark-class")
    logs = (work / "master.log").open("wb"), (work / "worker.log").open("wb")
    master = subprocess.Popen(  # noqa: S603 (our own arguments)
        [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
         "--port", str(port), "--webui-port", str(ui_port)], env=env, stdout=logs[0], stderr=subprocess.STDOUT)
    worker = subprocess.Popen(  # noqa: S603
        [spark_class, "org.apache.spark.deploy.worker.Worker", f"spark://127.0.0.1:{port}", "--host",
         "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", str(worker_ui)],
        env=env, stdout=logs[1], stderr=subprocess.STDOUT)
    try:
        _wait_for(lambda: any(w.get("state") == "ALIVE" for w in _master_state(ui_port).get("workers", [])),
                  f"no worker registered with the master; see {work}")
        yield {"url": f"spark://127.0.0.1:{port}", "ui_port": ui_port, "env": env}
    finally:
        for process in (worker, master):
            process.terminate()
        for process in (worker, master):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def test_the_job_on_a_standalone_cluster_gives_duckdbs_warnings(
        cluster: dict[str, Any], duck: Any, lake: dict[str, list[str]]) -> None:  # noqa: F811 (fixtures)
    keys = {name: str(getattr(settings, name)) for name in ("SECRET_KEY", "PII_KEY", "PII_HMAC_KEY")}
    env = {**cluster["env"], **keys, "DJANGO_SETTINGS_MODULE": "hexie.settings", "MONITOR_ENGINE": "spark",
           "SPARK_MASTER": cluster["url"], "SPARK_DRIVER_MEMORY": "1GB", "SPARK_PARTITIONS": "2"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CHILD, json.dumps(lake)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line.startswith(("FINDINGS ", "APP ")))
    on_duck = [repr(f) for f in run(duck, **_from_lake(duck, lake))]
    assert on_duck, "the planted month must raise warnings, or the comparison says nothing"
    assert json.loads(lines["FINDINGS"]) == on_duck
    # The master ran it: the application is listed there, under the job's name.
    state = _master_state(cluster["ui_port"])
    apps = {a["id"]: a["name"] for a in state.get("activeapps", []) + state.get("completedapps", [])}
    assert apps.get(lines["APP"]) == "hexie-monitoring"
