"""``manage.py load_demo``: the demo city, loaded once into an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext

from hexie.demo.loader import load_demo


class Command(BaseCommand):
    """Idempotent: a database that already holds the demo city, or any other data, is left alone."""

    help = "加载演示城市（幂等：重复运行不改变任何数据）。"  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=1500, help=gettext("案件数（默认1500）"))
        parser.add_argument("--seed", type=int, default=2026, help=gettext("随机种子（默认2026）"))
        parser.add_argument("--workers", type=int, default=20_000,
                            help=gettext("项目实名名册上的工人数（默认20000）"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 0:
            self.stderr.write(gettext("--cases 不能为负数"))
            raise SystemExit(2)
        if options["workers"] < 40:
            self.stderr.write(gettext("--workers 至少为40（每个项目至少一人）"))
            raise SystemExit(2)
        load_demo(cases=options["cases"], seed=options["seed"], workers=options["workers"], stdout=self.stdout)
