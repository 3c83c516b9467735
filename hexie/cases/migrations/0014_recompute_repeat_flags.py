"""Existing cases get the repeat flag, and the triage reasons that cite it, by the current definition.

Until 0013 a case was "repeat" when anyone had open or recent cases about its employer, so on an
upgraded install the flag (and the dashboard's repeat rate) mixed two definitions. Here every case
is decided again as intake decides it now: repeat when an earlier case (received before it) has

- the same complainant: the same ID-number hash or the same phone hash (empty hashes never match);
- the same subject: the same registered employer (or, unlinked, that employer's credit code), else
  the same typed credit code, else the exact typed name of an employer without code or link; or the
  same registered project;
- and was received within the window before it, or was still open when it arrived (not yet
  refused, resolved or closed at its received time).

The stored triage reasons that cite a repeat rule are replaced by the current rules' reasons for
the new count. The risk and attention levels are lowered only where the repeat rule alone had
raised them: the level equals what the stored reasons gave, the remaining reasons (and the case's
cluster) give less, and nobody changed it by hand since. They are never raised: an old case newly
counted as repeat keeps the levels it was handled under, and its complexity (on which its clocks
were started) is never changed.

Set-based: one query per chunk of cases and kind of complainant and subject, each row tested with an EXISTS/COUNT
sub-query on the indexed hashes, and one bulk update per chunk for the rows that change.
Self-contained (historical models only).
"""

from datetime import timedelta

from django.db import migrations
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery

REPEAT_WINDOW_DAYS = 180  # cases.services.intake.REPEAT_WINDOW_DAYS when this was written
CHUNK = 20000
RISK = ["green", "yellow", "orange", "red"]
ATTENTION = ["normal", "key", "special"]
OLD_REPEAT_TEXT = "同一投诉人或单位已有"


def repeat_why(n):
    """The reason text intake writes for a repeat rule (cases.triage)."""
    return (f"同一投诉人此前已就同一单位或项目投诉{n}件（在办或近期） / the same complainant "
            f"has {n} open or recent complaints about the same employer or project")


def _top(reasons, key, scale, default, extra=()):
    """The highest level the reasons raised (the backlog note copies the result's levels, raises none)."""
    levels = [*extra, *(r.get(key) for r in reasons if r.get("rule") != "backlog")]
    return max((lv for lv in levels if lv in scale), key=scale.index, default=default)


def _earlier(Case):
    """Earlier cases, open at the outer case's arrival or received within the window before it."""
    outer_at = OuterRef("received_at")
    earlier = Q(received_at__lt=outer_at) | Q(received_at=outer_at, pk__lt=OuterRef("pk"))
    open_then = (Q(refused_at__isnull=True) | Q(refused_at__gt=outer_at)) & (
        Q(resolved_at__isnull=True) | Q(resolved_at__gt=outer_at)) & (
        Q(closed_at__isnull=True) | Q(closed_at__gt=outer_at))
    recent = Q(received_at__gte=outer_at - timedelta(days=REPEAT_WINDOW_DAYS))
    return Case.objects.filter(earlier & (open_then | recent)).order_by()


def _people():
    """(outer cases, what "the same person" means for them). Split by which hashes the outer case
    has, so that an empty hash is never looked up (thousands of cases have no ID number)."""
    phone = Q(complainant_phone_hash=OuterRef("complainant_phone_hash"))
    id_number = Q(complainant_id_hash=OuterRef("complainant_id_hash"))
    return [
        (~Q(complainant_phone_hash="") & ~Q(complainant_id_hash=""), phone | id_number),
        (~Q(complainant_phone_hash="") & Q(complainant_id_hash=""), phone),
        (Q(complainant_phone_hash="") & ~Q(complainant_id_hash=""), id_number),
    ]


def _subjects(Case, Employer):
    """(outer cases of one kind, what "the same subject" means for them)."""
    project = Q(project_id=OuterRef("project_id"))
    linked_code = Subquery(Employer.objects.filter(pk=OuterRef(OuterRef("employer_id"))).values("credit_code")[:1])
    return [
        (Q(employer__isnull=False),
         Q(employer_id=OuterRef("employer_id")) | Q(employer__isnull=True, employer_credit_code=linked_code) | project),
        (Q(employer__isnull=True) & ~Q(employer_credit_code=""),
         Q(employer_credit_code=OuterRef("employer_credit_code")) | project),
        (Q(employer__isnull=True, employer_credit_code=""),
         Q(employer__isnull=True, employer_credit_code="", employer_name=OuterRef("employer_name")) | project),
    ]


