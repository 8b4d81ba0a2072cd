"""People's previous sign-in, for the homes' "what changed since your last visit"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_action_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="previous_login",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="previous sign-in"
            ),
        ),
    ]
