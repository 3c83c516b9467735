"""The kernel's own pages in the staff menu: the audit log, the configuration and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import SYSTEM, NavEntry, register
from hexie.orgs.scoping import EVERYONE, LEADERS

#: The audit log of a jurisdiction is read by its leaders (scoping's rule for core.auditevent).
AUDIT_LOG = NavEntry(group=SYSTEM, label=_("操作日志"), url_name="core:audit_log", roles=LEADERS, order=10)
#: Django's admin opens to users marked as staff of the site, whatever their role.
ADMIN = NavEntry(group=SYSTEM, label=_("系统配置"), url_name="admin:index", roles=frozenset(), order=20,
                 django_staff=True)
#: Every account may use the API; its documentation opens to every role.
API_DOCS = NavEntry(group=SYSTEM, label=_("接口文档"), url_name="api-docs", roles=EVERYONE, order=30)


def register_entries() -> None:
    register(AUDIT_LOG, ADMIN, API_DOCS)
