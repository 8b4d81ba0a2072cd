from django.db import migrations

from collectif.measurement.reference import load_dimensions


def load(apps, schema_editor):
    load_dimensions(apps)


class Migration(migrations.Migration):
    dependencies = [("measurement", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
