from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "hexie.portal"
    label = "portal"
    verbose_name = "群众端 Worker portal"

    def ready(self) -> None:
        from hexie.portal import nav, panels

        panels.register()
        nav.register_entries()
