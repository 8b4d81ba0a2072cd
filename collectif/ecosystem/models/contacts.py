"""The people at organisations, and the consent Canada's anti-spam law asks us to keep.

CASL (S.C. 2010, c. 23) allows a commercial electronic message only with express consent
(kept until withdrawn) or implied consent (an existing business or non-business
relationship, for two years; an inquiry, for six months; an address published or given
without a statement refusing messages). Each record keeps its kind, basis, date and
source, so a mailing can prove why it wrote to someone, and its withdrawal.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel
from collectif.ecosystem.models.organisations import Organisation


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Contact(BaseModel):
    """A person the movement deals with at an organisation (not necessarily a user)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    role_title = models.CharField(_("role"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    email = models.EmailField(_("e-mail"), max_length=254, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class ConsentKind(models.TextChoices):
    EXPRESS = "express", _("Express consent")
    IMPLIED = "implied", _("Implied consent")


class ConsentBasis(models.TextChoices):
    """Why consent is implied (CASL s. 10(9)); express consent has its own basis."""

    EXPRESS_REQUEST = "express_request", _("Asked and agreed")
    BUSINESS_RELATIONSHIP = "business_relationship", _("Existing business relationship")
    NON_BUSINESS_RELATIONSHIP = (
        "non_business_relationship",
        _("Existing non-business relationship (donor, volunteer, member)"),
    )
    INQUIRY = "inquiry", _("Inquiry or application")
    PUBLISHED_ADDRESS = "published_address", _("Address conspicuously published")
    ADDRESS_GIVEN = "address_given", _("Address given to us without refusing messages")


class Consent(BaseModel):
    """One grant of consent to receive e-mail from the movement, and its withdrawal."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="consents", verbose_name=_("contact")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ConsentKind.choices)
    basis = models.CharField(_("basis"), max_length=30, choices=ConsentBasis.choices)
    given_on = models.DateField(_("given on"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where and how it was given, e.g. the registration form of a webinar."),
    )
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("Implied consent lapses (two years, or six months after an inquiry)."),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_source = models.CharField(_("how it was withdrawn"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="implied") | models.Q(basis="express_request"),
                name="express_consent_is_asked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.get_kind_display()}"
