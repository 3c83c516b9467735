"""Cases link to the registry's employer and project (one employer, one file), and the cases
registered before are linked where the typed details identify a registered row beyond doubt:

- the employer by the credit code typed in the case, matched exactly to a registered employer;
- the project by name, only when exactly one registered project of that name lies in the case's
  own district (the district the case's org unit belongs to, or the unit itself above district
  level). Two projects of one name in different districts are different projects, and a name that
  matches two projects in the district is left for a clerk to confirm on the case page.

Self-contained (historical models only), so it keeps working whatever the services become.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def _scope_paths(OrgUnit):
    """Each org unit id → the path of its district (or of itself when above district level)."""
    units = list(OrgUnit.objects.values("pk", "path", "level"))
    districts = sorted((u["path"] for u in units if u["level"] == "district"), key=len, reverse=True)
    out = {}
    for u in units:
        out[u["pk"]] = next((p for p in districts if u["path"].startswith(p)), u["path"])
    return out


def link_existing(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Employer = apps.get_model("employers", "Employer")
    Project = apps.get_model("employers", "Project")
    OrgUnit = apps.get_model("orgs", "OrgUnit")

    Case.objects.filter(employer__isnull=True, employer_credit_code__in=Employer.objects.values("credit_code")).update(
        employer=Subquery(Employer.objects.filter(credit_code=OuterRef("employer_credit_code")).values("pk")[:1]))

    scope_of = _scope_paths(OrgUnit)
    projects: dict[tuple[str, str], list[int]] = {}
    for pk, name, unit_id in Project.objects.values_list("pk", "name", "org_unit_id"):
        projects.setdefault((scope_of.get(unit_id, ""), name.strip()), []).append(pk)
    pairs = (Case.objects.filter(project__isnull=True).exclude(project_name="")
             .values_list("org_unit_id", "project_name").distinct())
    for unit_id, name in list(pairs):
        found = projects.get((scope_of.get(unit_id, ""), name.strip()), [])
        if len(found) == 1:
            Case.objects.filter(project__isnull=True, org_unit_id=unit_id, project_name=name).update(project=found[0])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0012_handling_clocks_for_accepted_cases'),
        ('employers', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='employer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cases', to='employers.employer', verbose_name='登记的用人单位 Registered employer'),
        ),
        migrations.AddField(
            model_name='case',
            name='project',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cases', to='employers.project', verbose_name='登记的工程项目 Registered project'),
        ),
        migrations.RunPython(link_existing, migrations.RunPython.noop),
    ]
