"""Registering a complaint from any channel: checks, numbers, triage, clustering, first clocks."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Max, Min, Model, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext

from hexie.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseNumberSequence,
    CaseType,
    Channel,
    Cluster,
    DeadlineRule,
    Status,
    TriageRule,
)
from hexie.cases.rulecache import get_rules
from hexie.cases.services.attachments import check_attachments, store_attachment
from hexie.cases.services.clocks import plan_deadlines
from hexie.cases.services.registry import resolve_link, same_subject_q
from hexie.cases.services.rows import held_rows, hold, insert_ctes, write_now
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


def _number_case(case: Case, rows: list[Model], *, year: int) -> str:
    """Issue the next number, write it on the case, and write the rows held back for the end of the
    registration (the case row itself when its id was reserved, its clocks, timeline entry and
    SMS), where the case's placeholder number becomes the number issued. On PostgreSQL one
    statement does all of it (the sequence's upsert and the rows' INSERTs in a ``WITH``, then the
    case's UPDATE reading the number, or nothing more when the case row is one of them);
    elsewhere the sequence's UPDATE, the case's, and one INSERT per table."""
    placeholder = case.number
    if connection.vendor != "postgresql":
        number = next_case_number(year=year)
        Case.objects.filter(pk=case.pk).update(number=number)
        _fill_number(rows, placeholder, lambda text: text.replace(placeholder, number))
        write_now(rows)
        return number
    bureau = settings.HEXIE_BUREAU_CODE
    qn = connection.ops.quote_name
    seq, cases, last = qn(CaseNumberSequence._meta.db_table), qn(Case._meta.db_table), qn("last")
    # A text that quotes the number reads it from the statement's own ``num``.
    _fill_number(rows, placeholder, lambda text: RawSQL(
        "replace(%s, %s, (SELECT number FROM num))", [text, placeholder]))
    parts, params = insert_ctes(rows)
    # The same text as next_case_number's f"{bureau}-{year}-{n:06d}" (six digits at least, never
    # cut). The year's first registration creates the year's row (the upsert), so that the rows
    # above are written whatever the year.
    sql = (
        f"WITH n AS (INSERT INTO {seq} ({qn('bureau_code')}, {qn('year')}, {last}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({qn('bureau_code')}, {qn('year')}) DO UPDATE SET {last} = {seq}.{last} + 1 RETURNING {last}), "
        f"num AS (SELECT %s || lpad(n.{last}::text, greatest(6, length(n.{last}::text)), '0') AS number FROM n)"
        + "".join(f", {part}" for part in parts)
    )
    args = [bureau, year, f"{bureau}-{year}-", *params]
    if any(obj is case for obj in rows):
        # The case row is among them, its number read from ``num`` like the texts'.
        sql += " SELECT number FROM num"
    else:
        sql += (f" UPDATE {cases} SET {qn('number')} = num.number FROM num WHERE {cases}.{qn('id')} = %s "  # noqa: S608
                f"RETURNING {cases}.{qn('number')}")
        args.append(case.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        row = cursor.fetchone()
    assert row is not None  # the upsert always returns the year's row
    number = str(row[0])
    _fill_number(rows, placeholder, lambda text: text.replace(placeholder, number), expressions=True)
    case._state.adding, case._state.db = False, connection.alias
    return number


def _fill_number(rows: list[Model], placeholder: str, fill: Callable[[Any], Any], *, expressions: bool = False) -> None:
    """Apply ``fill`` to every text column of the rows that quotes the case's placeholder number
    (with ``expressions``: to the texts ``_number_case`` turned into SQL, to put the number back)."""
    for obj in rows:
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if expressions and isinstance(value, RawSQL):
                value = value.params[0]
            elif not isinstance(value, str) or placeholder not in value:
                continue
            setattr(obj, field.attname, fill(value))


def _draw_tracking_code() -> str:
    """A random tracking code (registration checks that no case has it yet)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


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


def _lock_cluster_key(key: str, case: Case) -> None:
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
        if case.pk is not None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CLUSTER_LOCK_CLASS, digest])
            return
        # The first lock also reserves the new case's id, so that the case row can be written by
        # the statement that numbers it (``_number_case``), with its clocks and entries.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s), nextval(pg_get_serial_sequence(%s, %s))",
                       [_CLUSTER_LOCK_CLASS, digest, Case._meta.db_table, Case._meta.pk.column])
        row = cursor.fetchone()
    assert row is not None
    case.pk = int(row[1])


def _cluster_window(case: Case, rule: TriageRule, q: Q) -> Q:
    """The cases of a cluster key within the rule's window before the case (refused ones left out)."""
    since = case.received_at - timedelta(days=rule.window_days)
    return Q(q, received_at__gte=since, received_at__lte=case.received_at) & ~Q(status=Status.REFUSED)


