from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "hexie.credit"
    label = "credit"
    verbose_name = _("守法诚信与失信惩戒")

    def ready(self) -> None:
        from hexie.credit import nav, panels

        panels.register()
        nav.register_entries()
