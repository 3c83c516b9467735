"""Seed the grade criteria and the periods and thresholds of the credit procedures from
rules.md §4–§5. Rows whose figure or article number was not confirmed against the official text
are seeded with verified=False, and the admin shows it."""

from datetime import date
from decimal import Decimal

from django.db import migrations

GRADE_BASIS = "《企业劳动保障守法诚信等级评价办法》（人社部规〔2016〕1号）第六条"
CRITERIA = [
    # code, name, kind, min_count, grade, basis suffix, verified, active
    ("c_sanctions", "一年内因劳动保障违法行为被查处三次以上", "sanction", 3, "C", "第（三）项第1目", False, True),
    ("c_mass_incident", "因劳动保障违法行为引发群体性事件或极端事件", "mass_incident", 1, "C", "第（三）项第2目", False, True),
    ("c_child_labour", "因使用童工被查处", "child_labour", 1, "C", "第（三）项第3目", False, True),
    ("c_forced_labour", "因强迫劳动被查处", "forced_labour", 1, "C", "第（三）项第3目", False, True),
    ("c_ignored_order", "拒不履行限期整改指令、行政处理决定或行政处罚决定", "ignored_order", 1, "C",
     "第（三）项第4目；《保障农民工工资支付条例》第四十七条", False, True),
    ("c_obstruction", "无理抗拒、阻挠劳动保障监察", "obstruction", 1, "C", "第（三）项第5目；《劳动保障监察条例》第三十条",
     False, True),
    ("c_criminal", "因劳动保障违法行为被追究刑事责任", "criminal", 1, "C", "第（三）项第6目", False, True),
    ("b_sanction", "因劳动保障违法行为被查处", "sanction", 1, "B", "第（二）项", False, True),
    # Off by default: only where the province's rules treat a passed evaluation as grade A.
    ("a_evaluation", "劳动关系和谐企业评价达标，视同A级", "evaluation_passed", 1, "A",
     "", False, False),
]
SETTINGS = [
    ("grade_objection_days", "等级评价异议期", Decimal(15), "calendar",
     "本地规定（国家办法未规定异议期限，可配置）", False),
    ("listing_statement_days", "列入名单前陈述申辩期", Decimal(5), "working",
     "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第十条（期限待核）", False),
    ("listing_term_years", "失信联合惩戒名单列入期限", Decimal(3), "years",
     "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第十三条（条文序号待核）", False),
    ("removal_months_since_correction", "提前移出须纠正失信行为满", Decimal(6), "months",
     "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第十四条（条文序号待核）", False),
    ("criminal_single_amount", "拒不支付劳动报酬罪数额：一名劳动者", Decimal(5000), "yuan",
     "法释〔2013〕3号第三条（5000至20000元，由各省确定）", False),
    ("criminal_single_months", "拒不支付劳动报酬罪：一名劳动者拖欠月数", Decimal(3), "months",
     "法释〔2013〕3号第三条", True),
    ("criminal_collective_amount", "拒不支付劳动报酬罪数额：十名以上劳动者", Decimal(30000), "yuan",
     "法释〔2013〕3号第三条（30000至100000元，由各省确定）", False),
    ("criminal_collective_workers", "拒不支付劳动报酬罪：劳动者人数", Decimal(10), "people",
     "法释〔2013〕3号第三条", True),
    ("major_wage_amount", "社会公布：拖欠劳动报酬“数额较大”", Decimal(100000), "yuan",
     "《重大劳动保障违法行为社会公布办法》第五条（“数额较大”由本地确定）", False),
]


def seed(apps, schema_editor):
    GradeCriterion = apps.get_model("credit", "GradeCriterion")
    CreditSetting = apps.get_model("credit", "CreditSetting")
    for sort, (code, name, kind, n, grade, article, verified, active) in enumerate(CRITERIA):
        basis = f"{GRADE_BASIS}{article}" if article else "本省劳动关系和谐企业评价办法（如云南：达标企业视同A级）"
        GradeCriterion.objects.create(code=code, name=name, kind=kind, min_count=n, grade=grade, basis=basis,
                                      verified=verified, is_active=active, sort=sort,
                                      effective_from=date(2017, 1, 1))
    for code, name, value, unit, basis, verified in SETTINGS:
        CreditSetting.objects.create(code=code, name=name, value=value, unit=unit, basis=basis, verified=verified)


def unseed(apps, schema_editor):
    apps.get_model("credit", "GradeCriterion").objects.all().delete()
    apps.get_model("credit", "CreditSetting").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
