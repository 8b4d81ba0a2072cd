"""The demo movement's engagement pipeline: who the backbone has approached, and how far.

Every active demo organisation gets a history of one to five steps over the last
eighteen months, recorded through the pipeline's own service by one of the backbone's
staff, so the board, the histories and the audit log read as they would in real use.
Some next steps are left overdue for the staff home to show.

Two places are thin on purpose, so the gap matrix has something to show: no business
working in the three territories got past *engaged* (no committed business partner
there), and no government working in the Atlantic provinces got past *approached*.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from collectif.accounts.models import Membership, Role, User
from collectif.core.manifest import DemoOutput
from collectif.ecosystem.demo import BACKBONE_SLUG, DEMO_STEWARD_ORGANISATIONS
from collectif.ecosystem.demo_people import DEMO_PASSWORD
from collectif.ecosystem.domain.engagement import ASIDE, FORWARD, site_today
from collectif.ecosystem.models import (
    STAGE_RANK,
    Channel,
    Engagement,
    EngagementEvent,
    Organisation,
    Stage,
)
from collectif.ecosystem.services.engagement import engagement_assign, engagement_record

# Two more backbone staff, so the board's "looked after by" filter has people to choose.
# (e-mail, full name, preferred language)
PIPELINE_STAFF = [
    ("kwame.asante@example.org", "Kwame Asante", "en"),
    ("lea.fortin@example.org", "Léa Fortin", "fr"),
]
STAFF_EMAILS = ["staff@example.org", *(email for email, _name, _language in PIPELINE_STAFF)]

TERRITORIES = frozenset({"YT", "NT", "NU"})
ATLANTIC = frozenset({"NL", "PE", "NS", "NB"})
# (sector, provinces, the furthest stage reached there): the deliberately thin places.
CEILINGS = (
    ("business", TERRITORIES, Stage.ENGAGED),
    ("government", ATLANTIC, Stage.APPROACHED),
)
HISTORY_DAYS = 548  # eighteen months
OVERDUE_SHARE = 0.3

STAGE_WEIGHTS = {
    Stage.IDENTIFIED: 14,
    Stage.APPROACHED: 18,
    Stage.IN_CONVERSATION: 16,
    Stage.ENGAGED: 15,
    Stage.COMMITTED: 22,
    Stage.DECLINED: 7,
    Stage.DORMANT: 8,
}
CHANNEL_WEIGHTS = {
    Channel.EMAIL: 5,
    Channel.MEETING: 4,
    Channel.PHONE: 3,
    Channel.EVENT: 2,
    Channel.OTHER: 1,
}

# What staff wrote about a step reaching each stage, in English and in French.
NOTES = {
    Stage.IDENTIFIED: (
        "Named by two partners at the regional table.",
        "Nommé par deux partenaires à la table régionale.",
    ),
    Stage.APPROACHED: (
        "Sent our introduction and the movement's one-pager.",
        "Envoi de notre présentation et de la fiche du mouvement.",
    ),
    Stage.IN_CONVERSATION: (
        "Good first meeting; they want to see the shared measures.",
        "Bonne première rencontre\u202f; ils veulent voir les mesures communes.",
    ),
    Stage.ENGAGED: (
        "Joined the working group on mentor recruitment.",
        "A rejoint le groupe de travail sur le recrutement des mentors.",
    ),
    Stage.COMMITTED: (
        "Signed the partnership charter.",
        "A signé la charte de partenariat.",
    ),
    Stage.DECLINED: (
        "Not a priority for their board this year.",
        "Pas une priorité pour leur conseil cette année.",
    ),
    Stage.DORMANT: (
        "No answer since the spring; contact left the organisation.",
        "Aucune réponse depuis le printemps\u202f; la personne-ressource est partie.",
    ),
}
NEXT_STEPS = {
    Stage.IDENTIFIED: ("Find the right contact", "Trouver la bonne personne-ressource"),
    Stage.APPROACHED: ("Follow up by phone", "Relancer par téléphone"),
    Stage.IN_CONVERSATION: ("Send the partnership terms", "Envoyer les modalités de partenariat"),
    Stage.ENGAGED: (
        "Invite them to the next partners' meeting",
        "Inviter à la prochaine rencontre",
    ),
    Stage.COMMITTED: ("Plan the first shared report", "Planifier le premier rapport commun"),
    Stage.DORMANT: ("Try again after the summer", "Réessayer après l’été"),
}


@dataclass(frozen=True)
class Step:
    to_stage: Stage
    happened_on: date
    channel: str


def _staff() -> list[User]:
    """The demo's staff member, plus the two this loader adds to the backbone team."""
    backbone = Organisation.objects.get(slug=BACKBONE_SLUG)
    for email, name, language in PIPELINE_STAFF:
        person = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, preferred_language=language
        )
        Membership.objects.create(user=person, organisation=backbone, role=Role.STAFF)
    return list(User.objects.filter(email__in=STAFF_EMAILS).order_by("email"))


def _ceiling(organisation: Organisation, places: set[str]) -> Stage | None:
    for sector, provinces, stage in CEILINGS:
        if organisation.sector.code == sector and places & provinces:
            return stage
    return None


