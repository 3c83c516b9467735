"""The scope sweep's machinery: every URL pattern that names an object, the object of a district's
scene it names, and the answers another district's staff and the partner agencies get for it.

It is generated from the URL conf (``get_resolver()``), so a new page or API route is swept without
a test of its own. How a path parameter finds its object, in order:

1. an admin page: the model the admin registered under the URL's name (``<app>_<model>_<action>``);
2. an API view whose ``queryset`` or serializer names a model, for its ``pk``;
3. the explicit table ``PARAMETERS`` below, keyed by the URL's full name;
4. a parameter named ``<model>_id`` after exactly one scoped model (``listing_id`` → ``credit.listing``).

A pattern that none of these maps is reported by :func:`unmapped` (the sweep's first test fails on
it, naming the table to extend). Used by ``hexie/demo/tests/test_scope_sweep.py`` and by
``bench/hardening.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from hexie.orgs.scoping import INTERNAL, RULES

#: What a path parameter that is not the model's key takes: (model label, attribute).
Source = tuple[str, str]

#: Path parameters the URL conf cannot tell the model of, by the URL's full name. A value is a
#: model label (the object's ``pk``), a (label, attribute) pair, or a ``Fixed`` value that names no
#: object (a transition, a file format) and is the same in both requests.
PARAMETERS: dict[str, dict[str, Any]] = {
    "cases:acknowledge": {"sup_id": "cases.supervision"},
    "cases:detail": {"pk": "cases.case"},
    "cases:act": {"pk": "cases.case"},
    "cases:link": {"pk": "cases.case"},
    "cases:extend": {"pk": "cases.case", "deadline_id": "cases.deadline"},
    "cases:restart": {"pk": "cases.case"},
    "cases:upload": {"pk": "cases.case"},
    "cases:attachment": {"pk": "cases.case", "att_id": "cases.attachment"},
    "cases:answer_referral": {"pk": "cases.case", "referral_id": "cases.referral"},
    "portal:project_poster": {"pk": "employers.project"},
    "portal:poster": {"code": ("orgs.orgunit", "code")},
    "employers:detail": {"pk": "employers.employer"},
    "employers:employer_edit": {"pk": "employers.employer"},
    "employers:project": {"pk": "employers.project"},
    "employers:project_edit": {"pk": "employers.project"},
    "employers:team_create": {"pk": "employers.project"},
    "employers:roster": {"pk": "employers.project"},
    "employers:register_worker": {"pk": "employers.project"},
    "employers:record_exit": {"pk": "employers.project", "entry_id": "employers.rosterentry"},
    "employers:point": {"pk": "employers.monitoringpoint"},
    "monitoring:import_detail": {"pk": "monitoring.importbatch"},
    "monitoring:import_progress": {"pk": "monitoring.importbatch"},
    "monitoring:import_errors": {"pk": "monitoring.importbatch"},
    "monitoring:import_withdraw": {"pk": "monitoring.importbatch"},
    "monitoring:warning": {"pk": "monitoring.warning"},
    "insights:district": {"code": ("orgs.orgunit", "code")},
    "insights:bulletin_download": {"pk": "insights.bulletin"},
    "insights:document_generate": {"case_id": "cases.case"},
    "insights:document_download": {"document_id": "insights.casedocument"},
    "api-case-detail": {"pk": "cases.case"},
    "api-case-timeline": {"pk": "cases.case"},
    "api-case-transition": {"pk": "cases.case"},
    "api-deadline-extend": {"pk": "cases.case", "deadline_id": "cases.deadline"},
    "api-case-restart-clock": {"pk": "cases.case"},
    "api-referral-answer": {"pk": "cases.case", "referral_id": "cases.referral"},
    "api-supervision-acknowledge": {"pk": "cases.supervision"},
    "api-registry-employer-detail": {"pk": "employers.employer"},
    "api-registry-project-detail": {"pk": "employers.project"},
    "api-registry-team-list": {"pk": "employers.project"},
    "api-registry-roster": {"pk": "employers.project"},
    "api-registry-roster-exit": {"pk": "employers.project", "entry_id": "employers.rosterentry"},
    "api-registry-point-detail": {"pk": "employers.monitoringpoint"},
    "api-registry-report-list": {"pk": "employers.monitoringpoint"},
    "api-monitoring-import-detail": {"pk": "monitoring.importbatch"},
    "api-monitoring-import-withdraw": {"pk": "monitoring.importbatch"},
    "api-monitoring-warning-detail": {"pk": "monitoring.warning"},
    "api-bridge-order-act": {"pk": "bridge.workorder"},
    "open311-request": {"ref": ("bridge.workorder", "external_ref")},
    "bridge:order": {"pk": "bridge.workorder"},
    "reception:day": {"pk": "cases.receptionday"},
    "reception:visit_create": {"pk": "cases.receptionday"},
    "bridge:order_act": {"pk": "bridge.workorder"},
    "monitoring:import_retry": {"pk": "monitoring.importbatch"},
    "api-monitoring-import-retry": {"pk": "monitoring.importbatch"},
    "monitoring:run_retry": {"pk": "monitoring.monitorrun"},
    "api-monitoring-run-retry": {"pk": "monitoring.monitorrun"},
    "insights:bulletin_retry": {"pk": "insights.bulletinrun"},
    "insights:order_docx": {"order_id": "prevention.rectificationorder"},
    "portal:publication": {"pk": "credit.publication"},
    "api-credit-listing-detail": {"pk": "credit.listing"},
    "credit:grade": {"pk": "credit.creditgrade"},
    "credit:grade_objection": {"pk": "credit.creditgrade"},
    "credit:grade_delivery": {"pk": "credit.creditgrade"},
    "credit:grade_decide": {"pk": "credit.creditgrade"},
    "credit:listing": {"pk": "credit.listing"},
    "credit:listing_step": {"pk": "credit.listing"},
    "credit:publication": {"pk": "credit.publication"},
    "credit:publication_step": {"pk": "credit.publication"},
    "prevention:assessment": {"pk": "prevention.assessment"},
    "prevention:answer": {"pk": "prevention.assessment", "item_id": "prevention.sheetitem"},
    "prevention:submit": {"pk": "prevention.assessment"},
    "prevention:sign_off": {"pk": "prevention.assessment"},
    "prevention:order": {"pk": "prevention.rectificationorder"},
    "prevention:recheck": {"pk": "prevention.rectificationorder"},
    "prevention:plan": {"pk": "prevention.plan"},
    "api-prevention-assessment-detail": {"pk": "prevention.assessment"},
    "api-prevention-order-detail": {"pk": "prevention.rectificationorder"},
    "api-prevention-plan-detail": {"pk": "prevention.plan"},
    "prevention:evidence": {"pk": "prevention.evidence"},
    "employer:assessment": {"pk": "prevention.assessment"},
    "employer:answer": {"pk": "prevention.assessment", "item_id": "prevention.sheetitem"},
    "employer:submit": {"pk": "prevention.assessment"},
    "employer:order": {"pk": "prevention.rectificationorder"},
    "employer:evidence": {"pk": "prevention.evidence"},
}


@dataclass(frozen=True)
class Fixed:
    """A path parameter that names no object (a transition, a format, a kind): one value for both requests."""

    value: str


#: Parameters that name no object, by URL name and parameter.
FIXED: dict[str, dict[str, Fixed]] = {
    "cases:act": {"name": Fixed("resolve")},
    "insights:bulletin_download": {"fmt": Fixed("docx")},
    "insights:document_generate": {"kind": Fixed("acceptance_notice")},
    "insights:template_download": {"kind": Fixed("acceptance_notice")},
    "api-monitoring-feed-records": {"feed": Fixed("attendance")},
    # The notice is served in the scene, so its document exists for the row's own district.
    "insights:listing_docx": {"kind": Fixed("notice")},
    "credit:listing_export": {"fmt": Fixed("csv")},
    "credit:listing_step": {"step": Fixed("notice")},
    "credit:publication_step": {"step": Fixed("review")},
    "bridge:order_act": {"action": Fixed("sign")},
}

#: Patterns whose parameters name no row of a district, and why they are not swept.
NOT_A_DISTRICT_ROW: dict[str, str] = {
    "insights:template_download": "a document template is the same for the whole installation",
    "api-monitoring-feed-records": "the feed's name, not a row",
    "admin:app_list": "an app's name, not a row",
    "portal:poster": "public: a district's poster is printed for anyone to scan",
    "admin/(?P<url>.*)$": "the admin's catch-all for addresses that match no page",
    "admin:view_on_site": "a redirect to the object's own page, which the sweep covers",
    "admin:auth_user_password_change": "covered as orgs_user_password_change",
    "employer:start": "an installation-wide score sheet's code: the account starts a self-check of its own "
                      "employer, whose file the employer pages of the sweep cover",
}

#: Admin models with no district: installation-wide rules and logs only an installation's
#: administrators reach (their scoping rule has no unit, or they are not Hexie's).
ADMIN_INSTALLATION_WIDE = ("auth.group", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
                           "workcal.calendaryear", "workcal.specialday")

#: The id no row has (well inside 64 bits, far above any sequence a test reaches).
MISSING_ID = 987654321
MISSING_CODE = "999999"

#: Request bodies that a write route accepts for a row in the user's own jurisdiction, so that the
#: request reaches the point where the row is looked up; any other route gets an empty body.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "api-case-transition": {"action": "resolve", "conclusion": "paid_in_full", "amount_recovered": "100",
                            "workers_benefited": 1},
    "api-deadline-extend": {"reason": "补充材料"},
    "api-bridge-order-act": {"action": "sign"},
    "api-case-restart-clock": {"ground": "add_party"},
    "api-referral-answer": {"answer": "已处理"},
    "api-supervision-acknowledge": {"note": "收到"},
    "api-registry-employer-detail": {"name": "长沙某建设集团二公司"},
    "api-registry-project-detail": {"name": "梅溪湖二期"},
    "api-registry-team-list": {"name": "钢筋班", "employer": "91430100MA4L16JQ9D"},
    "api-registry-roster": {"name": "李四", "id_number": "11010519491231002X", "phone": "13800000001",
                            "entry_date": "2026-03-01"},
    "api-registry-roster-exit": {"exit_date": "2026-10-01"},
    "api-registry-report-list": {"month": 202610, "headcount": 3, "wages_paid": "100"},
    "api-monitoring-import-withdraw": {"reason": "重复上传"},
}

METHODS = ("get", "post", "patch", "delete")


@dataclass
class Route:
    """One URL pattern with path parameters."""

    name: str  # the full name, "namespace:name", or the route itself when unnamed
    route: str
    params: list[str]
    pattern: URLPattern
    prefix: str
    objects: dict[str, Any] = field(default_factory=dict)  # param -> label, (label, attr) or Fixed

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from _walk(item, prefix + str(item.pattern), ns)
        else:
            name = f"{namespace}{item.name}" if item.name else ""
            yield prefix + str(item.pattern), name, item


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<rname>[^>]+)>")


def _admin_model(route: str) -> str | None:
    """The model label behind an admin page (``admin/cases/case/<path:object_id>/change/`` → ``cases.case``)."""
    for model in admin.site._registry:
        opts = model._meta
        if route.startswith(f"admin/{opts.app_label}/{opts.model_name}/"):
            return str(opts.label_lower)
    return None


def _view_model(pattern: URLPattern) -> str | None:
    view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return str(queryset.model._meta.label_lower)
    serializer = getattr(view, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    model = getattr(meta, "model", None)
    return str(model._meta.label_lower) if model is not None else None


def _named_model(param: str) -> str | None:
    """The scoped model a ``<model>_id`` parameter is named after, when exactly one has that name."""
    if not param.endswith("_id"):
        return None
    labels = [label for label in RULES if label.split(".")[1] == param[:-3]]
    return labels[0] if len(labels) == 1 else None


def routes() -> list[Route]:
    """Every pattern of the URL conf with path parameters, with what each parameter names."""
    found = []
    for route, name, pattern in _walk(get_resolver()):
        params = [m.group("name") or m.group("rname") for m in _PARAM.finditer(route)]
        if not params:
            continue
        r = Route(name=name or route, route=route, params=params, pattern=pattern, prefix=route)
        fixed = FIXED.get(r.name, {})
        table = PARAMETERS.get(r.name, {})
        admin_model = _admin_model(route)
        for param in params:
            if param in fixed:
                r.objects[param] = fixed[param]
            elif param in table:
                r.objects[param] = table[param]
            elif admin_model and param in ("object_id", "id"):
                r.objects[param] = admin_model
            elif param == "pk" and (model := _view_model(pattern)):
                r.objects[param] = model
            elif model := _named_model(param):
                r.objects[param] = model
        found.append(r)
    return found


def skipped_reason(r: Route) -> str | None:
    """Why a pattern is not swept (its parameters name no row of a district), or None."""
    if r.name in NOT_A_DISTRICT_ROW:
        return NOT_A_DISTRICT_ROW[r.name]
    labels = [v for v in r.objects.values() if isinstance(v, str)]
    if len(r.objects) == len(r.params) and not labels and not any(isinstance(v, tuple) for v in r.objects.values()):
        return "no parameter names a row"
    for label in labels:
        if label in ADMIN_INSTALLATION_WIDE:
            return f"{label} has no district"
        rule = RULES.get(label)
        if rule is not None and rule.unit is None:
            return f"{label} is installation-wide"
    return None


def unmapped(scene_labels: set[str]) -> list[str]:
    """Patterns the sweep cannot build a district's URL for: a parameter it cannot map, or a model
    the scene holds no row of. Each needs a line in ``PARAMETERS`` or a row in the scene."""
    problems = []
    for r in routes():
        if skipped_reason(r):
            continue
        for param in r.params:
            value = r.objects.get(param)
            if value is None:
                problems.append(f"{r.name} ({r.route}): parameter {param!r} maps to no model; "
                                "add it to hexie/demo/tests/sweep.py PARAMETERS")
                continue
            label = value[0] if isinstance(value, tuple) else value
            if isinstance(label, str) and label not in scene_labels:
                known = label in RULES or label in INTERNAL
                problems.append(f"{r.name} ({r.route}): the scene has no {label} row"
                                + ("" if known else " (and scoping knows no such model)"))
    return problems


def swept_routes() -> list[Route]:
    return [r for r in routes() if not skipped_reason(r)]


def url_for(r: Route, scene: dict[str, Any], *, missing: bool) -> str:
    """The pattern's URL for the scene's row, or with every row parameter replaced by one no row has."""
    return _url(r, _kwargs(r, scene, missing=missing))


def row_values(r: Route, scene: dict[str, Any], *, missing: bool) -> list[str]:
    """The values the URL names rows by (not the fixed ones)."""
    return [v for p, v in _kwargs(r, scene, missing=missing).items() if not isinstance(r.objects[p], Fixed)]


def _kwargs(r: Route, scene: dict[str, Any], *, missing: bool) -> dict[str, str]:
    kwargs: dict[str, str] = {}
    for param in r.params:
        value = r.objects[param]
        if isinstance(value, Fixed):
            kwargs[param] = value.value
        elif isinstance(value, tuple):
            kwargs[param] = MISSING_CODE if missing else str(getattr(scene[value[0]], value[1]))
        else:
            kwargs[param] = str(MISSING_ID) if missing else str(scene[value].pk)
    return kwargs


def _url(r: Route, kwargs: dict[str, str]) -> str:
    url = "/" + r.route
    for param, value in kwargs.items():
        url = re.sub(rf"<(?:[^>:]+:)?{re.escape(param)}>|\(\?P<{re.escape(param)}>[^)]*\)", value, url)
    # The admin's regex patterns: drop the anchors.
    return url.replace("^", "").replace("$", "")


def answer(response: Any, url: str, values: list[str]) -> dict[str, Any]:
    """What a user learns from a response: its status, where it redirects, its JSON body; the
    requested address and the ids in it (which a redirect to the row's own page repeats) are
    blanked out."""
    seen: dict[str, Any] = {"status": response.status_code}
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"].replace(url, "<url>")
        for value in values:
            location = location.replace(f"/{value}/", "/<id>/")
        seen["location"] = location
    content_type = response.get("Content-Type", "")
    seen["content_type"] = content_type
    if "json" in content_type:
        seen["body"] = json.loads(response.content.decode().replace(url, "<url>") or "null")
    return seen


def request(client: Client, r: Route, method: str, url: str, token: str | None) -> Any:
    """One request as the user behind the client: a token for the API, the session for pages."""
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Token {token}"} if (r.is_api and token) else {}
    if method == "get":
        return client.get(url, **extra)
    body = VALID_BODIES.get(r.name, {}) if r.is_api else {}
    if r.is_api:
        return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)
    if method == "post":
        return client.post(url, data=body, **extra)
    return getattr(client, method)(url, **extra)


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Hexie model, to show that no request changed anything."""
    state = {}
    for model in apps.get_models():
        if model.__module__.startswith("hexie.") or model._meta.label_lower == "authtoken.token":
            state[model._meta.label_lower] = sorted(
                (tuple(str(v) for v in row) for row in model._default_manager.values_list()), key=str)
    return state


def changed(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def scene_labels(scene: dict[str, Model]) -> set[str]:
    return set(scene)
