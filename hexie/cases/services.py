"""Every write to a case: keyword-only, typed, in one transaction, with a timeline event.

Views, the API, the portal, the worker and the demo loader all come through here, so that
permissions, the current state and the case file are checked and written in one place.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Count, F, Q, Value, When
from django.db.models import Case as SqlCase
from django.utils import timezone

from hexie.cases.models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseNumberSequence,
    CaseType,
    Channel,
    ClosureConclusion,
    Cluster,
    Deadline,
    DeadlineRule,
    DisputeCause,
    Notification,
    Outcome,
    Referral,
    Status,
    Supervision,
    TimelineEvent,
    Track,
    TriageRule,
)
from hexie.cases.triage import IntakeFacts, triage
from hexie.cases.workflow import TRANSITIONS, Transition
from hexie.core import clock
from hexie.core.enums import max_risk, raise_risk
from hexie.core.errors import DomainError, NotPermitted, StaleState, TransitionNotAllowed
from hexie.core.permissions import require_role
from hexie.core.pii import lookup_hash
from hexie.core.validators import normalise_phone, validate_credit_code, validate_id_number, validate_phone
from hexie.orgs.models import OrgUnit, PartnerAgency, Role, User
from hexie.orgs.scoping import (
    BUREAU_STAFF,
    CHANGE,
    HANDLERS,
    HANDLING,
    LEADERS,
    PARTNERS,
    in_jurisdiction,
    restrict,
)
from hexie.workcal import rules as workcal
from hexie.workcal.selectors import get_calendar

log = logging.getLogger("hexie.cases")

MAX_AMOUNT = Decimal("100000000")  # 1亿元: anything above is a typing error, not a claim
MAX_WORKERS = 100000
REPEAT_WINDOW_DAYS = 180
BACKLOG_AFTER_DAYS = 60
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

# Which tracks make sense for which case type.
TRACKS_FOR_TYPE: dict[str, set[str]] = {
    CaseType.WAGE_ARREARS: {Track.INSPECTION, Track.MEDIATION, Track.ARBITRATION, Track.REFERRAL},
    CaseType.LABOUR_DISPUTE: {Track.MEDIATION, Track.ARBITRATION, Track.INSPECTION, Track.REFERRAL},
    CaseType.PETITION: {Track.PETITION, Track.INSPECTION, Track.MEDIATION, Track.ARBITRATION, Track.REFERRAL},
    CaseType.CONSULTATION: {Track.MEDIATION, Track.REFERRAL, Track.INSPECTION},
}

# 办案规则 Art. 46: what restarts the arbitration clock.
RESTART_GROUNDS = {
    "add_party": "追加当事人 Adding a party",
    "supplement": "补正申请材料 Supplementing the application",
    "change_claims": "增加、变更仲裁请求 Adding or changing claims",
    "counterclaim": "合并审理反申请 Merged counter-claim",
    "transfer": "移送管辖 Transfer of jurisdiction",
}


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


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def validate_intake(data: IntakeData, *, now: datetime | None = None) -> OrgUnit:
    """Domain checks every channel shares; raises a ValidationError naming each bad field.

    Returns the org unit where the work happened, for the jurisdiction check.
    """
    now = now or clock.now()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if data.case_type not in CaseType.values:
        add("case_type", "案件类型无效 / Unknown case type.")
    if data.channel not in Channel.values:
        add("channel", "来源渠道无效 / Unknown channel.")
    if data.received_at > now + timedelta(minutes=5):
        add("received_at", "收到时间不能晚于当前时间 / The received time cannot be in the future.")
    if data.received_at < now - timedelta(days=3 * 365):
        add("received_at", "收到时间早于三年前，请核对 / The received time is more than three years ago.")
    if not data.complainant_name.strip():
        add("complainant_name", "请填写投诉人姓名 / The complainant's name is required.")
    # A case the monitoring job registers has no complainant to call back.
    phone_required = data.channel != Channel.MONITORING
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
    if not data.employer_name.strip():
        add("employer_name", "请填写用人单位名称 / The employer's name is required.")
    if not data.description.strip():
        add("description", "请填写诉求内容 / Please describe the complaint.")
    if not (1 <= data.workers_count <= MAX_WORKERS):
        add("workers_count", f"涉及人数应在1至{MAX_WORKERS}之间 / Workers involved must be 1–{MAX_WORKERS}.")
    if data.amount_claimed < 0:
        add("amount_claimed", "金额不能为负数 / The amount cannot be negative.")
    elif data.amount_claimed > MAX_AMOUNT:
        add("amount_claimed", "金额超过1亿元，请核对 / The amount exceeds 100 million yuan; please check it.")
    elif data.amount_claimed.as_tuple().exponent < -2:  # type: ignore[operator]
        add("amount_claimed", "金额最多两位小数 / At most two decimal places.")
    unit = OrgUnit.objects.filter(pk=data.org_unit_id).only("path").first()
    if unit is None:
        add("org_unit", "所选区域不存在 / Unknown org unit.")
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


def _new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
        if not Case.objects.filter(tracking_code=code).exists():
            return code


def add_event(
    *, case: Case, kind: str, actor: User | None = None, message: str = "", public_message: str = "",
    from_status: str = "", to_status: str = "", data: dict[str, Any] | None = None, at: datetime | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case, kind=kind, actor=actor, message=message, public_message=public_message,
        is_public=bool(public_message), from_status=from_status, to_status=to_status,
        data=data or {}, at=at or clock.now(),
    )


def queue_notification(
    *, case: Case | None, channel: str, recipient: str, body: str, subject: str = ""
) -> Notification | None:
    if not recipient:
        return None
    return Notification.objects.create(
        case=case, channel=channel, recipient=recipient, subject=subject, body=body,
        next_attempt_at=clock.now(),
    )


def _notify_worker(case: Case, text: str) -> None:
    queue_notification(
        case=case, channel=Notification.Channel.SMS, recipient=case.complainant_phone,
        body=f"【和谐劳动维权】案件{case.number}：{text} 查询码{case.tracking_code}。",
    )


def _notify_staff(case: Case, user: User | None, subject: str, body: str) -> None:
    if user is not None and user.email:
        queue_notification(case=case, channel=Notification.Channel.EMAIL, recipient=user.email,
                           subject=subject, body=body)


# --- clocks ---------------------------------------------------------------------------------


def _effective_rules(trigger: str, on: date) -> list[DeadlineRule]:
    """The newest active version of each rule code in force on `on` for the trigger."""
    chosen: dict[str, DeadlineRule] = {}
    for rule in DeadlineRule.objects.filter(trigger=trigger, is_active=True, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=on)
    ).order_by("code", "-effective_from"):
        chosen.setdefault(rule.code, rule)
    return list(chosen.values())


def compute_due(*, deadline: Deadline, rule: DeadlineRule, cal: workcal.Calendar) -> workcal.DueDate:
    total = rule.length + (rule.extension_length if deadline.extended else 0) + deadline.paused_days
    return workcal.add_period(cal, deadline.starts_on, total, rule.unit)


def _start_deadlines(case: Case, trigger: str, on: date) -> list[Deadline]:
    started = _plan_deadlines(case, trigger, on)
    return Deadline.objects.bulk_create(started) if started else []


def _plan_deadlines(case: Case, trigger: str, on: date) -> list[Deadline]:
    """The clocks the trigger starts on this case, with their due dates, not yet saved."""
    cal = get_calendar()
    started = []
    for rule in _effective_rules(trigger, on):
        if rule.case_types and case.case_type not in rule.case_types:
            continue
        if rule.track and rule.track != case.track:
            continue
        if rule.complexity and rule.complexity != case.complexity:
            continue
        deadline = Deadline(case=case, rule=rule, starts_on=on, due_on=on)
        due = compute_due(deadline=deadline, rule=rule, cal=cal)
        deadline.due_on, deadline.is_provisional = due.due_on, due.provisional
        started.append(deadline)
    return started


def _finish_deadlines(case: Case, ends_on: str | None, *, state: str, today: date) -> None:
    qs = Deadline.objects.filter(case=case, state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED])
    if ends_on:
        qs = qs.filter(rule__ends_on=ends_on)
    on_time: Any = None
    if state == Deadline.State.MET:
        on_time = SqlCase(When(due_on__gte=today, then=Value(True)), default=Value(False),
                          output_field=BooleanField())
    qs.update(state=state, finished_at=clock.now(), finished_on_time=on_time)


def _next_due(case: Case) -> date | None:
    """The earliest due date among the case's running clocks (what "overdue" and "due first" read)."""
    return Deadline.objects.filter(case=case, state=Deadline.State.RUNNING).order_by("due_on").values_list(
        "due_on", flat=True).first()


