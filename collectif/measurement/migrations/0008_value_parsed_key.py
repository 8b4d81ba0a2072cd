"""A value's breakdown key read by the database into columns (province, member,
cross-tabulation), so the rollup rebuild groups plain columns; and the organisation and
review time behind a rollup's "latest", so approvals update it without a rebuild."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Concat, Replace, StrIndex, Substr
from django.db.models.lookups import Exact, GreaterThan

# The expressions as they stood when this migration was written (models/submissions.py).
PIPED = Concat(models.Value("|"), "breakdown", output_field=models.CharField())
AT = StrIndex(PIPED, models.Value("|province:"))
PROVINCE = models.Case(
    models.When(Exact(AT, 0), then=models.Value("")),
    default=Substr(PIPED, AT + 10, 2),
    output_field=models.CharField(),
)
MEMBER = Substr(
    Replace(
        PIPED,
        Concat(models.Value("|province:"), PROVINCE, output_field=models.CharField()),
        models.Value(""),
    ),
    2,
)


class Migration(migrations.Migration):
    dependencies = [
        ("ecosystem", "0003_audit_action_names"),
        ("measurement", "0007_french_apostrophe_in_age_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="value",
            name="province",
            field=models.GeneratedField(
                expression=PROVINCE, output_field=models.CharField(max_length=2), db_persist=True
            ),
        ),
        migrations.AddField(
            model_name="value",
            name="member",
            field=models.GeneratedField(
                expression=MEMBER, output_field=models.CharField(max_length=200), db_persist=True
            ),
        ),
        migrations.AddField(
            model_name="value",
            name="crosstab",
            field=models.GeneratedField(
                expression=GreaterThan(StrIndex(MEMBER, models.Value("|")), 0),
                output_field=models.BooleanField(),
                db_persist=True,
            ),
        ),
        migrations.RemoveIndex(model_name="value", name="value_indicator_period"),
        migrations.AddIndex(
            model_name="value",
            index=models.Index(fields=["indicator", "period", "member"], name="value_slice_member"),
        ),
        migrations.AddField(
            model_name="rollup",
            name="latest_organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="ecosystem.organisation",
            ),
        ),
        migrations.AddField(
            model_name="rollup",
            name="latest_reviewed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
