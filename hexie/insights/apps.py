from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "hexie.insights"
    label = "insights"
    verbose_name = "分析研判 Insights"

    def ready(self) -> None:
        from hexie.insights import nav, panels

        panels.register()
        nav.register_entries()
