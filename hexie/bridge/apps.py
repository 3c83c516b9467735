from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BridgeConfig(AppConfig):
    name = "hexie.bridge"
    label = "bridge"
    verbose_name = _("工单对接")

    def ready(self) -> None:
        from hexie.bridge import nav, services
        from hexie.cases.signals import case_closed

        nav.register_entries()
        case_closed.connect(services.report_result, dispatch_uid="bridge.report_result")
