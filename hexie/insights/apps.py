from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "hexie.insights"
    label = "insights"
    verbose_name = _("分析研判")

    def ready(self) -> None:
        from hexie.insights import nav, panels

        panels.register()
        nav.register_entries()
