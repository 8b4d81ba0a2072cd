from django.db import migrations

from collectif.ecosystem.reference import load_sectors


def load(apps, schema_editor):
    load_sectors(apps)


class Migration(migrations.Migration):
    dependencies = [("ecosystem", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
