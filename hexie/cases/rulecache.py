"""The deadline rules, triage rules and chain thresholds, read once per process and kept in memory.

Every registration and most steps of a case read these small tables; reading them again each time
was a fifth of a lifecycle's statements. They are cached like the working-day calendar, with the
same ``hexie.workcal.tablecache.TableCache``: dropped in this process whenever a rule row is saved
or deleted (model signals, connected in ``connect``), and checked at the start of each request or
task against a one-row fingerprint of the three tables (row counts, latest ``updated_at``), so
that an edit made in another process (the admin in another web worker) is seen there too. A bulk
``QuerySet.update()`` changes no ``updated_at`` and sends no signal: edit rules through the admin
or ``save()``, or call ``invalidate_rules()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from hexie.cases.models import ChainThreshold, DeadlineRule, TriageRule
from hexie.workcal.tablecache import TableCache

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


def _load() -> Rules:
    return Rules(
        deadline=tuple(DeadlineRule.objects.filter(is_active=True).order_by("code", "-effective_from")),
        triage=tuple(TriageRule.objects.filter(is_active=True).order_by("code")),
        chain=tuple(ChainThreshold.objects.order_by("code", "-effective_from")),
    )


_cache = TableCache(RULE_MODELS, _load)


def get_rules() -> Rules:
    """The current rules; reads the tables only when the cache was dropped or is out of date."""
    return _cache.get()


def invalidate_rules(**kwargs: Any) -> None:
    """Drop the cached rules; the next ``get_rules()`` reads the tables again."""
    _cache.invalidate()


def _changed(**kwargs: Any) -> None:
    invalidate_rules()
    # A read in another thread could cache the rows as they were before this transaction commits;
    # dropping the cache again after the commit makes sure that stale build is not kept.
    transaction.on_commit(invalidate_rules)


def request_recheck(**kwargs: Any) -> None:
    """Make the next ``get_rules()`` check the tables for edits made by another process.

    Connected to the start of every request and every background task.
    """
    _cache.request_recheck()


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