def _correct(case, count, repeat_rules, old_codes):
    """Set the case's flag, reasons and levels for `count` earlier repeat cases; True if changed."""
    reasons = list(case.triage_reasons or [])
    kept = [r for r in reasons if r.get("rule") not in old_codes and r.get("rule") != "none"
            and not str(r.get("why", "")).startswith(OLD_REPEAT_TEXT)]
    new = [{"rule": rule.code, "name": rule.name, "why": repeat_why(count), "basis": rule.basis,
            "risk_level": rule.risk_level, "attention_level": rule.attention_level}
           for rule in repeat_rules if count >= rule.threshold]
    # In intake's order (the rules by code, the backlog note last) so the reasons read as it writes them.
    merged = sorted(kept + new, key=lambda r: (r.get("rule") == "backlog", str(r.get("rule", "")))) if new else kept
    if not merged:
        merged = [{"rule": "none", "name": "无 None", "basis": "",
                   "why": "未触发任何分流规则：简易、绿色 / no rule fired: simple, green",
                   "risk_level": "green", "attention_level": "normal"}]
    is_repeat = count > 0
    if merged == reasons and is_repeat == case.is_repeat:
        return False
    # Lower a level only where the removed reasons alone had raised it (and nobody has raised it
    # by hand since): the stored level is what the stored reasons gave, the rest give less.
    cluster_risk = case.cluster_risk or "green"
    old_risk = _top(reasons, "risk_level", RISK, "green", [cluster_risk])
    new_risk = _top(merged, "risk_level", RISK, "green", [cluster_risk])
    if case.risk_level == old_risk and RISK.index(new_risk) < RISK.index(old_risk):
        case.risk_level = new_risk
    old_att = _top(reasons, "attention_level", ATTENTION, "normal")
    new_att = _top(merged, "attention_level", ATTENTION, "normal")
    if case.attention_level == old_att and ATTENTION.index(new_att) < ATTENTION.index(old_att):
        case.attention_level = new_att
    case.is_repeat, case.triage_reasons = is_repeat, merged
    return True


def recompute_repeat(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Employer = apps.get_model("employers", "Employer")
    TriageRule = apps.get_model("cases", "TriageRule")

    old_codes = set(TriageRule.objects.filter(kind="repeat_at_least").values_list("code", flat=True))
    repeat_rules = sorted(TriageRule.objects.filter(kind="repeat_at_least", is_active=True), key=lambda r: r.code)
    earlier = _earlier(Case)
    bounds = Case.objects.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None:
        return
    fields = ["pk", "is_repeat", "triage_reasons", "risk_level", "attention_level"]
    kinds = [(p_outer & s_outer, person & subject)
             for p_outer, person in _people() for s_outer, subject in _subjects(Case, Employer)]
    for start in range(first, last + 1, CHUNK):
        changed = []
        in_chunk = Q(pk__gte=start, pk__lt=start + CHUNK)
        for outer, same in kinds:
            # COUNT as a plain function: one aggregate row per outer case, no GROUP BY.
            count = Subquery(earlier.filter(same).annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
                             output_field=IntegerField())
            rows = (Case.objects.filter(outer, in_chunk)
                    .annotate(repeat_n=count, cluster_risk=F("cluster__risk_level"))
                    .filter(Q(is_repeat=True) | Q(repeat_n__gt=0))
                    .only(*fields).order_by("pk"))
            changed.extend(case for case in rows if _correct(case, case.repeat_n or 0, repeat_rules, old_codes))
        # A case with neither phone nor ID number has no complainant to repeat.
        nobody = (Case.objects.filter(in_chunk, is_repeat=True, complainant_phone_hash="", complainant_id_hash="")
                  .annotate(cluster_risk=F("cluster__risk_level")).only(*fields).order_by("pk"))
        changed.extend(case for case in nobody if _correct(case, 0, repeat_rules, old_codes))
        Case.objects.bulk_update(changed, ["is_repeat", "triage_reasons", "risk_level", "attention_level"],
                                 batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_link_cases_to_registry'),
    ]

    operations = [
        migrations.RunPython(recompute_repeat, migrations.RunPython.noop),
    ]
