"""`/api/v1/measurement`: reference data, and the steward's own submissions.

Published indicators and the periods may be read by anyone; everything else needs a
token or a session. Every list is paged (`core.api_pages`); the submissions list carries
summaries and a submission's own address carries its values. Writes are idempotent with
an `Idempotency-Key` header: a retried request with the same key and body gets the same
answer and writes nothing again, even when the copies arrive at once.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Header

from collectif.accounts.api_auth import optional_auth, required_auth
from collectif.core.actors import actor_may, request_actor, require
from collectif.core.api_errors import error_body, responses
from collectif.core.api_pages import Page, PageQuery, paginate
from collectif.measurement.domain.breakdowns import make_key, parse_key
from collectif.measurement.domain.validation import CellValue, Problem
from collectif.measurement.models import Dataset, Indicator, Period, Submission
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services

router = Router(tags=["measurement"])

# What `Value.value` holds (20 digits, 6 of them decimals): a value is rounded to the
# decimals, and must stay under the limit once rounded.
VALUE_QUANTUM = Decimal("0.000001")
VALUE_LIMIT = Decimal(10) ** 14
CODE_LENGTH = 100  # longer than any code or slug: a longer one cannot name anything


class IndicatorOut(Schema):
    code: str
    name_en: str
    name_fr: str
    definition_en: str
    definition_fr: str
    kind: str
    question: str
    unit: str
    decimals: int
    polarity: str
    aggregation: str
    weight_indicator: str | None
    frequency: str
    source: str
    numerator: str | None
    denominator: str | None
    factor: Decimal
    dimensions: list[str]
    is_published: bool


class PeriodOut(Schema):
    code: str
    kind: str
    start: date
    end: date
    opens_on: date | None
    deadline: date | None


class DatasetItemOut(Schema):
    indicator: str
    required: bool
    dimensions: list[str]


class DatasetOut(Schema):
    code: str
    name_en: str
    name_fr: str
    frequency: str
    is_active: bool
    indicators: list[DatasetItemOut]


class IndicatorPage(Page[IndicatorOut]):
    pass


class PeriodPage(Page[PeriodOut]):
    pass


class DatasetPage(Page[DatasetOut]):
    pass


class PeriodFilters(PageQuery):
    kind: Period.Kind | None = None


class SubmissionFilters(PageQuery):
    organisation: str = Field("", max_length=CODE_LENGTH, description="An organisation's slug")
    dataset: str = Field("", max_length=CODE_LENGTH, description="A dataset's code")
    period: str = Field("", max_length=CODE_LENGTH, description="A period's code, e.g. 2026Q1")
    status: Submission.Status | None = None


class ValueIn(Schema):
    indicator: str = Field(max_length=CODE_LENGTH)
    breakdown: str = Field("", max_length=200)
    members: dict[str, str] | None = Field(
        None, description='Instead of `breakdown`: {"province": "QC", "age": "12-17"}.'
    )
    value: Decimal = Field(
        description="A finite number under 10^14, rounded to 6 decimals; JSON number or text"
    )


class SubmissionIn(Schema):
    organisation: str = Field(max_length=CODE_LENGTH, description="The organisation's slug.")
    dataset: str = Field(max_length=CODE_LENGTH)
    period: str = Field(max_length=CODE_LENGTH)
    values: list[ValueIn]
    submit: bool = False


class ValuesIn(Schema):
    values: list[ValueIn]
    submit: bool = False


class ValueOut(Schema):
    indicator: str
    breakdown: str
    value: Decimal


class WarningOut(Schema):
    field: str
    message: str


class SubmissionOut(Schema):
    id: int
    organisation: str
    dataset: str
    period: str
    status: str
    version: int
    channel: str
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str
    values: list[ValueOut]
    warnings: list[WarningOut] = []


class SubmissionSummaryOut(Schema):
    """A submission in a list: where it stands, not its values (see `url`)."""

    id: int
    organisation: str
    dataset: str
    period: str
    status: str
    version: int
    channel: str
    values: int = Field(description="How many values it holds")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    reviewed_at: datetime | None
    url: str = Field(description="Its own address, which carries the values")


class SubmissionPage(Page[SubmissionSummaryOut]):
    pass


class CommentIn(Schema):
    comment: str


def _code_of(indicator: Indicator | None) -> str | None:
    return indicator.code if indicator is not None else None


def _indicator_out(indicator: Indicator) -> IndicatorOut:
    """An indicator read by `selectors.indicator_list` (its related indicators joined)."""
    return IndicatorOut(
        code=indicator.code,
        name_en=getattr(indicator, "name_en", "") or "",
        name_fr=getattr(indicator, "name_fr", "") or "",
        definition_en=getattr(indicator, "definition_en", "") or "",
        definition_fr=getattr(indicator, "definition_fr", "") or "",
        kind=indicator.kind,
        question=indicator.question,
        unit=indicator.unit,
        decimals=indicator.decimals,
        polarity=indicator.polarity,
        aggregation=indicator.aggregation,
        weight_indicator=_code_of(indicator.weight_indicator),
        frequency=indicator.frequency,
        source=indicator.source,
        numerator=_code_of(indicator.numerator),
        denominator=_code_of(indicator.denominator),
        factor=indicator.factor,
        dimensions=[d.code for d in indicator.dimensions.all()],
        is_published=indicator.is_published,
    )


def _dataset_out(dataset: Dataset) -> DatasetOut:
    """A dataset read by `selectors.dataset_list` (items and dimensions prefetched)."""
    return DatasetOut(
        code=dataset.code,
        name_en=getattr(dataset, "name_en", "") or "",
        name_fr=getattr(dataset, "name_fr", "") or "",
        frequency=dataset.frequency,
        is_active=dataset.is_active,
        indicators=[
            DatasetItemOut(
                indicator=item.indicator.code,
                required=item.required,
                dimensions=[d.code for d in item.indicator.dimensions.all()],
            )
            for item in dataset.items.all()
        ],
    )


def _problem_field(problem: Problem) -> str:
    return problem.column or (str(problem.row) if problem.row else "")


def _where_it_stands(submission: Submission) -> dict[str, Any]:
    """The fields a submission's detail and its list summary share."""
    return {
        "id": submission.pk,
        "organisation": submission.organisation.slug,
        "dataset": submission.dataset.code,
        "period": submission.period.code,
        "status": submission.status,
        "version": submission.version,
        "channel": submission.channel,
        "submitted_at": submission.submitted_at,
        "reviewed_at": submission.reviewed_at,
    }


