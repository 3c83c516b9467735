"""Registering a case costs the same whatever the employer's history (issue 11 §4): the same SQL
statements for an employer with 5 cases in its cluster as for one with 200, the cluster's count
kept exact without rewriting its members, and the case number issued last."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hexie.cases import services
from hexie.cases.models import Case, Cluster, TriageRule
from hexie.core.pii import lookup_hash
from hexie.employers.models import Employer

SMALL, BIG = 5, 200


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL sent to the database, with its placeholders (the parameters left out)."""
    seen: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(re.sub(r'"s\d+_x\d+"', '"savepoint"', sql))  # savepoint names differ from call to call
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


@pytest.fixture
def cluster_rule(db: Any) -> TriageRule:
    rule = TriageRule.objects.get(kind=TriageRule.Kind.CLUSTER)
    assert rule.is_active and rule.threshold == 3 and rule.window_days == 7
    return rule


def _employer_with_history(intake: Any, users: dict[str, Any], city: dict[str, Any], n: int, code: str) -> Employer:
    """An employer with n complaints from n people over the last five days, in one cluster: the
    first registered through the service, the others copies of it (as the service leaves them)."""
    emp = Employer.objects.create(credit_code=code, name=f"长沙某建设有限公司{n}", org_unit=city["yuelu"])
    now = timezone.now()
    first = services.register_case(data=intake(employer_name=emp.name, employer_credit_code=code,
                                               received_at=now - timedelta(days=5)), actor=users["desk"])
    cluster = Cluster.objects.create(key=f"emp:{emp.pk}", label=emp.name, first_received_at=first.received_at,
                                     last_received_at=now, risk_level="orange", case_count=n)
    copies = []
    for i in range(1, n):
        c = copy.copy(first)
        c.pk = c.id = None
        phone = f"1390{n:03d}{i:04d}"
        c.number, c.tracking_code = f"T{n}-{i:05d}", f"T{n:03d}{i:05d}"
        c.complainant_phone, c.complainant_phone_hash, c.complainant_phone_last4 = phone, lookup_hash(phone), phone[-4:]
        c.received_at = now - timedelta(days=5) + timedelta(seconds=i * 60)
        copies.append(c)
    Case.objects.bulk_create(copies)
    Case.objects.filter(employer=emp).update(cluster=cluster)
    return emp


def test_registering_costs_the_same_statements_for_5_and_200_earlier_cases(intake, users, city, cluster_rule):
    small = _employer_with_history(intake, users, city, SMALL, "91430104MA4K8PBR5J")
    big = _employer_with_history(intake, users, city, BIG, "91430104MA41W6PN3Y")
    sent = {}
    for emp in (small, big):
        with statements() as sql:
            case = services.register_case(data=intake(employer_name=emp.name, employer_credit_code=emp.credit_code,
                                                      complainant_phone="13700001111"), actor=users["desk"])
        sent[emp.pk] = sql
        cluster = Cluster.objects.get(key=f"emp:{emp.pk}")
        assert case.cluster == cluster
        # Exact without recounting: every case of the employer, the new one included.
        assert cluster.case_count == Case.objects.filter(employer=emp).count() == Case.objects.filter(cluster=cluster).count()
    assert len(sent[small.pk]) == len(sent[big.pk])
    assert sent[small.pk] == sent[big.pk]  # statement by statement: no list of the members anywhere


def test_the_case_number_is_issued_last(intake, users, city):
    services.register_case(data=intake(), actor=users["desk"])  # the year's counter exists from now on
    with statements() as sql:
        case = services.register_case(data=intake(), actor=users["desk"])
    # The counter's bump: an UPDATE of it, or (PostgreSQL) a WITH whose upsert of it also writes the
    # number on the case, the clocks, the timeline entry and the SMS in the same statement.
    bumps = [i for i, s in enumerate(sql) if "cases_casenumbersequence" in s
             and s.lstrip().upper().startswith(("UPDATE", "WITH"))]
    assert len(bumps) == 1
    # After it: only writing the number on the case and the rows held back for it (unless the bump
    # wrote them all), and the commit.
    after = [s.split()[0].upper() for s in sql[bumps[0] + 1:]]
    if sql[bumps[0]].lstrip().upper().startswith("WITH"):
        assert "INSERT INTO \"cases_notification\"" in sql[bumps[0]]
        assert after in ([], ["RELEASE"], ["COMMIT"]), sql[bumps[0]:]
    else:
        writes = [w for w in after if w not in ("RELEASE", "COMMIT")]
        assert writes[0] == "UPDATE" and set(writes[1:]) == {"INSERT"}, sql[bumps[0]:]
        assert any("cases_notification" in s for s in sql[bumps[0] + 1:])
    stored = Case.objects.get(pk=case.pk)
    assert stored.number == case.number and stored.number.startswith("430100-")


def test_a_cluster_forms_at_its_threshold_with_the_earlier_complaints_and_not_before(intake, users, city,
                                                                                      cluster_rule):
    code = "91430104MA47JH4B6J"

    def register(phone: str) -> Case:
        return services.register_case(data=intake(employer_name="长沙某物业公司", employer_credit_code=code,
                                                  complainant_phone=phone), actor=users["desk"])

    first, second = register("13700000001"), register("13700000002")
    again = register("13700000002")  # the same person again: still two complainants
    assert again.cluster is None and not Cluster.objects.exists()
    third = register("13700000003")  # the third complainant: the threshold
    cluster = Cluster.objects.get()
    assert third.cluster == cluster and cluster.case_count == 4
    assert set(Case.objects.filter(cluster=cluster)) == {first, second, again, third}
    assert cluster.risk_level in ("orange", "red")
    fourth = register("13700000004")
    cluster.refresh_from_db()
    assert fourth.cluster == cluster and cluster.case_count == 5
