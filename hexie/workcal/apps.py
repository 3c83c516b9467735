from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalConfig(AppConfig):
    """The working-day calendar: statutory holidays and make-up days, and counting periods on them."""

    name = "hexie.workcal"
    label = "workcal"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        """Keep the cached calendar in step with its tables, in this process and across processes."""
        from django.core.signals import request_started

        from hexie.workcal import selectors, signals

        signals.connect()
        request_started.connect(selectors.request_recheck, dispatch_uid="workcal-request-recheck")
        try:
            from huey.contrib.djhuey import HUEY
        except ImportError:  # pragma: no cover - huey is a project dependency
            return

        @HUEY.pre_execute(name="workcal-calendar-recheck")
        def _recheck_before_task(task: object) -> None:
            selectors.request_recheck()
