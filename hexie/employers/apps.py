from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "hexie.employers"
    label = "employers"
    verbose_name = _("用人单位与工程项目")

    def ready(self) -> None:
        from hexie.employers import nav

        nav.register_entries()