def _submission_out(submission: Submission, warnings: list[Problem] | None = None) -> Any:
    return SubmissionOut(
        **_where_it_stands(submission),
        review_comment=submission.review_comment,
        values=[
            ValueOut(indicator=v.indicator.code, breakdown=v.breakdown, value=v.value)
            for v in selectors.submission_value_list(submission=submission)
        ],
        warnings=[
            WarningOut(field=_problem_field(p), message=str(p.message)) for p in warnings or []
        ],
    )


def _summary_out(request: HttpRequest, submission: Any) -> SubmissionSummaryOut:
    """A submission read by `selectors.submission_summary_list` (its values counted)."""
    return SubmissionSummaryOut(
        **_where_it_stands(submission),
        values=submission.value_count,
        created_at=submission.created_at,
        updated_at=submission.updated_at,
        url=request.build_absolute_uri(
            reverse("api:submission_detail", kwargs={"submission_id": submission.pk})
        ),
    )


def stored_value(value: Decimal) -> Decimal | None:
    """The value as a Value row stores it, or None when no row can hold it."""
    if not value.is_finite() or abs(value) >= VALUE_LIMIT:
        return None
    rounded = value.quantize(VALUE_QUANTUM)
    return rounded if abs(rounded) < VALUE_LIMIT else None


def _cells(values: list[ValueIn]) -> list[CellValue]:
    """The request's values as cells; numbers no row can hold are named, field by field."""
    cells, errors = [], {}
    for index, v in enumerate(values):
        stored = stored_value(v.value)
        if stored is None:
            errors[f"values.{index}.value"] = ValidationError(
                _("Give a finite number with at most 14 digits before the decimal point.")
            )
            continue
        members = v.members if v.members is not None else parse_key(v.breakdown)
        cells.append(
            CellValue(indicator_code=v.indicator, breakdown=make_key(members), value=stored)
        )
    if errors:
        raise ValidationError(errors)
    return cells


def _invalid(error: services.SubmissionInvalid) -> Status[dict[str, Any]]:
    details = [
        {"field": _problem_field(p), "message": str(p.message)}
        for p in error.problems
        if p.severity == "error"
    ]
    return Status(
        422, error_body("invalid", _("The data is not valid: nothing was saved."), details)
    )


def _sees_internal(request: HttpRequest) -> bool:
    """Staff and stewards also see the indicators not published yet."""
    user = request.user
    return isinstance(user, AbstractBaseUser) and (
        actor_may(user, "measurement.manage") or actor_may(user, "measurement.report_data")
    )


@router.get("/indicators", response=responses(IndicatorPage), auth=optional_auth)
def indicator_list(request: HttpRequest, pages: Query[PageQuery]) -> IndicatorPage:
    """Published indicators; staff and stewards also see internal ones."""
    indicators = selectors.indicator_list(published_only=not _sees_internal(request))
    return paginate(request, indicators, pages, out=_indicator_out, page=IndicatorPage)


@router.get("/indicators/{code}", response=responses(IndicatorOut, 404), auth=optional_auth)
def indicator_detail(request: HttpRequest, code: str) -> IndicatorOut:
    return _indicator_out(
        selectors.indicator_get(code=code, published_only=not _sees_internal(request))
    )


