from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "hexie.cases"
    label = "cases"
    verbose_name = _("案件")

    def ready(self) -> None:
        from hexie.cases import (  # noqa: F401  (signals: recompute clocks when the calendar changes)
            nav,
            panels,
            rulecache,
            signals,
        )

        rulecache.connect()
        panels.register()
        nav.register_entries()