def _refresh_next_due(case: Case) -> None:
    """Store the earliest running due date on the case."""
    nxt = _next_due(case)
    if nxt != case.next_due_on:
        Case.objects.filter(pk=case.pk).update(next_due_on=nxt)
        case.next_due_on = nxt


# --- intake ---------------------------------------------------------------------------------


def _cluster_keys(case: Case) -> list[tuple[str, str, Q]]:
    keys = []
    if case.employer_credit_code:
        keys.append((f"cc:{case.employer_credit_code}", case.employer_name,
                     Q(employer_credit_code=case.employer_credit_code)))
    else:
        keys.append((f"emp:{case.employer_name.strip()}", case.employer_name,
                     Q(employer_name=case.employer_name.strip())))
    if case.project_name.strip():
        keys.append((f"proj:{case.project_name.strip()}", case.project_name, Q(project_name=case.project_name.strip())))
    return keys


def _apply_cluster(case: Case, rule: TriageRule | None) -> int:
    """Group separate complaints about one employer or project within the rule's window.

    Returns the number of distinct complainants in the cluster the case joined (0 if none), and
    raises the cluster's grade one step above the highest grade among its cases.
    """
    if rule is None or not rule.is_active:
        return 0
    since = case.received_at - timedelta(days=rule.window_days)
    for key, label, q in _cluster_keys(case):
        members = list(
            Case.objects.filter(q, received_at__gte=since, received_at__lte=case.received_at)
            .exclude(status=Status.REFUSED)
            .select_related("cluster")
            .only("pk", "complainant_phone_hash", "risk_level", "received_at", "cluster")
        )
        size = len({m.complainant_phone_hash for m in members})
        if size < rule.threshold:
            continue
        grade = raise_risk(max_risk(rule.risk_level, *(m.risk_level for m in members)))
        cluster = next((m.cluster for m in members if m.cluster is not None and m.cluster.key == key), None)
        if cluster is None:
            cluster = Cluster(key=key, label=label, first_received_at=min(m.received_at for m in members),
                              last_received_at=case.received_at, risk_level=grade)
        else:
            cluster.last_received_at = max(cluster.last_received_at, case.received_at)
            cluster.risk_level = max_risk(cluster.risk_level, grade)
        cluster.save()
        Case.objects.filter(pk__in=[m.pk for m in members]).update(cluster=cluster)
        cluster.case_count = Case.objects.filter(cluster=cluster).count()
        cluster.save(update_fields=["case_count"])
        case.cluster = cluster
        return size
    return 0


