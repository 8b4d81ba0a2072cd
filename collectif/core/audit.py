"""The audit vocabulary: each app names its actions in one enumeration.

An action's value is `<app label>.<service name>` (`ecosystem.organisation_archive`),
the name of the service that writes it, so a reader of the log finds the code at once.
Its label is the sentence people read on the audit log, with `%(actor)s` and
`%(object)s` placeholders ("%(actor)s archived %(object)s").
"""

from django.db import models


class AuditAction(models.TextChoices):
    """Base of every app's action enumeration; apps subclass it and list it in their manifest."""
