from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "hexie.prevention"
    label = "prevention"
    verbose_name = _("源头预防")

    def ready(self) -> None:
        from hexie.prevention import panels

        panels.register()
