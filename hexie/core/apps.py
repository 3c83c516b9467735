from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hexie.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        # URL maps of every app use <id64:…>; registering here means no URL module has to import
        # another one just for its side effect.
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from hexie.core import audit, converters

        converters.register()

        from hexie.core import nav_entries

        nav_entries.register_entries()
        # The admin keeps its own log; every line of it is copied into the one audit log.
        post_save.connect(audit.mirror_admin_log, sender=LogEntry, dispatch_uid="hexie.audit.admin_log")
        # A log-in locked out for password guessing is audited too.
        from axes.signals import user_locked_out

        from hexie.core.lockout import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="hexie.audit.locked_out")