@transaction.atomic
def register_case(
    *, data: IntakeData, actor: User | None, now: datetime | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> Case:
    """Register a complaint from any channel: validate, number, triage, start its clocks, file it.

    `actor` is the clerk who registered it, or None for the public portal and monitoring.
    """
    now = now or clock.now()
    unit = validate_intake(data, now=now)
    if actor is not None:
        require_role(actor, BUREAU_STAFF, "您的角色不能登记案件 / Your role cannot register cases.")
        if not in_jurisdiction(actor, unit):
            raise ValidationError({"org_unit": ["所选区域不在您的辖区内 / That area is outside your jurisdiction."]})

    attachments = list(attachments)
    try:
        check_attachments(attachments)
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from None

    phone = normalise_phone(data.complainant_phone)
    id_number = data.complainant_id_number.strip().upper()
    credit_code = data.employer_credit_code.strip().upper()
    phone_hash = lookup_hash(phone)
    id_hash = lookup_hash(id_number) if id_number else ""

    same_person = (Q(complainant_phone_hash=phone_hash) if phone_hash else Q(pk__in=[])) | (
        Q(complainant_id_hash=id_hash) if id_hash else Q(pk__in=[]))
    same_employer = Q(employer_credit_code=credit_code) if credit_code else Q(employer_name=data.employer_name.strip())
    recent = Q(status__in=OPEN_STATUSES) | Q(received_at__gte=data.received_at - timedelta(days=REPEAT_WINDOW_DAYS))
    earlier = Q(status__in=[Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED, Status.REFUSED]) | Q(
        received_at__lte=data.received_at - timedelta(days=BACKLOG_AFTER_DAYS))
    # One pass over the complainant's and the employer's cases answers both questions.
    history = Case.objects.filter(same_person | same_employer).aggregate(
        repeat=Count("pk", filter=recent), backlog=Count("pk", filter=same_person & same_employer & earlier))
    repeat_count, is_backlog = history["repeat"], history["backlog"] > 0

    case = Case(
        number=next_case_number(year=timezone.localtime(data.received_at).year),
        tracking_code=_new_tracking_code(),
        case_type=data.case_type, channel=data.channel, status=Status.REGISTERED,
        received_at=data.received_at, external_ref=data.external_ref.strip(),
        complainant_name=data.complainant_name.strip(), complainant_phone=phone,
        complainant_phone_hash=phone_hash, complainant_phone_last4=phone[-4:],
        complainant_id_number=id_number, complainant_id_hash=id_hash,
        employer_name=data.employer_name.strip(), employer_credit_code=credit_code,
        employer_address=data.employer_address.strip(), project_name=data.project_name.strip(),
        org_unit_id=data.org_unit_id, workers_count=data.workers_count,
        amount_claimed=data.amount_claimed, description=data.description.strip(),
        registered_by=actor, risk_level="green", attention_level="normal", complexity="simple",
    )
    rules = list(TriageRule.objects.filter(is_active=True))
    cluster_rule = next((r for r in rules if r.kind == TriageRule.Kind.CLUSTER), None)
    # The case itself counts toward its own cluster, so it is saved before clustering.
    facts = IntakeFacts(
        workers_count=data.workers_count, amount_claimed=data.amount_claimed, description=data.description,
        repeat_count=repeat_count, is_backlog=is_backlog,
    )
    result = triage(facts, [r for r in rules if r.kind != TriageRule.Kind.CLUSTER])  # type: ignore[misc]
    case.complexity, case.is_collective = result.complexity, result.is_collective
    case.risk_level, case.attention_level = result.risk_level, result.attention_level
    case.is_repeat, case.is_backlog = repeat_count > 0, is_backlog
    case.triage_reasons = result.reasons
    case.save()

    cluster_size = _apply_cluster(case, cluster_rule)
    if cluster_size and cluster_rule is not None:
        full = triage(
            IntakeFacts(**{**facts.__dict__, "cluster_size": cluster_size}), rules  # type: ignore[arg-type]
        )
        case.complexity, case.risk_level = full.complexity, max_risk(full.risk_level, case.cluster.risk_level)  # type: ignore[union-attr]
        case.attention_level, case.triage_reasons = full.attention_level, full.reasons
        case.save(update_fields=["complexity", "risk_level", "attention_level", "triage_reasons", "cluster"])

    for f in attachments:
        _store_attachment(case, f, actor)

    # After triage and clustering, which decide the case's complexity (some clocks depend on it).
    started = _start_deadlines(case, DeadlineRule.Trigger.INTAKE, timezone.localtime(data.received_at).date())
    if started:  # a new case has no other clocks: the earliest of these is its next due date
        case.next_due_on = min(d.due_on for d in started)
        Case.objects.filter(pk=case.pk).update(next_due_on=case.next_due_on)
    add_event(
        case=case, kind="registered", actor=actor, to_status=Status.REGISTERED,
        message=f"经{case.get_channel_display()}登记 / registered via {case.channel}",
        public_message="已登记，等待受理 Registered, awaiting acceptance.",
        data={"triage": case.triage_reasons}, at=now,
    )
    _notify_worker(case, "您的诉求已登记，我们将在法定期限内决定是否受理。")
    return case


# --- attachments ----------------------------------------------------------------------------

ALLOWED_ATTACHMENTS = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".docx": (b"PK",),
    ".xlsx": (b"PK",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    ".m4a": (b"",),
    ".mp4": (b"",),
    ".txt": (b"",),
}


def check_attachments(files: Sequence[UploadedFile]) -> None:
    """Check a batch of evidence files: how many, and each one's type and size.

    Raises one ValidationError listing every problem, so the worker or clerk fixes them all at once.
    """
    messages: list[str] = []
    if len(files) > settings.ATTACHMENT_MAX_FILES:
        messages.append(f"最多上传{settings.ATTACHMENT_MAX_FILES}个文件 / At most {settings.ATTACHMENT_MAX_FILES} files.")
    for f in files:
        try:
            check_attachment(f)
        except ValidationError as exc:
            messages.extend(exc.messages)
    if messages:
        raise ValidationError(messages)


def check_attachment(f: UploadedFile) -> None:
    name = (f.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in ALLOWED_ATTACHMENTS:
        raise ValidationError({"attachments": [
            f"文件“{f.name}”类型不允许，仅支持 PDF、图片、Word、Excel、音视频 / "
            f"File '{f.name}' has a type that is not accepted (PDF, images, Word, Excel, audio, video)."
        ]})
    if f.size is None or f.size > settings.ATTACHMENT_MAX_BYTES:
        mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"attachments": [
            f"文件“{f.name}”超过{mb}MB / File '{f.name}' is larger than {mb} MB."
        ]})
    if f.size == 0:
        raise ValidationError({"attachments": [f"文件“{f.name}”是空文件 / File '{f.name}' is empty."]})
    head = f.read(8)
    f.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_ATTACHMENTS[ext]):
        raise ValidationError({"attachments": [
            f"文件“{f.name}”的内容与扩展名不符 / File '{f.name}' does not contain what its name says."
        ]})


