"""Audit actions are named `<app>.<service name>`; rename the rows written before."""

from django.db import migrations

RENAMED = {
    "measurement.submission_save": "measurement.submission_save_values",
    "measurement.file_import": "measurement.submission_import",
    "indicator.story_update": "measurement.indicator_story_update",
    "measurement.period_create_quarters": "measurement.period_create_next_quarters",
    "measurement.reminders_send": "measurement.completeness_reminders_send",
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
        ("measurement", "0004_value_keys_repeat_the_submission"),
    ]

    operations = [migrations.RunPython(rename, restore)]
