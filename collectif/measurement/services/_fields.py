"""How the setup services change a row: only the fields that differ, recorded for the audit."""

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from django.db.models import Model

from collectif.core.services import diff_fields


def field_values(data: Any) -> dict[str, Any]:
    """A dataclass's fields by name, values as they are (`asdict` would copy the rows)."""
    return {field.name: getattr(data, field.name) for field in fields(data)}


def assign(instance: Model, values: Mapping[str, Any]) -> dict[str, Any]:
    """Set `values` on the instance; return the changes, {field: [stored, new]}, which are
    both the audit's summary and the columns to write.

    The stored row is read (and locked) rather than the instance trusted: a form may
    already have changed the object in memory. Callers run in a transaction."""
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    changes = diff_fields({name: getattr(stored, name) for name in values}, dict(values))
    for name, value in values.items():
        setattr(instance, name, value)
    return changes


def save_changed(instance: Model, changed: Mapping[str, Any]) -> None:
    """Write only the changed columns, plus `updated_at` where the model keeps one."""
    if not changed:
        return
    columns = list(changed)
    if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
        columns.append("updated_at")
    instance.save(update_fields=columns)
