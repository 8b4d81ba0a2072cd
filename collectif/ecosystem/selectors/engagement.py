"""Every read about the engagement pipeline: the board, a stage's list, histories, next steps.

An organisation without an `Engagement` row (made by a factory, an import or before the
pipeline existed) stands at *identified*: every read joins the row with a LEFT JOIN and
falls back to that stage, so no organisation drops off the board.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from collectif.accounts.models import Role, User
from collectif.ecosystem.domain.engagement import STAGES, START, site_today
from collectif.ecosystem.models import Engagement, EngagementEvent, Organisation
from collectif.ecosystem.selectors.organisations import _language, _sort_name

# How many cards each stage's section of the board shows before "see all".
BOARD_COLUMN_SIZE = 25


@dataclass(frozen=True, kw_only=True)
class BoardFilters:
    """What the board and a stage's list are narrowed to; empty means everything."""

    q: str = ""
    sector: str = ""
    province: str = ""
    owner: int | None = None
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.q or self.sector or self.province or self.owner or self.overdue)


def _stage() -> Coalesce:
    text: CharField[str, str] = CharField()
    return Coalesce(F("engagement__stage"), Value(START.value), output_field=text)


def _at_stage(stage: str) -> Q:
    """Organisations at a stage, those with no pipeline row counting as the start."""
    if stage == START.value:
        return Q(engagement__isnull=True) | Q(engagement__stage=stage)
    return Q(engagement__stage=stage)


def _overdue(today: date) -> Q:
    return Q(engagement__next_step_due__lt=today) & ~Q(engagement__next_step="")


def _cards(organisations: QuerySet[Organisation], today: date) -> QuerySet[Organisation]:
    """Everything a card shows, read in the same query as the organisation."""
    return organisations.select_related("sector", "head_office_province").annotate(
        pipeline_stage=_stage(),
        stage_since=F("engagement__stage_since"),
        owner_name=F("engagement__owner__full_name"),
        owner_email=F("engagement__owner__email"),
        next_step=Coalesce(F("engagement__next_step"), Value(""), output_field=CharField()),
        next_step_due=F("engagement__next_step_due"),
        next_step_owner_name=F("engagement__next_step_owner__full_name"),
        next_step_owner_email=F("engagement__next_step_owner__email"),
        is_overdue=Case(When(_overdue(today), then=Value(True)), default=Value(False)),
        sort_name=_sort_name(_language()),
    )


def _filtered(filters: BoardFilters, today: date) -> QuerySet[Organisation]:
    """The active organisations the filters keep; archived ones have left the pipeline."""
    organisations = Organisation.objects.filter(archived_at__isnull=True)
    term = filters.q.strip()
    if term:
        organisations = organisations.filter(
            Q(name_en__icontains=term) | Q(name_fr__icontains=term)
        )
    if filters.sector:
        organisations = organisations.filter(sector__code=filters.sector)
    if filters.province:
        # Head office or served: Exists, so an organisation appears once without DISTINCT.
        serves = Organisation.provinces_served.through.objects.filter(
            organisation_id=OuterRef("pk"), province_id=filters.province.upper()
        )
        organisations = organisations.filter(
            Q(head_office_province_id=filters.province.upper()) | Exists(serves)
        )
    if filters.owner:
        organisations = organisations.filter(engagement__owner_id=filters.owner)
    if filters.overdue:
        organisations = organisations.filter(_overdue(today))
    return organisations


def pipeline_stage_counts(*, filters: BoardFilters) -> dict[str, int]:
    """How many organisations stand at each stage, every stage present (one grouped query)."""
    rows = (
        _filtered(filters, site_today())
        .annotate(pipeline_stage=_stage())
        .order_by()
        .values("pipeline_stage")
        .annotate(count=Count("pk"))
    )
    counts = dict.fromkeys((stage.value for stage in STAGES), 0)
    for row in rows:
        counts[row["pipeline_stage"]] = row["count"]
    return counts


def pipeline_board(
    *, filters: BoardFilters, per_stage: int = BOARD_COLUMN_SIZE
) -> dict[str, list[Organisation]]:
    """The first cards of every stage, longest-waiting first, in one query.

    A window numbers each stage's organisations and the query keeps the first
    `per_stage` of each, so a board of thousands costs what a board of ten does.
    """
    today = site_today()
    ranked = _cards(_filtered(filters, today), today).annotate(
        position=Window(
            RowNumber(),
            partition_by=[_stage()],
            order_by=[
                F("engagement__stage_since").asc(nulls_first=True),
                F("sort_name").asc(),
                F("pk").asc(),
            ],
        )
    )
    board: dict[str, list[Organisation]] = {stage.value: [] for stage in STAGES}
    for organisation in ranked.filter(position__lte=per_stage).order_by("position"):
        board[organisation.pipeline_stage].append(organisation)  # type: ignore[attr-defined]
    return board


