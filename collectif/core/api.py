"""Reference geography over the API: provinces and postal-code look-up."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema

from collectif.core import selectors
from collectif.core.api_errors import responses
from collectif.core.api_pages import Page, PageQuery, paginate
from collectif.core.postal import InvalidPostalCodeError, postal_area

router = Router(tags=["geography"])
postal_router = Router(tags=["geography"])


class ProvinceOut(Schema):
    code: str
    sgc_code: int
    name_en: str
    name_fr: str
    population_2021: int
    is_territory: bool


class ProvincePage(Page[ProvinceOut]):
    pass


class PostalAreaOut(Schema):
    postal_code: str
    fsa: str
    province_code: str
    place: str
    latitude: float | None
    longitude: float | None


@router.get("", response=responses(ProvincePage), summary="The 13 provinces and territories")
def list_provinces(request: HttpRequest, pages: Query[PageQuery]) -> ProvincePage:
    return paginate(
        request, selectors.province_list(), pages, out=ProvinceOut.from_orm, page=ProvincePage
    )


@postal_router.get(
    "/{code}", response=responses(PostalAreaOut, 404), summary="Where a postal code is"
)
def get_postal_area(request: HttpRequest, code: str) -> PostalAreaOut:
    try:
        area = postal_area(code)
    except InvalidPostalCodeError as exc:
        # Name the parameter, so a client can show the message beside its own field.
        raise ValidationError({"code": exc.error_list}) from exc
    return PostalAreaOut(**area.__dict__)
