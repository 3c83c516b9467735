"""``manage.py monitor --month 2026-10``: run the wage-arrears detection job for one month."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from hexie.monitoring import selectors
from hexie.monitoring.detect import ENGINES, MonitorError, check_engine
from hexie.monitoring.months import month_text, parse_month
from hexie.monitoring.services import run_monitor


class Command(BaseCommand):
    """Runs the job in the foreground and prints what it found and what changed."""

    help = "运行欠薪监测预警（指定月份）。"  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help=gettext("月份"))
        parser.add_argument("--engine", default=None, help=gettext("计算引擎：%(engines)s（默认为 settings.MONITOR_ENGINE）")
                            % {"engines": " | ".join(ENGINES)})
        parser.add_argument("--as-of", dest="as_of", default=None,
                            help=gettext("以该日为准"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"].strip())
            except ValueError:
                raise CommandError(
                    gettext("日期“%(value)s”无效，应为 YYYY-MM-DD") % {"value": options['as_of'][:20]}, returncode=2) from None
        engine = options["engine"]
        try:
            if engine:
                check_engine(engine)
            run = run_monitor(month=month, engine=engine, as_of=as_of)
        except MonitorError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except Exception as exc:  # the run is recorded as failed; say why without a traceback
            raise CommandError(gettext("监测运行失败") % {"name": type(exc).__name__, "exc": exc}) from exc
        self._report(run, month)

    def _report(self, run: Any, month: int) -> None:
        stats = run.stats
        out = self.stdout
        out.write(gettext("监测月份 %(month)s · 截至 %(as_of)s · 引擎 %(engine)s · %(seconds)s秒")
                  % {"month": month_text(month), "as_of": stats["as_of"], "engine": run.engine,
                     "seconds": stats["seconds"]})
        out.write(f"{gettext('规则'):<18}{gettext('等级'):<12}{gettext('发现'):>14}  {gettext('名称')}")
        findings = stats.get("findings", {})
        for rule in selectors.rule_list():
            n = findings.get(rule.code)
            shown = gettext("停用") if n is None else str(n)
            out.write(f"{rule.code:<18}{rule.grade:<12}{shown:>14}  {rule.name}")
        w, c = stats["warnings"], stats["cases"]
        out.write(gettext("预警：新增 %(opened)s，再现 %(reopened)s，更新 %(updated)s，消除 %(resolved)s，"
                          "未变 %(unchanged)s，保留（尚不能判断） %(kept)s") % {**w, "kept": w.get("kept", 0)})
        out.write(gettext("案件：新立案 %(opened)s，更新 %(updated)s") % c)
        changes = stats.get("changes") or []
        if changes:
            out.write(gettext("变化"))
            for line in changes:
                out.write(f"  {line}")
        else:
            out.write(gettext("无变化"))
