"""One filter set for the staff case list and the API, so both mean the same thing.

The dashboards' figures are counted with the same conditions that these filters apply: each
condition is written once (`CONDITIONS`, `condition_q`, `params_q`) and used both by the filter set
and by `hexie.insights.kpis`. A figure's link to the case list therefore opens exactly the cases
it counts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseType,
    Channel,
    ClosureConclusion,
    DisputeCause,
    Outcome,
    Status,
    Supervision,
    Track,
)
from hexie.core import clock
from hexie.core.enums import RiskLevel
from hexie.core.pii import lookup_hash
from hexie.core.validators import normalise_identifier, normalise_phone
from hexie.orgs.models import OrgUnit
from hexie.orgs.scoping import under

# Statuses in which a case has been dealt with (办结): resolved, being followed up, or closed.
RESOLVED_STATUSES = (Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED)
# The kinds of case that can be settled by mediation (the mediation rate's population).
DISPUTE_TYPES = (CaseType.WAGE_ARREARS, CaseType.LABOUR_DISPUTE)


# --- conditions shared with the KPIs ------------------------------------------------------------


def day_start(d: date) -> datetime:
    """Local midnight at the start of `d`, as an aware datetime.

    Date bounds are compared as datetimes (not `__date`), so that the database can use the
    indexes on the timestamp columns; the meaning is the same: the date in the bureau's time zone.
    """
    return timezone.make_aware(datetime.combine(d, time.min))


def between_q(field: str, start: date | None, end: date | None) -> Q:
    """`field` falls on a local date in [start, end]; either bound may be open."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": day_start(start)})
    if end is not None:
        q &= Q(**{f"{field}__lt": day_start(end + timedelta(days=1))})
    return q


def stage_q(stage: str) -> Q:
    """resolved: dealt with (办结); open: not yet; not_refused: anything but refused."""
    if stage == "resolved":
        return Q(status__in=RESOLVED_STATUSES)
    if stage == "open":
        return Q(status__in=OPEN_STATUSES)
    if stage == "not_refused":
        return ~Q(status=Status.REFUSED)
    raise ValueError(stage)


def late_q(today: date) -> Q:
    """Not within the legal time limit: some clock of the case was missed.

    A clock is missed when it finished after its due date, when it is still running past its due
    date (the case's earliest running due date is stored as `next_due_on`), or when it was paused
    (suspension) after its due date had already passed. Extended clocks and suspensions need no
    special case: the stored due date already includes the extension and the paused days.

    The clock services store on the case the earliest due date it missed or will miss
    (`late_after`, `services.clocks.late_after_sql`), so this is a test of one column: the
    dashboards evaluate it for every case they count, three times per page.
    """
    return Q(late_after__lt=today)


def limit_q(value: str, today: date) -> Q:
    """within: dealt with and no clock missed; late: a clock missed (open or not);
    assessed: either of the two, the population of the within-limit rate."""
    late = late_q(today)
    if value == "within":
        return stage_q("resolved") & ~late
    if value == "late":
        return late
    if value == "assessed":
        return stage_q("resolved") | late
    raise ValueError(value)


def open_on_q(d: date, accepted: str = "accepted_at") -> Q:
    """Accepted before `d` and not dealt with before it (carried over into a period starting on `d`).

    `accepted` is the acceptance that counts: the file's (`accepted_at`) or the one onto the track
    the case is on now (`track_accepted_at`). A reopened case is judged by its latest resolution,
    the only one the case row keeps.
    """
    return (Q(**{f"{accepted}__lt": day_start(d)}) & ~Q(status=Status.REFUSED)
            & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=day_start(d))))


def closed_by_q(value: str) -> Q:
    """How a case was concluded, as the arbitration statistics count it: mediation, award, other."""
    if value == "mediation":
        return Q(closure_conclusion=ClosureConclusion.MEDIATED)
    if value == "award":
        return Q(closure_conclusion=ClosureConclusion.AWARDED)
    if value == "other":
        return ~Q(closure_conclusion__in=[ClosureConclusion.MEDIATED, ClosureConclusion.AWARDED])
    raise ValueError(value)


# Where a case ended, each case counted once by the track it was on last (rules.md §6): inside the
# bureau, at a partner agency it was referred to, or before a court. A case with no track (accepted
# before tracks were recorded) was handled by the bureau's own procedure of its type.
OUTSIDE_BUREAU = (Track.COURT, Track.REFERRAL)


