"""The deadline rules, triage rules and chain thresholds, read once per process and kept in memory.

Every registration and most steps of a case read these small tables; reading them again each time
was a third of a lifecycle's statements. They are cached like the working-day calendar
(``hexie.workcal.selectors``): the cache is dropped in this process whenever a rule row is saved
or deleted (model signals, connected in ``connect``), and at the start of each request or task the
first read compares a one-row fingerprint of the three tables (row counts, latest ``updated_at``)
with the one the cache was built from, so that an edit made in another process (the admin in
another web worker) is seen there too. A bulk ``QuerySet.update()`` changes no ``updated_at`` and
sends no signal: edit rules through the admin or ``save()``, or call ``invalidate_rules()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from hexie.cases.models import ChainThreshold, DeadlineRule, TriageRule

RULE_MODELS = (DeadlineRule, TriageRule, ChainThreshold)


@dataclass(frozen=True)
class Rules:
    """The rule rows as the tables hold them (model instances; read them, never change them)."""

    #: Active deadline rules, ordered by code and newest version first.
    deadline: tuple[DeadlineRule, ...]
    #: Active triage rules, by code.
    triage: tuple[TriageRule, ...]
    #: Every chain threshold, ordered by code and newest version first.
    chain: tuple[ChainThreshold, ...]


@dataclass(frozen=True)
class _Entry:
    version: int
    fingerprint: tuple[Any, ...]
    rules: Rules


_version = 0
_entry: _Entry | None = None
_recheck = False


def _fingerprint() -> tuple[Any, ...]:
    """Row counts and latest edit times of the three tables: any insert, edit or delete changes it."""
    qn = connection.ops.quote_name
    parts = []
    for model in RULE_MODELS:
        table = qn(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table}), (SELECT MAX({qn('updated_at')}) FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return tuple(row) if row is not None else ()


def _load() -> Rules:
    return Rules(
        deadline=tuple(DeadlineRule.objects.filter(is_active=True).order_by("code", "-effective_from")),
        triage=tuple(TriageRule.objects.filter(is_active=True).order_by("code")),
        chain=tuple(ChainThreshold.objects.order_by("code", "-effective_from")),
    )


def get_rules() -> Rules:
    """The current rules; reads the tables only when the cache was dropped or is out of date."""
    global _entry, _recheck
    entry = _entry
    if entry is not None and entry.version == _version:
        if not _recheck:
            return entry.rules
        _recheck = False
        if _fingerprint() == entry.fingerprint:
            return entry.rules
    version = _version
    # The fingerprint is read before the rows: a change slipping in between leaves a cache newer
    # than its fingerprint, which only costs one extra rebuild later.
    fingerprint = _fingerprint()
    rules = _load()
    _entry = _Entry(version=version, fingerprint=fingerprint, rules=rules)
    _recheck = False
    return rules


def invalidate_rules(**kwargs: Any) -> None:
    """Drop the cached rules; the next ``get_rules()`` reads the tables again."""
    global _version, _entry
    _version += 1
    _entry = None


def _changed(**kwargs: Any) -> None:
    invalidate_rules()
    # A read in another thread could cache the rows as they were before this transaction commits;
    # dropping the cache again after the commit makes sure that stale build is not kept.
    transaction.on_commit(invalidate_rules)


def request_recheck(**kwargs: Any) -> None:
    """Make the next ``get_rules()`` check the tables for edits made by another process.

    Connected to the start of every request and every background task.
    """
    global _recheck
    _recheck = True


def connect() -> None:
    """Called from the app's ``ready()``; the dispatch uids keep a second call harmless."""
    from django.core.signals import request_started

    for model in RULE_MODELS:
        label = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"rulecache-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"rulecache-delete-{label}")
    request_started.connect(request_recheck, dispatch_uid="rulecache-request-recheck")
    try:
        from huey.contrib.djhuey import HUEY
    except ImportError:  # pragma: no cover - huey is a project dependency
        return

    @HUEY.pre_execute(name="cases-rules-recheck")
    def _recheck_before_task(task: object) -> None:
        request_recheck()
