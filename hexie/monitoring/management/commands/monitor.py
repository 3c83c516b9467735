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
        parser.add_argument("--engine", default=None, help=f"计算引擎 engine: {' | '.join(ENGINES)} "
                                                            "(default: settings.MONITOR_ENGINE)")
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
        out.write(f"监测月份 Month {month_text(month)} · 截至 as of {stats['as_of']} · 引擎 engine {run.engine} · "
                  f"{stats['seconds']}s")
        out.write(f"{'规则 rule':<18}{'等级 grade':<12}{'发现 findings':>14}  名称 name")
        findings = stats.get("findings", {})
        for rule in selectors.rule_list():
            n = findings.get(rule.code)
            shown = gettext("停用") if n is None else str(n)
            out.write(f"{rule.code:<18}{rule.grade:<12}{shown:>14}  {rule.name}")
        w, c = stats["warnings"], stats["cases"]
        out.write(f"预警 warnings: 新增 opened {w['opened']}, 再现 reopened {w['reopened']}, 更新 updated "
                  f"{w['updated']}, 消除 resolved {w['resolved']}, 未变 unchanged {w['unchanged']}, "
                  f"保留（尚不能判断） kept {w.get('kept', 0)}")
        out.write(f"案件 cases: 新立案 opened {c['opened']}, 更新 updated {c['updated']}")
        changes = stats.get("changes") or []
        if changes:
            out.write(gettext("变化"))
            for line in changes:
                out.write(f"  {line}")
        else:
            out.write(gettext("无变化"))
