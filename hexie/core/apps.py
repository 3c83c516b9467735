from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hexie.core"
    label = "core"
    verbose_name = "核心 Core"

    def ready(self) -> None:
        # URL maps of every app use <id64:…>; registering here means no URL module has to import
        # another one just for its side effect.
        from hexie.core import converters

        converters.register()
