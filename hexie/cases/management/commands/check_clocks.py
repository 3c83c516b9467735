"""``manage.py check_clocks``: every open case that is not suspended has a running clock (rules.md §2).

Lists the numbers of the cases that break the rule and exits with status 1 when there are any, so
that it can run after a deployment or from a monitor. ``--fix`` starts the missing clocks through
the services (from receipt or from acceptance, each recorded on the case's timeline) and then
checks again: a case no rule in force applies to is left for a person, and still fails the check.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from hexie.cases.services.clocks import cases_off_the_clock, start_missing_clocks

# Enough to act on; the count says how many more there are.
LISTED = 200


class Command(BaseCommand):
    help = "检查在办案件是否均有计时中的法定期限。"  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true",
                            help=gettext("从收到或受理之日补足缺少的期限，再检查一次"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fix"]:
            fixed = sum(1 for pk in list(cases_off_the_clock().values_list("pk", flat=True))
                        if start_missing_clocks(case_id=pk))
            self.stdout.write(gettext("已补足 %(fixed)s 件案件的法定期限") % {"fixed": fixed})
        numbers = list(cases_off_the_clock().values_list("number", flat=True)[:LISTED + 1])
        if not numbers:
            self.stdout.write(self.style.SUCCESS(
                gettext("所有在办案件均有计时中的期限")))
            return
        total = cases_off_the_clock().count() if len(numbers) > LISTED else len(numbers)
        for number in numbers[:LISTED]:
            self.stdout.write(number)
        more = gettext("（另有 %(value)s 件）") % {"value": total - LISTED} if total > LISTED else ""
        raise CommandError(gettext("%(total)s 件在办案件没有计时中的期限%(more)s") % {"total": total, "more": more})
