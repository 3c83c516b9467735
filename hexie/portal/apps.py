from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "hexie.portal"
    label = "portal"
    verbose_name = _("群众端")

    def ready(self) -> None:
        from hexie.portal import nav, panels

        panels.register()
        nav.register_entries()
