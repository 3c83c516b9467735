from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "hexie.monitoring"
    label = "monitoring"
    verbose_name = _("欠薪监测预警")

    def ready(self) -> None:
        from hexie.monitoring import nav, panels

        panels.register()
        nav.register_entries()