def _store_attachment(case: Case, f: UploadedFile, actor: User | None) -> Attachment:
    digest = hashlib.sha256(f.name.encode()).hexdigest()[:8] if f.name else "file"
    ext = f.name[f.name.rfind("."):].lower() if f.name and "." in f.name else ""
    att = Attachment(case=case, original_name=(f.name or "")[:200], content_type=f.content_type or "",
                     size=f.size or 0, uploaded_by=actor)
    att.file.save(f"{secrets.token_hex(8)}-{digest}{ext}", f, save=False)
    att.save()
    return att


@transaction.atomic
def add_attachment(*, case_id: int, actor: User, uploaded: UploadedFile) -> Attachment:
    case = get_case_for_update(case_id=case_id, actor=actor)
    check_attachment(uploaded)
    if case.attachments.count() >= settings.ATTACHMENT_MAX_FILES:
        raise ValidationError({"attachments": ["附件数量已达上限 / The case has the maximum number of files."]})
    att = _store_attachment(case, uploaded, actor)
    add_event(case=case, kind="attachment", actor=actor, message=f"上传附件 {att.original_name}")
    return att


# --- transitions ----------------------------------------------------------------------------


def get_case_for_update(*, case_id: int, actor: User) -> Case:
    """The case if the actor may see it; otherwise the same 404 as a case that does not exist."""
    from django.http import Http404

    try:
        return restrict(Case.objects.filter(pk=case_id), actor, single=True).get()
    except Case.DoesNotExist:
        raise Http404("未找到 / Not found.") from None


