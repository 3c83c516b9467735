"""The demo log-ins as a table: printed after loading and by `manage.py serve`."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from hexie.demo.chain import COORDINATOR
from hexie.demo.city import DEMO_ADMIN, DEMO_PASSWORD, DISTRICTS, staff_specs
from hexie.orgs.models import User


def _width(s: str) -> int:
    """Columns `s` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(width - _width(s), 0)


def demo_users() -> list[tuple[str, str, str]]:
    """(username, role, org unit) of the demo log-ins present in the database, in table order."""
    # The city's staff, then the coordinator of the demo's service station (hexie.demo.chain).
    order = [s.username for s in staff_specs()] + [COORDINATOR]
    users = {u.username: u for u in User.objects.filter(username__in=order).select_related("org_unit", "agency")}
    rows = []
    for name in order:
        u = users.get(name)
        if u is None:
            continue
        role = str(u.get_role_display())  # the model's choices, in the language of the command
        if u.handler_kind:
            role += f"（{u.get_handler_kind_display()}）"
        if u.is_superuser:
            role += gettext("（超级用户）")
        unit = u.agency.name if u.agency else (f"{u.org_unit.name} {u.org_unit.code}" if u.org_unit else "")
        rows.append((name, role, unit))
    return rows


def login_table(base_url: str, *, compact: bool = False) -> str:
    """The demo log-ins as text: every user, or (compact) the city users and the district pattern."""
    rows = demo_users()
    if not rows:
        return ""
    lines = [gettext("演示账号 — 密码：%(password)s（%(url)s）") % {"password": DEMO_PASSWORD,
                                                              "url": f"{base_url}/accounts/login/"}]
    if compact:
        shown = [r for r in rows if not any(r[0].endswith("_" + d.slug) for d in DISTRICTS)]
        for username, role, unit in shown:
            lines.append(f"  {_pad(username, 18)}{_pad(role, 34)}{unit}")
        slugs = ", ".join(d.slug for d in DISTRICTS)
        lines.append("  " + gettext("各区县：%(names)s") % {
            "names": "leader_X, desk_X, inspector_X, mediator_X, arbitrator_X, admin_X"})
        lines.append(f"    X = {slugs}")
    else:
        lines.append(f"  {_pad(gettext('用户名'), 25)}{_pad(gettext('角色'), 40)}{gettext('单位')}")
        for username, role, unit in rows:
            lines.append(f"  {_pad(username, 25)}{_pad(role, 40)}{unit}")
    firm = User.objects.filter(username="firm_demo").select_related("employer_account__employer").first()
    if firm is not None:
        lines.append("  " + gettext("用人单位：firm_demo，登录 %(url)s（%(name)s；短信验证码见日志）")
                     % {"url": f"{base_url}/employer/login/", "name": firm.employer_account.employer.name})
    token = Token.objects.filter(user__username=DEMO_ADMIN).values_list("key", flat=True).first()
    if token:
        lines.append("  " + gettext("%(user)s 的接口令牌：%(token)s（Authorization: Token %(token)s）")
                     % {"user": DEMO_ADMIN, "token": token})
    return "\n".join(lines)
