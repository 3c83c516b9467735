"""The one place that limits what a user may see or change (DESIGN principle 2).

Every queryset a user can reach, on a page, in a form, through the API or in a bulletin, passes
through :func:`restrict`. A row outside the result answers 404, exactly like a row that does not
exist. Services that write check the role first (403, ``hexie.core.permissions.require_role`` over
the role sets below) and then find the row through ``restrict(…, CHANGE)`` (404), so that "not
yours" and "not there" look the same.

Whose jurisdiction
==================

==========================================  =====================================================
user                                        jurisdiction
==========================================  =====================================================
anonymous, inactive, not a member of staff  nothing
superuser                                   everything
staff with no org unit (any role,           nothing: a user without a unit has no jurisdiction.
administrators included)                    A city-wide administrator is given the city's unit.
partner agency staff                        only rows reached through a referral to its agency
                                            (a case and its file); nothing of the registry,
                                            monitoring, org tree or staff
labour-relations coordinator                only cases routed to its mediation body or station
                                            (or one below it), and their files; nothing else
front desk, handler, leader, administrator  their unit and every unit below it
==========================================  =====================================================

The rule table
==============

One row per model a user can reach (``RULES``), keyed by ``app_label.model``; a model that is not
in the table cannot be restricted (``ImproperlyConfigured``), so a new model has to be given a
rule before any page can list it, or be named in ``INTERNAL`` with the reason no user reaches it. Rows name the lookup from the model to its org unit, the lookup
from the model to the partner agency a case was referred to, and the roles allowed to view and
to change it:

==============================  ========================  ==========================  =========  =========
model                           unit                      partner agency reaches it   view       change
==============================  ========================  ==========================  =========  =========
orgs.orgunit                    the unit itself           —                           staff      admins
orgs.user                       org_unit                  —                           staff      admins
orgs.partneragency              (city-wide)               —                           staff      admins
core.auditevent                 org_unit                  —                           leaders    nobody
cases.case                      org_unit                  referrals__agency           everyone   staff
cases.deadline                  case__org_unit            case__referrals__agency     everyone   handling
cases.timelineevent             case__org_unit            case__referrals__agency     everyone   staff
cases.referral                  case__org_unit            agency                      everyone   everyone
cases.supervision               case__org_unit            —                           staff      leaders
cases.attachment                case__org_unit            case__referrals__agency     everyone   staff
cases.deadlinerule, triagerule  (city-wide rules)         —                           staff      admins
cases.chainthreshold            (city-wide rules)         —                           staff      admins
cases.receptionday              org_unit                  —                           staff      staff
cases.receptionvisit            day__org_unit             —                           staff      staff
employers.employer              org_unit                  —                           staff      staff
employers.project               org_unit                  —                           staff      staff
employers.workteam              project__org_unit         —                           staff      staff
employers.rosterentry           project__org_unit         —                           staff      staff
employers.monitoringpoint       employer__org_unit        —                           staff      staff
employers.monitoringreport      point__employer__org_unit —                           staff      staff
monitoring.warning              org_unit                  —                           staff      nobody
monitoring.monitoringcase       case__org_unit            —                           staff      nobody
monitoring.importbatch          org_unit                  —                           staff      staff
monitoring.warningrule, …       (city-wide rules)         —                           staff      admins
monitoring.minimumwage          org_unit                  —                           staff      admins
monitoring.monitorrun           (city-wide)               —                           staff      admins
monitoring.nightlyrun           (city-wide)               —                           staff      admins
credit.creditrecord             employer__org_unit        —                           staff      handling
credit.creditgrade              org_unit                  —                           staff      handling
credit.listing                  org_unit                  —                           staff      handling
credit.publication              org_unit and its parents  —                           staff      leaders
credit.gradecriterion, …        (city-wide rules)         —                           staff      admins
bridge.workorder                org_unit                  —                           staff      staff
bridge.orderrule                (city-wide rules)         —                           staff      admins
insights.bulletin               org_unit and its parents  —                           staff      leaders
insights.bulletinrun            org_unit                  —                           leaders    leaders
insights.casedocument           case__org_unit            case__referrals__agency     everyone   staff
insights.documenttemplate       (city-wide)               —                           staff      admins
prevention.scoresheet, section, owner_unit, its parents   —                           staff      admins
  item                          and the empty unit
prevention.plan                 org_unit                  —                           staff      handling
prevention.assessment           employer__org_unit        —                           staff+emp  handling+emp
prevention.answer               assessment__employer__…   —                           staff+emp  handling+emp
prevention.evidence             employer__org_unit        —                           staff+emp  handling+emp
prevention.rectificationorder   employer__org_unit        —                           staff+emp  handling+emp
prevention.employeraccount      employer__org_unit        —                           staff      admins
==============================  ========================  ==========================  =========  =========

An employer account (role ``employer``, no unit) sees nothing by jurisdiction: only the rows of
the models whose rule names an ``employer`` lookup, and of those only its own employer's ("emp"
above). A sheet is visible below the unit that owns it: a district uses the province's or the
city's sheet unless it has its own.

"staff" is every bureau role (front desk, handler, leader, administrator), "handling" handlers,
leaders and administrators, "leaders" leaders and administrators, "admins" administrators,
"everyone" the bureau's staff and partner agencies. A bulletin is also visible below the unit it
was issued for: a district reads the city's bulletins. What a role may do to a case beyond this
(which transition, own cases only) is the workflow table's business (``cases.workflow``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from hexie.orgs.models import OrgLevel, OrgUnit, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

M = TypeVar("M", bound=Model)

VIEW = "view"
CHANGE = "change"

# --- named role sets --------------------------------------------------------------------------

#: The bureau's own staff: everyone who registers, handles or leads cases.
BUREAU_STAFF = frozenset({Role.FRONT_DESK, Role.HANDLER, Role.LEADER, Role.ADMIN})
#: Who handles cases (and may be named handler, with leaders who handle their own); a coordinator
#: handles the cases routed to its body or station, and reaches no other.
HANDLING = frozenset({Role.HANDLER, Role.LEADER, Role.ADMIN, Role.COORDINATOR})
#: Who may be named a case's handler.
HANDLERS = frozenset({Role.HANDLER, Role.LEADER})
#: Leaders: assign, supervise, approve extensions, read the audit log, issue bulletins.
LEADERS = frozenset({Role.LEADER, Role.ADMIN})
#: Administrators: configuration, org tree and staff.
ADMINS = frozenset({Role.ADMIN})
#: Partner agencies (court, union, housing, police): only what was referred to them.
PARTNERS = frozenset({Role.PARTNER})
#: An employer's own account (hexie.prevention): its own file, nothing else.
EMPLOYERS = frozenset({Role.EMPLOYER})
#: Labour-relations coordinators of mediation bodies and stations: only the cases routed there.
COORDINATORS = frozenset({Role.COORDINATOR})
#: Every role, partner agencies and coordinators included (employer accounts are not staff).
EVERYONE = BUREAU_STAFF | PARTNERS | COORDINATORS
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    """How rows of one model belong to a jurisdiction, and which roles may view or change them.

    ``unit``: the lookup from the model to its ``OrgUnit`` ("" for OrgUnit itself, None for
    city-wide rows such as rules, which every permitted role sees). ``agency``: the lookup to the
    partner agency a case was referred to, for partner staff. ``with_parents``: rows issued for a
    unit above the user's are visible too (bulletins).
    """

    unit: str | None
    view: frozenset[str]
    change: frozenset[str]
    agency: str | None = None
    with_parents: bool = False
    #: Rows whose unit is empty are installation-wide defaults, seen like city-wide rows (score sheets).
    shared_when_empty: bool = False
    #: The lookup from the model to its employer, for employer accounts (None: they never see it).
    employer: str | None = None
    # The lookup to the mediation body or station a case was routed to, for coordinators.
    routed: str | None = None

    def roles(self, action: str) -> frozenset[str]:
        if action == VIEW:
            return self.view
        if action == CHANGE:
            return self.change
        raise ValueError(f"unknown scoping action {action!r}")


_RULES_CITYWIDE = Rule(unit=None, view=BUREAU_STAFF, change=ADMINS)


def _case_child(*, change: frozenset[str]) -> Rule:
    """A part of a case's file: in the case's jurisdiction, and reached by the agencies it was referred to
    and the mediation body or station it was routed to."""
    return Rule(unit="case__org_unit", agency="case__referrals__agency", view=EVERYONE, change=change,
                routed="case__mediation_body")


def _sheet_rule(unit: str) -> Rule:
    """A score sheet's part: a district uses its own, its parents' and the installation's defaults."""
    return Rule(unit=unit, with_parents=True, shared_when_empty=True, view=BUREAU_STAFF, change=ADMINS)


