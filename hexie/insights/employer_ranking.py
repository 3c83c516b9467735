"""The bulletin's employers with the most complaints, one row per employer file.

A complaint counts for the registered employer it is linked to; an unlinked complaint that gives a
registered employer's credit code counts for that employer too (the code is its identity, as in
repeat and cluster detection). A complaint naming an employer the registry does not know counts by
its credit code, else by the exact name within its district: a name is never matched to a
registered employer (that is a suggestion a clerk confirms on the case page), and two employers of
one name in different districts are two rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from hexie.cases.models import Case
from hexie.employers.models import Employer
from hexie.insights.formatting import money
from hexie.orgs.models import OrgLevel, OrgUnit

TOP_N = 10


def _districts_of(unit_ids: Iterable[int]) -> dict[int, OrgUnit | None]:
    """Each org unit → the district it lies in (itself when a district; None above district level)."""
    units = list(OrgUnit.objects.filter(pk__in=set(unit_ids)).only("pk", "path", "level"))
    districts = sorted(OrgUnit.objects.filter(level=OrgLevel.DISTRICT).only("pk", "path", "name"),
                       key=lambda d: len(d.path), reverse=True)
    return {u.pk: next((d for d in districts if u.path.startswith(d.path)), None) for u in units}


def employers_by_complaints(case_scope: Q, *, top: int = TOP_N) -> list[dict[str, Any]]:
    """The `top` employers by complaints among the cases matching `case_scope`, ranked by cases, then
    amount claimed, then name; each with its registered name and code where it is registered."""
    rows = list(Case.objects.filter(case_scope)
                .values("employer_id", "employer_credit_code", "employer_name", "org_unit_id")
                .annotate(n=Count("pk"), workers=Sum("workers_count"), amount=Sum("amount_claimed"))
                .order_by())
    ids = {r["employer_id"] for r in rows if r["employer_id"] is not None}
    codes = {r["employer_credit_code"] for r in rows if r["employer_id"] is None and r["employer_credit_code"]}
    registered = {e.pk: e for e in Employer.objects.filter(Q(pk__in=ids) | Q(credit_code__in=codes))
                  .only("pk", "name", "credit_code")}
    by_code = {e.credit_code: e for e in registered.values()}
    district_of = _districts_of(r["org_unit_id"] for r in rows if r["employer_id"] is None
                                and not r["employer_credit_code"])

    merged: dict[str, dict[str, Any]] = {}
    for r in rows:
        employer = registered.get(r["employer_id"]) if r["employer_id"] is not None else by_code.get(
            r["employer_credit_code"])
        if employer is not None:
            key, name, code, area = f"emp:{employer.pk}", employer.name, employer.credit_code, None
        elif r["employer_credit_code"]:
            key, name, code, area = f"cc:{r['employer_credit_code']}", r["employer_name"], r["employer_credit_code"], None
        else:
            district = district_of.get(r["org_unit_id"])
            key = f"name:{district.pk if district else '-'}:{r['employer_name']}"
            name, code, area = r["employer_name"], "", district.name if district else ""
        m = merged.setdefault(key, {"name": name, "credit_code": code or "—", "area": area, "registered":
                                    employer is not None, "cases": 0, "workers": 0, "amount": Decimal(0), "_top": 0})
        m["cases"] += r["n"]
        m["workers"] += r["workers"] or 0
        m["amount"] += r["amount"] or Decimal(0)
        if not m["registered"] and r["n"] > m["_top"]:  # unregistered: the name most complaints used
            m["name"], m["_top"] = r["employer_name"], r["n"]
    chosen = sorted(merged.values(), key=lambda m: (-m["cases"], -m["amount"], m["name"]))[:top]
    # Unregistered namesakes of different districts stay apart, and say where they are.
    names = [m["name"] for m in chosen]
    for m in chosen:
        if m["area"] and names.count(m["name"]) > 1:
            m["name"] = f"{m['name']}（{m['area']}）"
    return [{"rank": i, "name": m["name"], "credit_code": m["credit_code"], "cases": m["cases"],
             "workers": m["workers"], "amount": money(m["amount"])} for i, m in enumerate(chosen, 1)]
