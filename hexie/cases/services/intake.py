"""Registering a complaint from any channel: checks, numbers, triage, clustering, first clocks."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Max, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from hexie.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseNumberSequence,
    CaseType,
    Channel,
    Cluster,
    Deadline,
    DeadlineRule,
    Status,
    TriageRule,
)
from hexie.cases.rulecache import get_rules
from hexie.cases.services.attachments import check_attachments, store_attachment
from hexie.cases.services.clocks import plan_deadlines
from hexie.cases.services.registry import resolve_link, same_subject_q
from hexie.cases.services.timeline import add_event, notify_worker
from hexie.cases.triage import IntakeFacts, apply_signals, employer_signals, triage
from hexie.core import clock
from hexie.core.enums import max_risk, raise_risk
from hexie.core.permissions import require_role
from hexie.core.pii import lookup_hash
from hexie.core.validators import (
    normalise_credit_code,
    normalise_id_number,
    normalise_phone,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import BUREAU_STAFF, in_jurisdiction

MAX_AMOUNT = Decimal("100000000")  # 1亿元: anything above is a typing error, not a claim
MAX_WORKERS = 100000
REPEAT_WINDOW_DAYS = 180
BACKLOG_AFTER_DAYS = 60
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class IntakeData:
    """What any channel gives us about a complaint, already parsed into Python types."""

    case_type: str
    channel: str
    received_at: datetime
    complainant_name: str
    complainant_phone: str
    employer_name: str
    org_unit_id: int
    description: str
    complainant_id_number: str = ""
    employer_credit_code: str = ""
    employer_address: str = ""
    project_name: str = ""
    workers_count: int = 1
    amount_claimed: Decimal = Decimal("0")
    external_ref: str = ""
    # The registered project picked in a project picker (staff form, API, the worker's form or a
    # project's QR poster); None when no project was picked.
    project_id: int | None = None


def validate_intake(data: IntakeData, *, now: datetime | None = None) -> OrgUnit:
    """Domain checks every channel shares; raises a ValidationError naming each bad field.

    Returns the org unit where the work happened, for the jurisdiction check.
    """
    now = now or clock.now()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if data.case_type not in CaseType.values:
        add("case_type", gettext("案件类型无效"))
    if data.channel not in Channel.values:
        add("channel", gettext("来源渠道无效"))
    if data.received_at > now + timedelta(minutes=5):
        add("received_at", gettext("收到时间不能晚于当前时间"))
    if data.received_at < now - timedelta(days=3 * 365):
        add("received_at", gettext("收到时间早于三年前，请核对"))
    if not data.complainant_name.strip():
        add("complainant_name", gettext("请填写投诉人姓名"))
    # A case the monitoring job or an ignored rectification order registers has no complainant to call back.
    phone_required = data.channel not in (Channel.MONITORING, Channel.RECTIFICATION)
    for field, validator, value in (
        ("complainant_phone", validate_phone, data.complainant_phone),
        ("complainant_id_number", validate_id_number, data.complainant_id_number),
        ("employer_credit_code", validate_credit_code, data.employer_credit_code),
    ):
        if (field == "complainant_phone" and phone_required) or value:
            try:
                validator(value)
            except ValidationError as exc:
                for m in exc.messages:
                    add(field, m)
    if not data.employer_name.strip() and data.project_id is None:
        add("employer_name", gettext("请填写用人单位名称"))
    if not data.description.strip():
        add("description", gettext("请填写诉求内容"))
    if not (1 <= data.workers_count <= MAX_WORKERS):
        add("workers_count", gettext("涉及人数应在1至%(MAX_WORKERS)s之间") % {"MAX_WORKERS": MAX_WORKERS})
    if data.amount_claimed < 0:
        add("amount_claimed", gettext("金额不能为负数"))
    elif data.amount_claimed > MAX_AMOUNT:
        add("amount_claimed", gettext("金额超过1亿元，请核对"))
    elif data.amount_claimed.as_tuple().exponent < -2:  # type: ignore[operator]
        add("amount_claimed", gettext("金额最多两位小数"))
    unit = OrgUnit.objects.filter(pk=data.org_unit_id).only("path").first()
    if unit is None:
        add("org_unit", gettext("所选区域不存在"))
    if errors:
        raise ValidationError(errors)
    assert unit is not None  # refused above when missing
    return unit


def next_case_number(*, year: int) -> str:
    """Issue the next number for the bureau and year; safe when many clerks register at once.

    One ``UPDATE … SET last = last + 1 … RETURNING last``: the row stays locked until commit, so
    concurrent registrations queue on it and each reads back its own value. The year's row is
    created on its first registration.
    """
    bureau = settings.HEXIE_BUREAU_CODE
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(CaseNumberSequence._meta.db_table)} SET {qn('last')} = {qn('last')} + 1 "  # noqa: S608
        f"WHERE {qn('bureau_code')} = %s AND {qn('year')} = %s RETURNING {qn('last')}"
    )
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [bureau, year])
            row = cursor.fetchone()
        if row is not None:
            return f"{bureau}-{year}-{row[0]:06d}"
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(bureau_code=bureau, year=year, last=0)
        except IntegrityError:
            pass  # another clerk created it first
    raise RuntimeError(f"case number sequence for {bureau}/{year} could not be created")


def _number_case(case_id: int, *, year: int) -> str:
    """Issue the next number and write it on the saved case. On PostgreSQL one statement does
    both (the sequence's UPDATE in a CTE, the case's UPDATE reading it); elsewhere two."""
    if connection.vendor != "postgresql":
        number = next_case_number(year=year)
        Case.objects.filter(pk=case_id).update(number=number)
        return number
    bureau = settings.HEXIE_BUREAU_CODE
    qn = connection.ops.quote_name
    seq, cases = qn(CaseNumberSequence._meta.db_table), qn(Case._meta.db_table)
    # The same text as next_case_number's f"{bureau}-{year}-{n:06d}" (six digits at least, never cut).
    sql = (
        f"WITH n AS (UPDATE {seq} SET {qn('last')} = {qn('last')} + 1 "  # noqa: S608
        f"WHERE {qn('bureau_code')} = %s AND {qn('year')} = %s RETURNING {qn('last')}) "
        f"UPDATE {cases} SET {qn('number')} = %s || lpad(n.{qn('last')}::text, "
        f"greatest(6, length(n.{qn('last')}::text)), '0') FROM n WHERE {cases}.{qn('id')} = %s "
        f"RETURNING {cases}.{qn('number')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [bureau, year, f"{bureau}-{year}-", case_id])
        row = cursor.fetchone()
    if row is not None:
        return str(row[0])
    # The year's first registration: next_case_number creates the year's row.
    number = next_case_number(year=year)
    Case.objects.filter(pk=case_id).update(number=number)
    return number


def _new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
        if not Case.objects.filter(tracking_code=code).exists():
            return code


def _cluster_keys(case: Case) -> list[tuple[str, str, Q]]:
    """The employer and the project a case is about, as cluster keys: the registry's link first,
    then the credit code, then the exact name. A project is grouped only by its link, or by its
    typed name within the same org unit: two projects of one name elsewhere are different projects."""
    keys = []
    if case.employer is not None:
        keys.append((f"emp:{case.employer.pk}", case.employer.name,
                     Q(employer=case.employer) | Q(employer__isnull=True, employer_credit_code=case.employer.credit_code)))
    elif case.employer_credit_code:
        keys.append((f"cc:{case.employer_credit_code}", case.employer_name,
                     Q(employer_credit_code=case.employer_credit_code)))
    else:
        keys.append((f"emp:{case.employer_name.strip()}", case.employer_name,
                     Q(employer__isnull=True, employer_credit_code="", employer_name=case.employer_name.strip())))
    if case.project is not None:
        keys.append((f"project:{case.project.pk}", case.project.name, Q(project=case.project)))
    elif case.project_name.strip():
        keys.append((f"proj:{case.org_unit_id}:{case.project_name.strip()}", case.project_name,
                     Q(project__isnull=True, org_unit_id=case.org_unit_id, project_name=case.project_name.strip())))
    return keys


# Risk levels as numbers, so that the database can return the worst of a cluster's cases.
_RISK_RANK = {"green": 0, "yellow": 1, "orange": 2, "red": 3}
_RANK_RISK = {rank: level for level, rank in _RISK_RANK.items()}
_RISK_RANK_SQL = SqlCase(*[When(risk_level=level, then=Value(rank)) for level, rank in _RISK_RANK.items()],
                         default=Value(0), output_field=IntegerField())


# The first half of the PostgreSQL advisory lock's key: "cluster keys" (the second half is the key's hash).
_CLUSTER_LOCK_CLASS = 0x4358


def _lock_cluster_key(key: str) -> None:
    """Until commit, be the only registration reading and writing the cluster of ``key`` (one
    employer or project): two complaints about it at the same moment then count each other, and a
    cluster cannot be formed twice. PostgreSQL only (a transaction-scoped advisory lock, so no row
    is needed for an employer the registry does not know); SQLite runs one write transaction at a
    time anyway. Two registrations lock at most an employer key and then a project key, always in
    that order, and take the case-number lock only after both: no cycle, no deadlock."""
    if connection.vendor != "postgresql":
        return
    digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CLUSTER_LOCK_CLASS, digest])


def _apply_cluster(case: Case, rule: TriageRule | None) -> int:
    """Group separate complaints about one employer or project within the rule's window.

    Returns the number of distinct complainants in the cluster the (not yet saved) case joins,
    counting its own complainant (0 if none), and raises the cluster's grade one step above the
    highest grade among its cases.

    Bounded work whatever the employer's history: per cluster key a lock on the key, one
    aggregate over the window (complainants, earliest complaint, worst grade, the cluster already
    formed), then the cluster row is updated with its count incremented; only cases of the window that are in no
    cluster yet join it (all of them when it forms, none afterwards). The cases already in it are
    never rewritten.
    """
    if rule is None or not rule.is_active:
        return 0
    since = case.received_at - timedelta(days=rule.window_days)
    for key, label, q in _cluster_keys(case):
        _lock_cluster_key(key)
        window = (Case.objects.filter(q, received_at__gte=since, received_at__lte=case.received_at)
                  .exclude(status=Status.REFUSED))
        seen = window.aggregate(
            complainants=Count("complainant_phone_hash", distinct=True),
            same_complainant=Count("pk", filter=Q(complainant_phone_hash=case.complainant_phone_hash)),
            first=Min("received_at"), worst=Max(_RISK_RANK_SQL),
            cluster_id=Max("cluster_id", filter=Q(cluster__key=key)),
        )
        size = seen["complainants"] + (0 if seen["same_complainant"] else 1)
        if size < rule.threshold:
            continue
        worst = [_RANK_RISK[seen["worst"]]] if seen["worst"] is not None else []
        grade = raise_risk(max_risk(rule.risk_level, case.risk_level, *worst))
        first = min(seen["first"] or case.received_at, case.received_at)
        if seen["cluster_id"] is None:
            cluster = Cluster.objects.create(key=key, label=label, first_received_at=first,
                                             last_received_at=case.received_at, risk_level=grade, case_count=0)
        else:
            cluster = Cluster.objects.select_for_update().get(pk=seen["cluster_id"])
        joined = window.filter(cluster__isnull=True).update(cluster=cluster)
        Cluster.objects.filter(pk=cluster.pk).update(
            case_count=F("case_count") + joined + 1,  # + the case itself, saved next with its cluster
            last_received_at=max(cluster.last_received_at, case.received_at),
            risk_level=max_risk(cluster.risk_level, grade))
        cluster.case_count += joined + 1
        cluster.last_received_at = max(cluster.last_received_at, case.received_at)
        cluster.risk_level = max_risk(cluster.risk_level, grade)
        case.cluster = cluster
        return size
    return 0


@transaction.atomic
def register_case(
    *, data: IntakeData, actor: User | None, now: datetime | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> Case:
    """Register a complaint from any channel: validate, number, triage, start its clocks, file it.

    `actor` is the clerk who registered it, or None for the public portal and monitoring. The
    same statements whatever the employer's history (clustering is incremental), and the
    city-wide case-number lock is taken last, so registrations queue on it only for the moment
    of their commit.
    """
    now = now or clock.now()
    unit = validate_intake(data, now=now)
    if actor is not None:
        require_role(actor, BUREAU_STAFF, gettext("您的角色不能登记案件"))
        if not in_jurisdiction(actor, unit):
            raise ValidationError({"org_unit": [gettext("所选区域不在您的辖区内")]})

    attachments = list(attachments)
    try:
        check_attachments(attachments)
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from None

    phone = normalise_phone(data.complainant_phone)
    id_number = normalise_id_number(data.complainant_id_number)
    credit_code = normalise_credit_code(data.employer_credit_code)
    phone_hash = lookup_hash(phone)
    id_hash = lookup_hash(id_number) if id_number else ""
    link = resolve_link(credit_code=credit_code, project_id=data.project_id, actor=actor)
    employer_name = data.employer_name.strip() or (link.employer.name if link.employer else "")
    if link.employer is not None and not credit_code:
        credit_code = link.employer.credit_code  # the registry's code for the employer the project gave

    # Repeat = the same complainant (ID number or phone) again about the same employer or project,
    # within the window or while the earlier case is open. Many people complaining about one
    # employer is a cluster (below), not a repeat.
    same_person = (Q(complainant_phone_hash=phone_hash) if phone_hash else Q(pk__in=[])) | (
        Q(complainant_id_hash=id_hash) if id_hash else Q(pk__in=[]))
    same_subject = same_subject_q(employer=link.employer, credit_code=credit_code, employer_name=employer_name,
                                  project=link.project)
    recent = Q(status__in=OPEN_STATUSES) | Q(received_at__gte=data.received_at - timedelta(days=REPEAT_WINDOW_DAYS))
    earlier = Q(status__in=[Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED, Status.REFUSED]) | Q(
        received_at__lte=data.received_at - timedelta(days=BACKLOG_AFTER_DAYS))
    # One pass over the complainant's cases about this employer or project answers both questions.
    history = Case.objects.filter(same_person & same_subject).aggregate(
        repeat=Count("pk", filter=recent), backlog=Count("pk", filter=earlier))
    repeat_count, is_backlog = history["repeat"], history["backlog"] > 0

    tracking_code = _new_tracking_code()
    case = Case(
        # A placeholder, never seen outside this transaction: the number is issued last (below).
        number=f"~{tracking_code}",
        tracking_code=tracking_code,
        case_type=data.case_type, channel=data.channel, status=Status.REGISTERED,
        received_at=data.received_at, external_ref=data.external_ref.strip(),
        complainant_name=data.complainant_name.strip(), complainant_phone=phone,
        complainant_phone_hash=phone_hash, complainant_phone_last4=phone[-4:],
        complainant_id_number=id_number, complainant_id_hash=id_hash,
        employer_name=employer_name, employer_credit_code=credit_code,
        employer_address=data.employer_address.strip(),
        project_name=link.project.name if link.project else data.project_name.strip(),
        employer=link.employer, project=link.project,
        org_unit_id=data.org_unit_id, workers_count=data.workers_count,
        amount_claimed=data.amount_claimed, description=data.description.strip(),
        registered_by=actor, risk_level="green", attention_level="normal", complexity="simple",
    )
    rules = list(get_rules().triage)  # active, cached per process (hexie.cases.rulecache)
    cluster_rule = next((r for r in rules if r.kind == TriageRule.Kind.CLUSTER), None)
    # The case counts toward its own cluster: clustering counts it before it is saved with its cluster.
    facts = IntakeFacts(
        workers_count=data.workers_count, amount_claimed=data.amount_claimed, description=data.description,
        repeat_count=repeat_count, is_backlog=is_backlog,
    )
    signals = employer_signals(link.employer.pk if link.employer else None)
    result = apply_signals(triage(facts, [r for r in rules if r.kind != TriageRule.Kind.CLUSTER]),  # type: ignore[misc]
                           signals)
    case.complexity, case.is_collective = result.complexity, result.is_collective
    case.risk_level, case.attention_level = result.risk_level, result.attention_level
    case.is_repeat, case.is_backlog = repeat_count > 0, is_backlog
    case.triage_reasons = result.reasons

    cluster_size = _apply_cluster(case, cluster_rule)
    if cluster_size and cluster_rule is not None:
        full = apply_signals(triage(
            IntakeFacts(**{**facts.__dict__, "cluster_size": cluster_size}), rules  # type: ignore[arg-type]
        ), signals)
        case.complexity, case.risk_level = full.complexity, max_risk(full.risk_level, case.cluster.risk_level)  # type: ignore[union-attr]
        case.attention_level, case.triage_reasons = full.attention_level, full.reasons
    # After triage and clustering, which decide the case's complexity (some clocks depend on it).
    # Planned before the case is saved, so that it is saved once, with its next due date: a new
    # case has no other clocks, so the earliest of these is that date.
    started = plan_deadlines(case, DeadlineRule.Trigger.INTAKE, timezone.localtime(data.received_at).date())
    if started:
        case.next_due_on = min(d.due_on for d in started)
        # Running clocks only, none missed yet: late on any day after the earliest due date.
        case.late_after = case.next_due_on
    case.save()
    if started:
        Deadline.objects.bulk_create(started)

    for f in attachments:
        store_attachment(case=case, f=f, actor=actor)

    add_event(
        case=case, kind="registered", actor=actor, to_status=Status.REGISTERED,
        message=gettext("经%(get_channel_display)s登记") % {"get_channel_display": case.get_channel_display(), "channel": case.channel},
        public_message=gettext("已登记，等待受理"),
        data={"triage": case.triage_reasons}, at=now,
    )
    # Last: the number's row is the one lock every registration in the city shares, and it is held
    # until commit, so it is taken when nothing is left but writing the number and the SMS.
    case.number = _number_case(case.pk, year=timezone.localtime(data.received_at).year)
    notify_worker(case=case, text=gettext("您的诉求已登记，我们将在法定期限内决定是否受理。"))
    return case
