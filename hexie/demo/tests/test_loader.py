"""The demo city: deterministic, every state present, loaded once (a second run changes nothing)."""

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hexie.cases.models import Case, TimelineEvent
from hexie.core.validators import validate_credit_code, validate_id_number
from hexie.demo.caseload import plan_cases
from hexie.demo.employers import make_employers, make_projects
from hexie.demo.plans import STATES
from hexie.insights.models import Bulletin
from hexie.monitoring.models import MonitoringCase, Warning
from hexie.orgs.models import OrgUnit, User
from hexie.prevention.models import Assessment, RectificationOrder

NOW = timezone.make_aware(datetime(2026, 11, 20, 10, 0))


def test_plans_are_deterministic_and_cover_every_state():
    def plans():
        return plan_cases(n=80, seed=7, now=NOW, is_working_day=lambda d: d.weekday() < 5)

    first, second = plans(), plans()
    assert first == second
    assert {p.target for p in first} == set(STATES)
    assert all(p.received_at <= NOW for p in first)
    assert all(s.at <= NOW for p in first for s in p.steps)


def test_employers_have_valid_credit_codes_and_people_valid_ids():
    employers = make_employers()
    assert len(employers) == 300 and len({e.name for e in employers}) == 300
    for e in employers:
        validate_credit_code(e.credit_code)
    for p in plan_cases(n=30, seed=1, now=NOW, is_working_day=lambda d: d.weekday() < 5):
        validate_id_number(p.complainant.id_number)
    assert len(make_projects(employers)) == 40


@pytest.mark.slow
@pytest.mark.django_db
def test_load_demo_is_idempotent():
    out = StringIO()
    call_command("load_demo", "--cases", "60", "--workers", "2000", stdout=out)
    assert "演示数据已加载：" in out.getvalue() and "hexie-demo-2026" in out.getvalue()
    cases, events = Case.objects.count(), TimelineEvent.objects.count()
    # The 60 planned cases, the complaint planted against a project, the cases the monitoring
    # job opened from red warnings in the three months of demo feeds, and those of the chain: seven
    # walked along it, nine work orders, two taken on a reception day (hexie.demo.chain).
    opened_by_warnings = MonitoringCase.objects.count()
    assert opened_by_warnings > 0
    # …and the cases opened by rectification orders ignored past their deadline.
    escalated = RectificationOrder.objects.filter(case__isnull=False).count()
    assert escalated > 0 and RectificationOrder.objects.filter(state="complied").exists()
    assert Assessment.objects.filter(kind="evaluation", state="signed_off").exists()
    # Credit: last year's grades, one listing in each state of its procedure, issued publications.
    from hexie.credit.models import CreditGrade, Listing, Publication

    assert set(CreditGrade.objects.values_list("grade", flat=True)) >= {"A", "C"}
    assert set(Listing.objects.values_list("state", flat=True)) == set(Listing.State.values)
    assert Publication.objects.filter(state="issued").count() == 2
    from hexie.credit.models import ViolationCategory

    major = Publication.objects.get(kind="violations", state="issued")
    assert set(major.entries.values_list("category", flat=True)) == set(ViolationCategory.values)
    from hexie.core import clock

    assert RectificationOrder.objects.filter(state__in=["issued", "answered"], deadline__lt=clock.today()).exists()
    assert CreditGrade.objects.filter(delivered_on__isnull=False).exists()
    assert CreditGrade.objects.filter(state="notified", delivered_on__isnull=True).exists()
    # …and the large-arrears complaint closed with an order, for the quarter's publication (+1).
    assert cases == 60 + 1 + opened_by_warnings + escalated + 7 + 9 + 2 + 1
    assert Warning.objects.filter(state="open").values("rule__code").distinct().count() >= 7
    assert set(Case.objects.values_list("status", flat=True)) == set(STATES)
    assert OrgUnit.objects.filter(code="430100", level="city").exists()
    assert OrgUnit.objects.filter(level="street", code__startswith="430104").count() >= 5
    assert {"front_desk", "handler", "leader", "partner", "admin", "coordinator"} <= set(
        User.objects.values_list("role", flat=True))
    # Every case has a real file: a registration event, and a transition event per step taken.
    assert not Case.objects.exclude(events__kind="registered").exists()
    # Every open case that is not suspended is on a running clock (rules.md §2), its track chosen
    # at acceptance; one mediation went on to arbitration.
    clocks = StringIO()
    call_command("check_clocks", stdout=clocks)
    assert "所有在办案件均有计时中的期限" in clocks.getvalue()
    assert not Case.objects.filter(status__in=["accepted", "assigned"], track="").exists()
    assert TimelineEvent.objects.filter(kind="transfer_track", data__track="arbitration").exists()
    # Last month's city bulletin counts the warnings about that month, found after it ended: it does
    # not print 0 while the warning list shows that month's open warnings.
    bulletin = Bulletin.objects.get(kind="monthly", org_unit__code="430100")
    month = bulletin.period_start.year * 100 + bulletin.period_start.month
    open_about = Warning.objects.filter(month=month, state="open").count()
    assert open_about > 0
    assert bulletin.figures["warnings"]["about_open"] == open_about
    assert f"尚未消除{open_about}条" in bulletin.figures["warnings"]["summary"]

    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "未做任何更改" in again.getvalue()
    assert (Case.objects.count(), TimelineEvent.objects.count()) == (cases, events)


@pytest.mark.django_db
def test_load_demo_leaves_other_data_alone(city):
    out = StringIO()
    call_command("load_demo", "--cases", "10", stdout=out)
    assert "已有其他数据" in out.getvalue()
    assert Case.objects.count() == 0
