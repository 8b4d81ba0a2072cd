"""The Django admin for measurement reference data: a fallback for the backbone's
technical staff. Submissions are read-only here so every change goes through the
services and is audited."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from collectif.core.results_version import results_version_bump
from collectif.measurement.models import (
    Baseline,
    Dataset,
    DatasetIndicator,
    Dimension,
    DimensionMember,
    Indicator,
    Period,
    Rollup,
    Submission,
    Target,
    ValidationRule,
)


class MovesResults(admin.ModelAdmin[Any]):
    """An admin edit of what the results pages show moves the results version, as the
    services do, so the next request shows it rather than a page kept from before."""

    def save_related(  # noqa: PLR0917 - the signature is Django's
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        with transaction.atomic():
            results_version_bump()

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            results_version_bump()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            results_version_bump()


class DimensionMemberInline(admin.TabularInline[DimensionMember, Dimension]):
    model = DimensionMember
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(MovesResults, TranslationAdmin[Dimension]):
    list_display = ("code", "name", "is_province", "adds_up")
    inlines = [DimensionMemberInline]


@admin.register(Indicator)
class IndicatorAdmin(MovesResults, TranslationAdmin[Indicator]):
    list_display = ("code", "name", "kind", "unit", "aggregation", "is_published")
    list_filter = ("kind", "unit", "is_published")
    search_fields = ("code", "name_en", "name_fr")
    filter_horizontal = ("dimensions",)


class DatasetIndicatorInline(admin.TabularInline[DatasetIndicator, Dataset]):
    model = DatasetIndicator
    extra = 0


@admin.register(Dataset)
class DatasetAdmin(MovesResults, TranslationAdmin[Dataset]):
    list_display = ("code", "name", "frequency", "is_active")
    inlines = [DatasetIndicatorInline]
    filter_horizontal = ("organisations",)


@admin.register(Period)
class PeriodAdmin(MovesResults):
    list_display = ("code", "kind", "start", "end", "opens_on", "deadline")
    list_filter = ("kind",)


@admin.register(ValidationRule)
class ValidationRuleAdmin(TranslationAdmin[ValidationRule]):
    list_display = ("code", "left", "operator", "right", "severity", "is_active")


@admin.register(Baseline)
class BaselineAdmin(MovesResults):
    list_display = ("indicator", "region", "period", "value")


@admin.register(Target)
class TargetAdmin(MovesResults):
    list_display = ("plan_version", "indicator", "region", "period", "value")


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "dataset", "period", "status", "version", "submitted_at")
    list_filter = ("status", "dataset", "period")


@admin.register(Rollup)
class RollupAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "period", "region", "member", "total", "organisations")
    list_filter = ("region",)
