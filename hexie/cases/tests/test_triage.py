"""Each triage rule fires on its positive case and stays silent on its negative one."""

from decimal import Decimal

import pytest

from hexie.cases.models import Case, TriageRule


def reasons(case):
    return {r["rule"] for r in case.triage_reasons}


@pytest.mark.django_db
class TestTriageOnIntake:
    def test_plain_complaint_is_simple_green_and_says_why(self, make_case):
        case = make_case()
        assert (case.complexity, case.risk_level, case.attention_level) == ("simple", "green", "normal")
        assert not case.is_collective
        assert reasons(case) == {"none"}

    def test_ten_workers_is_collective(self, make_case):
        case = make_case(workers_count=10)
        assert case.is_collective and "collective" in reasons(case)
        assert case.risk_level == "orange" and case.complexity == "complex"
        why = next(r for r in case.triage_reasons if r["rule"] == "collective")
        assert "10" in why["why"] and "第七条" in why["basis"]

    def test_nine_workers_is_not_collective(self, make_case):
        case = make_case(workers_count=9)
        assert not case.is_collective and "collective" not in reasons(case)

    def test_thirty_workers_is_red_special(self, make_case):
        case = make_case(workers_count=30)
        assert case.risk_level == "red" and case.attention_level == "special"

    def test_large_amount(self, make_case):
        assert "amount_large" in reasons(make_case(amount_claimed=Decimal("100000")))
        assert "amount_large" not in reasons(make_case(amount_claimed=Decimal("99999.99"),
                                                      complainant_phone="13900000001",
                                                      employer_name="另一家公司", employer_credit_code=""))

    def test_extreme_words_make_it_red(self, make_case):
        case = make_case(description="再不发工资就去拉横幅堵路")
        assert case.risk_level == "red" and case.attention_level == "special"
        why = next(r for r in case.triage_reasons if r["rule"] == "extreme_words")
        assert "拉横幅" in why["why"] and "堵路" in why["why"]

    def test_ordinary_words_do_not(self, make_case):
        assert "extreme_words" not in reasons(make_case(description="工资拖欠两个月，希望尽快处理"))

    def test_same_complainant_again_is_repeat(self, make_case):
        first = make_case()
        second = make_case()
        assert not first.is_repeat
        assert second.is_repeat and "repeat" in reasons(second)

    def test_different_complainant_and_employer_is_not_repeat(self, make_case):
        make_case()
        other = make_case(complainant_phone="13900000002", complainant_id_number="", employer_name="乙公司",
                          employer_credit_code="")
        assert not other.is_repeat

    def test_backlog_when_the_same_person_comes_back_about_a_closed_case(self, make_case):
        make_case("closed")
        again = make_case()
        assert again.is_backlog and again.complexity == "complex"

    def test_not_backlog_for_a_first_time_complainant(self, make_case):
        make_case("closed", complainant_phone="13900000003", complainant_id_number="")
        other = make_case(complainant_phone="13900000004", complainant_id_number="")
        assert not other.is_backlog

    def test_three_complainants_about_one_employer_within_a_week_form_a_cluster(self, make_case):
        cases = [make_case(complainant_phone=f"1390000001{i}", complainant_id_number="") for i in range(3)]
        last = Case.objects.get(pk=cases[-1].pk)
        assert last.cluster is not None
        assert Case.objects.filter(cluster=last.cluster).count() == 3
        assert last.cluster.risk_level in ("orange", "red")  # raised above its members
        assert "cluster" in reasons(last)

    def test_two_complainants_do_not(self, make_case):
        cases = [make_case(complainant_phone=f"1390000002{i}", complainant_id_number="") for i in range(2)]
        assert Case.objects.get(pk=cases[-1].pk).cluster is None

    def test_rules_are_data_a_bureau_can_change(self, make_case):
        rule = TriageRule.objects.get(code="collective")  # as the admin saves it
        rule.threshold = 5
        rule.save()
        assert make_case(workers_count=5).is_collective

    def test_a_disabled_rule_does_not_fire(self, make_case):
        rule = TriageRule.objects.get(code="extreme_words")
        rule.is_active = False
        rule.save()
        assert make_case(description="要去跳楼").risk_level == "green"


@pytest.mark.django_db
class TestRepeatIsTheSameComplainantAgain:
    """Repeat = the same person (ID number or phone) about the same employer or project within the
    window; an employer drawing complaints from many people is a cluster, not a repeat."""

    def test_a_first_time_complainant_about_a_busy_employer_is_not_repeat(self, make_case):
        make_case(complainant_phone="13900000201", complainant_id_number="")
        other = make_case(complainant_phone="13900000202", complainant_id_number="")
        assert not other.is_repeat and "repeat" not in reasons(other)
        assert other.attention_level == "normal"

    def test_the_same_phone_about_the_same_employer_is_repeat_and_says_so(self, make_case):
        make_case(complainant_id_number="")
        again = make_case(complainant_id_number="")
        assert again.is_repeat
        why = next(r for r in again.triage_reasons if r["rule"] == "repeat")["why"]
        assert "同一投诉人" in why and "1" in why

    def test_the_same_id_number_with_a_new_phone_is_repeat(self, make_case):
        make_case(complainant_phone="13900000203")
        assert make_case(complainant_phone="13900000204").is_repeat

    def test_the_same_person_about_another_employer_is_not_repeat(self, make_case):
        make_case()
        other = make_case(employer_name="另一家公司", employer_credit_code="")
        assert not other.is_repeat

    def test_the_same_person_about_the_same_project_is_repeat_whoever_they_name(self, make_case, city):
        from hexie.employers.tests.factories import ProjectFactory

        site = ProjectFactory(org_unit=city["yuelu_street"])
        make_case(project_id=site.pk, employer_name="某班组", employer_credit_code="")
        again = make_case(project_id=site.pk, employer_name="另一个说法", employer_credit_code="")
        assert again.is_repeat

    def test_the_window_is_180_days_for_a_finished_case(self, make_case):
        from datetime import timedelta

        from django.utils import timezone

        now = timezone.now()
        make_case("closed", received_at=now - timedelta(days=181), complainant_phone="13900000205",
                  complainant_id_number="")
        assert not make_case(complainant_phone="13900000205", complainant_id_number="").is_repeat
        make_case("closed", received_at=now - timedelta(days=179), complainant_phone="13900000206",
                  complainant_id_number="")
        assert make_case(complainant_phone="13900000206", complainant_id_number="").is_repeat

    def test_projects_of_one_name_in_two_districts_do_not_cluster_together(self, make_case, city, users):
        from hexie.employers.tests.factories import ProjectFactory

        yuelu = ProjectFactory(org_unit=city["yuelu_street"], name="同名项目")
        furong = ProjectFactory(org_unit=city["furong_street"], name="同名项目")
        kw = {"employer_credit_code": "", "complainant_id_number": ""}
        for i in range(2):
            make_case(project_id=yuelu.pk, employer_name=f"甲{i}", complainant_phone=f"1390000030{i}", **kw)
        third = make_case(project_id=furong.pk, employer_name="丙", complainant_phone="13900000309",
                          org_unit_id=city["furong_street"].pk, actor=users["city_leader"], **kw)
        assert third.cluster is None
        fourth = make_case(project_id=yuelu.pk, employer_name="丁", complainant_phone="13900000308", **kw)
        assert Case.objects.get(pk=fourth.pk).cluster is not None
        assert Case.objects.filter(cluster__isnull=False, project=furong).count() == 0
