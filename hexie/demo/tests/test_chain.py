"""The demo's chain, orders and network, walked through the real services."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hexie.bridge.models import OutboundMessage, WorkOrder
from hexie.cases.models import Case, ReceptionVisit, TimelineEvent
from hexie.demo.chain import load_chain
from hexie.demo.city import create_city
from hexie.orgs.models import OrgLevel, OrgUnit

pytestmark = pytest.mark.django_db


def test_the_demo_walks_the_chain_and_fills_every_order_state(calendar):
    city = create_city()
    made = load_chain(city=city, now=datetime(2026, 11, 20, 17, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert made == {"chain_cases": 7, "orders": 9, "reception_visits": 3}
    # Mediation → arbitration → court confirmation, in one file.
    confirmed = TimelineEvent.objects.get(kind="court_result", data__result="裁定调解协议有效").case
    kinds = list(confirmed.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds.index("to_arbitration") < kinds.index("apply_confirmation") < kinds.index("court_result")
    assert Case.objects.filter(track="court").count() == 3
    # A payment order ended by the employer's objection went on to arbitration in the same file.
    back = TimelineEvent.objects.get(kind="after_court").case
    assert back.track == "arbitration" and back.events.filter(kind="accept_application").exists()
    # Wage clues arrive on their own channel; the closed one's result went back to the platform.
    clues = Case.objects.filter(channel="wage_clue")
    assert clues.count() == 3 and clues.filter(status="closed").count() == 1
    assert OutboundMessage.objects.filter(kind="result", order__source="wage_clue").count() == 1
    assert set(WorkOrder.objects.values_list("state", flat=True)) == {
        "received", "signed", "handed_back", "replied", "rated"}
    assert WorkOrder.objects.filter(extension_days__gt=0).exists()
    assert OrgUnit.objects.filter(level=OrgLevel.STATION).count() == 1
    taken = ReceptionVisit.objects.filter(case__isnull=False)
    assert taken.count() == 2 and {v.case.responsible_leader.username for v in taken} == {"leader_yuelu"}
