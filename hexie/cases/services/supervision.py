"""Supervision (督办) of late clocks: the records the sweep writes, and a leader signing for them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

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
def supervise_clocks(*, kind: str, now: datetime, due_after: date | None = None,
                     due_before: date | None = None) -> int:
    """Supervision records of one kind for every running clock due in ``[due_after, due_before)``
    that lacks one, each with its timeline entry and emails to the handler and, unless the clock is
    only due soon, the responsible leader (包案领导). Returns how many records were written.

    Set-based for the sweep over a million cases: three ``INSERT … SELECT`` statements and one read
    of the few distinct recipients, whatever the number of clocks; no row passes through Python. The
    records of this run are told apart by their ``created_at`` (``now``), so the timeline entries and
    emails go exactly with the records this run wrote; a record that exists is left as it is.
    """
    headline = gettext(_HEADLINES[Supervision.Kind(kind)])
    label = str(Supervision.Kind(kind).label)
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    t = {m.__name__: connection.ops.quote_name(m._meta.db_table)
         for m in (Case, Deadline, DeadlineRule, Supervision, TimelineEvent, Notification)}
    bounds, params = "", []
    if due_after is not None:
        bounds += " AND d.due_on >= %s"
        params.append(ops.adapt_datefield_value(due_after))
    if due_before is not None:
        bounds += " AND d.due_on < %s"
        params.append(ops.adapt_datefield_value(due_before))
    due_text = "CAST(d.due_on AS TEXT)"
    as_json = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    mine = f"FROM {t['Supervision']} s JOIN {t['Deadline']} d ON d.id = s.deadline_id " \
           f"JOIN {t['DeadlineRule']} r ON r.id = d.rule_id JOIN {t['Case']} c ON c.id = s.case_id " \
           "WHERE s.kind = %s AND s.created_at = %s"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {t['Supervision']} (case_id, deadline_id, kind, created_at, leader_id, note) "  # noqa: S608 (table names from the models; values are parameters)
            f"SELECT d.case_id, d.id, %s, %s, c.responsible_leader_id, '' FROM {t['Deadline']} d "
            # A party's window (to sue, to apply to the court) is nobody's to supervise.
            f"JOIN {t['DeadlineRule']} r ON r.id = d.rule_id "
            f"JOIN {t['Case']} c ON c.id = d.case_id WHERE d.state = %s AND NOT r.binds_party{bounds} AND NOT EXISTS "
            f"(SELECT 1 FROM {t['Supervision']} x WHERE x.deadline_id = d.id AND x.kind = %s) "
            "ON CONFLICT DO NOTHING",
            [kind, at, Deadline.State.RUNNING.value, *params, kind])
        written = cur.rowcount
        if not written:
            return 0
        cur.execute(
            f"INSERT INTO {t['TimelineEvent']} (case_id, at, kind, from_status, to_status, message, "
            "public_message, is_public, data) "
            f"SELECT s.case_id, %s, %s, '', '', %s || r.step || %s || {due_text}, '', %s, "
            f"{as_json}('deadline', d.id, 'due_on', {due_text}, 'basis', r.basis) {mine}",
            [at, f"supervision_{kind}", f"{headline}：", "，届满日 ", False, kind, at])
        # The outbox keeps recipients encrypted: encrypt each distinct address once, in Python.
        who = ["c.handler_id"] + (["c.responsible_leader_id"] if kind != Supervision.Kind.DUE_SOON else [])
        ids: set[int] = set()
        for column in who:
            cur.execute(f"SELECT DISTINCT {column} {mine} AND {column} IS NOT NULL", [kind, at])
            ids.update(row[0] for row in cur.fetchall())
        emails = dict(User.objects.filter(pk__in=ids).exclude(email="").values_list("pk", "email"))
        recipient = Notification._meta.get_field("recipient")
        for column in who:
            for chunk in _chunks(sorted(emails), 400):
                rows = ", ".join(["(%s, %s)"] * len(chunk))
                values = [v for pk in chunk
                          for v in (pk, recipient.get_db_prep_value(emails[pk], connection))]
                cur.execute(
                    f"WITH u(id, rcpt) AS (VALUES {rows}) INSERT INTO {t['Notification']} "
                    "(case_id, channel, recipient, subject, body, state, attempts, next_attempt_at, "
                    "last_error, created_at) "
                    f"SELECT s.case_id, %s, u.rcpt, %s || c.number, %s || c.number || %s || r.step || %s "
                    f"|| {due_text} || %s || r.basis || %s, %s, 0, %s, '', %s {mine.replace('WHERE', f'JOIN u ON u.id = {column} WHERE', 1)}",
                    [*values, Notification.Channel.EMAIL.value, f"【{label}】案件", f"{headline}：案件", "“",
                     "”届满日为", "（", "）。", Notification.State.PENDING.value, at, at, kind, at])
    return written


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
