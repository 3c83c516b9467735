"""``manage.py serve``: the web server and the background worker, together, for one machine.

`make run` ends here. Production runs the two as separate services (see README, "Deploying"):
gunicorn for the web, `manage.py run_huey` for the worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext

from hexie.demo.logins import login_table


class Command(BaseCommand):
    """Start gunicorn and the Huey consumer; stop both when either stops or on Ctrl-C."""

    help = "启动网站与后台任务进程。"  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        base_url = f"http://{host}:{port}"
        python = sys.executable
        web_cmd = [
            python, "-m", "gunicorn", "hexie.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(options["web_workers"]), "--access-logfile", "-", "--log-level", "warning",
        ]
        worker_cmd = [python, "-m", "django", "run_huey", "--workers", "1", "--flush-locks"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "hexie.settings")}
        children = [
            ("web", subprocess.Popen(web_cmd, env=env)),  # noqa: S603 - our own interpreter and fixed arguments
            ("worker", subprocess.Popen(worker_cmd, env=env)),  # noqa: S603
        ]

        def stop(*_: Any) -> None:
            for _name, proc in children:
                if proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self._announce(base_url)
        try:
            while all(proc.poll() is None for _, proc in children):
                time.sleep(0.5)
        finally:
            stopped = [name for name, proc in children if proc.poll() is not None]
            stop()
            for _name, proc in children:
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        codes = {name: proc.returncode for name, proc in children}
        self.stdout.write(gettext("已停止（%(first)s 先退出）：%(codes)s") % {"first": "、".join(stopped), "codes": codes})
        if any(code not in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes.values()):
            raise SystemExit(1)

    def _announce(self, base_url: str) -> None:
        database = settings.DATABASES["default"]
        queue = "Redis" if settings.REDIS_URL else "SQLite"
        lines = [
            "",
            gettext("和谐 Hexie 已启动：%(url)s") % {"url": f"{base_url}/"},
            f"  {gettext('工作人员登录')}  {base_url}/accounts/login/",
            f"  {gettext('群众投诉入口')}  {base_url}/portal/",
            f"  {gettext('接口文档')}      {base_url}/api/docs/",
            f"  {gettext('系统配置')}      {base_url}/admin/",
            "  " + gettext("数据库：%(engine)s %(name)s；后台任务队列：Huey（%(queue)s）")
            % {"engine": database["ENGINE"].rsplit(".", 1)[-1], "name": database["NAME"], "queue": queue},
            login_table(base_url, compact=True),
            gettext("按 Ctrl-C 停止"),
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
