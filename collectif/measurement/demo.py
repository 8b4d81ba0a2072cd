"""The demo movement's shared measurement: indicators, a quarterly dataset, about 100
reporting partners, 2022Q1 to 2026Q3, an original and a revised plan.

Rows are written in bulk (tens of thousands of values) and the rollups rebuilt once at
the end; the workflow services are exercised by the tests, not needed to seed history.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from collectif.accounts.models import User
from collectif.agenda import demo as agenda_demo
from collectif.core.manifest import DemoOutput
from collectif.core.results_version import results_version_bump
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain import rollups
from collectif.measurement.domain.breakdowns import make_key
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.domain.results import cell_value
from collectif.measurement.models import (
    CANADA,
    Baseline,
    Dataset,
    DatasetIndicator,
    Dimension,
    Indicator,
    Period,
    Rollup,
    Submission,
    SubmissionVersion,
    Target,
    ValidationRule,
    Value,
)

DATASET_CODE = "quarterly_report"
FIRST_YEAR, LAST_YEAR = 2022, 2026
LAST_QUARTER = "2026Q3"
REPORTING_PARTNERS = 100


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name_en: str
    name_fr: str
    definition_en: str
    definition_fr: str
    question: str
    dimensions: tuple[str, ...]
    polarity: str = Indicator.Polarity.HIGHER
    unit: str = Indicator.Unit.COUNT
    aggregation: str = Indicator.Aggregation.SUM
    kind: str = Indicator.Kind.PERFORMANCE
    base: tuple[int, int] = (20, 120)  # a partner's first-quarter total, drawn in this range
    growth: float = 0.02  # per quarter, on average


INDICATORS = [
    DemoIndicator(
        "youth_served",
        "Young people served",
        "Jeunes servis",
        "Young people aged 6 to 24 in an active mentoring relationship during the quarter.",
        "Jeunes de 6 à 24 ans dans une relation de mentorat active au cours du trimestre.",
        Indicator.Question.HOW_MUCH,
        ("province", "age", "gender"),
        base=(40, 260),
    ),
    DemoIndicator(
        "active_mentors",
        "Active mentors",
        "Personnes mentores actives",
        "Volunteers matched with a young person at any time during the quarter.",
        "Bénévoles jumelés avec une jeune personne à un moment du trimestre.",
        Indicator.Question.HOW_MUCH,
        ("province", "gender"),
        base=(35, 220),
    ),
    DemoIndicator(
        "new_matches",
        "New mentoring matches",
        "Nouveaux jumelages",
        "Mentoring relationships that started during the quarter.",
        "Relations de mentorat commencées au cours du trimestre.",
        Indicator.Question.HOW_MUCH,
        ("province", "age"),
        base=(5, 40),
    ),
    DemoIndicator(
        "matches_12_months",
        "Matches lasting 12 months or more",
        "Jumelages de 12 mois ou plus",
        "Active relationships that have lasted at least a year at the end of the quarter.",
        "Relations actives qui durent depuis au moins un an à la fin du trimestre.",
        Indicator.Question.HOW_WELL,
        ("province",),
        base=(10, 90),
        growth=0.025,
    ),
    DemoIndicator(
        "waitlist",
        "Young people on waitlists",
        "Jeunes en liste d’attente",
        "Young people waiting for a mentor at the end of the quarter.",
        "Jeunes qui attendent une personne mentore à la fin du trimestre.",
        Indicator.Question.HOW_MUCH,
        ("province", "age"),
        polarity=Indicator.Polarity.LOWER,
        base=(5, 80),
        growth=-0.01,
    ),
    DemoIndicator(
        "volunteer_inquiries",
        "Volunteer inquiries",
        "Demandes de bénévoles",
        "People who asked to become a mentor during the quarter.",
        "Personnes qui ont demandé à devenir mentores au cours du trimestre.",
        Indicator.Question.HOW_MUCH,
        ("province",),
        base=(8, 70),
        growth=0.03,
    ),
    DemoIndicator(
        "caring_adult_share",
        "Share of youth reporting a caring adult",
        "Part des jeunes qui disent avoir un adulte bienveillant",
        "Percentage of mentored youth who answer yes to “there is an adult in my life who "
        "cares about me”, in the program's own survey.",
        "Pourcentage des jeunes mentorés qui répondent oui à « il y a un adulte dans ma vie "
        "qui se soucie de moi », dans le sondage du programme.",
        Indicator.Question.BETTER_OFF,
        (),
        unit=Indicator.Unit.PERCENT,
        aggregation=Indicator.Aggregation.WEIGHTED_MEAN,
        base=(62, 80),
        growth=0.004,
    ),
]

AGE_SHARES = {"6-11": 0.3, "12-17": 0.5, "18-24": 0.2}
GENDER_SHARES = {"women": 0.52, "men": 0.42, "diverse": 0.04, "not-stated": 0.02}
RETURN_COMMENTS = [
    (
        "The new matches by age do not add up to the total. Please check and resubmit.",
        "Les nouveaux jumelages par âge ne correspondent pas au total. Merci de vérifier.",
    ),
    (
        "Active mentors dropped by half since last quarter: is this right?",
        "Le nombre de personnes mentores a diminué de moitié : est-ce exact ?",
    ),
]


def is_loaded() -> bool:
    return Dataset.objects.filter(code=DATASET_CODE).exists()


def summary() -> list[str]:
    values = Value.objects.count()
    partners = Submission.objects.values("organisation").distinct().count()
    return [f"Shared measurement: {partners} reporting partners, {values:,} reported values."]


def _split(total: int, shares: dict[str, float], rng: random.Random) -> dict[str, int]:
    """Split a total into parts that add up exactly (largest remainder)."""
    raw = {key: total * share * rng.uniform(0.85, 1.15) for key, share in shares.items()}
    scale = total / sum(raw.values()) if raw else 0
    parts = {key: int(value * scale) for key, value in raw.items()}
    remainder = total - sum(parts.values())
    for key in sorted(raw, key=lambda k: raw[k] * scale - parts[k], reverse=True)[:remainder]:
        parts[key] += 1
    return parts


def _periods() -> dict[str, Period]:
    periods: dict[str, Period] = {}
    codes = [str(y) for y in range(FIRST_YEAR, LAST_YEAR + 2)]
    codes += [f"{y}Q{q}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)]
    for code in codes:
        span = parse_period(code)
        period, _created = Period.objects.update_or_create(
            code=code,
            defaults={
                "kind": span.kind,
                "start": span.start,
                "end": span.end,
                "opens_on": span.end - timedelta(days=14) if span.kind == "quarter" else None,
                "deadline": span.end + timedelta(days=30) if span.kind == "quarter" else None,
            },
        )
        periods[code] = period
    return periods


def _indicators() -> dict[str, Indicator]:
    dimensions = {d.code: d for d in Dimension.objects.all()}
    indicators: dict[str, Indicator] = {}
    for position, spec in enumerate(INDICATORS, start=1):
        indicator = Indicator.objects.create(
            code=spec.code,
            name_en=spec.name_en,
            name_fr=spec.name_fr,
            definition_en=spec.definition_en,
            definition_fr=spec.definition_fr,
            kind=spec.kind,
            question=spec.question,
            unit=spec.unit,
            decimals=1 if spec.unit == Indicator.Unit.PERCENT else 0,
            polarity=spec.polarity,
            aggregation=spec.aggregation,
            frequency=Indicator.Frequency.QUARTER,
            source=Indicator.Source.PARTNER,
            is_published=True,
            position=position,
        )
        indicator.dimensions.set([dimensions[code] for code in spec.dimensions])
        indicators[spec.code] = indicator
    share = indicators["caring_adult_share"]
    share.weight_indicator = indicators["youth_served"]
    share.save(update_fields=["weight_indicator"])
    indicators["waitlist_ratio"] = Indicator.objects.create(
        code="waitlist_ratio",
        name_en="Young people waiting per 100 served",
        name_fr="Jeunes en attente pour 100 jeunes servis",
        definition_en="Young people on waitlists divided by young people served, times 100.",
        definition_fr="Jeunes en liste d’attente divisés par les jeunes servis, multiplié par 100.",
        kind=Indicator.Kind.POPULATION,
        question=Indicator.Question.HOW_WELL,
        unit=Indicator.Unit.PERCENT,
        decimals=1,
        polarity=Indicator.Polarity.LOWER,
        source=Indicator.Source.COMPUTED,
        numerator=indicators["waitlist"],
        denominator=indicators["youth_served"],
        factor=Decimal(100),
        is_published=True,
        position=len(INDICATORS) + 1,
    )
    Indicator.objects.filter(pk=indicators["youth_served"].pk).update(
        story_en=(
            "Growth slowed in 2024 when two large programs in Ontario lost funding; the "
            "revised plan lowered the targets accordingly. Recruiting mentors, not demand, "
            "limits how many young people programs can serve."
        ),
        story_fr=(
            "La croissance a ralenti en 2024 quand deux grands programmes de l’Ontario ont "
            "perdu leur financement ; le plan révisé a abaissé les cibles en conséquence. C’est "
            "le recrutement de personnes mentores, et non la demande, qui limite le nombre de "
            "jeunes servis."
        ),
    )
    ValidationRule.objects.create(
        code="matches_within_mentors",
        left=indicators["new_matches"],
        operator=ValidationRule.Operator.LTE,
        right=indicators["active_mentors"],
        severity=ValidationRule.Severity.ERROR,
        message_en="New matches cannot be more than active mentors.",
        message_fr="Les nouveaux jumelages ne peuvent pas dépasser les personnes mentores actives.",
    )
    ValidationRule.objects.create(
        code="long_matches_within_youth",
        left=indicators["matches_12_months"],
        operator=ValidationRule.Operator.LTE,
        right=indicators["youth_served"],
        severity=ValidationRule.Severity.WARNING,
        message_en="Matches of 12 months or more are usually fewer than young people served.",
        message_fr=(
            "Les jumelages de 12 mois ou plus sont habituellement moins nombreux que les "
            "jeunes servis."
        ),
    )
    return indicators


def _partners(rng: random.Random) -> list[Organisation]:
    from collectif.ecosystem.demo import DEMO_STEWARD_ORGANISATIONS

    candidates = list(
        Organisation.objects.filter(
            archived_at__isnull=True,
            sector__code__in=["non-profit", "youth-led", "community", "education"],
        )
        .exclude(slug="backbone")
        .order_by("slug")
    )
    chosen = [o for o in candidates if o.slug in DEMO_STEWARD_ORGANISATIONS]
    others = [o for o in candidates if o.slug not in DEMO_STEWARD_ORGANISATIONS]
    rng.shuffle(others)
    return chosen + others[: REPORTING_PARTNERS - len(chosen)]


def _organisation_values(
    indicators: dict[str, Indicator],
    *,
    level: dict[str, float],
    served: list[str],
    rng: random.Random,
) -> list[tuple[Indicator, str, Decimal]]:
    """One partner's values for a quarter: totals near its level, parts that add up."""
    cells: list[tuple[Indicator, str, Decimal]] = []
    totals: dict[str, int] = {}
    for spec in INDICATORS:
        indicator = indicators[spec.code]
        value = level[spec.code] * rng.uniform(0.93, 1.07)
        if spec.unit == Indicator.Unit.PERCENT:
            cells.append((indicator, "", Decimal(f"{min(value, 99.0):.1f}")))
            continue
        total = max(0, round(value))
        if spec.code == "new_matches":
            total = min(total, totals["active_mentors"])
        if spec.code == "matches_12_months":
            total = min(total, totals["youth_served"])
        totals[spec.code] = total
        cells.append((indicator, "", Decimal(total)))
        if "province" in spec.dimensions and len(served) > 1:
            shares = {code: 1 / len(served) for code in served}
            for code, part in _split(total, shares, rng).items():
                cells.append((indicator, make_key({"province": code}), Decimal(part)))
        if "age" in spec.dimensions:
            for code, part in _split(total, AGE_SHARES, rng).items():
                cells.append((indicator, make_key({"age": code}), Decimal(part)))
        if "gender" in spec.dimensions:
            for code, part in _split(total, GENDER_SHARES, rng).items():
                cells.append((indicator, make_key({"gender": code}), Decimal(part)))
    return cells


