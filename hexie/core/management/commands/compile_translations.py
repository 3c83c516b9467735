"""``manage.py compile_translations``: build the .mo files from the .po files, without GNU gettext."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from hexie.core.catalogue import compile_catalogues


class Command(BaseCommand):
    help = "Compile hexie/locale/*/LC_MESSAGES/django.po into django.mo (polib; no GNU gettext needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in compile_catalogues():
            self.stdout.write(gettext("已编译 %(path)s") % {"path": path})
