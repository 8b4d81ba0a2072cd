"""Audit actions are named `<app>.<service name>`; rename the rows written before."""

from django.db import migrations

RENAMED = {
    "organisation.create": "ecosystem.organisation_create",
    "organisation.update": "ecosystem.organisation_update",
    "organisation.archive": "ecosystem.organisation_archive",
    "organisation.restore": "ecosystem.organisation_restore",
    "organisation.delete": "ecosystem.organisation_delete",
    "organisation.export": "ecosystem.organisation_export_start",
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
        ("ecosystem", "0002_sectors"),
    ]

    operations = [migrations.RunPython(rename, restore)]
