from decimal import Decimal

import pytest

from hexie.cases.models import Case, Deadline, Status


@pytest.mark.django_db
def test_case_walks_from_intake_to_close_with_timeline(make_case):
    case = make_case("closed")
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.CLOSED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["registered", "accept", "assign", "start_handling", "resolve", "start_follow_up", "close"]
    assert case.satisfaction == 5
    assert case.amount_recovered == Decimal("8000")
    assert not case.deadlines.filter(state=Deadline.State.RUNNING).exists()
    assert case.next_due_on is None