def ended_q(value: str) -> Q:
    """Cases whose last track is inside the bureau, a partner agency's, or the court's."""
    if value == "bureau":
        return ~Q(track__in=OUTSIDE_BUREAU)
    if value == "court":
        return Q(track=Track.COURT)
    if value == "partner":
        return Q(track=Track.REFERRAL)
    raise ValueError(value)


def _choices_with_none(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [*choices, ("none", gettext("未填写"))]


STAGES = [("resolved", _("已办结")), ("open", _("在办")), ("not_refused", _("已受理（不含不予受理）"))]
LIMITS = [("within", _("期限内办结")), ("late", _("超期")),
          ("assessed", _("已办结或已超期"))]
SCORES = [(str(n), str(n)) for n in range(1, 6)]
CLOSED_BY = [("mediation", _("调解")), ("award", _("裁决")), ("other", _("其他"))]
ENDED = [("bureau", _("本局办结（未进入法院）")), ("court", _("进入法院")), ("partner", _("移送联动单位"))]


def _bool_q(q: Q) -> Callable[[Any, date], Q]:
    return lambda value, today: q if value else ~q


def _date_bound(column: str, end: str) -> Callable[[Any, date], Q]:
    if end == "from":
        return lambda value, today: between_q(column, value, None)
    return lambda value, today: between_q(column, None, value)


def _blankable(field: str) -> Callable[[Any, date], Q]:
    return lambda value, today: Q(**{field: "" if value == "none" else value})


# The conditions behind the filters that are more than "column equals value", by filter name:
# each takes the cleaned filter value and today's date. CaseFilter applies them to the case list;
# hexie.insights.kpis counts with them.
CONDITIONS: dict[str, Callable[[Any, date], Q]] = {
    "overdue": lambda value, today: Q(next_due_on__lt=today) if value else ~Q(next_due_on__lt=today),
    "open": _bool_q(Q(status__in=OPEN_STATUSES)),
    **{f"{field}_{end}": _date_bound(f"{field}_at", end)
       for field in ("received", "accepted", "track_accepted", "resolved", "closed") for end in ("from", "to")},
    "open_on": lambda value, today: open_on_q(value),
    "track_open_on": lambda value, today: open_on_q(value, "track_accepted_at"),
    "stage": lambda value, today: stage_q(value),
    "limit": lambda value, today: limit_q(value, today),
    "disputes": _bool_q(Q(case_type__in=DISPUTE_TYPES)),
    "closed_by": lambda value, today: closed_by_q(value),
    "ended": lambda value, today: ended_q(value),
    "dispute_cause": _blankable("dispute_cause"),
    "outcome": _blankable("outcome"),
    "satisfaction_min": lambda value, today: Q(satisfaction__gte=int(value)),
    "satisfaction_max": lambda value, today: Q(satisfaction__lte=int(value)),
}


# The form classes of the filter sets below, by filter set and the filters in its form.
_FORM_CLASSES: dict[tuple[type, tuple[str, ...]], type[forms.Form]] = {}


class FormOncePerProcess(django_filters.FilterSet):
    """A filter set whose form class is built once per process instead of on every request.

    django-filter builds the form class anew for each filter set it instantiates: a form field per
    filter, its widget and its choices, and a class through the forms metaclass, which on the
    queue cost more than the rest of the filtering. None of these filter sets' fields depends on
    the request (their choices are the models' fixed ones, their labels lazy, so one class serves
    every language); each form still gets its own copies of the fields, as Django forms do.

    ``only_given``: the filter set copies, and its form validates, only the filters the request
    names. A filter left out of the request filters nothing and has no error (every filter here is
    optional and reads its one parameter), so the cases and the errors are the same, without a
    copy of thirty filters and thirty form fields per request for the two or three in use.
    """

    only_given = False
    base_filters: dict[str, Any]  # every filter of the class, set by django-filter's metaclass

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: Any = None) -> None:
        if self.only_given and prefix is None:
            given = data or {}
            self.base_filters = {name: f for name, f in type(self).base_filters.items() if name in given}
        super().__init__(data, queryset, request=request, prefix=prefix)

    def get_form_class(self) -> type[forms.Form]:
        key = (type(self), tuple(self.filters))
        form = _FORM_CLASSES.get(key)
        if form is None:
            if len(_FORM_CLASSES) >= 256:  # parameter sets a URL can make up: keep the cache small
                _FORM_CLASSES.clear()
            form = _FORM_CLASSES[key] = super().get_form_class()
        return form


