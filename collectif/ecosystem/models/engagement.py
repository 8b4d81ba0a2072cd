"""How the movement approaches organisations and brings them in.

The current stage and next step live on `Engagement` (one per organisation, so the board
and the gap matrix read one row per organisation); every change is an `EngagementEvent`,
never edited, so the history stays what happened.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel
from collectif.ecosystem.models.organisations import Organisation


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    APPROACHED = "approached", _("Approached")
    IN_CONVERSATION = "in_conversation", _("In conversation")
    ENGAGED = "engaged", _("Engaged")
    COMMITTED = "committed", _("Committed partner")
    DECLINED = "declined", _("Declined")
    DORMANT = "dormant", _("Dormant")


# The forward path; declined and dormant stand beside it. The gap matrix counts an
# organisation "at least engaged" by its rank here.
STAGE_RANK = {
    Stage.IDENTIFIED: 1,
    Stage.APPROACHED: 2,
    Stage.IN_CONVERSATION: 3,
    Stage.ENGAGED: 4,
    Stage.COMMITTED: 5,
    Stage.DECLINED: 0,
    Stage.DORMANT: 0,
}


class Channel(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class Engagement(BaseModel):
    """Where the movement stands with one organisation, and what it will do next."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="engagement",
        verbose_name=_("organisation"),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    stage_since = models.DateField(_("at this stage since"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements_owned",
        verbose_name=_("relationship owner"),
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement_next_steps",
        verbose_name=_("next step owner"),
    )
    next_step_due = models.DateField(_("next step due"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [models.Index(fields=["stage", "next_step_due"])]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_stage_display()}"


class EngagementEvent(BaseModel):
    """One recorded step: an approach, a meeting, a change of stage, a next step set."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="engagement_events",
        verbose_name=_("organisation"),
    )
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    happened_on = models.DateField(_("date"))
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("next step owner"),
    )
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("engagement event")
        verbose_name_plural = _("engagement events")
        indexes = [models.Index(fields=["organisation", "-happened_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_to_stage_display()}"
