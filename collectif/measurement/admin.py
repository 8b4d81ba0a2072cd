"""The Django admin for measurement reference data: a fallback for the backbone's
technical staff. Submissions are read-only here so every change goes through the
services and is audited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

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


class DimensionMemberInline(admin.TabularInline[DimensionMember, Dimension]):
    model = DimensionMember
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(TranslationAdmin[Dimension]):
    list_display = ("code", "name", "is_province", "adds_up")
    inlines = [DimensionMemberInline]


@admin.register(Indicator)
class IndicatorAdmin(TranslationAdmin[Indicator]):
    list_display = ("code", "name", "kind", "unit", "aggregation", "is_published")
    list_filter = ("kind", "unit", "is_published")
    search_fields = ("code", "name_en", "name_fr")
    filter_horizontal = ("dimensions",)


class DatasetIndicatorInline(admin.TabularInline[DatasetIndicator, Dataset]):
    model = DatasetIndicator
    extra = 0


@admin.register(Dataset)
class DatasetAdmin(TranslationAdmin[Dataset]):
    list_display = ("code", "name", "frequency", "is_active")
    inlines = [DatasetIndicatorInline]
    filter_horizontal = ("organisations",)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin[Period]):
    list_display = ("code", "kind", "start", "end", "opens_on", "deadline")
    list_filter = ("kind",)


@admin.register(ValidationRule)
class ValidationRuleAdmin(TranslationAdmin[ValidationRule]):
    list_display = ("code", "left", "operator", "right", "severity", "is_active")


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin[Baseline]):
    list_display = ("indicator", "region", "period", "value")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin[Target]):
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
