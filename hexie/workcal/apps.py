from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "hexie.workcal"
    label = "workcal"
    verbose_name = "工作日历 Working-day calendar"
