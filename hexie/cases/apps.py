from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hexie.cases"
    label = "cases"
    verbose_name = "案件 Cases"

    def ready(self) -> None:
        from hexie.cases import signals  # noqa: F401  (connects calendar-change recomputation)
