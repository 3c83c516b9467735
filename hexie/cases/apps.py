from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hexie.cases"
    label = "cases"
    verbose_name = "案件 Cases"

    def ready(self) -> None:
        from hexie.cases import (  # noqa: F401  (signals: recompute clocks when the calendar changes)
            nav,
            panels,
            signals,
        )

        panels.register()
        nav.register_entries()
