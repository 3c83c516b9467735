"""A value built from a few small tables, read once per process and kept in memory.

The working-day calendar (``hexie.workcal.selectors``) and the case rules (``hexie.cases.rulecache``)
are read on almost every write and change a few times a year. Each is built once per process and
kept. The owner drops it in-process whenever one of its rows is saved or deleted (model signals).
Other processes (other web workers, the task worker) cannot see those signals, so at the start of
each request or task the first ``get()`` compares a one-row fingerprint of the tables (row count
and latest ``updated_at`` of each) with the one the value was built from, and rebuilds on a
difference. A bulk ``QuerySet.update()`` moves no ``updated_at``: it is seen after a restart or
an ``invalidate()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Model

T = TypeVar("T")


@dataclass(frozen=True)
class _Entry(Generic[T]):
    version: int
    fingerprint: tuple[Any, ...]
    value: T


class TableCache(Generic[T]):
    """``load()`` kept per process, rebuilt when dropped or when the tables of ``models`` changed."""

    def __init__(self, models: tuple[type[Model], ...], load: Callable[[], T]) -> None:
        self.models = models
        self.load = load
        self.version = 0
        self._entry: _Entry[T] | None = None
        self._recheck = False

    def fingerprint(self) -> tuple[Any, ...]:
        """Row counts and latest edit times of the tables: any insert, edit or delete changes it."""
        qn = connection.ops.quote_name
        parts = []
        for model in self.models:
            table = qn(model._meta.db_table)
            parts.append(f"(SELECT COUNT(*) FROM {table}), (SELECT MAX(updated_at) FROM {table})")  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts))
            row = cursor.fetchone()
        return tuple(row) if row is not None else ()

    def get(self) -> T:
        """The current value; reads the tables only when it was dropped or is out of date."""
        entry = self._entry
        if entry is not None and entry.version == self.version:
            if not self._recheck:
                return entry.value
            self._recheck = False
            if self.fingerprint() == entry.fingerprint:
                return entry.value
        version = self.version
        # The fingerprint is read before the rows: a change slipping in between leaves a value
        # newer than its fingerprint, which only costs one extra rebuild later.
        fingerprint = self.fingerprint()
        value = self.load()
        self._entry = _Entry(version=version, fingerprint=fingerprint, value=value)
        self._recheck = False
        return value

    def invalidate(self, **kwargs: Any) -> None:
        """Drop the value; the next ``get()`` reads the tables again."""
        self.version += 1
        self._entry = None

    def request_recheck(self, **kwargs: Any) -> None:
        """Make the next ``get()`` check the tables for edits made by another process (connected
        to the start of every request and every background task)."""
        self._recheck = True
