"""``manage.py seed_calendar``: load the statutory holidays the ``chinesecalendar`` package knows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hexie.workcal.services import chinesecalendar_source, seed_from_chinesecalendar


class Command(BaseCommand):
    """Run at every start-up; inserts only what is missing, so admin corrections are kept."""

    help = "从 chinesecalendar 导入法定节假日与调休上班日。"  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from-year", type=int, default=None, help="first year to seed")
        parser.add_argument("--to-year", type=int, default=None, help="last year to seed (inclusive)")

    def handle(self, *args: Any, **options: Any) -> None:
        years: range | None = None
        if options["from_year"] is not None or options["to_year"] is not None:
            years = range(options["from_year"] or 1, (options["to_year"] or 9998) + 1)
        created = seed_from_chinesecalendar(years=years)
        self.stdout.write(
            self.style.SUCCESS(
                f"工作日历已导入，新增 {created} 行（{chinesecalendar_source()}）。 "
                f"Working-day calendar seeded: {created} row(s) created ({chinesecalendar_source()})."
            )
        )
