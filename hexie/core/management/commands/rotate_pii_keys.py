"""Move every encrypted value and file to the newest PII key (see hexie.core.keyrotation)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext

from hexie.core import keyrotation


class Command(BaseCommand):
    help = ("用 PII_KEY 的第一个密钥重新加密个人信息和存储的文件；设置了 PII_HMAC_OLD_KEY（或 --rehash）时，"
             "用 PII_HMAC_KEY 重新计算查询摘要。中断后可再次运行继续。")  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=1000, help=gettext("每次提交的行数（默认1000）"))
        parser.add_argument("--rehash", action="store_true",
                            help=gettext("即使未设置 PII_HMAC_OLD_KEY 也重新计算查询摘要"))

    def handle(self, *args: Any, **options: Any) -> None:
        rehash = bool(options["rehash"] or getattr(settings, "PII_HMAC_OLD_KEY", ""))
        report = keyrotation.rotate_all(rehash=rehash, chunk=max(1, options["chunk"]),
                                        log=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS(gettext("完成：%(summary)s") % {"summary": report.summary()}))
