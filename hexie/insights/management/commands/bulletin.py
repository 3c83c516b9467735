"""manage.py bulletin --kind monthly --period 2026-10 [--unit 430104]: generate one bulletin now."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext

from hexie.core.errors import DomainError
from hexie.insights.models import PeriodKind
from hexie.insights.periods import parse_period
from hexie.insights.services.bulletins import generate_bulletin
from hexie.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "为一个单位生成（或重新生成）周报、月报或季报。"  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=PeriodKind.values)
        parser.add_argument("--period", required=True,
                            help=gettext("2026-10（月报）、2026-Q4（季报）、2026-W43 或 2026-10-19（周报）"))
        parser.add_argument("--unit", default="", help=gettext("区划代码；默认为本局（HEXIE_BUREAU_CODE）"))

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["unit"] or settings.HEXIE_BUREAU_CODE
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(gettext("区划代码 %(code)s 不存在") % {"code": code})
        try:
            period = parse_period(options["kind"], options["period"])
            b = generate_bulletin(kind=options["kind"], period_start=period.start, org_unit=unit, actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        # Stored encrypted like every file: the page's download gives the document in clear.
        docx_url = reverse("insights:bulletin_download", args=[b.pk, "docx"])
        self.stdout.write(f"{b.title} · {unit.name}: {docx_url}")
        pdf_url = reverse("insights:bulletin_download", args=[b.pk, "pdf"])
        self.stdout.write(f"PDF: {pdf_url}" if b.pdf else f"PDF: {b.pdf_note}")
