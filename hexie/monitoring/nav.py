"""The monitoring pages in the staff menu, each with the role set its view checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import MONITORING, NavEntry, register
from hexie.orgs.scoping import BUREAU_STAFF

# Monitoring is the bureau's: partner agencies reach nothing of it (scoping's rule table).
WARNINGS = NavEntry(group=MONITORING, label=_("预警信息"), url_name="monitoring:warnings", roles=BUREAU_STAFF,
                    order=10)
GRADES = NavEntry(group=MONITORING, label=_("项目风险等级"), url_name="monitoring:grades", roles=BUREAU_STAFF,
                  order=20)
IMPORTS = NavEntry(group=MONITORING, label=_("数据导入"), url_name="monitoring:imports", roles=BUREAU_STAFF,
                   order=30)
RUNS = NavEntry(group=MONITORING, label=_("监测运行记录"), url_name="monitoring:runs", roles=BUREAU_STAFF,
                order=40)


def register_entries() -> None:
    register(WARNINGS, GRADES, IMPORTS, RUNS)
