"""Move every encrypted value and file to the newest PII key (see hexie.core.keyrotation)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from hexie.core import keyrotation


class Command(BaseCommand):
    help = ("Re-encrypt personal data and stored files with the first key of PII_KEY; with PII_HMAC_OLD_KEY "
            "set (or --rehash), recompute the lookup hashes with PII_HMAC_KEY. Resumable: run it again.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=1000, help="rows per committed chunk (default 1000)")
        parser.add_argument("--rehash", action="store_true",
                            help="recompute the lookup hashes even without PII_HMAC_OLD_KEY")

    def handle(self, *args: Any, **options: Any) -> None:
        rehash = bool(options["rehash"] or getattr(settings, "PII_HMAC_OLD_KEY", ""))
        report = keyrotation.rotate_all(rehash=rehash, chunk=max(1, options["chunk"]),
                                        log=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS(f"done: {report.summary()}"))
