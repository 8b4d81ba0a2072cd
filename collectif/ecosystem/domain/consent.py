"""Canada's anti-spam law (CASL) as rules: may we e-mail this person on this day, and why.

Kept pure (no database) so the web pages, the API, the digests of issue 16 and the
selectors' SQL version (`selectors/contacts.py`) all answer the same way; a property
test holds the SQL to these rules.

- Express consent lasts until it is withdrawn.
- Implied consent lasts until `expires_on`: two years after a business or non-business
  relationship, six months after an inquiry (CASL s. 10(10)); an address published or
  given without refusing messages has no automatic end.
- `expires_on` and `withdrawn_on` are the first days on which e-mail is no longer allowed.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _

from collectif.core.formatting import long_date

EXPRESS = "express"
IMPLIED = "implied"

# How long implied consent lasts, in months, by basis; a basis absent here has no end.
IMPLIED_MONTHS: dict[str, int] = {
    "business_relationship": 24,
    "non_business_relationship": 24,
    "inquiry": 6,
}


class ConsentStatus(StrEnum):
    """Where a contact stands today, as the list filters and the API name it."""

    MAY_EMAIL = "may_email"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    NONE = "none"


@dataclass(frozen=True)
class ConsentFacts:
    """What a consent record says, read from a model row or typed by a test."""

    kind: str
    basis: str
    given_on: date
    source: str = ""
    expires_on: date | None = None
    withdrawn_on: date | None = None


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st (or 29 February) becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def default_expiry(*, kind: str, basis: str, given_on: date) -> date | None:
    """When implied consent lapses by law, if ever; express consent never lapses."""
    if kind != IMPLIED or basis not in IMPLIED_MONTHS:
        return None
    return add_months(given_on, IMPLIED_MONTHS[basis])


def allows_email(consent: ConsentFacts, *, on: date) -> bool:
    """Whether this one record lets the movement e-mail the person on `on`."""
    if on < consent.given_on:
        return False
    if consent.withdrawn_on is not None and on >= consent.withdrawn_on:
        return False
    if consent.kind == IMPLIED and consent.expires_on is not None:
        return on < consent.expires_on
    return True


def status_of(consents: list[ConsentFacts], *, on: date) -> ConsentStatus:
    """A contact's standing from all its records: one valid record is enough.

    A withdrawal outranks a lapse: a person who said no must not be asked again as if
    the consent had merely run out.
    """
    if any(allows_email(c, on=on) for c in consents):
        return ConsentStatus.MAY_EMAIL
    if any(c.withdrawn_on is not None and c.withdrawn_on <= on for c in consents):
        return ConsentStatus.WITHDRAWN
    if any(c.given_on <= on for c in consents):
        return ConsentStatus.EXPIRED
    return ConsentStatus.NONE


def _source(consent: ConsentFacts) -> str:
    return _(", from %(source)s") % {"source": consent.source} if consent.source else ""


def describe(consent: ConsentFacts, *, on: date) -> str:
    """One record in a sentence a person reads, e.g. "Express consent since 3 May 2026,
    from the webinar registration form"."""
    given = long_date(consent.given_on)
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return _("Withdrawn on %(date)s (consent given on %(given)s%(source)s)") % {
            "date": long_date(consent.withdrawn_on),
            "given": given,
            "source": _source(consent),
        }
    if consent.kind == EXPRESS:
        return _("Express consent since %(date)s%(source)s") % {
            "date": given,
            "source": _source(consent),
        }
    if consent.expires_on is None:
        return _("Implied consent since %(date)s, with no end date%(source)s") % {
            "date": given,
            "source": _source(consent),
        }
    if on >= consent.expires_on:
        return _("Implied consent lapsed on %(end)s (given on %(date)s%(source)s)") % {
            "end": long_date(consent.expires_on),
            "date": given,
            "source": _source(consent),
        }
    return _("Implied consent since %(date)s, until %(end)s%(source)s") % {
        "date": given,
        "end": long_date(consent.expires_on),
        "source": _source(consent),
    }


def status_sentence(consents: list[ConsentFacts], *, on: date) -> str:
    """What a person needs to know before writing to the contact, in one sentence."""
    status = status_of(consents, on=on)
    if status == ConsentStatus.NONE:
        return _("No consent recorded: do not send e-mail.")
    if status == ConsentStatus.MAY_EMAIL:
        valid = [c for c in consents if allows_email(c, on=on)]
        # Express consent first: it is the strongest reason, and it does not lapse.
        valid.sort(key=lambda c: (c.kind != EXPRESS, -c.given_on.toordinal()))
        return describe(valid[0], on=on)
    latest = max(consents, key=lambda c: c.given_on)
    if status == ConsentStatus.WITHDRAWN:
        withdrawn = [c for c in consents if c.withdrawn_on is not None and c.withdrawn_on <= on]
        latest = max(withdrawn, key=lambda c: c.withdrawn_on or c.given_on)
    return describe(latest, on=on)


def status_label(status: str) -> str:
    """The status in a word or two, for a table cell or a tag."""
    labels = {
        ConsentStatus.MAY_EMAIL: _("May receive e-mail"),
        ConsentStatus.WITHDRAWN: _("Consent withdrawn"),
        ConsentStatus.EXPIRED: _("Consent lapsed"),
        ConsentStatus.NONE: _("No consent"),
    }
    return labels.get(ConsentStatus(status), _("No consent"))