RULES: dict[str, Rule] = {
    "orgs.orgunit": Rule(unit="", view=BUREAU_STAFF, change=ADMINS),
    "orgs.user": Rule(unit="org_unit", view=BUREAU_STAFF, change=ADMINS),
    "orgs.partneragency": _RULES_CITYWIDE,
    "core.auditevent": Rule(unit="org_unit", view=LEADERS, change=NOBODY),
    "cases.case": Rule(unit="org_unit", agency="referrals__agency", view=EVERYONE, change=BUREAU_STAFF | COORDINATORS,
                       routed="mediation_body"),
    "cases.deadline": _case_child(change=HANDLING),
    "cases.timelineevent": _case_child(change=BUREAU_STAFF),
    "cases.referral": Rule(unit="case__org_unit", agency="agency", view=EVERYONE, change=EVERYONE),
    "cases.supervision": Rule(unit="case__org_unit", view=BUREAU_STAFF, change=LEADERS),
    "cases.attachment": _case_child(change=BUREAU_STAFF),
    "cases.deadlinerule": _RULES_CITYWIDE,
    "cases.triagerule": _RULES_CITYWIDE,
    "cases.chainthreshold": _RULES_CITYWIDE,
    "cases.receptionday": Rule(unit="org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "cases.receptionvisit": Rule(unit="day__org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "employers.employer": Rule(unit="org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "employers.project": Rule(unit="org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "employers.workteam": Rule(unit="project__org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "employers.rosterentry": Rule(unit="project__org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "employers.monitoringpoint": Rule(unit="employer__org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "employers.monitoringreport": Rule(unit="point__employer__org_unit", view=BUREAU_STAFF,
                                       change=BUREAU_STAFF),
    "monitoring.warning": Rule(unit="org_unit", view=BUREAU_STAFF, change=NOBODY),
    "monitoring.monitoringcase": Rule(unit="case__org_unit", view=BUREAU_STAFF, change=NOBODY),
    "monitoring.importbatch": Rule(unit="org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "monitoring.warningrule": _RULES_CITYWIDE,
    # A minimum wage is set for an area: its district's administrators keep their own rows.
    "monitoring.minimumwage": Rule(unit="org_unit", view=BUREAU_STAFF, change=ADMINS),
    "monitoring.monitorrun": _RULES_CITYWIDE,
    "monitoring.nightlyrun": _RULES_CITYWIDE,
    "credit.creditrecord": Rule(unit="employer__org_unit", view=BUREAU_STAFF, change=HANDLING),
    # Objections are recorded by handlers and decided by leaders: the services check each role.
    "credit.creditgrade": Rule(unit="org_unit", view=BUREAU_STAFF, change=HANDLING),
    "credit.listing": Rule(unit="org_unit", view=BUREAU_STAFF, change=HANDLING),
    # A district reads the city's publications, as with bulletins.
    "credit.publication": Rule(unit="org_unit", with_parents=True, view=BUREAU_STAFF, change=LEADERS),
    "credit.gradecriterion": _RULES_CITYWIDE,
    "credit.creditsetting": _RULES_CITYWIDE,
    "bridge.workorder": Rule(unit="org_unit", view=BUREAU_STAFF, change=BUREAU_STAFF),
    "bridge.orderrule": _RULES_CITYWIDE,
    "insights.bulletin": Rule(unit="org_unit", with_parents=True, view=BUREAU_STAFF, change=LEADERS),
    "insights.bulletinrun": Rule(unit="org_unit", view=LEADERS, change=LEADERS),
    "insights.casedocument": _case_child(change=BUREAU_STAFF),
    "insights.documenttemplate": _RULES_CITYWIDE,
    "prevention.scoresheet": _sheet_rule("owner_unit"),
    "prevention.sheetsection": _sheet_rule("sheet__owner_unit"),
    "prevention.sheetitem": _sheet_rule("section__sheet__owner_unit"),
    "prevention.plan": Rule(unit="org_unit", view=BUREAU_STAFF, change=HANDLING),
    "prevention.assessment": Rule(unit="employer__org_unit", employer="employer", view=BUREAU_STAFF | EMPLOYERS,
                                  change=HANDLING | EMPLOYERS),
    "prevention.answer": Rule(unit="assessment__employer__org_unit", employer="assessment__employer",
                              view=BUREAU_STAFF | EMPLOYERS, change=HANDLING | EMPLOYERS),
    "prevention.evidence": Rule(unit="employer__org_unit", employer="employer", view=BUREAU_STAFF | EMPLOYERS,
                                change=HANDLING | EMPLOYERS),
    "prevention.rectificationorder": Rule(unit="employer__org_unit", employer="employer",
                                          view=BUREAU_STAFF | EMPLOYERS, change=HANDLING | EMPLOYERS),
    "prevention.employeraccount": Rule(unit="employer__org_unit", view=BUREAU_STAFF, change=ADMINS),
}

# Models no user lists or opens on their own, and why: they need no rule (a test keeps every
# model of Hexie in exactly one of RULES and INTERNAL).
INTERNAL: dict[str, str] = {
    "core.idempotencyrecord": "the stored first answers of create requests, read only by the idempotency helper",
    "workcal.calendaryear": "the official calendar, the same for every user",
    "workcal.specialday": "the official calendar, the same for every user",
    "cases.casenumbersequence": "the case-number counter",
    "cases.cluster": "reached only through its cases",
    "cases.notification": "the outbox, read by the sender",
    "portal.trackingfailure": "per-address counters of the public portal",
    "portal.portalsubmission": "per-address counters of the public portal",
    "portal.portaladdress": "per-address lock of the public portal's filing limit",
    "employers.worker": "reached only through a roster entry of a project in the jurisdiction",
    "credit.listedperson": "reached only through its listing",
    "credit.publicationentry": "reached only through its publication",
    "insights.documentnumbersequence": "the document-number counter",
    "bridge.outboundmessage": "the bridge's outbox, read by the sender",
    "insights.caserollup": "the dashboards' totals, read through the viewed unit's ids",
    "insights.rollupstate": "the roll-up's watermark",
    "prevention.logincode": "the hashed one-time SMS codes of employer log-ins, read only by the log-in",
    "prevention.ordernumbersequence": "the rectification-order number counter",
}


# --- who is asking ----------------------------------------------------------------------------


def as_staff(user: AbstractBaseUser | AnonymousUser | Any) -> User | None:
    """The active member of staff behind a request's user, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user if isinstance(user, User) else None


def has_role(user: Any, roles: frozenset[str]) -> bool:
    """True for a superuser, and for active staff whose role is one of ``roles``."""
    staff = as_staff(user)
    return staff is not None and (staff.is_superuser or staff.role in roles)


def rule_for(model: type[Model]) -> Rule:
    label = model._meta.label_lower
    try:
        return RULES[label]
    except KeyError:
        raise ImproperlyConfigured(
            f"{label} has no rule in hexie.orgs.scoping.RULES: say who may see it before listing it") from None


def may(user: Any, model: type[Model], action: str = VIEW) -> bool:
    """Whether the user may ``action`` rows of ``model`` at all: the role is allowed and the user
    has a jurisdiction to do it in (what a page asks before showing a form or a button)."""
    rule = rule_for(model)
    staff = as_staff(user)
    if staff is None:
        return False
    if staff.is_superuser:
        return True
    if staff.role not in rule.roles(action):
        return False
    if staff.role == Role.PARTNER:
        return rule.agency is not None and staff.agency_id is not None
    if staff.role == Role.EMPLOYER:
        return rule.employer is not None
    if staff.role == Role.COORDINATOR:
        return rule.routed is not None and staff.org_unit_id is not None
    return staff.org_unit_id is not None


# --- units ----------------------------------------------------------------------------------


def units_under(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit and every unit below it (one indexed prefix match on the tree's path)."""
    return OrgUnit.objects.filter(path__startswith=unit.path)


def unit_ids_under(unit: OrgUnit) -> list[int]:
    return list(units_under(unit).values_list("pk", flat=True))


def under(unit: OrgUnit, field: str = "org_unit") -> Q:
    """Rows whose ``field`` (a lookup to an OrgUnit) is the unit or below it, joined on the path."""
    return Q(**{f"{field}__path__startswith": unit.path})


def parent_codes(unit: OrgUnit) -> list[str]:
    """The codes of the units above this one, from the root down (read off the path)."""
    return [code for code in unit.path.split("/") if code][:-1]


def district_of(unit: OrgUnit) -> OrgUnit | None:
    """The district (区县) a unit lies in: itself when it is one; None for a unit above the districts."""
    if unit.level == OrgLevel.DISTRICT:
        return unit
    return OrgUnit.objects.filter(code__in=parent_codes(unit), level=OrgLevel.DISTRICT).first()


def in_jurisdiction(user: Any, unit: OrgUnit) -> bool:
    """True when the unit is in the user's jurisdiction (the org tree's own rule, without a query)."""
    staff = as_staff(user)
    if staff is None:
        return False
    if staff.is_superuser:
        return True
    own = staff.org_unit
    return staff.role in RULES["orgs.orgunit"].view and own is not None and unit.path.startswith(own.path)


def jurisdiction_unit_ids(user: Any) -> list[int] | None:
    """The ids of the units whose rows the user sees by jurisdiction: None for every unit
    (superuser), [] for none (a partner agency, no unit, not staff)."""
    staff = as_staff(user)
    if staff is None:
        return []
    if staff.is_superuser:
        return None
    if staff.role in (Role.PARTNER, Role.COORDINATOR) or staff.org_unit_id is None:
        return []
    return unit_ids_under(staff.org_unit)  # type: ignore[arg-type]


# --- the one restriction ----------------------------------------------------------------------


def restrict(queryset: QuerySet[M], user: Any, action: str = VIEW, *, single: bool = False) -> QuerySet[M]:
    """The rows of ``queryset`` the user may ``view`` or ``change`` (see the module's tables).

    ``single=True`` says the queryset already picks one row by its key: the org tree is then
    joined in the same statement, which for one row costs less than resolving the unit ids first.
    """
    rule = rule_for(queryset.model)
    staff = as_staff(user)
    if staff is None:
        return queryset.none()
    if staff.is_superuser:
        return queryset
    if staff.role not in rule.roles(action):
        return queryset.none()
    if staff.role == Role.PARTNER:
        if rule.agency is None or staff.agency_id is None:
            return queryset.none()
        return queryset.filter(**{f"{rule.agency}_id": staff.agency_id}).distinct()
    if staff.role == Role.EMPLOYER:
        if rule.employer is None:
            return queryset.none()
        # Joined by name through the employer's accounts (one account per user, so no duplicates):
        # the scoping module knows the lookup, not the app that owns the accounts.
        return queryset.filter(**{f"{rule.employer}__portal_accounts__user_id": staff.pk})
    if staff.org_unit_id is None:
        return queryset.none()
    if staff.role == Role.COORDINATOR:
        if rule.routed is None:
            return queryset.none()
        return queryset.filter(**{f"{rule.routed}__path__startswith": staff.org_unit.path})  # type: ignore[union-attr]
    if rule.unit is None:
        return queryset
    unit: OrgUnit = staff.org_unit  # type: ignore[assignment]
    path_field = f"{rule.unit}__path" if rule.unit else "path"
    if single or rule.with_parents:
        condition = Q(**{f"{path_field}__startswith": unit.path})
        if rule.with_parents:
            condition |= Q(**{f"{rule.unit}__code__in" if rule.unit else "code__in": parent_codes(unit)})
        if rule.shared_when_empty:
            condition |= Q(**{f"{rule.unit}__isnull": True})
        return queryset.filter(condition)
    if rule.unit == "":
        return queryset.filter(path__startswith=unit.path)
    # The units are looked up first (one small query on the org tree) and the rows filtered by
    # their ids. A join on the path, or an IN subquery that PostgreSQL turns into the same join,
    # lets the planner repeat the row-side index scans once per org unit: at a million cases that
    # made a search in a district's queue twice as slow (bench/README.md).
    return queryset.filter(**{f"{rule.unit}_id__in": unit_ids_under(unit)})
