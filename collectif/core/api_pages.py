"""One way to page every API list: a bounded page, the total, and links to either side.

    {"count": 57, "page": 2, "pages": 3, "page_size": 25,
     "next": "https://…/api/v1/organisations?page=3", "previous": "https://…?page=1",
     "results": [...]}

A client walks a list by following `next` until it is null. The page size is capped so
that no request, however it is written, reads a whole table.
"""

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

MAX_PAGE_SIZE = 100

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")
PageT = TypeVar("PageT", bound="Page[Any]")


class PageQuery(Schema):
    """The paging parameters every list accepts; a list's filters extend it."""

    page: int = Field(1, ge=1, description="Which page, from 1; past the end, the last one")
    page_size: int = Field(
        settings.COLLECTIF["PAGE_SIZE"],
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, at most {MAX_PAGE_SIZE}",
    )


class Page(Schema, Generic[ItemT]):
    """A page of a list; each list names its own subclass (`OrganisationPage`...)."""

    count: int = Field(description="How many items the whole list has")
    page: int
    pages: int = Field(description="How many pages the list has (at least 1)")
    page_size: int
    next: str | None = Field(description="The next page's address; null on the last page")
    previous: str | None = Field(description="The previous page's address; null on the first page")
    results: list[ItemT]


def _link(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    rows: "QuerySet[Any] | Sequence[RowT]",
    query: PageQuery,
    *,
    out: Callable[[RowT], ItemT],
    page: type[PageT],
) -> PageT:
    """The page `query` asks for, its rows turned into items by `out`.

    A query set costs two queries (the count and the page's rows) whatever its size;
    give it ordered, and with what `out` reads joined or prefetched.
    """
    paginator = Paginator(rows, query.page_size)
    current = paginator.get_page(query.page)
    return page(
        count=paginator.count,
        page=current.number,
        pages=paginator.num_pages,
        page_size=query.page_size,
        next=_link(request, current.next_page_number()) if current.has_next() else None,
        previous=(
            _link(request, current.previous_page_number()) if current.has_previous() else None
        ),
        results=[out(row) for row in current.object_list],
    )
