import time
from typing import Any

from django.db import migrations, models


def create_row(apps: Any, schema_editor: Any) -> None:
    """The one row, starting from the clock (microseconds) like every bump, so that no
    number an earlier database used comes back (decision 0027)."""
    apps.get_model("core", "ResultsVersion").objects.create(pk=1, number=time.time_ns() // 1000)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_job_heartbeat_and_retry")]

    operations = [
        migrations.CreateModel(
            name="ResultsVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(verbose_name="number")),
            ],
            options={
                "verbose_name": "results version",
                "verbose_name_plural": "results versions",
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
