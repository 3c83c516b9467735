"""A warning's figures are named in words, with their unit, never by the pipeline's keys; the
"(verify)" mark of a basis is kept for administrators, not shown to end users."""

from __future__ import annotations

from django.utils import translation

from hexie.monitoring import figures
from hexie.monitoring.pipeline.findings import _FIGURES


def test_every_figure_the_pipeline_returns_has_a_label():
    keys = {k for keys in _FIGURES.values() for k in keys} | {"share_pct", "avg_gross_fen", "cases"}
    assert keys <= set(figures.FIGURES)


def test_figures_read_as_words_with_their_units():
    with translation.override("zh-hans"):
        rows = dict(figures.figure_rows({"attending": 386, "unpaid": 41, "share_pct": 10,
                                         "min_wage_fen": 210000}))
    assert rows == {"当月有考勤人数": "386", "无工资记录人数": "41", "无工资记录人数占比": "10.0%",
                    "当地月最低工资": "2,100.00 元"}
    assert "share_pct" not in str(rows)


def test_a_key_the_table_does_not_know_keeps_its_key():
    assert figures.figure_rows({"new_figure": 1200}) == [("new_figure", "1,200")]


def test_engines_are_named():
    with translation.override("zh-hans"):
        assert figures.engine_label("duckdb") == "本机分析引擎（DuckDB）"
    assert figures.engine_label("other") == "other"


def test_the_verify_mark_is_for_administrators_only():
    basis = "《劳动保障监察条例》第九条（投诉举报） Labour Inspection Regulations Art. 9 (verify)"
    assert figures.unverified(basis) and not figures.unverified("第十二条")
    assert "(verify)" not in figures.basis_text(basis) and figures.basis_text(basis).endswith("Art. 9")


def test_the_warning_page_names_its_figures_and_keeps_the_verify_mark_for_administrators(scene, client, users):
    from hexie.monitoring import services
    from hexie.monitoring.models import Warning, WarningRule
    from hexie.monitoring.tests.registry_for_detect import AS_OF, M

    services.run_monitor(month=M, as_of=AS_OF)
    share = Warning.objects.get(rule__code="unpaid_share", project__code="P-SHARE")
    WarningRule.objects.filter(pk=share.rule_id).update(basis="第十二条 Art. 12 (verify)")
    client.force_login(users["handler"])
    html = client.get(f"/monitoring/warnings/{share.pk}/").content.decode()
    assert "无工资记录人数占比" in html and "share_pct" not in html and ">attending<" not in html
    assert f"{M // 100}年{M % 100}月" in html
    assert "(verify)" not in html and "待核实" not in html and "列出前0人" not in html
    client.force_login(users["admin"])
    html = client.get(f"/monitoring/warnings/{share.pk}/").content.decode()
    assert "(verify)" not in html and "待核实" in html


def test_the_runs_page_names_rules_and_engines(scene, client, users):
    from hexie.monitoring import services
    from hexie.monitoring.tests.registry_for_detect import AS_OF, M

    services.run_monitor(month=M, as_of=AS_OF, engine="duckdb")
    client.force_login(users["handler"])
    html = client.get("/monitoring/runs/").content.decode()
    assert "本机分析引擎（DuckDB）" in html and ">duckdb<" not in html
    assert "unpaid_share:" not in html and "无工资记录人数占比过高" in html
