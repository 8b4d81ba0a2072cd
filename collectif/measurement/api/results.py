"""The aggregate query: an indicator's figures by period, region and dimension member.

Anyone may read published indicators, with small cells suppressed as on the public
report card; backbone staff (who may manage measurement) read every indicator,
unsuppressed. The figures are the selectors' and the domain's, as on the pages.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from collectif.accounts.api_auth import optional_auth
from collectif.core.api_errors import responses
from collectif.measurement.domain.breakdowns import make_key
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.models import CANADA
from collectif.measurement.selectors import results

router = Router(tags=["results"], auth=optional_auth)


class AggregateQuery(Schema):
    indicator: str
    period_from: str | None = Field(None, alias="from")
    period_to: str | None = Field(None, alias="to")
    region: str = CANADA
    dimension: str | None = None


class AggregateOut(Schema):
    period: str
    region: str
    member: str
    value: float | None
    organisations: int | None
    suppressed: bool
    reason: str


def _period_bound(value: str | None, field: str, *, end: bool) -> date | None:
    if not value:
        return None
    try:
        span = parse_period(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    return span.end if end else span.start


@router.get(
    "/aggregate",
    response=responses(list[AggregateOut], 404),
    summary="An indicator's figures by period, region and dimension member",
    description=(
        "Query parameters: `indicator` (code), `from` and `to` (period codes such as "
        "2023Q1), `region` (CA or a province code, default CA), `dimension` (a dimension "
        "code: one row per member; `province` gives one row per province)."
    ),
)
def aggregate(request: HttpRequest, params: Query[AggregateQuery]) -> list[AggregateOut]:
    staff = request.user.has_perm("measurement.manage")
    indicator = results.indicator_get(code=params.indicator, published_only=not staff)
    if indicator is None:
        raise Http404
    provinces = results.province_codes()
    region = params.region.upper()
    if region != CANADA and region not in provinces:
        raise ValidationError({"region": [_("Use CA or a province or territory code.")]})
    regions, members = [region], [""]
    if params.dimension:
        dimension = results.dimension_get(code=params.dimension)
        if dimension is None:
            raise ValidationError({"dimension": [_("This dimension does not exist.")]})
        if dimension.is_province:
            regions = provinces
        else:
            members = [make_key({dimension.code: m.code}) for m in dimension.members.all()]
    start = _period_bound(params.period_from, "from", end=False)
    end = _period_bound(params.period_to, "to", end=True)
    figures = results.aggregate(
        indicator,
        regions=regions,
        members=members,
        start=start,
        end=end,
        suppress=not staff,
    )
    return [
        AggregateOut(
            period=f.period.code,
            region=f.region,
            member=f.member,
            value=float(f.shown) if f.shown is not None else None,
            organisations=None if f.suppressed else f.organisations,
            suppressed=f.suppressed,
            reason=str(f.reason),
        )
        for f in figures
    ]
