"""The demo registry: written on the demo org tree, deterministic, valid identifiers, the shape the
monitoring demo reads (roster by project, entries before and after August, exits Aug–Oct)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db.models import Count, F
from django.utils import timezone

from hexie.core.pii import lookup_hash
from hexie.core.validators import is_valid_credit_code, is_valid_id_number
from hexie.demo.city import DISTRICTS, create_city
from hexie.demo.registry import load_registry
from hexie.employers.models import Employer, MonitoringPoint, MonitoringReport, Project, RosterEntry, Worker

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, 0)


def test_load_registry_small():
    create_city()
    now = timezone.make_aware(NOW)
    summary = load_registry(now=now, employers=120, projects=6, workers=900, points=5)
    assert summary["loaded"] is True
    assert summary["employers"] == 120 + len(DISTRICTS)  # plus one owner per district
    assert Project.objects.count() == 6 and MonitoringPoint.objects.count() == 5
    assert MonitoringReport.objects.count() == 30
    assert 800 <= summary["roster"] <= 950 and Worker.objects.count() == summary["workers"]
    assert all(is_valid_credit_code(c) for c in Employer.objects.values_list("credit_code", flat=True))
    # Every project has its general contractor, 2–6 teams, and workers on its roster.
    for p in Project.objects.annotate(teams_n=Count("teams", distinct=True), roster_n=Count("roster", distinct=True)):
        assert 2 <= p.teams_n <= 6 and p.roster_n > 0
        assert p.planned_end_date > p.start_date and date(2025, 1, 1) <= p.start_date <= date(2026, 12, 31)
        assert p.contract_value * 1 / 100 <= p.guarantee_deposit <= p.contract_value * 3 / 100
    assert Project.objects.filter(special_account_number="").exists()
    assert Project.objects.filter(has_notice_board=False).exists()
    # Identifiers are real-name quality: valid, encrypted, found by their hash.
    w = Worker.objects.order_by("pk").first()
    assert is_valid_id_number(w.id_number) and w.id_hash == lookup_hash(w.id_number) and w.id_last4 == w.id_number[-4:]
    entries = RosterEntry.objects.all()
    assert entries.filter(entry_date__lt=date(2026, 8, 1)).count() > entries.count() * 0.8
    assert entries.filter(entry_date__gte=date(2026, 8, 1)).exists()
    exits = entries.filter(exit_date__isnull=False)
    assert exits.exists() and not exits.filter(exit_date__lt=date(2026, 8, 1)).exists()
    assert not exits.filter(exit_date__gt=date(2026, 10, 31)).exists()
    assert not RosterEntry.objects.filter(team__isnull=False).exclude(team__project=F("project")).exists()
    months = sorted(set(MonitoringReport.objects.values_list("month", flat=True)))
    assert months == [202605, 202606, 202607, 202608, 202609, 202610]
    # A second load changes nothing.
    assert load_registry(now=now)["loaded"] is False


def test_load_registry_is_deterministic():
    create_city()
    now = timezone.make_aware(NOW)
    load_registry(now=now, employers=60, projects=3, workers=200, points=2, seed=7)
    first = list(Worker.objects.order_by("pk").values_list("id_hash", flat=True)[:50])
    names = list(Project.objects.order_by("pk").values_list("name", "code"))
    RosterEntry.objects.all().delete()
    Worker.objects.all().delete()
    MonitoringPoint.objects.all().delete()
    Project.objects.all().delete()
    Employer.objects.all().delete()
    load_registry(now=now, employers=60, projects=3, workers=200, points=2, seed=7)
    assert list(Worker.objects.order_by("pk").values_list("id_hash", flat=True)[:50]) == first
    assert list(Project.objects.order_by("pk").values_list("name", "code")) == names
