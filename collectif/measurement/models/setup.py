"""What is measured and when: breakdowns, indicators, periods, datasets and their rules.

The reference data backbone staff set up (services/setup.py) and every channel reads.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.periods import describe_period

CODE_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{1,39}$",
    _("Use 2 to 40 lower-case letters, digits or underscores, starting with a letter."),
)


class Dimension(models.Model):
    """A way results are broken down: province, age group, gender, population group..."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=100)
    is_province = models.BooleanField(
        _("provinces and territories"),
        default=False,
        help_text=_("Members are the provinces and territories; results roll up by region."),
    )
    adds_up = models.BooleanField(
        _("parts add up to the total"),
        default=True,
        help_text=_(
            "Members are exclusive and cover everyone (age groups). Untick for groups that "
            "overlap (a young person can be both a newcomer and 2SLGBTQ+)."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return self.name


class DimensionMember(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="members")
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_+\-]{0,39}$")],
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["dimension__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="unique_member_code")
        ]
        verbose_name = _("dimension member")
        verbose_name_plural = _("dimension members")

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"{self.dimension.code}:{self.code}"


class Indicator(BaseModel):
    class Kind(models.TextChoices):
        POPULATION = "population", _("Population indicator")
        PERFORMANCE = "performance", _("Performance measure")

    class Question(models.TextChoices):
        HOW_MUCH = "how_much", _("How much did we do?")
        HOW_WELL = "how_well", _("How well did we do it?")
        BETTER_OFF = "better_off", _("Is anyone better off?")

    class Unit(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENT = "percent", _("Percent")
        DOLLARS = "dollars", _("Dollars")
        RATE_1000 = "rate_1000", _("Rate per 1,000")
        RATE_10000 = "rate_10000", _("Rate per 10,000")

    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        MEAN = "mean", _("Mean")
        WEIGHTED_MEAN = "weighted_mean", _("Weighted mean")
        LATEST = "latest", _("Latest value")

    class Frequency(models.TextChoices):
        YEAR = "year", _("Yearly")
        QUARTER = "quarter", _("Quarterly")
        MONTH = "month", _("Monthly")

    class Source(models.TextChoices):
        PARTNER = "partner", _("Reported by partners")
        SURVEY = "survey", _("Survey")
        CENSUS = "census", _("Census")
        COMPUTED = "computed", _("Computed from other indicators")

    class Consistency(models.TextChoices):
        ERROR = "error", _("Error: parts must add up to the total")
        WARNING = "warning", _("Warning only")

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    rationale = models.TextField(_("why it matters"), blank=True)
    story = models.TextField(
        _("story behind the curve"),
        blank=True,
        help_text=_("What the backbone team has learned about why the curve looks this way."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    question = models.CharField(
        _("Results-Based Accountability question"),
        max_length=12,
        choices=Question.choices,
        blank=True,
    )
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.COUNT)
    decimals = models.PositiveSmallIntegerField(
        _("decimals"), default=0, validators=[MaxValueValidator(4)]
    )
    polarity = models.CharField(
        _("polarity"), max_length=8, choices=Polarity.choices, default=Polarity.HIGHER
    )
    aggregation = models.CharField(
        _("how it combines"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM
    )
    weight_indicator = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="weighted_indicators",
        verbose_name=_("weighted by"),
    )
    frequency = models.CharField(
        _("reporting frequency"), max_length=8, choices=Frequency.choices, default=Frequency.QUARTER
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PARTNER
    )
    numerator = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("numerator"),
    )
    denominator = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("denominator"),
    )
    factor = models.DecimalField(_("factor"), max_digits=12, decimal_places=4, default=Decimal(1))
    dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="indicators", verbose_name=_("broken down by")
    )
    consistency = models.CharField(
        _("when parts and total disagree"),
        max_length=8,
        choices=Consistency.choices,
        default=Consistency.ERROR,
    )
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measurement:indicator_detail", kwargs={"code": self.code})

    @property
    def is_computed(self) -> bool:
        return self.source == self.Source.COMPUTED

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.is_computed and not (self.numerator_id and self.denominator_id):
            errors["numerator"] = str(
                _("A computed indicator needs a numerator and a denominator.")
            )
        if self.aggregation == self.Aggregation.WEIGHTED_MEAN and not self.weight_indicator_id:
            errors["weight_indicator"] = str(_("A weighted mean needs the indicator to weight by."))
        if self.pk and self.pk in {
            self.numerator_id,
            self.denominator_id,
            self.weight_indicator_id,
        }:
            errors["numerator"] = str(_("An indicator cannot be computed from itself."))
        if errors:
            raise ValidationError(errors)


class Period(models.Model):
    """A reporting period with a canonical code: 2026, FY2026, 2026Q1, 2026-03."""

    class Kind(models.TextChoices):
        YEAR = "year", _("Calendar year")
        FISCAL_YEAR = "fiscal_year", _("Fiscal year")
        QUARTER = "quarter", _("Quarter")
        MONTH = "month", _("Month")

    code = models.CharField(_("code"), max_length=10, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    opens_on = models.DateField(_("submissions open"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        ordering = ["start", "kind"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """The period as people say it: "April to June 2026", "avril à juin 2026"."""
        return describe_period(self)


class Dataset(BaseModel):
    """What a partner reports each period: a set of indicators, assigned to organisations."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=8,
        choices=Indicator.Frequency.choices,
        default=Indicator.Frequency.QUARTER,
    )
    indicators: "models.ManyToManyField[Indicator, DatasetIndicator]" = models.ManyToManyField(
        Indicator, through="DatasetIndicator", related_name="datasets"
    )
    organisations: "models.ManyToManyField[Organisation, models.Model]" = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="datasets",
        verbose_name=_("organisations that report it"),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.name


class DatasetIndicator(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["position", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "indicator"], name="unique_dataset_item")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.indicator_id}"


class ValidationRule(BaseModel):
    """A rule between two indicators of one organisation, e.g. new matches ≤ active mentors."""

    class Operator(models.TextChoices):
        LTE = "<=", "≤"
        LT = "<", "<"
        GTE = ">=", "≥"
        GT = ">", ">"
        EQ = "==", "="

    class Severity(models.TextChoices):
        ERROR = "error", _("Error (blocks the submission)")
        WARNING = "warning", _("Warning")

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    left = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    operator = models.CharField(_("comparison"), max_length=2, choices=Operator.choices)
    right = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.ERROR
    )
    message = models.CharField(_("message"), max_length=300)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")

    def __str__(self) -> str:
        return self.code
