from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "hexie.monitoring"
    label = "monitoring"
    verbose_name = "欠薪监测预警 Wage-payment monitoring"

    def ready(self) -> None:
        from hexie.monitoring import jobs, panels

        panels.register()
        jobs.register()