def pipeline_stage_list(*, stage: str, filters: BoardFilters) -> QuerySet[Organisation]:
    """One stage's organisations, longest-waiting first, for a paginated page."""
    today = site_today()
    return (
        _cards(_filtered(filters, today), today)
        .filter(_at_stage(stage))
        .order_by(F("engagement__stage_since").asc(nulls_first=True), F("sort_name").asc(), "pk")
    )


def engagement_get(*, organisation: Organisation) -> Engagement | None:
    """The organisation's pipeline row, with its owners; None means *identified*."""
    return (
        Engagement.objects.select_related("owner", "next_step_owner")
        .filter(organisation=organisation)
        .first()
    )


def engagement_history(*, organisation: Organisation) -> QuerySet[EngagementEvent]:
    """Every step recorded with the organisation, newest first."""
    return EngagementEvent.objects.filter(organisation=organisation).select_related(
        "next_step_owner", "recorded_by"
    )


def engagement_last_event(*, organisation: Organisation) -> EngagementEvent | None:
    return engagement_history(organisation=organisation).first()


def engagement_event_list(
    *, organisation_slug: str = "", stage: str = "", since: date | None = None
) -> QuerySet[EngagementEvent]:
    """Steps across the pipeline for the API: by organisation, stage reached, and date."""
    events = EngagementEvent.objects.select_related(
        "organisation", "next_step_owner", "recorded_by"
    )
    if organisation_slug:
        events = events.filter(organisation__slug=organisation_slug)
    if stage:
        events = events.filter(to_stage=stage)
    if since is not None:
        events = events.filter(happened_on__gte=since)
    return events.order_by("-happened_on", "-pk")


def _next_steps(today: date) -> QuerySet[Engagement]:
    return (
        Engagement.objects.filter(organisation__archived_at__isnull=True)
        .exclude(next_step="")
        .filter(next_step_due__isnull=False)
        .select_related("organisation", "next_step_owner")
        .annotate(is_overdue=Case(When(next_step_due__lt=today, then=True), default=False))
        .order_by("next_step_due", "organisation__name", "pk")
    )


def overdue_next_steps(*, limit: int | None = None) -> list[Engagement]:
    """The next steps whose date has passed, oldest first (the staff home's list)."""
    today = site_today()
    steps = _next_steps(today).filter(next_step_due__lt=today)
    return list(steps[:limit] if limit else steps)


def overdue_next_step_count() -> int:
    today = site_today()
    return Organisation.objects.filter(archived_at__isnull=True).filter(_overdue(today)).count()


def my_next_steps(*, user: Any, limit: int = 10) -> list[Engagement]:
    """A staff member's own next steps, the overdue and soonest first."""
    if not getattr(user, "pk", None):
        return []
    return list(_next_steps(site_today()).filter(next_step_owner=user)[:limit])


def staff_people() -> QuerySet[User]:
    """Who may own a relationship or a next step: the backbone's staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(memberships__role=Role.STAFF) | Q(is_superuser=True))
        .distinct()
        .order_by("full_name", "email")
    )


def is_staff_person(user: User) -> bool:
    return staff_people().filter(pk=user.pk).exists()


def staff_person_get(*, pk: int | None = None, email: str = "") -> User | None:
    people = staff_people()
    if pk is not None:
        return people.filter(pk=pk).first()
    return people.filter(email__iexact=email).first() if email else None


def last_step_on(*, organisation: Organisation) -> date | None:
    """The date of the latest step recorded, so a change of stage is never dated before it."""
    found = (
        EngagementEvent.objects.filter(organisation=organisation)
        .order_by("-happened_on")
        .values_list("happened_on", flat=True)
        .first()
    )
    return found


def pipeline_panel(*, organisation: Organisation, history_size: int = 10) -> dict[str, Any]:
    """The organisation page's pipeline section: its row and latest steps (two queries)."""
    return {
        "engagement": engagement_get(organisation=organisation),
        "history": list(engagement_history(organisation=organisation)[:history_size]),
        "today": site_today(),
    }
