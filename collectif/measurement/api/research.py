"""The researchers' API: published figures by region, breakdown member and period.

The same figures as the researchers' file (decision 0026), one indicator per request
and paged, for researchers and backbone staff signed in or holding a token.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from collectif.accounts.api_auth import required_auth
from collectif.core.actors import request_actor, require
from collectif.core.api_errors import responses
from collectif.core.api_pages import Page, PageQuery, paginate
from collectif.measurement.domain.breakdowns import parse_key
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.selectors.research import (
    ResearchFigure,
    research_figures,
    research_indicators,
)

router = Router(tags=["research"], auth=required_auth)


class FigureQuery(PageQuery):
    indicator: str = Field(description="A published indicator's code")
    period_from: str | None = Field(None, alias="from", description="A period code: 2023Q1")
    period_to: str | None = Field(None, alias="to", description="A period code: 2026Q2")


class FigureOut(Schema):
    indicator: str
    period: str
    region: str = Field(description="CA for Canada, else a province or territory code")
    member: str = Field(description='The breakdown key, "" for the total: age:12-17')
    breakdown: dict[str, str] = Field(description="The breakdown key as dimension: member")
    value: float | None = Field(description="Rounded as the pages print it; null when hidden")
    organisations: int | None = Field(description="Organisations behind it; null when hidden")
    suppressed: bool
    reason: str = Field(description="Why the figure is hidden, in the reader's language")


class FigurePage(Page[FigureOut]):
    pass


def _bound(value: str | None, field: str, *, end: bool) -> date | None:
    if not value:
        return None
    try:
        span = parse_period(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    return span.end if end else span.start


def _out(figure: ResearchFigure) -> FigureOut:
    return FigureOut(
        indicator=figure.indicator.code,
        period=figure.period.code,
        region=figure.region,
        member=figure.member,
        breakdown=parse_key(figure.member),
        value=None if figure.value is None else float(figure.value),
        organisations=figure.organisations,
        suppressed=figure.suppressed,
        reason=figure.reason,
    )


@router.get(
    "/figures",
    response=responses(FigurePage, 403, 404),
    summary="A published indicator's figures by period, region and breakdown member",
    description=(
        "For researchers and backbone staff. Every cell with data, small cells hidden "
        "with their reason as on the public report card; never one organisation's values."
    ),
)
def figures(request: HttpRequest, query: Query[FigureQuery]) -> FigurePage:
    require(request_actor(request), "measurement.export_figures")
    indicator = research_indicators(code=query.indicator).first()
    if indicator is None:
        raise Http404
    found = research_figures(
        indicator,
        start=_bound(query.period_from, "from", end=False),
        end=_bound(query.period_to, "to", end=True),
    )
    return paginate(request, found, query, out=_out, page=FigurePage)
