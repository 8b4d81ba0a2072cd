"""The age dimension's French name takes the typographic apostrophe (Groupe d’âge)."""

from typing import Any

from django.db import migrations


def curly(apps: Any, schema_editor: Any) -> None:
    dimension = apps.get_model("measurement", "Dimension")
    dimension.objects.filter(code="age", name_fr="Groupe d'âge").update(name_fr="Groupe d’âge")


def straight(apps: Any, schema_editor: Any) -> None:
    dimension = apps.get_model("measurement", "Dimension")
    dimension.objects.filter(code="age", name_fr="Groupe d’âge").update(name_fr="Groupe d'âge")


class Migration(migrations.Migration):
    dependencies = [("measurement", "0006_submission_version_kind")]

    operations = [migrations.RunPython(curly, straight)]