def _final_stage(rng: random.Random, organisation: Organisation, places: set[str]) -> Stage:
    if organisation.slug in DEMO_STEWARD_ORGANISATIONS:
        return Stage.COMMITTED  # their stewards already report data
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
    ceiling = _ceiling(organisation, places)
    if ceiling is not None and STAGE_RANK[stage] > STAGE_RANK[ceiling]:
        return ceiling
    return stage


def _path(rng: random.Random, final: Stage) -> list[Stage]:
    """The stages each step reached, oldest first: forward with skips, at most five."""
    if final == Stage.IDENTIFIED:
        return [Stage.IDENTIFIED]
    if final in ASIDE:
        reached = rng.choice(FORWARD[1:4])
        before = _path(rng, reached)[:3]
        return [*before, final]
    end = FORWARD.index(final)
    between = [stage for stage in FORWARD[1:end] if rng.random() < 0.6]
    path = [*between, final]
    if len(path) < 5 and rng.random() < 0.3:
        path.insert(rng.randrange(len(path)), path[0])  # a follow-up at the same stage
        path = sorted(path, key=FORWARD.index)
    return path[-5:]


def _dates(rng: random.Random, count: int, today: date) -> list[date]:
    days_ago = sorted(rng.sample(range(4, HISTORY_DAYS), count), reverse=True)
    return [today - timedelta(days=days) for days in days_ago]


def _next_step(
    rng: random.Random, *, stage: Stage, last: date, today: date, french: bool
) -> tuple[str, date | None]:
    if stage not in NEXT_STEPS:
        return "", None
    text = NEXT_STEPS[stage][1 if french else 0]
    if rng.random() < OVERDUE_SHARE:
        return text, last + timedelta(days=rng.randint(0, (today - last).days - 1))
    return text, today + timedelta(days=rng.randint(3, 60))


def _record_history(
    rng: random.Random, organisation: Organisation, *, final: Stage, owner: User, today: date
) -> None:
    path = _path(rng, final)
    french = owner.preferred_language == "fr"
    dates = _dates(rng, len(path), today)
    channels = list(CHANNEL_WEIGHTS)
    for number, (stage, happened_on) in enumerate(zip(path, dates, strict=True), start=1):
        last = number == len(path)
        next_step, due = (
            _next_step(rng, stage=stage, last=happened_on, today=today, french=french)
            if last
            else ("", None)
        )
        engagement_record(
            actor=owner,
            organisation=organisation,
            to_stage=stage,
            happened_on=happened_on,
            channel=rng.choices(channels, weights=list(CHANNEL_WEIGHTS.values()))[0],
            note=NOTES[stage][1 if french else 0],
            next_step=next_step,
            next_step_owner=owner if next_step else None,
            next_step_due=due,
        )
    if final == Stage.IDENTIFIED:
        # Listed when first named, not on the day the demo was loaded.
        Engagement.objects.filter(organisation=organisation).update(stage_since=dates[0])


def load(*, rng: random.Random, out: DemoOutput) -> None:
    staff = _staff()
    today = site_today()
    organisations = list(
        Organisation.objects.filter(archived_at__isnull=True)
        .exclude(slug=BACKBONE_SLUG)
        .select_related("sector")
        .prefetch_related("provinces_served")
        .order_by("slug")
    )
    for organisation in out.progress(organisations, "Pipeline", total=len(organisations)):
        places = {organisation.head_office_province_id} | {
            p.code for p in organisation.provinces_served.all()
        }
        owner = rng.choice(staff)
        final = _final_stage(rng, organisation, places)
        if rng.random() < 0.85:
            engagement_assign(actor=owner, organisation=organisation, owner=owner)
        _record_history(rng, organisation, final=final, owner=owner, today=today)


def is_loaded() -> bool:
    return EngagementEvent.objects.exists()


def _thin_place_count(sector: str, provinces: frozenset[str], ceiling: Stage) -> int:
    """Organisations of the sector working there that went past the ceiling (should be 0)."""
    beyond = [s for s in FORWARD if STAGE_RANK[s] > STAGE_RANK[ceiling]]
    serves = Organisation.provinces_served.through.objects.filter(
        organisation_id=OuterRef("pk"), province_id__in=provinces
    )
    return (
        Organisation.objects.filter(
            sector__code=sector, engagement__stage__in=beyond, archived_at__isnull=True
        )
        .filter(Q(head_office_province_id__in=provinces) | Exists(serves))
        .count()
    )


def summary() -> list[str]:
    stages = Counter(
        Engagement.objects.filter(organisation__archived_at__isnull=True).values_list(
            "stage", flat=True
        )
    )
    today = site_today()
    overdue = (
        Engagement.objects.filter(next_step_due__lt=today, organisation__archived_at__isnull=True)
        .exclude(next_step="")
        .count()
    )
    by_stage = ", ".join(f"{Stage(stage).label} {stages[stage]}" for stage in Stage.values)
    business, government = (_thin_place_count(*ceiling) for ceiling in CEILINGS)
    return [
        f"Pipeline: {EngagementEvent.objects.count()} steps recorded; {by_stage}; "
        f"{overdue} next steps overdue; staff who own them: {', '.join(STAFF_EMAILS)}.",
        "Thin on purpose: no business in Yukon, the Northwest Territories or Nunavut "
        f"beyond engaged ({business} found), no government in the Atlantic provinces "
        f"beyond approached ({government} found).",
    ]
