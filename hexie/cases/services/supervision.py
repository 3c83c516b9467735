"""Supervision (督办) of late clocks: the records the sweep writes, and a leader signing for them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from hexie.cases.models import Case, Deadline, DeadlineRule, Notification, Supervision, TimelineEvent
from hexie.cases.services.timeline import add_event
from hexie.core import clock
from hexie.core.errors import TransitionNotAllowed
from hexie.core.permissions import require_role
from hexie.orgs.models import User
from hexie.orgs.scoping import LEADERS, restrict


@transaction.atomic
def acknowledge_supervision(*, supervision_id: int, actor: User, note: str = "") -> Supervision:
    """A leader signs for a supervision record, optionally with instructions; the case's other
    records not yet signed for are signed with it (the supervision list shows a case once, at the
    level it reached, and one signature answers for all of it)."""
    sup = Supervision.objects.select_related("case").filter(
        pk=supervision_id, case__in=restrict(Case.objects.all(), actor)).first()
    if sup is None:
        raise Http404(gettext("未找到"))
    require_role(actor, LEADERS, gettext("只有领导可以签收督办"))
    if sup.acknowledged_at:
        raise TransitionNotAllowed(gettext("已签收"))
    sup.acknowledged_at, sup.note = clock.now(), note
    sup.save(update_fields=["acknowledged_at", "note"])
    others = Supervision.objects.filter(case_id=sup.case_id, acknowledged_at__isnull=True).exclude(pk=sup.pk)
    also = sorted(others.values_list("kind", flat=True))
    others.update(acknowledged_at=sup.acknowledged_at, note=note)
    add_event(case=sup.case, kind="supervision_acknowledged", actor=actor, message=note,
              data={"kind": sup.kind, **({"also": also} if also else {})})
    return sup


# What each kind of record is called in its timeline entry and its emails.
_HEADLINES = {
    Supervision.Kind.DUE_SOON: gettext_noop("临期提醒"),
    Supervision.Kind.OVERDUE: gettext_noop("超期督办"),
    Supervision.Kind.ESCALATED: gettext_noop("提级督办（包案领导）"),
}


# The sweep's entries and mails are in the bureau's language, whoever or whatever runs it.
@translation.override(settings.LANGUAGE_CODE)
def supervise_clocks(*, now: datetime, windows: dict[str, tuple[date | None, date | None]]) -> dict[str, int]:
    """Supervision records for every running clock due in its kind's window ``[due_after,
    due_before)`` that lacks one of that kind, each with its timeline entry and emails to the
    handler and, unless the clock is only due soon, the responsible leader (包案领导). Returns how
    many records of each kind were written.

    Set-based for the sweep over a million cases, whatever the number of clocks: the clocks to
    supervise are picked once into a temporary table of this run (one ``INSERT … SELECT`` per
    kind), and the records, timeline entries and emails are written from it without joining the
    clocks and cases again; one read of the few distinct recipients; no row passes through Python.
    A record that exists is left as it is.

    The rows are written in the order of their case: each new row's foreign keys are checked at
    commit, one index look-up per key, and in that order the look-ups into the case and clock
    indexes read neighbouring pages instead of a random page each (at 10 M cases those indexes
    outgrow memory; bench/README.md, "Growth").
    """
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    t = {m.__name__: ops.quote_name(m._meta.db_table)
         for m in (Case, Deadline, DeadlineRule, Supervision, TimelineEvent, Notification)}
    run = ops.quote_name(_RUN_TABLE)
    due_text = "CAST(due_on AS TEXT)"
    as_json = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {run}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {run} (kind VARCHAR(16) NOT NULL, case_id BIGINT NOT NULL, "
            "deadline_id BIGINT NOT NULL, due_on DATE NOT NULL, step TEXT NOT NULL, basis TEXT NOT NULL, "
            "number TEXT NOT NULL, handler_id BIGINT NULL, leader_id BIGINT NULL)")
        for kind, (due_after, due_before) in windows.items():
            bounds, params = "", []
            if due_after is not None:
                bounds += " AND d.due_on >= %s"
                params.append(ops.adapt_datefield_value(due_after))
            if due_before is not None:
                bounds += " AND d.due_on < %s"
                params.append(ops.adapt_datefield_value(due_before))
            cur.execute(
                f"INSERT INTO {run} SELECT %s, d.case_id, d.id, d.due_on, r.step, r.basis, c.number, "  # noqa: S608 (table names from the models; values are parameters)
                f"c.handler_id, c.responsible_leader_id FROM {t['Deadline']} d "
                # A party's window (to sue, to apply to the court) is nobody's to supervise.
                f"JOIN {t['DeadlineRule']} r ON r.id = d.rule_id JOIN {t['Case']} c ON c.id = d.case_id "
                f"WHERE d.state = %s AND NOT r.binds_party{bounds} AND NOT EXISTS "
                f"(SELECT 1 FROM {t['Supervision']} x WHERE x.deadline_id = d.id AND x.kind = %s)",
                [kind, Deadline.State.RUNNING.value, *params, kind])
        # (SQLite reads ON CONFLICT after a bare FROM as a join's ON: hence the WHERE.)
        cur.execute(
            f"INSERT INTO {t['Supervision']} (case_id, deadline_id, kind, created_at, leader_id, note) "  # noqa: S608
            f"SELECT case_id, deadline_id, kind, %s, leader_id, '' FROM {run} WHERE 1 = 1 ORDER BY case_id, deadline_id "
            "ON CONFLICT DO NOTHING", [at])
        written = cur.rowcount
        cur.execute(f"SELECT count(*) FROM {run}")  # noqa: S608
        if written != cur.fetchone()[0]:
            # Another sweep wrote some of them meanwhile: its entries and emails go with its records.
            cur.execute(
                f"DELETE FROM {run} WHERE NOT EXISTS (SELECT 1 FROM {t['Supervision']} s "  # noqa: S608
                f"WHERE s.deadline_id = {run}.deadline_id AND s.kind = {run}.kind AND s.created_at = %s)", [at])
        cur.execute(f"SELECT kind, count(*) FROM {run} GROUP BY kind")  # noqa: S608
        counts = {str(kind): 0 for kind in windows} | {kind: n for kind, n in cur.fetchall()}
        if any(counts.values()):
            _write_entries_and_mail(cur, run=run, t=t, at=at, due_text=due_text, as_json=as_json,
                                    kinds=[k for k, n in counts.items() if n])
        cur.execute(f"DROP TABLE {run}")
    return counts


# This run's records, picked once; a temporary table lives in this connection only.
_RUN_TABLE = "hexie_supervision_run"


def _write_entries_and_mail(cur: Any, *, run: str, t: dict[str, str], at: Any, due_text: str, as_json: str,
                            kinds: list[str]) -> None:
    """The timeline entry of every record in ``run``, and its emails (kept encrypted in the outbox)."""
    headlines = {k: gettext(_HEADLINES[Supervision.Kind(k)]) for k in kinds}
    labels = {k: str(Supervision.Kind(k).label) for k in kinds}

    def per_kind(values: dict[str, str]) -> tuple[str, list[str]]:
        """A CASE on the kind: the kind's text, as parameters."""
        return "CASE kind " + " ".join("WHEN %s THEN %s" for _ in values) + " END", \
            [v for k, text in values.items() for v in (k, text)]

    head_sql, head_params = per_kind(headlines)
    cur.execute(
        f"INSERT INTO {t['TimelineEvent']} (case_id, at, kind, from_status, to_status, message, "  # noqa: S608
        "public_message, is_public, data) "
        f"SELECT case_id, %s, %s || kind, '', '', {head_sql} || %s || step || %s || {due_text}, '', %s, "
        f"{as_json}('deadline', deadline_id, 'due_on', {due_text}, 'basis', basis) FROM {run} "
        "ORDER BY case_id, deadline_id",
        [at, "supervision_", *head_params, "：", "，届满日 ", False])
    # Every record mails the handler; all but a due-soon one also the responsible leader.
    who = {"handler_id": kinds,
           "leader_id": [k for k in kinds if k != Supervision.Kind.DUE_SOON]}
    ids: set[int] = set()
    for column, of_kinds in who.items():
        if of_kinds:
            cur.execute(f"SELECT DISTINCT {column} FROM {run} WHERE {column} IS NOT NULL "  # noqa: S608
                        f"AND kind IN ({', '.join(['%s'] * len(of_kinds))})", of_kinds)
            ids.update(row[0] for row in cur.fetchall())
    emails = dict(User.objects.filter(pk__in=ids).exclude(email="").values_list("pk", "email"))
    recipient = Notification._meta.get_field("recipient")
    label_sql, label_params = per_kind(labels)
    for column, of_kinds in who.items():
        if not of_kinds:
            continue
        for chunk in _chunks(sorted(emails), 400):
            rows = ", ".join(["(%s, %s)"] * len(chunk))
            values = [v for pk in chunk for v in (pk, recipient.get_db_prep_value(emails[pk], connection))]
            cur.execute(
                f"WITH u(id, rcpt) AS (VALUES {rows}) INSERT INTO {t['Notification']} "  # noqa: S608
                "(case_id, channel, recipient, subject, body, state, attempts, next_attempt_at, "
                "last_error, created_at) "
                f"SELECT case_id, %s, u.rcpt, %s || {label_sql} || %s || number, "
                f"{head_sql} || %s || number || %s || step || %s || {due_text} || %s || basis || %s, "
                f"%s, 0, %s, '', %s FROM {run} JOIN u ON u.id = {run}.{column} "
                f"WHERE kind IN ({', '.join(['%s'] * len(of_kinds))}) ORDER BY case_id",
                [*values, Notification.Channel.EMAIL.value, "【", *label_params, "】案件", *head_params,
                 "：案件", "“", "”届满日为", "（", "）。", Notification.State.PENDING.value, at, at, *of_kinds])


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
