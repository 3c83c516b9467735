"""The case file's rows a step writes beside its case row, sent with it in one statement.

A step of the workflow writes the case row (the conditional UPDATE) and, with it, a timeline entry,
usually an outbox message, and often clocks. Within ``held_rows()`` the timeline, the outbox
(``add_event``, ``queue_notification``) and the clocks started (``start_deadlines``) keep their
INSERTs back instead of sending them one statement at a time; ``update_with_rows`` then writes them
together with the case row: on PostgreSQL as one statement (the INSERTs in a data-modifying ``WITH``,
the case's UPDATE below it), elsewhere as the case's UPDATE followed by the INSERTs. Clocks finished
or paused are not held: the case row's statement reads them (its next due and late-after dates). Either way in the caller's transaction, so a step that loses its race
(the UPDATE matches nothing, the caller raises and the transaction rolls back) leaves no row.

The rows are built as model instances and their INSERT is compiled by Django, so every column
is prepared the way ``save()`` prepares it (encrypted recipients, JSON, ``auto_now_add``). What
``save()`` would add is model signals: a model with a ``pre_save`` or ``post_save`` receiver is
never held back, it is saved at once as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery, UpdateQuery


@dataclass
class _Block:
    items: list[Model] = field(default_factory=list)


_held: ContextVar[_Block | None] = ContextVar("hexie_cases_held_rows", default=None)


@contextmanager
def held_rows() -> Iterator[list[Model]]:
    """Within the block, new timeline entries, outbox messages and clocks are kept (unsaved, in
    order) in the list it yields, for ``update_with_rows``. A block within another holds its own."""
    block = _Block()
    token = _held.set(block)
    try:
        yield block.items
    finally:
        _held.reset(token)


def hold(obj: Model) -> bool:
    """Keep an unsaved row back for the statement that writes the case row; False when no block is
    open (or the model has save receivers), and the caller saves it itself."""
    block = _held.get()
    if block is None:
        return False
    model = type(obj)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        return False
    block.items.append(obj)
    return True


def write_held(model: type[Model]) -> None:
    """Write what is held of ``model`` so far now, in order, for what reads it before the end of the
    block (a step's effect that reads the clocks an earlier effect started)."""
    block = _held.get()
    if block is None:
        return
    mine = [item for item in block.items if type(item) is model]
    if mine:
        block.items[:] = [item for item in block.items if type(item) is not model]
        write_now(mine, model._default_manager.db)


def write_now(items: list[Model], using: str = "default") -> None:
    """Write held rows as separate statements, in order: one INSERT for each run of rows of one model."""
    run: list[Model] = []
    for item in items:
        if run and type(run[0]) is not type(item):
            type(run[0])._default_manager.using(using).bulk_create(run)
            run = []
        run.append(item)
    if run:
        type(run[0])._default_manager.using(using).bulk_create(run)


def _grouped(items: list[Model]) -> list[list[Model]]:
    """The held rows by model, in the order each model first appears, each model's rows in their
    order (one multi-row INSERT keeps the order of their ids)."""
    groups: dict[type[Model], list[Model]] = {}
    for item in items:
        groups.setdefault(type(item), []).append(item)
    return list(groups.values())


def _insert_sql(model: type[Model], objs: list[Model], using: str) -> tuple[str, tuple[Any, ...]]:
    """One INSERT of the rows, compiled as ``bulk_create`` compiles it (no RETURNING)."""
    meta = model._meta
    # The primary key when the rows have theirs already (a case whose id was reserved).
    with_pk = objs[0].pk is not None
    fields = [f for f in meta.concrete_fields if not f.generated and (with_pk or f is not meta.auto_field)]
    for obj in objs:
        # A row built before its case was saved takes the case's id now (as bulk_create does).
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
    query = InsertQuery(model)
    query.insert_values(fields, objs, raw=False)
    [(sql, params)] = query.get_compiler(using=using).as_sql()
    return sql, tuple(params)


def _update_sql(queryset: QuerySet[Any], values: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """``queryset.update(**values)``'s statement, compiled as ``update`` compiles it."""
    query: UpdateQuery = queryset.query.chain(UpdateQuery)  # type: ignore[assignment]
    query.add_update_values(values)
    query.annotations = {}
    sql, params = query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


def insert_ctes(items: list[Model], using: str = "default") -> tuple[list[str], list[Any]]:
    """The held rows as the parts of a PostgreSQL ``WITH`` (``r0 AS (INSERT …)``, one per model), and
    their parameters, for a statement that writes something below them."""
    parts: list[str] = []
    params: list[Any] = []
    for n, part in enumerate(_grouped(items)):
        sql, part_params = _insert_sql(type(part[0]), part, using)
        parts.append(f"r{n} AS ({sql})")
        params.extend(part_params)
    return parts, params


def update_with_rows(qs: QuerySet[Any], values: dict[str, Any], rows: list[Model]) -> int:
    """``qs.update(**values)`` and write the held ``rows``; returns the number of rows the UPDATE
    matched.

    On PostgreSQL one statement (``WITH r0 AS (INSERT …), r1 AS (INSERT …) UPDATE …``); elsewhere
    the UPDATE, then, when it matched, the held INSERTs. The rows' primary keys are
    not read back.
    """
    if not rows:
        return qs.update(**values)
    using = qs.db
    connection = connections[using]
    if connection.vendor != "postgresql":
        matched = qs.update(**values)
        if matched:
            write_now(rows, using)
        return matched
    parts, params = insert_ctes(rows, using)
    update_sql, update_params = _update_sql(qs, values)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} {update_sql}", (*params, *update_params))
        return int(cursor.rowcount)