class CaseFilter(FormOncePerProcess):
    """The case list's filters. Conditions beyond a plain column match live in CONDITIONS."""

    case_type = django_filters.ChoiceFilter(choices=CaseType.choices, label=_("类型"), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("状态"), empty_label=_("全部"))
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("风险"), empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"), empty_label=_("全部"))
    district = django_filters.CharFilter(method="filter_district", label=_("区域代码"))
    overdue = django_filters.BooleanFilter(method="filter_condition", label=_("已超期"))
    open = django_filters.BooleanFilter(method="filter_condition", label=_("在办"))
    collective = django_filters.BooleanFilter(field_name="is_collective", label=_("集体"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("我承办的"))
    q = django_filters.CharFilter(method="filter_q", label=_("搜索"))
    received_from = django_filters.DateFilter(method="filter_condition", label=_("收到日期起"))
    received_to = django_filters.DateFilter(method="filter_condition", label=_("收到日期止"))
    # The conditions behind the dashboard's figures (hexie.insights.kpis).
    accepted_from = django_filters.DateFilter(method="filter_condition", label=_("受理日期起"))
    accepted_to = django_filters.DateFilter(method="filter_condition", label=_("受理日期止"))
    # Accepted onto the track the case is on now (the arbitration commission's acceptance of a case
    # that came from mediation): what the arbitration statistics count by.
    track_accepted_from = django_filters.DateFilter(method="filter_condition", label=_("本途径受理日期起"))
    track_accepted_to = django_filters.DateFilter(method="filter_condition", label=_("本途径受理日期止"))
    resolved_from = django_filters.DateFilter(method="filter_condition", label=_("办结日期起"))
    resolved_to = django_filters.DateFilter(method="filter_condition", label=_("办结日期止"))
    closed_from = django_filters.DateFilter(method="filter_condition", label=_("结案日期起"))
    closed_to = django_filters.DateFilter(method="filter_condition", label=_("结案日期止"))
    open_on = django_filters.DateFilter(method="filter_condition", label=_("该日在办（结转）"))
    track_open_on = django_filters.DateFilter(method="filter_condition", label=_("该日在本途径办理（结转）"))
    stage = django_filters.ChoiceFilter(choices=STAGES, method="filter_condition", label=_("阶段"),
                                        empty_label=_("全部"))
    limit = django_filters.ChoiceFilter(choices=LIMITS, method="filter_condition", label=_("法定期限"),
                                        empty_label=_("全部"))
    track = django_filters.ChoiceFilter(choices=Track.choices, label=_("办理途径"), empty_label=_("全部"))
    disputes = django_filters.BooleanFilter(method="filter_condition", label=_("争议类（欠薪、劳动争议）"))
    conclusion = django_filters.ChoiceFilter(choices=ClosureConclusion.choices, field_name="closure_conclusion",
                                             label=_("办结结论"), empty_label=_("全部"))
    ended = django_filters.ChoiceFilter(choices=ENDED, method="filter_condition", label=_("终点"),
                                        empty_label=_("全部"))
    closed_by = django_filters.ChoiceFilter(choices=CLOSED_BY, method="filter_condition", label=_("结案方式"),
                                            empty_label=_("全部"))
    dispute_cause = django_filters.ChoiceFilter(choices=_choices_with_none(DisputeCause.choices),
                                                method="filter_condition", label=_("争议原因"),
                                                empty_label=_("全部"))
    outcome = django_filters.ChoiceFilter(choices=_choices_with_none(Outcome.choices), method="filter_condition",
                                          label=_("裁决结果"), empty_label=_("全部"))
    satisfaction_min = django_filters.ChoiceFilter(choices=SCORES, method="filter_condition",
                                                   label=_("满意度不低于"), empty_label="—")
    satisfaction_max = django_filters.ChoiceFilter(choices=SCORES, method="filter_condition",
                                                   label=_("满意度不高于"), empty_label="—")
    repeat = django_filters.BooleanFilter(field_name="is_repeat", label=_("重复投诉"))

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_condition(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        if value is None or value == "":
            return qs
        return qs.filter(CONDITIONS[name](value, clock.today()))

    def filter_district(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        unit = OrgUnit.objects.filter(code=value.strip()).only("path").first()
        if unit is None:
            return qs.none()
        return qs.filter(under(unit))

    def filter_mine(self, qs: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        user: Any = getattr(self.request, "user", None)
        if not value or user is None:
            return qs
        return qs.filter(Q(handler=user) | Q(responsible_leader=user))

    def __init__(self, *args: Any, leave_text_search: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The queue finds a text search's rows itself on PostgreSQL (hexie.cases.search): the filter
        # then only keeps the term (text_search) and leaves the rows to the queue's paginator.
        self.leave_text_search = leave_text_search
        self.text_search = ""

    def filter_q(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return qs
        if self.leave_text_search and connection.vendor == "postgresql" and plain_text_search(value):
            self.text_search = value
            return qs
        return qs.filter(search_q(value))


class QueueFilter(CaseFilter):
    """The case filters as the queue page applies them: only the filters the request names are
    copied and validated (see FormOncePerProcess.only_given); all of them are in ``base_filters``."""

    only_given = True


def search_q(value: str) -> Q:
    """What the queue's search box finds: a case number, an employer or project name, the
    complainant's name, the tracking code the worker was given, or the complainant's phone number
    (found through its keyed hash: the number itself is stored encrypted and cannot be searched)."""
    text = Q(number__icontains=value) | Q(employer_name__icontains=value) | Q(project_name__icontains=value)
    if len(value) <= SHORT_SEARCH and connection.vendor == "postgresql":
        # Under three characters the trigram indexes cannot help; the pieces index can.
        text = Q(ShortPiecesContain(value))
    q = text | Q(complainant_name=value)
    code = normalise_identifier(value).upper()
    if _TRACKING.match(code):
        q |= Q(tracking_code=code)
    phone = normalise_phone(value)
    if _PHONE.match(phone.replace("-", "")):
        # As typed and without its dashes: a landline is stored as the worker wrote it (0731-…).
        q |= Q(complainant_phone_hash__in={lookup_hash(phone), lookup_hash(phone.replace("-", ""))})
    return q


# The longest search served by the pieces index of migration 0016 (one- and two-character pieces);
# longer ones are served by the trigram indexes of migration 0004.
SHORT_SEARCH = 2


# Characters no letter upper-cases to and that upper-case to themselves: digits, ASCII punctuation
# and space, CJK ideographs and CJK punctuation, and the fullwidth forms that are not letters.
_CASELESS_RANGES = ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def case_free(value: str) -> bool:
    """Whether "contains, ignoring case" is plain containment for this term: every character is
    one that no other character upper-cases to and that upper-cases to itself."""
    def caseless(c: str) -> bool:
        n = ord(c)
        if n < 128:
            return not c.isalpha()
        if any(lo <= n <= hi for lo, hi in _CASELESS_RANGES):
            return True
        return 0xFF00 <= n <= 0xFFEF and not c.isalpha() and c == c.upper() == c.lower()

    return bool(value) and all(caseless(c) for c in value)


class TextContains(Func):
    """What icontains on the case number, employer and project name means, written with ``strpos``
    (Django's icontains is ``UPPER(col) LIKE UPPER('%term%')`` with the wildcards escaped, i.e.
    ``strpos`` of the upper-cased term), for a term of any length: the check of a row read in the
    queue's order from the index that carries these columns (``case_queue_search``, migration
    0024), where cutting the row's pieces or trigrams would cost far more than three look-ups.

    A term without letters that have a case ("楼", "58", "-9") is looked for in the columns as they
    are: upper-casing a column changes only such letters, so it cannot make or break a match, and
    UPPER was 60 % of the cost of reading the queue in order (case_free)."""

    output_field = BooleanField()

    def __init__(self, value: str) -> None:
        super().__init__(F("number"), F("employer_name"), F("project_name"), Value(value))
        self.case_free = case_free(value)

    def inside(self, compiler: Any) -> tuple[list[tuple[str, list[Any]]], str, list[Any]]:
        *columns, value = self.get_source_expressions()
        cols = [compiler.compile(c) for c in columns]
        term, term_params = compiler.compile(value)
        if self.case_free:
            sql = " OR ".join(f"strpos({col}::text, {term}) > 0" for col, _ in cols)
        else:
            sql = " OR ".join(f"strpos(UPPER({col}::text), UPPER({term})) > 0" for col, _ in cols)
        params: list[Any] = []
        for _sql, p in cols:
            params += [*p, *term_params]
        return cols, f"({sql})", params

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> tuple[str, list[Any]]:
        _cols, sql, params = self.inside(compiler)
        return sql, params


class ShortPiecesContain(TextContains):
    """The same condition for a term of at most SHORT_SEARCH characters, written so that PostgreSQL
    reads it from the pieces index.

    The index (``case_scope_grams``, migration 0024, after 0018) lists the upper-cased one- and
    two-character pieces of the three columns; the condition is "the term is one of the pieces"
    AND "the term is inside one of the columns, ignoring case". The containment is written with
    ``strpos``, not LIKE, and first: PostgreSQL would otherwise also read the trigram indexes,
    which match every row for a short pattern, and a row read outside the index is checked by the
    cheap ``strpos`` before its pieces are cut.
    """

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> tuple[str, list[Any]]:
        cols, inside, params = self.inside(compiler)
        term, term_params = compiler.compile(self.get_source_expressions()[-1])
        pieces = f"case_search_grams({', '.join(sql for sql, _ in cols)}) @> ARRAY[UPPER({term})::text]"
        for _sql, p in cols:
            params += p
        return f"({inside} AND {pieces})", [*params, *term_params]


def plain_text_search(value: str) -> bool:
    """Whether search_q looks for the (stripped) term only in the case number, employer, project and
    complainant's name: it is neither a tracking code nor a phone number."""
    phone = normalise_phone(value).replace("-", "")
    return bool(value) and not _TRACKING.match(normalise_identifier(value).upper()) and not _PHONE.match(phone)


def walk_q(value: str) -> Q:
    """What search_q finds for a plain text search (plain_text_search), as a check of each row
    rather than an index look-up: the condition for reading the queue in order (hexie.cases.search)."""
    if not plain_text_search(value):
        raise ValueError(f"not a plain text search: {value!r}")
    return Q(TextContains(value)) | Q(complainant_name=value)


# A tracking code: eight characters of the intake's alphabet; a phone: a mobile or a landline
# with its area code, as intake stores them after normalising.
_TRACKING = re.compile(r"^[2-9A-HJ-NP-Z]{8}$")
_PHONE = re.compile(r"^\d{7,12}$")


def condition_q(name: str, value: Any, today: date) -> Q:
    """The condition one (cleaned) CaseFilter value stands for, as a Q object.

    The same conditions the filter set applies to the list: CONDITIONS for the computed ones, the
    filter's own field and lookup for plain column filters. `district`, `mine` and `q` depend on
    the database or the request and are not available here.
    """
    if name in CONDITIONS:
        return CONDITIONS[name](value, today)
    f = CaseFilter.base_filters[name]
    if f.method is not None:
        raise KeyError(f"no condition for the filter {name!r}")
    return Q(**{f"{f.field_name}__{f.lookup_expr}": value})


def params_q(params: dict[str, str], today: date) -> Q:
    """The condition for a set of case-list parameters (as they appear in a URL), as the list applies it.

    Each value is cleaned by the list filter's own form field, so it means exactly what it means in
    the list. The result is cached per (parameters, today): the dashboards and bulletins ask for
    the same few dozen conditions many times, and a FilterSet per call cost a deep copy each.
    """
    return _params_q(tuple(params.items()), today)


@functools.lru_cache(maxsize=2048)
def _params_q(items: tuple[tuple[str, str], ...], today: date) -> Q:
    q = Q()
    errors: dict[str, list[str]] = {}
    for name, raw in items:
        f = CaseFilter.base_filters.get(name)
        if f is None:
            continue  # unknown parameters are ignored, as the list's FilterSet ignores them
        try:
            value = f.field.clean(raw)
        except forms.ValidationError as e:
            errors[name] = e.messages
            continue
        if value is None or value == "":
            continue
        q &= condition_q(name, value, today)
    if errors:
        raise ValueError(f"invalid case-list parameters {dict(items)!r}: {errors}")
    return q


class SupervisionFilter(FormOncePerProcess):
    """The supervision list's filters (one row per case, see ``selectors.supervised_cases``)."""

    level = django_filters.ChoiceFilter(choices=Supervision.Kind.choices, method="filter_level",
                                        label=_("督办层级"), empty_label=_("全部"))
    signed = django_filters.ChoiceFilter(choices=[("no", _("待签收")), ("yes", _("已签收"))], method="filter_signed",
                                         label=_("签收"), empty_label=_("全部"))
    district = django_filters.CharFilter(method="filter_district", label=_("区域"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("我包案的"))

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_level(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        from hexie.cases.selectors import SUPERVISION_LEVELS

        # level and pending are annotations of selectors.supervised_cases, unknown to the model's type.
        return qs.filter(**{"level": SUPERVISION_LEVELS[value]}) if value else qs

    def filter_signed(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "no":
            return qs.filter(**{"pending__gt": 0})
        if value == "yes":
            return qs.filter(**{"pending": 0})
        return qs

    def filter_district(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        unit = OrgUnit.objects.filter(code=value.strip()).only("path").first()
        return qs.filter(under(unit)) if unit is not None else qs.none()

    def filter_mine(self, qs: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        user: Any = getattr(self.request, "user", None)
        if not value or user is None:
            return qs
        # A subquery, not a join: a join would multiply the rows the list's counts are taken over.
        escalated_to = Supervision.objects.filter(leader=user).values("case_id")
        return qs.filter(Q(responsible_leader=user) | Q(pk__in=escalated_to))
