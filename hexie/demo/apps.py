from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city: loaded by `manage.py load_demo`, served with its log-ins by `manage.py serve`.

    The top layer: it writes a city through every other app's services, and nothing imports it.
    """

    name = "hexie.demo"
    label = "demo"
    verbose_name = _("演示城市")