def _cluster_aggregates(case: Case, key: str, within: Q | None = None) -> dict[str, Any]:
    """What clustering reads of a key's window: complainants, the case's own complainant among
    them, the earliest complaint, the worst grade, the cluster already formed (``within``: the
    window, when the statement reads other cases too)."""
    def only(q: Q | None = None) -> Q | None:
        return q if within is None else (within if q is None else within & q)

    return {
        "complainants": Count("complainant_phone_hash", distinct=True, filter=only()),
        "same_complainant": Count("pk", filter=only(Q(complainant_phone_hash=case.complainant_phone_hash))),
        "first": Min("received_at", filter=only()), "worst": Max(_RISK_RANK_SQL, filter=only()),
        "cluster_id": Max("cluster_id", filter=only(Q(cluster__key=key))),
    }


def _apply_cluster(case: Case, rule: TriageRule, keys: list[tuple[str, str, Q]],
                   first_seen: dict[str, Any] | None = None) -> int:
    """Group separate complaints about one employer or project within the rule's window.

    Returns the number of distinct complainants in the cluster the (not yet saved) case joins,
    counting its own complainant (0 if none), and raises the cluster's grade one step above the
    highest grade among its cases.

    Bounded work whatever the employer's history: per cluster key a lock on the key, one
    aggregate over the window (complainants, earliest complaint, worst grade, the cluster already
    formed; for the first key read by registration with the complainant's history, ``first_seen``,
    under the lock it took first), then the cluster row is updated with its count incremented; only cases of the window that are in no
    cluster yet join it (all of them when it forms, none afterwards). The cases already in it are
    never rewritten.
    """
    if not keys:
        return 0
    for n, (key, label, q) in enumerate(keys):
        within = _cluster_window(case, rule, q)
        window = Case.objects.filter(within)
        if n == 0 and first_seen is not None:
            seen = first_seen  # read with the complainant's history, under this key's lock
        else:
            _lock_cluster_key(key, case)
            seen = window.aggregate(**_cluster_aggregates(case, key))
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
    case = Case(
        # The number is a placeholder (below), never seen outside this transaction: the number is
        # issued last.
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
    keys = _cluster_keys(case) if cluster_rule is not None and cluster_rule.is_active else []
    # One pass over the complainant's cases about this employer or project answers both questions,
    # whether the case's new tracking code is free (another is drawn in the rare case it is not),
    # and, under the first cluster key's lock, what clustering needs to know of that key's window.
    mine = same_person & same_subject
    first_window = _cluster_window(case, cluster_rule, keys[0][2]) if keys and cluster_rule else None
    if keys:
        _lock_cluster_key(keys[0][0], case)
    while True:
        tracking_code = _draw_tracking_code()
        taken = Q(tracking_code=tracking_code)
        reads: dict[str, Any] = {"repeat": Count("pk", filter=mine & recent),
                                 "backlog": Count("pk", filter=mine & earlier), "taken": Count("pk", filter=taken)}
        if first_window is not None:
            reads.update(_cluster_aggregates(case, keys[0][0], within=first_window))
        where = mine | taken if first_window is None else mine | taken | first_window
        history = Case.objects.filter(where).aggregate(**reads)
        if not history["taken"]:
            break
    repeat_count, is_backlog = history["repeat"], history["backlog"] > 0
    case.tracking_code, case.number = tracking_code, f"~{tracking_code}"
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

    cluster_size = _apply_cluster(case, cluster_rule, keys, first_seen=history) if cluster_rule is not None else 0
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
    # On PostgreSQL the cluster's lock reserved the case's id: the case row itself is written by
    # the statement that numbers it (below). Attachments need the row first.
    held_case = case.pk is not None and not attachments
    if not held_case:
        case.save(force_insert=True)

    for f in attachments:
        store_attachment(case=case, f=f, actor=actor)

    # The clocks, the timeline entry and the SMS are held back and written by the statement that
    # numbers the case (below).
    with held_rows() as rows:
        if held_case and not hold(case):
            case.save(force_insert=True)
        for deadline in started:
            if not hold(deadline):
                deadline.save(force_insert=True)
        add_event(
            case=case, kind="registered", actor=actor, to_status=Status.REGISTERED,
            message=gettext("经%(get_channel_display)s登记") % {"get_channel_display": case.get_channel_display(), "channel": case.channel},
            public_message=gettext("已登记，等待受理"),
            data={"triage": case.triage_reasons}, at=now,
        )
        # Quotes the placeholder number, which the numbering statement replaces with the number issued.
        notify_worker(case=case, text=gettext("您的诉求已登记，我们将在法定期限内决定是否受理。"))
    # Last: the number's row is the one lock every registration in the city shares, and it is held
    # until commit, so it is taken when nothing is left but writing the number and these rows.
    case.number = _number_case(case, rows, year=timezone.localtime(data.received_at).year)
    return case
