"""What a clock counts from (the step that starts it, or the receipt of the application) and how
documents name that day; the consultation track (a consultation is answered); the "start" trigger
now means entering a track, at acceptance or on a change of track."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_move_out_kernel_and_portal_models'),
    ]

    operations = [
        migrations.AddField(
            model_name='deadlinerule',
            name='counts_from',
            field=models.CharField(choices=[('step', '起算环节之日（受理、立案） The day of the step that starts it'), ('receipt', '收到申请之日 The day the application was received')], default='step', max_length=8, verbose_name='起算日 Counted from'),
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='counts_from_words',
            field=models.CharField(blank=True, max_length=20, verbose_name='起算表述 Counted from (words)'),
        ),
        migrations.AlterField(
            model_name='case',
            name='track',
            field=models.CharField(blank=True, choices=[('mediation', '调解 Mediation'), ('inspection', '劳动保障监察 Inspection'), ('arbitration', '仲裁 Arbitration'), ('petition', '信访 Petition'), ('referral', '移送联动单位 Referral'), ('consultation', '咨询答复 Answer a consultation')], max_length=16, verbose_name='办理途径 Track'),
        ),
        migrations.AlterField(
            model_name='deadlinerule',
            name='track',
            field=models.CharField(blank=True, choices=[('mediation', '调解 Mediation'), ('inspection', '劳动保障监察 Inspection'), ('arbitration', '仲裁 Arbitration'), ('petition', '信访 Petition'), ('referral', '移送联动单位 Referral'), ('consultation', '咨询答复 Answer a consultation')], max_length=16, verbose_name='途径 Track'),
        ),
        migrations.AlterField(
            model_name='deadlinerule',
            name='trigger',
            field=models.CharField(choices=[('intake', '登记时 On intake'), ('accept', '受理时 On acceptance'), ('start', '进入办理途径时（受理、变更途径） On entering a track (acceptance, change of track)')], max_length=8, verbose_name='起算 Starts'),
        ),
    ]
