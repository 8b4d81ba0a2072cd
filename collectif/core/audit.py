"""The audit vocabulary: each app names its actions in one enumeration.

An action's value is `<app label>.<service name>` (`ecosystem.organisation_archive`),
the name of the service that writes it, so a reader of the log finds the code at once.
Its label is the sentence people read on the audit log, with `%(actor)s` and
`%(object)s` placeholders ("%(actor)s archived %(object)s").

The log page reads every event as such a sentence, with the changes in words. Core
learns the sentences from the manifests, never from the apps by name.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from collectif.core.formatting import format_number

if TYPE_CHECKING:
    from collectif.core.models import AuditEvent


class AuditAction(models.TextChoices):
    """Base of every app's action enumeration; apps subclass it and list it in their manifest."""


# Rows written before an action was named, or by an app no longer installed.
GENERIC_SENTENCE = gettext_lazy("%(actor)s changed %(object)s")
GENERIC_SENTENCE_NO_OBJECT = gettext_lazy("%(actor)s made a change")
SYSTEM_LABEL = "system"


@dataclass(frozen=True)
class ChangeLine:
    """One changed field as people read it: its name and its value, in words."""

    field: str
    value: str


@dataclass(frozen=True)
class ActionGroup:
    """The actions of one app, for the log's filter: (code, readable label) pairs."""

    label: str
    actions: list[tuple[str, str]]


@cache
def _sentences() -> dict[str, str]:
    """Every declared action's sentence, by code, from every app's manifest.

    The labels stay lazy, so each reading is in the reader's language.
    """
    from collectif.core.manifest import manifests

    return {
        str(action.value): action.label
        for manifest in manifests()
        if manifest.audit_actions is not None
        for action in manifest.audit_actions
    }


def action_label(code: str) -> str:
    """An action in words without a particular person or object, for choosing it."""
    sentence = _sentences().get(code)
    if sentence is None:
        return code
    return str(sentence) % {"actor": _("Someone"), "object": "…"}


def action_groups() -> list[ActionGroup]:
    """Every declared action, grouped by app and sorted by label, for the log's filter."""
    from collectif.core.manifest import manifests

    groups = []
    for manifest in manifests():
        if manifest.audit_actions is None:
            continue
        actions = sorted(
            (
                (str(action.value), action_label(str(action.value)))
                for action in manifest.audit_actions
            ),
            key=lambda pair: pair[1].casefold(),
        )
        name = django_apps.get_app_config(manifest.label).verbose_name
        groups.append(ActionGroup(label=str(name), actions=actions))
    return groups


def actor_name(event: "AuditEvent") -> str:
    """Who acted: the person's full name, else their e-mail; the system says so."""
    person = event.actor
    if person is not None:
        full_name = getattr(person, "get_full_name", lambda: "")()
        return str(full_name or event.actor_label or person)
    if not event.actor_label or event.actor_label == SYSTEM_LABEL:
        return _("The system")
    return event.actor_label


def event_sentence(event: "AuditEvent") -> str:
    """The event as one sentence: "Marie Tremblay archived Big Friends of Montréal"."""
    sentence = _sentences().get(event.action)
    if sentence is None:
        generic = GENERIC_SENTENCE if event.object_label else GENERIC_SENTENCE_NO_OBJECT
        sentence = str(generic)
    return str(sentence) % {"actor": actor_name(event), "object": event.object_label}


def _model_field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_label(model: type[models.Model] | None, key: str) -> str:
    """A changed field's name in words: the model's own name for it, else the key in words
    (translated when an app's catalogue has it, as "account created")."""
    base, _sep, language = key.rpartition("_")
    if language in dict(settings.LANGUAGES) and _model_field(model, base) is not None:
        # A field kept in each language: "Name (French)".
        base_label = _field_label(model, base)
        return f"{base_label} ({get_language_info(language)['name_translated']})"
    field = _model_field(model, key)
    label = getattr(field, "verbose_name", None) or _(key.replace("_", " "))
    return str(capfirst(str(label)))


def _moment(text: str) -> str | None:
    """A date or a moment stored as text, written the reader's way; None if it is not one."""
    try:
        moment = parse_datetime(text)
        day = parse_date(text) if moment is None else None
    except ValueError:
        return None
    if moment is not None:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return str(formats.date_format(moment, "SHORT_DATETIME_FORMAT"))
    if day is not None:
        return str(formats.date_format(day, "SHORT_DATE_FORMAT"))
    return None


def _plain(field: Any, value: Any) -> str:
    """One stored value in words: Yes or No, lists joined, choices by their label."""
    if value is None or value == "" or value == [] or value == {}:
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_plain(field, item) for item in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{_field_label(None, str(k))}: {_plain(None, v)}" for k, v in value.items()
        )
    if isinstance(value, (float, Decimal)):
        return format_number(value)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if value in choices:
        return str(choices[value])
    if isinstance(value, str):
        return _moment(value) or value
    return str(value)


def _value_text(field: Any, value: Any) -> str:
    """A value in words; an `[old, new]` pair, as services record a change, reads old → new."""
    if isinstance(value, list) and len(value) == 2:
        return f"{_plain(field, value[0])} → {_plain(field, value[1])}"
    return _plain(field, value)


def change_lines(event: "AuditEvent") -> list[ChangeLine]:
    """What the event changed, field by field, in words."""
    changes = event.changes if isinstance(event.changes, dict) else {}
    model = event.content_type.model_class() if event.content_type is not None else None
    return [
        ChangeLine(
            field=_field_label(model, str(key)),
            value=_value_text(_model_field(model, str(key)), value),
        )
        for key, value in changes.items()
    ]


class CoreAction(AuditAction):
    """Core's own actions: background work started again, or given up on."""

    JOB_RETRY = "core.job_retry", gettext_lazy("%(actor)s started %(object)s again")
    JOB_FAIL_STALLED = (
        "core.jobs_fail_stalled",
        gettext_lazy("%(actor)s marked %(object)s failed: its worker stopped"),
    )
