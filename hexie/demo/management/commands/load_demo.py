"""``manage.py load_demo``: the demo city, loaded once into an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hexie.demo.loader import load_demo


class Command(BaseCommand):
    """Idempotent: a database that already holds the demo city, or any other data, is left alone."""

    help = "加载演示城市（幂等）。 Load the demo city (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=1500, help="number of cases (default 1500)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--workers", type=int, default=20_000,
                            help="workers on the projects' real-name rosters (default 20000)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 0:
            self.stderr.write("--cases 不能为负数 / --cases cannot be negative.")
            raise SystemExit(2)
        if options["workers"] < 40:
            self.stderr.write("--workers 至少为40（每个项目至少一人） / --workers must be at least 40.")
            raise SystemExit(2)
        load_demo(cases=options["cases"], seed=options["seed"], workers=options["workers"], stdout=self.stdout)
