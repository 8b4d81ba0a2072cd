from django.db import migrations

from collectif.ecosystem.reference import load_reference


def load(apps, schema_editor):
    load_reference(apps)
    # Every organisation has its engagement row (the board reads one row each).
    organisation = apps.get_model("ecosystem", "Organisation")
    engagement = apps.get_model("ecosystem", "Engagement")
    engagement.objects.bulk_create(
        engagement(organisation_id=pk, stage="identified", stage_since=created.date())
        for pk, created in organisation.objects.filter(engagement__isnull=True).values_list(
            "pk", "created_at"
        )
    )


class Migration(migrations.Migration):
    dependencies = [("ecosystem", "0004_ecosystem_map")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
