"""Violation records and the yearly compliance grade (企业劳动保障守法诚信等级评价办法).

``compute_grades`` grades every employer in the actor's jurisdiction for a record year in a few
set-based statements: one INSERT … SELECT aggregates per employer the year's sanctions (closed
inspection cases that ended in an order or penalty), violation records, rectification orders not
complied with by their deadline (prevention: escalated to a case) and passed harmonious-enterprise
evaluations, and turns the counts into A/B/C with a CASE built from the criteria rows; the same
statement keeps the ids of the cases, records and orders behind each grade. No Python loop runs
per employer (bench/credit_grades.py).
A grade is then notified, may be objected to within the configured window, and a leader decides.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Aggregate, Count, JSONField, Q, QuerySet
from django.utils.translation import gettext as _

from hexie.cases.filters import day_start
from hexie.cases.models import Case, ClosureConclusion, Notification, Status, Track
from hexie.cases.services.timeline import queue_notification
from hexie.core import audit, clock
from hexie.core.errors import DomainError
from hexie.core.permissions import require_role
from hexie.credit.models import CreditGrade, CreditRecord, Grade, GradeCriterion, RecordKind
from hexie.credit.rules import is_raise
from hexie.credit.selectors import criteria_for, setting_row
from hexie.credit.services.common import describe_due, record_delivery, scope_units
from hexie.employers.models import Employer
from hexie.orgs.models import User
from hexie.orgs.scoping import CHANGE, HANDLING, LEADERS, restrict
from hexie.prevention.models import (
    Assessment,
    AssessmentState,
    EmployerAccount,
    OrderState,
    RectificationOrder,
    SheetKind,
)

AuditAction = audit.Action

#: A sanction in the grade's sense: an inspection case resolved with an order or a penalty.
SANCTION_CONCLUSIONS = (ClosureConclusion.ORDER_ISSUED,)
RESOLVED = (Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED)


def sanction_cases(year: int) -> QuerySet[Case]:
    """Cases counted as sanctions of the record year (resolved in it, linked to a registered employer)."""
    start, end = day_start(date(year, 1, 1)), day_start(date(year + 1, 1, 1))
    return Case.objects.filter(employer__isnull=False, track=Track.INSPECTION, status__in=RESOLVED,
                               closure_conclusion__in=SANCTION_CONCLUSIONS, resolved_at__gte=start,
                               resolved_at__lt=end)


def year_records(year: int) -> QuerySet[CreditRecord]:
    return CreditRecord.objects.filter(occurred_on__gte=date(year, 1, 1), occurred_on__lte=date(year, 12, 31))


def ignored_orders(year: int) -> QuerySet[RectificationOrder]:
    """Rectification orders whose deadline fell in the year and that were not complied with (the
    order was escalated to an inspection case): 拒不履行限期整改指令."""
    return RectificationOrder.objects.filter(state=OrderState.ESCALATED, deadline__gte=date(year, 1, 1),
                                             deadline__lte=date(year, 12, 31))


def passed_evaluations(year: int) -> QuerySet[Assessment]:
    """Harmonious-enterprise evaluations signed off in the year with a pass."""
    return Assessment.objects.filter(kind=SheetKind.EVALUATION, state=AssessmentState.SIGNED_OFF, passed=True,
                                     signed_off_at__gte=day_start(date(year, 1, 1)),
                                     signed_off_at__lt=day_start(date(year + 1, 1, 1)))


# --- records --------------------------------------------------------------------------------


def record_violation(
    *, actor: User, employer_id: int, kind: str, occurred_on: date, description: str, case_id: int | None = None,
    amount: Decimal | None = None, workers: int | None = None, months: int | None = None,
) -> CreditRecord:
    """Enter a violation (or a passed evaluation) on an employer's file, linked to the case that
    proves it; the employer and the case must be in the actor's jurisdiction."""
    staff = require_role(actor, HANDLING, _("只有承办人员和领导可以登记违法失信记录。"))
    if kind not in RecordKind.values:
        raise DomainError(_("未知的记录种类。"), field="kind")
    if occurred_on > clock.today():
        raise DomainError(_("发生日期不能晚于今天。"), field="occurred_on")
    if not description.strip():
        raise DomainError(_("请填写情况说明。"), field="description")
    if amount is not None and amount < 0:
        raise DomainError(_("拖欠金额不能为负数。"), field="amount")
    with transaction.atomic():
        employer = restrict(Employer.objects.filter(pk=employer_id), staff, CHANGE, single=True).first()
        if employer is None:
            raise DomainError(_("未找到该用人单位。"), field="employer", code="not_found")
        case = None
        if case_id is not None:
            case = restrict(Case.objects.filter(pk=case_id), staff, single=True).first()
            if case is None:
                raise DomainError(_("未找到该案件。"), field="case", code="not_found")
            if case.employer_id not in (None, employer.pk):
                raise DomainError(_("该案件关联的是另一家用人单位。"), field="case")
        record = CreditRecord.objects.create(
            employer=employer, kind=kind, occurred_on=occurred_on, case=case, description=description.strip(),
            amount=amount, workers=workers, months=months, recorded_by=staff)
        audit.record(actor=staff, action=AuditAction.CREATE, obj=record, org_unit_id=employer.org_unit_id,
                     message=f"登记违法失信记录：{record.get_kind_display()}（{employer.name}）")
        return record


