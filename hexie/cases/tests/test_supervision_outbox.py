"""The sweep writes supervision records once; the outbox delivers with retries; numbers stay unique."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from hexie.cases import services
from hexie.cases.models import Case, Notification, Supervision
from hexie.cases.notify import LoggingSmsBackend, deliver_notifications
from hexie.cases.sweeps import run_supervision_sweep
from hexie.core import clock
from hexie.orgs.models import User

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=TZ)


@pytest.fixture
def handled(calendar, make_case, users):
    """An inspection case received Mon 2 Mar 2026; its acceptance is due Mon 9 Mar."""
    with clock.at(at(2026, 3, 2)):
        case = make_case(received_at=at(2026, 3, 2))
    return case


@pytest.mark.django_db
class TestSweep:
    def test_nothing_before_it_is_due_soon(self, handled):
        assert run_supervision_sweep(today=date(2026, 3, 3)) == {"due_soon": 0, "overdue": 0, "escalated": 0}

    def test_due_soon_two_working_days_ahead(self, handled):
        assert run_supervision_sweep(today=date(2026, 3, 5))["due_soon"] == 1  # Thu → due Mon
        assert handled.events.filter(kind="supervision_due_soon").exists()

    def test_overdue_the_day_after_and_only_once(self, handled):
        assert run_supervision_sweep(today=date(2026, 3, 9))["overdue"] == 0  # due today: not late yet
        assert run_supervision_sweep(today=date(2026, 3, 10))["overdue"] == 1
        assert run_supervision_sweep(today=date(2026, 3, 11))["overdue"] == 0
        assert Supervision.objects.filter(kind="overdue").count() == 1

    def test_escalation_after_three_more_working_days_goes_to_the_leader(self, handled, users):
        case = Case.objects.get(pk=handled.pk)
        Case.objects.filter(pk=case.pk).update(responsible_leader=users["leader"])
        assert run_supervision_sweep(today=date(2026, 3, 12))["escalated"] == 0
        assert run_supervision_sweep(today=date(2026, 3, 13))["escalated"] == 1
        sup = Supervision.objects.get(kind="escalated")
        assert sup.leader == users["leader"]
        assert Notification.objects.filter(subject__contains="提级督办").exists()

    def test_each_record_comes_with_its_timeline_entry_and_emails(self, handled, users):
        """Written set-based, the entries read exactly as a clerk and a leader expect them."""
        Case.objects.filter(pk=handled.pk).update(handler=users["handler"], responsible_leader=users["leader"])
        User.objects.filter(pk=users["handler"].pk).update(email="handler@yuelu.example")
        User.objects.filter(pk=users["leader"].pk).update(email="leader@yuelu.example")
        assert run_supervision_sweep(today=date(2026, 3, 13)) == {"due_soon": 0, "overdue": 1, "escalated": 1}
        sup = Supervision.objects.select_related("deadline__rule").get(kind="escalated")
        rule = sup.deadline.rule
        event = handled.events.get(kind="supervision_escalated")
        assert event.message == f"提级督办（包案领导）：{rule.step}，届满日 2026-03-09"
        assert event.data == {"deadline": sup.deadline_id, "due_on": "2026-03-09", "basis": rule.basis}
        assert sup.leader == users["leader"] and sup.created_at == event.at
        # Overdue goes to the handler and the leader; so does escalation: four emails, none twice.
        notes = Notification.objects.filter(case=handled, channel="email")
        escalated_subject = f"【{Supervision.Kind.ESCALATED.label}】案件{handled.number}"
        overdue_subject = f"【{Supervision.Kind.OVERDUE.label}】案件{handled.number}"
        assert sorted((n.recipient, n.subject) for n in notes) == sorted([
            ("handler@yuelu.example", escalated_subject), ("handler@yuelu.example", overdue_subject),
            ("leader@yuelu.example", escalated_subject), ("leader@yuelu.example", overdue_subject),
        ])
        escalated = notes.filter(subject=escalated_subject).first()
        assert escalated.body == (f"提级督办（包案领导）：案件{handled.number}“{rule.step}”"
                                  f"届满日为2026-03-09（{rule.basis}）。")
        assert escalated.state == Notification.State.PENDING and escalated.attempts == 0
        # Run again: nothing more.
        assert run_supervision_sweep(today=date(2026, 3, 13)) == {"due_soon": 0, "overdue": 0, "escalated": 0}
        assert Notification.objects.filter(case=handled, channel="email").count() == 4

    def test_due_soon_goes_to_the_handler_only(self, handled, users):
        Case.objects.filter(pk=handled.pk).update(handler=users["handler"], responsible_leader=users["leader"])
        User.objects.filter(pk__in=[users["handler"].pk, users["leader"].pk]).update(email="x@yuelu.example")
        run_supervision_sweep(today=date(2026, 3, 5))
        assert Notification.objects.filter(case=handled, channel="email").count() == 1

    def test_a_met_deadline_is_never_supervised(self, handled, users):
        with clock.at(at(2026, 3, 4)):
            services.transition(case_id=handled.pk, actor=users["desk"], name="accept")
        run_supervision_sweep(today=date(2026, 3, 20))
        assert not Supervision.objects.filter(deadline__rule__code="inspection.accept").exists()
        # Accepting started the 3-day quick-close clock of a simple wage clue, which is now late.
        assert Supervision.objects.filter(deadline__rule__code="wage_clue.quick_close", kind="overdue").exists()

    def test_leader_sees_the_supervision_list_and_can_acknowledge(self, handled, users, client):
        run_supervision_sweep(today=date(2026, 3, 10))
        client.force_login(users["leader"])
        page = client.get("/cases/supervision/")
        assert page.status_code == 200 and handled.number in page.content.decode()
        sup = Supervision.objects.get()
        client.post(f"/cases/supervision/{sup.pk}/ack/", {"note": "请加快办理"})
        sup.refresh_from_db()
        assert sup.acknowledged_at is not None
        client.force_login(users["outsider"])
        assert handled.number not in client.get("/cases/supervision/").content.decode()


class FailingSms:
    def send(self, *, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


@pytest.mark.django_db
class TestOutbox:
    def test_worker_sms_and_staff_email_are_delivered(self, make_case, users):
        LoggingSmsBackend.sent.clear()
        make_case("assigned")
        result = deliver_notifications()
        assert result["failed"] == 0 and result["sent"] >= 3
        assert any("已受理" in text for _, text in LoggingSmsBackend.sent)
        assert any("交办" in m.subject for m in mail.outbox)
        assert not Notification.objects.filter(state="pending").exists()

    def test_failures_are_retried_then_marked_failed(self, make_case, settings):
        settings.SMS_BACKEND = "hexie.cases.tests.test_supervision_outbox.FailingSms"
        settings.NOTIFICATION_MAX_ATTEMPTS = 2
        make_case()
        n = Notification.objects.get()
        assert deliver_notifications()["failed"] == 1
        n.refresh_from_db()
        assert n.state == "pending" and n.attempts == 1 and "gateway down" in n.last_error
        Notification.objects.update(next_attempt_at=n.created_at)  # the back-off has passed
        deliver_notifications()
        n.refresh_from_db()
        assert n.state == "failed" and n.attempts == 2

    def test_recipient_is_encrypted_in_the_outbox(self, make_case):
        make_case()
        with connection.cursor() as cur:
            cur.execute("SELECT recipient FROM cases_notification")
            assert "13800138000" not in cur.fetchone()[0]


@pytest.mark.django_db
def test_case_numbers_are_sequential_per_year(make_case):
    a = make_case(complainant_phone="13900000061", complainant_id_number="")
    b = make_case(complainant_phone="13900000062", complainant_id_number="")
    year = a.received_at.astimezone(TZ).year
    assert a.number == f"430100-{year}-000001" and b.number == f"430100-{year}-000002"


@pytest.mark.django_db(transaction=True)
def test_case_numbers_stay_unique_when_many_clerks_register_at_once(intake, users):
    errors: list[Exception] = []

    def clerk(i: int) -> None:
        try:
            for j in range(4):
                services.register_case(data=intake(complainant_phone=f"1370000{i:02d}{j:02d}",
                                                   complainant_id_number=""), actor=users["desk"])
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == 24 and len(set(numbers)) == 24


@pytest.mark.django_db
def test_the_sms_log_never_shows_the_tracking_code_or_the_phone(make_case, caplog):
    LoggingSmsBackend.sent.clear()
    case = make_case("assigned")
    with caplog.at_level("INFO", logger="hexie.notify"):
        deliver_notifications()
    logged = [r.getMessage() for r in caplog.records if r.name == "hexie.notify"]
    assert logged and all("查询码********" in line for line in logged)
    assert not any(case.tracking_code in line or case.complainant_phone in line for line in logged)
    # The worker still receives the code itself.
    assert any(case.tracking_code in text for _, text in LoggingSmsBackend.sent)