@router.get("/periods", response=responses(PeriodPage), auth=optional_auth)
def period_list(request: HttpRequest, filters: Query[PeriodFilters]) -> PeriodPage:
    periods = selectors.period_list(kind=filters.kind)
    return paginate(request, periods, filters, out=PeriodOut.from_orm, page=PeriodPage)


@router.get("/datasets", response=responses(DatasetPage), auth=required_auth)
def dataset_list(request: HttpRequest, pages: Query[PageQuery]) -> DatasetPage:
    return paginate(request, selectors.dataset_list(), pages, out=_dataset_out, page=DatasetPage)


@router.get("/datasets/{code}", response=responses(DatasetOut, 404), auth=required_auth)
def dataset_detail(request: HttpRequest, code: str) -> DatasetOut:
    return _dataset_out(selectors.dataset_get(code=code))


@router.get("/submissions", response=responses(SubmissionPage), auth=required_auth)
def submission_list(request: HttpRequest, filters: Query[SubmissionFilters]) -> SubmissionPage:
    """Your organisations' submissions (every organisation's for backbone staff), newest
    period first, as summaries: each one's `url` gives its values."""
    submissions = selectors.submission_summary_list(
        user=request.user,
        organisation=filters.organisation,
        dataset=filters.dataset,
        period=filters.period,
        status=filters.status or "",
    )
    return paginate(
        request,
        submissions,
        filters,
        out=lambda submission: _summary_out(request, submission),
        page=SubmissionPage,
    )


@router.post(
    "/submissions",
    response=responses(SubmissionOut, 403, 404, 409, status=201),
    auth=required_auth,
)
def submission_create(
    request: HttpRequest,
    payload: SubmissionIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
) -> Any:
    """Create or replace the values of a submission, and submit it with `submit: true`."""
    organisation = selectors.organisation_for_report(slug=payload.organisation)
    try:
        submission, warnings, _replayed = services.submission_receive(
            actor=request_actor(request),
            organisation=organisation,
            dataset=selectors.dataset_get(code=payload.dataset),
            period=selectors.period_get(code=payload.period),
            cells=_cells(payload.values),
            submit=payload.submit,
            idempotency_key=idempotency_key.strip(),
            fingerprint=services.request_hash(payload.model_dump()),
        )
    except services.SubmissionInvalid as error:
        return _invalid(error)
    except services.IdempotencyConflictError:
        return Status(
            409,
            error_body(
                "idempotency_conflict",
                _("This Idempotency-Key was already used for a different request."),
            ),
        )
    return Status(201, _submission_out(submission, warnings))


@router.get(
    "/submissions/{submission_id}",
    response=responses(SubmissionOut, 404),
    auth=required_auth,
    url_name="submission_detail",
)
def submission_detail(request: HttpRequest, submission_id: int) -> Any:
    return _submission_out(selectors.submission_get(user=request.user, pk=submission_id))


@router.put(
    "/submissions/{submission_id}/values",
    response=responses(SubmissionOut, 403, 404),
    auth=required_auth,
)
def submission_values_replace(request: HttpRequest, submission_id: int, payload: ValuesIn) -> Any:
    """Replace every value of the submission at once (and submit with `submit: true`)."""
    submission = selectors.submission_get(user=request.user, pk=submission_id)
    try:
        warnings = services.submission_save_values(
            actor=request_actor(request),
            submission=submission,
            cells=_cells(payload.values),
            channel=Submission.Channel.API,
            submit=payload.submit,
        )
    except services.SubmissionInvalid as error:
        return _invalid(error)
    return _submission_out(submission, warnings)


@router.post(
    "/submissions/{submission_id}/submit",
    response=responses(SubmissionOut, 403, 404),
    auth=required_auth,
)
def submission_submit(request: HttpRequest, submission_id: int) -> Any:
    submission = selectors.submission_get(user=request.user, pk=submission_id)
    try:
        warnings = services.submission_submit(actor=request_actor(request), submission=submission)
    except services.SubmissionInvalid as error:
        return _invalid(error)
    return _submission_out(submission, warnings)


def _for_review(request: HttpRequest, submission_id: int) -> Submission:
    require(request_actor(request), "measurement.review")
    return selectors.submission_get(user=request.user, pk=submission_id)


@router.post(
    "/submissions/{submission_id}/approve",
    response=responses(SubmissionOut, 403, 404),
    auth=required_auth,
)
def submission_approve(request: HttpRequest, submission_id: int) -> Any:
    """Backbone staff: approve; the data counts in the shared figures at once."""
    submission = _for_review(request, submission_id)
    return _submission_out(
        services.submission_approve(actor=request_actor(request), submission=submission)
    )


@router.post(
    "/submissions/{submission_id}/return",
    response=responses(SubmissionOut, 403, 404),
    auth=required_auth,
)
def submission_return(request: HttpRequest, submission_id: int, payload: CommentIn) -> Any:
    """Backbone staff: send back to the organisation with a comment."""
    submission = _for_review(request, submission_id)
    return _submission_out(
        services.submission_return(
            actor=request_actor(request), submission=submission, comment=payload.comment
        )
    )