def check_permitted(t: Transition, case: Case, actor: User) -> None:
    if actor.is_superuser:
        return
    if actor.role not in t.roles:
        raise NotPermitted(
            f"您的角色（{actor.get_role_display()}）不能执行“{t.label}” / Your role cannot take '{t.name}'."
        )
    if (actor.role == Role.HANDLER and t.own_cases_only_for_handlers and case.handler_id is not None
            and case.handler_id != actor.pk):
        raise NotPermitted("只有本案承办人可以执行该操作 / Only the case's handler may do this.")


def allowed_actions(case: Case, actor: User) -> list[Transition]:
    out = []
    for t in TRANSITIONS.values():
        if case.status not in t.sources:
            continue
        try:
            check_permitted(t, case, actor)
        except NotPermitted:
            continue
        out.append(t)
    return out


def _require(params: dict[str, Any], field: str, message: str) -> Any:
    value = params.get(field)
    if value in (None, "", []):
        raise ValidationError({field: [message]})
    return value


def _as_id(value: Any, field: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ValidationError({field: ["编号无效 / Not a valid id."]}) from None


def _prepare(t: Transition, case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """Validate the transition's inputs; return the column updates."""
    now = clock.now()
    if t.name == "refuse":
        return {"refusal_reason": str(_require(params, "reason", "请填写不予受理理由 / Give the reason for refusal.")),
                "refused_at": now}
    if t.name == "accept":
        return {"accepted_at": now}
    if t.name == "assign":
        assert actor is not None
        handler_id = _as_id(_require(params, "handler", "请选择承办人 / Choose a handler."), "handler")
        leader_id = _as_id(_require(params, "responsible_leader", "请选择包案领导 / Choose the responsible leader."),
                           "responsible_leader")
        people = {u.pk: u for u in restrict(User.objects.filter(is_active=True), actor).filter(
            pk__in=[handler_id, leader_id])}
        handler, leader = people.get(handler_id), people.get(leader_id)
        if handler is None or handler.role not in HANDLERS:
            raise ValidationError({"handler": ["承办人不存在或不在辖区内 / No such handler in your jurisdiction."]})
        if leader is None or leader.role != Role.LEADER:
            raise ValidationError({"responsible_leader": [
                "包案领导不存在或不在辖区内 / No such leader in your jurisdiction."]})
        return {"handler": handler, "responsible_leader": leader}
    if t.name == "start_handling":
        track = _require(params, "track", "请选择办理途径 / Choose a track.")
        if track not in TRACKS_FOR_TYPE.get(case.case_type, set()):
            raise ValidationError({"track": ["该类案件不能走此途径 / This track does not fit this case type."]})
        if track == Track.REFERRAL:
            agency_id = _require(params, "agency", "请选择联动单位 / Choose the partner agency.")
            if not PartnerAgency.objects.filter(pk=agency_id).exists():
                raise ValidationError({"agency": ["联动单位不存在 / No such partner agency."]})
        return {"track": track}
    if t.name in ("suspend", "reopen"):
        _require(params, "reason", "请填写理由 / Give the reason.")
        return {}
    if t.name == "resolve":
        conclusion = _require(params, "conclusion", "请选择办结结论 / Choose the conclusion.")
        if conclusion not in ClosureConclusion.values:
            raise ValidationError({"conclusion": ["办结结论无效 / Unknown conclusion."]})
        amount = Decimal(str(params.get("amount_recovered") or "0"))
        if amount < 0 or amount > MAX_AMOUNT:
            raise ValidationError({"amount_recovered": ["追回金额无效 / The amount recovered is not valid."]})
        benefited = int(params.get("workers_benefited") or 0)
        if benefited < 0 or benefited > max(case.workers_count, 1) * 10:
            raise ValidationError({"workers_benefited": ["受益人数无效 / Workers benefited is not valid."]})
        resolved: dict[str, Any] = {"closure_conclusion": conclusion, "amount_recovered": amount,
                                    "workers_benefited": benefited, "resolved_at": now}
        # Cause and outcome feed the arbitration statistics table (rules.md §6). Both are optional;
        # the outcome belongs to this resolution (a later one replaces it), the cause to the dispute
        # (kept when a later resolution does not restate it).
        cause = params.get("dispute_cause") or ""
        if cause:
            if cause not in DisputeCause.values:
                raise ValidationError({"dispute_cause": ["争议原因无效 / Unknown cause of dispute."]})
            resolved["dispute_cause"] = cause
        outcome = params.get("outcome") or ""
        if outcome and outcome not in Outcome.values:
            raise ValidationError({"outcome": ["裁决结果无效 / Unknown outcome."]})
        resolved["outcome"] = outcome
        return resolved
    if t.name == "close":
        raw = params.get("satisfaction")
        updates: dict[str, Any] = {"closed_at": now}
        if raw not in (None, ""):
            sat = int(str(raw))
            if not 1 <= sat <= 5:
                raise ValidationError({"satisfaction": ["满意度为1至5分 / Satisfaction is 1 to 5."]})
            updates["satisfaction"] = sat
        return updates
    return {}


# The only transitions that leave every clock of the case as it was.
_CLOCKS_UNCHANGED = frozenset({"assign", "start_follow_up"})
# Transitions after which no clock of the case runs: refused and closed cancel them, suspended pauses them.
_CLOCKS_STOPPED = frozenset({"refuse", "close", "suspend"})


def _side_effects(t: Transition, case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """What a transition does beyond the case row: its clocks, referrals and staff notices."""
    cal = get_calendar()
    if t.name in ("accept", "refuse"):
        _finish_deadlines(case, DeadlineRule.Ends.DECISION, state=Deadline.State.MET, today=today)
        if t.name == "accept":
            _start_deadlines(case, DeadlineRule.Trigger.ACCEPT, today)
        else:
            _finish_deadlines(case, None, state=Deadline.State.CANCELLED, today=today)
    elif t.name == "assign":
        _notify_staff(case, case.handler, f"新交办案件 {case.number}", f"案件{case.number}已交办给您，请及时办理。")
    elif t.name in ("start_handling", "reopen"):
        if t.name == "start_handling" and case.track == Track.REFERRAL:
            Referral.objects.create(case=case, agency_id=int(str(params["agency"])), referred_at=clock.now(),
                                    referred_by=actor, note=str(params.get("note", "")))
        _start_deadlines(case, DeadlineRule.Trigger.START, today)
    elif t.name == "suspend":
        case.deadlines.filter(state=Deadline.State.RUNNING).update(state=Deadline.State.PAUSED, paused_on=today)
    elif t.name == "resume":
        for d in case.deadlines.filter(state=Deadline.State.PAUSED).select_related("rule"):
            d.paused_days += workcal.count_period_days(cal, d.paused_on or today, today, d.rule.unit)
            d.state, d.paused_on = Deadline.State.RUNNING, None
            due = compute_due(deadline=d, rule=d.rule, cal=cal)
            d.due_on, d.is_provisional = due.due_on, due.provisional
            d.save()
    elif t.name == "resolve":
        _finish_deadlines(case, DeadlineRule.Ends.RESOLUTION, state=Deadline.State.MET, today=today)
    elif t.name == "close":
        _finish_deadlines(case, None, state=Deadline.State.CANCELLED, today=today)


def _apply_transition(
    *, case: Case, t: Transition, actor: User | None, params: dict[str, Any], expected_version: int | None = None,
    note: str = "",
) -> Case:
    if case.status not in t.sources:
        raise TransitionNotAllowed(
            f"案件当前状态为“{case.get_status_display()}”，不能“{t.label}” / "
            f"A case in state '{case.status}' cannot take '{t.name}'."
        )
    if expected_version is not None and expected_version != case.version:
        raise StaleState("该案件已被他人更新，请刷新后重试 / Someone else changed this case; reload and retry.")
    updates = _prepare(t, case, actor, params)
    if t.name == "reopen":
        updates.update(reopen_count=F("reopen_count") + 1, resolved_at=None, closure_conclusion="",
                       satisfaction=None)
    now = clock.now()
    from_status, read_version = case.status, case.version
    case.status, case.version, case.updated_at = t.target, case.version + 1, now
    for name, value in updates.items():
        if name == "reopen_count":
            case.reopen_count += 1
        else:
            setattr(case, name, value)
    # Clocks first, so that the case row is written once, with its new next due date. If another
    # clerk moved the case meanwhile, the conditional UPDATE below matches nothing and the raised
    # StaleState rolls this whole transaction back, clock changes included.
    _side_effects(t, case, actor, params, clock.today())
    if t.name in _CLOCKS_STOPPED:
        updates["next_due_on"] = case.next_due_on = None
    elif t.name not in _CLOCKS_UNCHANGED:
        updates["next_due_on"] = case.next_due_on = _next_due(case)
    won = Case.objects.filter(pk=case.pk, status=from_status, version=read_version).update(
        status=t.target, version=F("version") + 1, updated_at=now, **updates
    )
    if won == 0:
        raise StaleState("该案件已被他人处理，请刷新后重试 / Someone else acted on this case first; reload it.")
    message = str(params.get("reason") or params.get("note") or note or "")
    add_event(
        case=case, kind=t.name, actor=actor, from_status=from_status, to_status=t.target, message=message,
        public_message=t.public_message,
        data={k: str(v) for k, v in params.items() if k in (
            "track", "conclusion", "amount_recovered", "workers_benefited", "satisfaction", "handler",
            "responsible_leader", "agency", "dispute_cause", "outcome")},
    )
    if t.name == "refuse":
        _notify_worker(case, f"您的诉求不予受理，理由：{case.refusal_reason}")
    elif t.name != "assign":
        _notify_worker(case, t.public_message.split(" ")[0])
    return case


@transaction.atomic
def transition(
    *, case_id: int, actor: User, name: str, expected_version: int | None = None, **params: Any
) -> Case:
    """The one way a member of staff moves a case: checks scope, role and state, then updates
    conditionally so that two clerks cannot both take the same step."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise DomainError(f"未知操作 {name} / Unknown action {name}.", code="unknown_action")
    case = get_case_for_update(case_id=case_id, actor=actor)
    check_permitted(t, case, actor)
    return _apply_transition(case=case, t=t, actor=actor, params=params, expected_version=expected_version)


@transaction.atomic
def extend_deadline(*, deadline_id: int, actor: User, reason: str) -> Deadline:
    """An approved extension (e.g. +15 days on an award with the chair's approval, Art. 43)."""
    require_role(actor, LEADERS, "只有领导可以批准延期 / Only a leader may approve an extension.")
    try:
        d = Deadline.objects.select_related("rule", "case").get(
            pk=deadline_id, case__in=restrict(Case.objects.all(), actor)
        )
    except Deadline.DoesNotExist:
        from django.http import Http404

        raise Http404("未找到 / Not found.") from None
    if not reason.strip():
        raise ValidationError({"reason": ["请填写延期理由 / Give the reason for the extension."]})
    if d.state not in (Deadline.State.RUNNING, Deadline.State.PAUSED):
        raise TransitionNotAllowed("该期限已结束，不能延期 / This deadline has ended.")
    if d.rule.extension_length == 0:
        raise TransitionNotAllowed(f"“{d.rule.step}”依法不能延长 / This period cannot be extended ({d.rule.basis}).")
    if d.extended:
        raise TransitionNotAllowed("该期限已经延长过 / This deadline was already extended.")
    won = Deadline.objects.filter(pk=d.pk, extended=False).update(extended=True)
    if not won:
        raise StaleState("该期限已被他人延长 / Someone else extended it first.")
    d.refresh_from_db()
    due = compute_due(deadline=d, rule=d.rule, cal=get_calendar())
    old = d.due_on
    d.due_on, d.is_provisional = due.due_on, due.provisional
    d.save(update_fields=["due_on", "is_provisional"])
    _refresh_next_due(d.case)
    add_event(case=d.case, kind="extended", actor=actor, message=reason,
              data={"step": d.rule.step, "from": old.isoformat(), "to": d.due_on.isoformat(), "basis": d.rule.basis},
              public_message="办理期限经批准延长 The time limit was extended with approval.")
    return d


@transaction.atomic
def restart_clock(*, case_id: int, actor: User, ground: str, note: str = "") -> Case:
    """Restart the arbitration clock on one of the grounds of 办案规则 Art. 46."""
    case = get_case_for_update(case_id=case_id, actor=actor)
    require_role(actor, HANDLING, "您的角色不能重新计算期限 / Your role cannot restart a clock.")
    if case.track != Track.ARBITRATION or case.status != Status.IN_HANDLING:
        raise TransitionNotAllowed("只有办理中的仲裁案件可以重新计算审理期限 / Only arbitration in handling.")
    if ground not in RESTART_GROUNDS:
        raise ValidationError({"ground": ["重新计算期限的事由无效 / Not a ground for restarting the clock."]})
    today = clock.today()
    case.deadlines.filter(state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED],
                          rule__trigger=DeadlineRule.Trigger.START).update(
        state=Deadline.State.CANCELLED, finished_at=clock.now())
    started = _start_deadlines(case, DeadlineRule.Trigger.START, today)
    _refresh_next_due(case)
    add_event(case=case, kind="clock_restarted", actor=actor, message=note,
              data={"ground": RESTART_GROUNDS[ground], "basis": "劳动人事争议仲裁办案规则 第四十六条",
                    "due_on": [d.due_on.isoformat() for d in started]},
              public_message="仲裁审理期限依法重新计算 The arbitration time limit was restarted.")
    return case


@transaction.atomic
def record_rating(*, case: Case, satisfaction: int, comment: str = "", actor: User | None = None) -> Case:
    """The worker's rating after resolution: 3–5 closes the case; 1–2 reopens it."""
    if not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": ["满意度为1至5分 / Satisfaction is 1 to 5."]})
    case = Case.objects.get(pk=case.pk)
    if case.status not in (Status.RESOLVED, Status.FOLLOW_UP):
        raise TransitionNotAllowed("案件办结后才能评价 / You can rate a case once it is resolved.")
    Case.objects.filter(pk=case.pk).update(satisfaction=satisfaction)
    case.satisfaction = satisfaction
    add_event(case=case, kind="rated", actor=actor, message=comment[:1000],
              data={"satisfaction": satisfaction},
              public_message=f"您的评价：{satisfaction}分 Your rating: {satisfaction}/5")
    if satisfaction >= 3:
        return _apply_transition(case=case, t=TRANSITIONS["close"], actor=actor,
                                 params={"satisfaction": satisfaction})
    case = _apply_transition(case=case, t=TRANSITIONS["reopen"], actor=actor,
                             params={"reason": f"不满意（{satisfaction}分）：{comment}"[:500]})
    _notify_staff(case, case.responsible_leader, f"案件{case.number}因群众不满意重新办理",
                  f"评价{satisfaction}分：{comment}")
    _notify_staff(case, case.handler, f"案件{case.number}因群众不满意重新办理", f"评价{satisfaction}分：{comment}")
    return case


@transaction.atomic
def answer_referral(*, referral_id: int, actor: User, answer: str) -> Referral:
    """A partner agency's answer to a referral."""
    require_role(actor, PARTNERS, "只有联动单位可以答复移送 / Only the partner agency may answer.")
    referral = restrict(Referral.objects.select_related("case").filter(pk=referral_id), actor, CHANGE).first()
    if referral is None:
        from django.http import Http404

        raise Http404("未找到 / Not found.")
    if not answer.strip():
        raise ValidationError({"answer": ["请填写答复内容 / Write the answer."]})
    if referral.answered_at:
        raise TransitionNotAllowed("该移送已答复 / This referral has already been answered.")
    referral.answer, referral.answered_at = answer.strip(), clock.now()
    referral.save(update_fields=["answer", "answered_at"])
    add_event(case=referral.case, kind="referral_answered", actor=actor, message=answer.strip(),
              data={"agency": referral.agency.name})
    _notify_staff(referral.case, referral.case.handler, f"联动单位已答复案件{referral.case.number}", answer)
    return referral


@transaction.atomic
def acknowledge_supervision(*, supervision_id: int, actor: User, note: str = "") -> Supervision:
    sup = Supervision.objects.select_related("case").filter(
        pk=supervision_id, case__in=restrict(Case.objects.all(), actor)).first()
    if sup is None:
        from django.http import Http404

        raise Http404("未找到 / Not found.")
    require_role(actor, LEADERS, "只有领导可以签收督办 / Only a leader may acknowledge supervision.")
    if sup.acknowledged_at:
        raise TransitionNotAllowed("已签收 / Already acknowledged.")
    sup.acknowledged_at, sup.note = clock.now(), note
    sup.save(update_fields=["acknowledged_at", "note"])
    add_event(case=sup.case, kind="supervision_acknowledged", actor=actor, message=note,
              data={"kind": sup.kind})
    return sup