def _plans(indicators: dict[str, Indicator], periods: dict[str, Period]) -> None:
    original, revised = agenda_demo.original_and_current()
    for spec in INDICATORS:
        indicator = indicators[spec.code]
        baseline = Baseline.objects.filter(indicator=indicator, region=CANADA).first()
        if baseline is None:
            continue
        for year in range(FIRST_YEAR + 1, LAST_YEAR + 2):
            steps = year - FIRST_YEAR
            if spec.unit == Indicator.Unit.PERCENT:
                original_value = min(95, float(baseline.value) + 2.0 * steps)
                revised_value = min(95, float(baseline.value) + 1.5 * steps)
            else:
                sign = 1 if spec.polarity == Indicator.Polarity.HIGHER else -1
                original_value = float(baseline.value) * (1 + sign * 0.10) ** steps
                rate = 0.10 if year < 2024 else 0.06
                revised_value = float(baseline.value) * (1 + sign * rate) ** steps
            for plan, value in ((original, original_value), (revised, revised_value)):
                Target.objects.create(
                    plan_version=plan,
                    indicator=indicator,
                    region=CANADA,
                    period=periods[str(year)],
                    value=Decimal(f"{value:.1f}"),
                )


def load(*, rng: random.Random, out: DemoOutput) -> None:
    periods = _periods()
    indicators = _indicators()
    dataset = Dataset.objects.create(
        code=DATASET_CODE,
        name_en="Quarterly program report",
        name_fr="Rapport trimestriel des programmes",
        description_en="What each mentoring program reports every quarter.",
        description_fr="Ce que chaque programme de mentorat déclare chaque trimestre.",
        frequency=Indicator.Frequency.QUARTER,
    )
    DatasetIndicator.objects.bulk_create(
        DatasetIndicator(dataset=dataset, indicator=indicators[s.code], position=i)
        for i, s in enumerate(INDICATORS, start=1)
    )
    partners = _partners(rng)
    dataset.organisations.set(partners)
    steward = User.objects.filter(email="steward@example.org").first()
    staff = User.objects.filter(email="staff@example.org").first()
    from collectif.ecosystem.demo import DEMO_STEWARD_ORGANISATIONS

    quarters = sorted(
        (p for p in periods.values() if p.kind == "quarter" and p.code <= LAST_QUARTER),
        key=lambda p: p.start,
    )
    tz = timezone.get_default_timezone()
    values: list[Value] = []
    for organisation in out.progress(partners, "Measurement", total=len(partners)):
        served = sorted(organisation.provinces_served.values_list("code", flat=True)) or [
            organisation.head_office_province_id
        ]
        level = {s.code: float(rng.randint(*s.base)) for s in INDICATORS}
        joined = rng.choice(quarters[:6]) if rng.random() < 0.3 else quarters[0]
        is_steward_org = organisation.slug in DEMO_STEWARD_ORGANISATIONS
        for period in quarters:
            for spec in INDICATORS:
                level[spec.code] *= 1 + spec.growth + rng.uniform(-0.02, 0.02)
            if period.start < joined.start:
                continue
            is_last = period.code == LAST_QUARTER
            roll = rng.random()
            if is_last and (is_steward_org or roll < 0.15):
                continue  # not reported yet: late, or waiting for the steward's journey
            if not is_last and roll < 0.02:
                continue  # a gap in the history: a missed quarter
            status = Submission.Status.APPROVED
            if is_last:
                status = Submission.Status.SUBMITTED if roll < 0.55 else status
                status = Submission.Status.DRAFT if 0.15 <= roll < 0.22 else status
            comment = ""
            if not is_last and roll > 0.985:
                status = Submission.Status.RETURNED
                comment = rng.choice(RETURN_COMMENTS)[0 if rng.random() < 0.5 else 1]
            submitted_at = timezone.make_aware(
                datetime.combine(period.end + timedelta(days=rng.randint(3, 40)), time(10)), tz
            )
            submission = Submission.objects.create(
                organisation=organisation,
                dataset=dataset,
                period=period,
                status=status,
                version=0 if status == Submission.Status.DRAFT else 1,
                channel=rng.choice(list(Submission.Channel.values)),
                submitted_by=steward if is_steward_org else None,
                submitted_at=None if status == Submission.Status.DRAFT else submitted_at,
                reviewed_by=staff if status in {"approved", "returned"} else None,
                reviewed_at=(
                    submitted_at + timedelta(days=rng.randint(1, 10))
                    if status in {"approved", "returned"}
                    else None
                ),
                review_comment=comment,
            )
            cells = _organisation_values(indicators, level=level, served=served, rng=rng)
            values.extend(
                Value(
                    submission=submission,
                    indicator=indicator,
                    organisation=organisation,
                    period=period,
                    breakdown=breakdown,
                    value=value,
                )
                for indicator, breakdown, value in cells
            )
            if submission.version:
                SubmissionVersion.objects.create(
                    submission=submission,
                    number=1,
                    created_by=submission.submitted_by,
                    channel=submission.channel,
                    values=[
                        {"indicator": i.code, "breakdown": b, "value": str(v)} for i, b, v in cells
                    ],
                )
            if len(values) > 20_000:
                Value.objects.bulk_create(values, batch_size=5000)
                values = []
    Value.objects.bulk_create(values, batch_size=5000)
    # Each version was sent when its submission says (creating it stamped the load time).
    SubmissionVersion.objects.filter(submission__dataset=dataset).update(
        created_at=Subquery(
            Submission.objects.filter(pk=OuterRef("submission_id")).values("submitted_at")[:1]
        )
    )
    rollups.rebuild_all()
    _baselines(indicators, periods)
    _plans(indicators, periods)
    results_version_bump()


def _baselines(indicators: dict[str, Indicator], periods: dict[str, Period]) -> None:
    """The first year's fourth quarter is the baseline the original plan compared against,
    read as the scorecard reads it, so the demo's status starts from the figure shown."""
    period = periods[f"{FIRST_YEAR}Q4"]
    for spec in INDICATORS:
        indicator = indicators[spec.code]
        rollup = Rollup.objects.filter(
            indicator=indicator, period=period, region=CANADA, member=""
        ).first()
        value = cell_value(rollup, indicator)
        if value is None:
            continue
        Baseline.objects.create(
            indicator=indicator,
            region=CANADA,
            period=period,
            value=value.quantize(Decimal("0.1")),
            source_en="Partners' approved reports, fourth quarter of 2022",
            source_fr="Rapports approuvés des partenaires, quatrième trimestre de 2022",
        )
