from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "hexie.insights"
    label = "insights"
    verbose_name = "分析研判 Insights"

    def ready(self) -> None:
        from django.db.models import Q

        from hexie.core import audit, leases
        from hexie.insights import panels
        from hexie.insights.models import BulletinRun

        panels.register()
        # A generation whose worker was killed is marked failed by the reaper (hexie.core.leases).
        leases.register(leases.JobKind(
            model=BulletinRun, running=Q(state=BulletinRun.State.RUNNING), action=audit.Action.GENERATE,
            fail=lambda reason, now: {"state": BulletinRun.State.FAILED, "message": reason, "finished_at": now},
            actor=lambda run: None))
