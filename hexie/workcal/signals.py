"""Telling the rest of the platform that the working-day calendar changed.

Deadlines computed on an unknown year are provisional, and any deadline may move when a holiday
row is corrected, so the cases app listens to ``calendar_changed`` and recomputes. The model
receivers here keep the in-process calendar cache honest and announce admin edits; bulk writes
(the seed) bypass model signals, so the service sends ``calendar_changed`` itself.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

from hexie.workcal.models import CalendarYear, SpecialDay
from hexie.workcal.selectors import invalidate_calendar

calendar_changed = Signal()
"""Sent with ``years: set[int]`` (the years whose working days may have changed)."""

_OLD_YEAR_ATTR = "_workcal_year_before_save"


def _year_of(instance: CalendarYear | SpecialDay) -> int:
    if isinstance(instance, CalendarYear):
        return int(instance.year)
    return instance.date.year


def announce(years: set[int]) -> None:
    """Drop the cached calendar and tell listeners which years changed."""
    invalidate_calendar()
    # Another thread could rebuild the cache from the rows as they were before this transaction
    # commits; dropping it again after the commit makes sure that stale build is not kept.
    transaction.on_commit(invalidate_calendar)
    if years:
        calendar_changed.send(sender=CalendarYear, years=set(years))


def remember_old_year(sender: type[CalendarYear | SpecialDay], instance: CalendarYear | SpecialDay,
                      raw: bool = False, **kwargs: Any) -> None:
    """Note the year an existing row had, so that moving a row to another year announces both."""
    if raw or instance.pk is None:
        return
    field = "year" if isinstance(instance, CalendarYear) else "date"
    old = sender._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    if old is not None:
        setattr(instance, _OLD_YEAR_ATTR, old if isinstance(old, int) else old.year)


def on_saved(sender: type[CalendarYear | SpecialDay], instance: CalendarYear | SpecialDay,
             raw: bool = False, **kwargs: Any) -> None:
    """A row was saved (admin, shell or service): the years it touched may count differently now."""
    years = {_year_of(instance)}
    old = instance.__dict__.pop(_OLD_YEAR_ATTR, None)
    if old is not None:
        years.add(old)
    if raw:
        # Fixture loading: other tables may be half-loaded, so only the cache is dropped.
        announce(set())
        return
    announce(years)


def on_deleted(sender: type[CalendarYear | SpecialDay], instance: CalendarYear | SpecialDay,
               **kwargs: Any) -> None:
    """A row was deleted: its year may count differently now."""
    announce({_year_of(instance)})


def connect() -> None:
    """Called from the app's ``ready()``; the dispatch uids keep a second call harmless."""
    for model in (CalendarYear, SpecialDay):
        label = model._meta.label_lower
        pre_save.connect(remember_old_year, sender=model, dispatch_uid=f"workcal-pre-save-{label}")
        post_save.connect(on_saved, sender=model, dispatch_uid=f"workcal-post-save-{label}")
        post_delete.connect(on_deleted, sender=model, dispatch_uid=f"workcal-post-delete-{label}")
