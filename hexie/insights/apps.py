from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "hexie.insights"
    label = "insights"
    verbose_name = _("分析研判")

    def ready(self) -> None:
        from django.db.models import Q

        from hexie.core import audit, leases
        from hexie.insights import nav, panels
        from hexie.insights.models import BulletinRun

        panels.register()
        nav.register_entries()
        # A generation whose worker was killed is marked failed by the reaper (hexie.core.leases).
        leases.register(leases.JobKind(
            model=BulletinRun, running=Q(state=BulletinRun.State.RUNNING), action=audit.Action.GENERATE,
            fail=lambda reason, now: {"state": BulletinRun.State.FAILED, "message": reason, "finished_at": now},
            actor=lambda run: None))
