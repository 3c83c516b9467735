"""One template row per kind, pointing at the packaged default (no file uploaded yet)."""

from django.db import migrations

NAMES = {
    "acceptance_notice": "受理通知书",
    "refusal_notice": "不予受理通知书",
    "supervision_letter": "督办函",
    "referral_letter": "移送函",
    "mediation_agreement": "调解协议书",
    "bulletin_weekly": "周调度通报",
    "bulletin_monthly": "月度通报",
    "bulletin_quarterly": "季度通报",
}


def seed(apps, schema_editor):
    DocumentTemplate = apps.get_model("insights", "DocumentTemplate")
    for kind, name in NAMES.items():
        DocumentTemplate.objects.get_or_create(kind=kind, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("insights", "DocumentTemplate").objects.filter(kind__in=NAMES, file="").delete()


class Migration(migrations.Migration):

    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
