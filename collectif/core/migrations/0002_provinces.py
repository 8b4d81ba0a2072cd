from django.db import migrations

from collectif.core.reference import load_provinces


def load(apps, schema_editor):
    load_provinces(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
