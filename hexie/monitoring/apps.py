from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "hexie.monitoring"
    label = "monitoring"
    verbose_name = _("欠薪监测预警")

    def ready(self) -> None:
        from hexie.core import keyrotation
        from hexie.monitoring import jobs, nav, panels

        panels.register()
        nav.register_entries()
        jobs.register()
        # The lake's card tokens are re-encrypted with the rest of the personal data (Arrow is
        # loaded only when a rotation runs).
        keyrotation.register("monitoring lake files", _rotate_lake_tokens)


def _rotate_lake_tokens() -> int:
    from hexie.monitoring import lake

    return lake.rotate_tokens()
