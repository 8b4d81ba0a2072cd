"""Plan versions are written by agenda's services now; their audit rows say so."""

from django.db import migrations

RENAMED = {
    "measurement.plan_version_create": "agenda.plan_version_create",
    "measurement.plan_version_update": "agenda.plan_version_update",
}


def rename(apps, schema_editor):
    events = apps.get_model("core", "AuditEvent").objects
    for old, new in RENAMED.items():
        events.filter(action=old).update(action=new)


def restore(apps, schema_editor):
    events = apps.get_model("core", "AuditEvent").objects
    for old, new in RENAMED.items():
        events.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_provinces"),
        ("agenda", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename, restore)]