# --- the yearly computation -------------------------------------------------------------------

_KIND_COLUMN: dict[str, str] = {kind: CreditGrade.COUNT_FIELDS[kind] for kind in RecordKind.values}


class IdList(Aggregate):
    """The group's ids as a JSON array (json_group_array on SQLite, jsonb_agg on PostgreSQL)."""

    function = "json_group_array"
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="jsonb_agg", **extra)


def _compile(qs: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _grade_case(criteria: list[GradeCriterion]) -> tuple[str, list[Any]]:
    """The criteria rows as one SQL CASE over the count columns (the SQL twin of rules.grade_for)."""
    params: list[Any] = []

    def any_of(rows: list[GradeCriterion]) -> str:
        parts = []
        for c in rows:
            parts.append(f"t.{_KIND_COLUMN[c.kind]} >= %s")
            params.append(int(c.min_count))
        return " OR ".join(parts) or "1 = 0"

    # Model rows satisfy CriterionLike at run time; their fields are descriptors to mypy.
    lowering = [c for c in criteria if not is_raise(c)]  # type: ignore[arg-type]
    c_cond = any_of([c for c in lowering if c.grade == Grade.C])
    b_cond = any_of([c for c in lowering if c.grade == Grade.B])
    raise_cond = any_of([c for c in criteria if is_raise(c)])  # type: ignore[arg-type]
    return (f"CASE WHEN {c_cond} THEN 'C' WHEN {b_cond} THEN (CASE WHEN {raise_cond} THEN 'A' ELSE 'B' END) "
            f"ELSE 'A' END"), params


GRADE_COLUMNS = ["employer_id", "org_unit_id", "year", "computed_grade", "grade", "state",
                 *(_KIND_COLUMN[k] for k in RecordKind.values), "computed_at", "objection", "decision",
                 "case_ids", "record_ids", "order_ids"]


def grading_select(*, year: int, criteria: list[GradeCriterion], now_db: Any, scope_sql: str = "",
                   scope_params: list[Any] | None = None) -> tuple[str, list[Any]]:
    """The SELECT that grades every employer (in ``GRADE_COLUMNS`` order): the year's counts per
    employer, and the criteria as one CASE over them. ``scope_sql`` narrows the employers (``e``).
    The bench times this same SELECT bare as its baseline."""
    cases_sql, cases_params = _compile(sanction_cases(year).values("employer_id").annotate(
        n=Count("id"), ids=IdList("id")))
    kinds = list(RecordKind.values)
    rec_sql, rec_params = _compile(year_records(year).values("employer_id").annotate(
        **{f"k_{k}": Count("id", filter=Q(kind=k)) for k in kinds},
        ids=IdList("id", filter=~Q(kind=RecordKind.EVALUATION_PASSED))))
    orders_sql, orders_params = _compile(ignored_orders(year).values("employer_id").annotate(
        n=Count("id"), ids=IdList("id")))
    evals_sql, evals_params = _compile(passed_evaluations(year).values("employer_id").annotate(n=Count("id")))
    grade_sql, grade_params = _grade_case(criteria)
    counts = [_KIND_COLUMN[k] for k in kinds]
    # Each count adds what the records say to what the other parts of the file say.
    extra: dict[str, str] = {RecordKind.SANCTION: "s", RecordKind.IGNORED_ORDER: "o", RecordKind.EVALUATION_PASSED: "v"}
    inner_cols = ", ".join(
        f"COALESCE({extra[k]}.n, 0) + COALESCE(r.k_{k}, 0) AS {_KIND_COLUMN[k]}" if k in extra
        else f"COALESCE(r.k_{k}, 0) AS {_KIND_COLUMN[k]}" for k in kinds)
    # Employers without rows in a part get an empty list of ids.
    inner_cols += (", COALESCE(s.ids, '[]') AS case_ids, COALESCE(r.ids, '[]') AS record_ids, "
                   "COALESCE(o.ids, '[]') AS order_ids")
    employer_t = Employer._meta.db_table
    # Assembled from table names and the ORM's compiled SQL only (hence the S608 exemptions);
    # every value travels as a parameter.
    sql = (
        f"SELECT t.employer_id, t.org_unit_id, %s AS year, {grade_sql} AS computed_grade, {grade_sql} AS grade, "  # noqa: S608
        f"%s AS state, {', '.join('t.' + c for c in counts)}, %s AS computed_at, '' AS objection, '' AS decision, "
        f"t.case_ids, t.record_ids, t.order_ids "
        f"FROM (SELECT e.id AS employer_id, e.org_unit_id AS org_unit_id, {inner_cols} "
        f"FROM {employer_t} e LEFT JOIN ({cases_sql}) s ON s.employer_id = e.id "
        f"LEFT JOIN ({rec_sql}) r ON r.employer_id = e.id "
        f"LEFT JOIN ({orders_sql}) o ON o.employer_id = e.id "
        f"LEFT JOIN ({evals_sql}) v ON v.employer_id = e.id "
        f"WHERE 1 = 1{scope_sql}) t WHERE 1 = 1"
    )
    params = [year, *grade_params, *grade_params, CreditGrade.State.COMPUTED, now_db, *cases_params, *rec_params,
              *orders_params, *evals_params, *(scope_params or [])]
    return sql, params


def compute_grades(*, actor: User | None, year: int, employer_ids: list[int] | None = None) -> dict[str, int]:
    """Grade every employer of the actor's jurisdiction (or the ones named) for the record year;
    ``actor=None`` is the yearly scheduled run over every employer.

    Grades of the year not yet notified are replaced; a grade already notified keeps its own
    procedure (objection, decision) and is left alone. Returns the number graded per grade.
    """
    staff = None if actor is None else require_role(actor, LEADERS, _("只有领导可以评定守法诚信等级。"))
    if not 2000 <= year <= clock.today().year:
        raise DomainError(_("评价年度须为已开始的年度。"), field="year")
    criteria = criteria_for(year)
    if not criteria:
        raise DomainError(_("该年度没有生效的评价标准，请先在管理后台配置。"), field="year")
    units = None if staff is None else scope_units(staff)
    if units == []:
        raise DomainError(_("您没有管辖范围。"), code="not_permitted")
    now = clock.now()
    now_db = connection.ops.adapt_datetimefield_value(now)  # raw statements get the ORM's stored form
    grade_t = CreditGrade._meta.db_table
    employer_t = Employer._meta.db_table
    scope_sql, scope_params = "", cast(list[Any], [])
    if units is not None:
        scope_sql += f" AND e.org_unit_id IN ({', '.join(['%s'] * len(units))})"
        scope_params += units
    if employer_ids is not None:
        scope_sql += f" AND e.id IN ({', '.join(['%s'] * len(employer_ids)) or 'NULL'})"
        scope_params += employer_ids
    select, params = grading_select(year=year, criteria=criteria, now_db=now_db, scope_sql=scope_sql,
                                    scope_params=scope_params)
    # Employers already graded for the year (a grade notified, objected to or final) keep theirs.
    # ON CONFLICT rather than NOT EXISTS: right after the stale rows are deleted, PostgreSQL's
    # statistics still count them and planned the anti-join as one row, nesting every aggregate
    # inside it (10 s instead of 0.1 s at 5,000 employers). The trailing WHERE above lets SQLite
    # parse ON CONFLICT after a SELECT.
    insert = f"INSERT INTO {grade_t} ({', '.join(GRADE_COLUMNS)}) {select}"
    with transaction.atomic(), connection.cursor() as cur:
        stale = (f"SELECT g.id FROM {grade_t} g JOIN {employer_t} e ON e.id = g.employer_id "  # noqa: S608
                 f"WHERE g.year = %s AND g.state = %s{scope_sql}")
        stale_params = [year, CreditGrade.State.COMPUTED, *scope_params]
        cur.execute(f"DELETE FROM {grade_t} WHERE id IN ({stale})", stale_params)  # noqa: S608
        # The conflict check costs an extra descent of the unique index per row (a third of the
        # insert at 200,000 employers): it is asked for only when grades of the year remain.
        cur.execute(f"SELECT 1 FROM {grade_t} WHERE year = %s LIMIT 1", [year])  # noqa: S608
        if cur.fetchone() is not None:
            insert += " ON CONFLICT (employer_id, year) DO NOTHING"
        if connection.vendor == "postgresql":
            # The tally comes back from the INSERT itself: a second pass over the year's grades cost
            # 60 ms of the 1 s at 40,000 employers (bench/README.md, credit grades).
            cur.execute(f"WITH inserted AS ({insert} RETURNING grade) "  # noqa: S608
                        f"SELECT grade, count(*) FROM inserted GROUP BY grade", params)
            tally = dict(cur.fetchall())
        else:  # SQLite takes no INSERT inside WITH
            cur.execute(insert, params)
            tally = dict(CreditGrade.objects.filter(year=year, state=CreditGrade.State.COMPUTED, computed_at=now)
                         .values_list("grade").annotate(n=Count("id")).values_list("grade", "n"))
        result = {g: int(tally.get(g, 0)) for g in Grade.values}
        audit.record(actor=staff, action=AuditAction.RUN, object_type="credit.graderun", object_repr=f"{year}",
                     message=f"评定{year}年度守法诚信等级：A级{result['A']}家、B级{result['B']}家、C级{result['C']}家")
        return result


# --- notice, objection, decision -----------------------------------------------------------


def notify_grades(*, actor: User, year: int) -> int:
    """Issue the notices of the computed grades of the year to the employers of the actor's
    jurisdiction (one UPDATE). The objection window does not start here: it runs from the day each
    notice is delivered (``record_grade_delivery``)."""
    staff = require_role(actor, LEADERS, _("只有领导可以告知评定结果。"))
    today = clock.today()
    row = setting_row("grade_objection_days")
    with transaction.atomic():
        scope = restrict(CreditGrade.objects.filter(year=year, state=CreditGrade.State.COMPUTED), staff, CHANGE)
        employer_ids = scope.values("employer_id")
        # Employers with an account on the employer pages are told by SMS (the outbox); the others
        # by the written notice the bureau serves. The grade and the objection form are on
        # /credit/mine/ for the account.
        accounts = list(EmployerAccount.objects.filter(employer_id__in=employer_ids, user__is_active=True))
        n = scope.update(state=CreditGrade.State.NOTIFIED, notified_on=today, objection_due_on=None)
        for account in accounts:
            queue_notification(case=None, channel=Notification.Channel.SMS, recipient=account.phone,
                               body=f"【和谐劳动】您单位{year}年度劳动保障守法诚信等级已评定，请登录单位账号查看评定结果及依据；"
                                    f"如有异议，请于评定结果告知书送达之日起{row.value.normalize()}日内提出。")
        audit.record(actor=staff, action=AuditAction.UPDATE, object_type="credit.graderun", object_repr=f"{year}",
                     message=f"签发{year}年度守法诚信等级告知{n}家，异议期自送达之日起计算（{row.basis}）")
    return n


def record_grade_delivery(*, actor: User, grade_id: int, delivered_on: date, method: str) -> CreditGrade:
    """Record the day and the way the grade's notice was delivered (送达); the objection window runs
    from that day (start day not counted), on the calendar the setting row says."""
    staff = require_role(actor, HANDLING, _("只有承办人员和领导可以登记送达。"))
    with transaction.atomic():
        grade = _grade_for_change(staff, grade_id)
        if grade.state != CreditGrade.State.NOTIFIED or grade.delivered_on is not None:
            raise DomainError(_("只有已告知、尚未登记送达的等级可以登记送达。"), field="state", code="wrong_state")
        due, provisional, basis = record_delivery(grade, delivered_on=delivered_on, method=method,
                                                  code="grade_objection_days", due_field="objection_due_on")
        audit.record(actor=staff, action=AuditAction.UPDATE, obj=grade,
                     fields=["delivered_on", "delivery_method", "objection_due_on"],
                     message=f"{grade.get_delivery_method_display()}，{grade.delivered_on}送达，"
                             f"异议截止{describe_due(due, provisional)}（{basis}）")
        return grade


def _check_objection_window(grade: CreditGrade, received_on: date, field: str) -> None:
    """An objection is in time on or before the window's last day; before the notice is delivered
    the window has not started, so an objection is in time too."""
    if grade.objection_due_on is not None and received_on > grade.objection_due_on:
        raise DomainError(
            _("异议期限已于%(due)s届满（自%(delivered)s送达之日起计算），不再受理异议。")
            % {"due": grade.objection_due_on.isoformat(), "delivered": str(grade.delivered_on)},
            field=field, code="window_closed")


def _grade_for_change(staff: User, grade_id: int) -> CreditGrade:
    grade = restrict(CreditGrade.objects.select_for_update().filter(pk=grade_id), staff, CHANGE, single=True).first()
    if grade is None:
        raise DomainError(_("未找到该等级评定。"), code="not_found")
    return grade


def object_to_grade(*, actor: User, grade_id: int, reason: str, received_on: date) -> CreditGrade:
    """Record an employer's objection (异议) to its notified grade; refused after the window."""
    staff = require_role(actor, HANDLING, _("只有承办人员和领导可以登记异议。"))
    if not reason.strip():
        raise DomainError(_("请填写异议理由。"), field="reason")
    if received_on > clock.today():
        raise DomainError(_("收到日期不能晚于今天。"), field="received_on")
    with transaction.atomic():
        grade = _grade_for_change(staff, grade_id)
        if grade.state != CreditGrade.State.NOTIFIED:
            raise DomainError(_("只有已告知、尚未确定的等级可以提出异议。"), field="state", code="wrong_state")
        assert grade.notified_on is not None
        if received_on < grade.notified_on:
            raise DomainError(_("收到日期早于告知日期。"), field="received_on")
        _check_objection_window(grade, received_on, "received_on")
        grade.state, grade.objection, grade.objection_on = CreditGrade.State.OBJECTED, reason.strip(), received_on
        grade.save(update_fields=["state", "objection", "objection_on"])
        audit.record(actor=staff, action=AuditAction.UPDATE, obj=grade, fields=["state", "objection"],
                     message=f"{grade.employer} 对{grade.year}年度{grade.grade}级提出异议")
        return grade


def object_as_employer(*, user: Any, grade_id: int, reason: str) -> CreditGrade:
    """The employer objects to its own notified grade from its account, today; refused after the
    window. Only the account's own employer's grades are reachable (others are not found)."""
    user_pk = getattr(user, "pk", None)
    account = (EmployerAccount.objects.filter(user_id=user_pk, user__is_active=True).first()
               if user_pk is not None else None)
    if account is None:
        raise DomainError(_("未找到该等级评定。"), code="not_found")
    if not reason.strip():
        raise DomainError(_("请填写异议理由。"), field="reason")
    today = clock.today()
    with transaction.atomic():
        grade = CreditGrade.objects.select_for_update().filter(pk=grade_id, employer_id=account.employer_id).first()
        if grade is None:
            raise DomainError(_("未找到该等级评定。"), code="not_found")
        if grade.state != CreditGrade.State.NOTIFIED:
            raise DomainError(_("只有已告知、尚未确定的等级可以提出异议。"), field="state", code="wrong_state")
        _check_objection_window(grade, today, "reason")
        grade.state, grade.objection, grade.objection_on = CreditGrade.State.OBJECTED, reason.strip(), today
        grade.save(update_fields=["state", "objection", "objection_on"])
        audit.record(actor=user, action=AuditAction.UPDATE, obj=grade, fields=["state", "objection"],
                     message=f"{grade.employer} 通过单位账号对{grade.year}年度{grade.grade}级提出异议")
        return grade


def decide_objection(*, actor: User, grade_id: int, grade: str, reason: str) -> CreditGrade:
    """A leader decides an objection: the grade stands or is changed, with the reasons."""
    staff = require_role(actor, LEADERS, _("只有领导可以复核异议。"))
    if grade not in Grade.values:
        raise DomainError(_("请选择A、B或C级。"), field="grade")
    if not reason.strip():
        raise DomainError(_("请填写复核意见。"), field="reason")
    with transaction.atomic():
        row = _grade_for_change(staff, grade_id)
        if row.state != CreditGrade.State.OBJECTED:
            raise DomainError(_("该等级没有待复核的异议。"), field="state", code="wrong_state")
        before = row.grade
        row.grade, row.state, row.decision = grade, CreditGrade.State.FINAL, reason.strip()
        row.decided_by, row.decided_at = staff, clock.now()
        row.save(update_fields=["grade", "state", "decision", "decided_by", "decided_at"])
        outcome = "维持" if before == grade else f"由{before}级调整为"
        audit.record(actor=staff, action=AuditAction.UPDATE, obj=row, fields=["grade", "state", "decision"],
                     message=f"复核异议：{outcome}{grade}级")
        return row


def finalise_grades(*, today: date | None = None) -> int:
    """Make final the notified grades whose objection window has passed without an objection (the
    periodic job; one UPDATE)."""
    today = today or clock.today()
    with transaction.atomic():
        n = CreditGrade.objects.filter(state=CreditGrade.State.NOTIFIED, objection_due_on__lt=today).update(
            state=CreditGrade.State.FINAL)
        if n:
            audit.record(actor=None, action=AuditAction.RUN, object_type="credit.graderun", object_repr="finalise",
                         message=f"异议期届满，{n}家单位的等级确定")
    return n
