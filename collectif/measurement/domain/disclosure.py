"""Disclosure control: which public figures are hidden, and why.

Partners are often small programs. A movement total made of one or two organisations'
numbers, or a count of three young people, can point at a program or at a person, so
figures shown to the public (the report card, members' scorecard, the open API) hide
such cells. A cell is hidden when fewer than SUPPRESS_ORGANISATIONS_BELOW organisations
contributed to it, or when a count indicator's value is under SUPPRESS_COUNT_BELOW; a
computed cell is hidden when either of its inputs would be, since the ratio and one
input would give away the other. Every hidden cell carries its reason, so readers
learn that a value exists and why they do not see it.

Backbone staff see every figure: the rules protect partners from the public, not from
the team they report to. Every channel asks here, so the web pages, the CSV and the
API hide exactly the same cells.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.measurement.models import Indicator

# An input to a computed figure: the indicator of the cell read, and its value.
Input = tuple[Indicator | None, Decimal | None]


def suppress_count_below() -> int:
    return int(settings.COLLECTIF.get("SUPPRESS_COUNT_BELOW", 5))


def suppress_organisations_below() -> int:
    return int(settings.COLLECTIF.get("SUPPRESS_ORGANISATIONS_BELOW", 3))


def suppression_reason(
    indicator: Indicator, value: Decimal | None, organisations: int
) -> str | Promise:
    """Why a public cell is hidden, or "" when it may be shown."""
    if value is None:
        return ""
    minimum = suppress_organisations_below()
    if organisations < minimum:
        return _("suppressed: fewer than %(n)s organisations") % {"n": minimum}
    if indicator.unit == Indicator.Unit.COUNT and value < suppress_count_below():
        return _("suppressed: count under %(n)s") % {"n": suppress_count_below()}
    return ""


def figure_reason(
    indicator: Indicator,
    *,
    value: Decimal | None,
    organisations: int,
    inputs: Sequence[Input] = (),
) -> str | Promise:
    """Why a public figure is hidden, or "" when it may be shown.

    A computed figure is judged by its inputs (the first one that must be hidden gives
    the reason): its own value is a ratio, which no count threshold fits.
    """
    if value is None:
        return ""
    if not indicator.is_computed:
        return suppression_reason(indicator, value, organisations)
    for part, part_value in inputs:
        reason = suppression_reason(part, part_value, organisations) if part else ""
        if reason:
            return reason
    return ""
