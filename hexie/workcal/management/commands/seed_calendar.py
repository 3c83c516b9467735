"""``manage.py seed_calendar``: load the statutory holidays the ``chinesecalendar`` package knows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext

from hexie.workcal.services import chinesecalendar_source, seed_from_chinesecalendar


class Command(BaseCommand):
    """Run at every start-up; inserts only what is missing, so admin corrections are kept."""

    help = "从 chinesecalendar 导入法定节假日与调休上班日。"  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from-year", type=int, default=None, help=gettext("起始年份"))
        parser.add_argument("--to-year", type=int, default=None, help=gettext("结束年份（含）"))

    def handle(self, *args: Any, **options: Any) -> None:
        years: range | None = None
        if options["from_year"] is not None or options["to_year"] is not None:
            years = range(options["from_year"] or 1, (options["to_year"] or 9998) + 1)
        created = seed_from_chinesecalendar(years=years)
        self.stdout.write(
            self.style.SUCCESS(
                gettext("工作日历已导入，新增 %(created)s 行（%(source)s）。")
                % {"created": created, "source": chinesecalendar_source()}
            )
        )
