"""Audit actions are named `<app>.<service name>`; rename the rows written before."""

from django.db import migrations

RENAMED = {
    "api_token.create": "accounts.api_token_create",
    "api_token.revoke": "accounts.api_token_revoke",
    "invitation.create": "accounts.invitation_create",
    "invitation.resend": "accounts.invitation_resend",
    "invitation.revoke": "accounts.invitation_revoke",
    "invitation.accept": "accounts.invitation_accept",
    "membership.remove": "accounts.membership_remove",
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
        ("accounts", "0002_initial"),
    ]

    operations = [migrations.RunPython(rename, restore)]
