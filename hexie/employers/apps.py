from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "hexie.employers"
    label = "employers"
    verbose_name = "用人单位与工程项目 Employers & projects"

    def ready(self) -> None:
        from hexie.employers import nav

        nav.register_entries()
