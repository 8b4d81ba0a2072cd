"""Canonical period codes: ``2026``, ``FY2026``, ``2026Q1``, ``2026-03``.

Fiscal years start on settings.COLLECTIF["FISCAL_YEAR_START_MONTH"] (April by default,
as Canadian funders use): FY2026 runs from 2026-04-01 to 2027-03-31.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_PATTERNS = [
    ("year", re.compile(r"^(\d{4})$")),
    ("fiscal_year", re.compile(r"^FY(\d{4})$")),
    ("quarter", re.compile(r"^(\d{4})Q([1-4])$")),
    ("month", re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
]


class PeriodLike(Protocol):
    """What describing a period needs: the model, a `PeriodSpan`, or any look-alike.

    A protocol rather than the model keeps this module below the models, which use it.
    """

    @property
    def kind(self) -> str: ...

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


@dataclass(frozen=True)
class PeriodSpan:
    code: str
    kind: str
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def fiscal_start_month() -> int:
    return int(settings.COLLECTIF.get("FISCAL_YEAR_START_MONTH", 4))


def parse_period(raw: str) -> PeriodSpan:
    """Read a period code (spaces and case forgiven); raise a bilingual error otherwise."""
    code = re.sub(r"\s+", "", raw or "").upper().replace("T", "Q") if raw else ""
    for kind, pattern in _PATTERNS:
        match = pattern.match(code)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2200:
            break
        if kind == "year":
            return PeriodSpan(code, kind, date(year, 1, 1), date(year, 12, 31))
        if kind == "fiscal_year":
            month = fiscal_start_month()
            end_year, end_month = (year, 12) if month == 1 else (year + 1, month - 1)
            return PeriodSpan(code, kind, date(year, month, 1), _month_end(end_year, end_month))
        if kind == "quarter":
            quarter = int(match.group(2))
            first = 3 * (quarter - 1) + 1
            return PeriodSpan(code, kind, date(year, first, 1), _month_end(year, first + 2))
        month = int(match.group(2))
        return PeriodSpan(code, kind, date(year, month, 1), _month_end(year, month))
    raise ValidationError(
        _(
            "“%(value)s” is not a period. Write a year (2026), a fiscal year (FY2026), "
            "a quarter (2026Q1) or a month (2026-03)."
        ),
        code="invalid_period",
        params={"value": (raw or "")[:20]},
    )


def describe_period(period: PeriodLike) -> str:
    """A period in words, as people say it: "April to June 2026", "avril à juin 2026"."""
    start, end = period.start, period.end
    if period.kind == "year":
        return str(start.year)
    if period.kind == "month":
        return date_format(start, "F Y")
    if start.year == end.year:
        return gettext("%(start)s to %(end)s %(year)s") % {
            "start": date_format(start, "F"),
            "end": date_format(end, "F"),
            "year": end.year,
        }
    return gettext("%(start)s to %(end)s") % {
        "start": date_format(start, "F Y"),
        "end": date_format(end, "F Y"),
    }
