"""The Django admin is a fallback for technical staff; its edits must reach the results
pages at the next request, as the services' do."""

from typing import Any

import pytest
from django.contrib import admin
from django.forms import modelform_factory
from django.test import RequestFactory

from collectif.core.results_version import results_version
from collectif.measurement.admin import IndicatorAdmin, PeriodAdmin
from collectif.measurement.models import Indicator, Period
from collectif.measurement.tests.factories import IndicatorFactory, PeriodFactory


@pytest.mark.django_db
def test_an_admin_change_moves_the_results_version() -> None:
    indicator = IndicatorFactory.create()
    before = results_version()
    form: Any = modelform_factory(Indicator, fields=["code"])(
        instance=indicator, data={"code": indicator.code}
    )
    form.is_valid()
    form.save(commit=False)
    IndicatorAdmin(Indicator, admin.site).save_related(RequestFactory().post("/"), form, [], True)
    assert results_version() > before


@pytest.mark.django_db
def test_an_admin_deletion_moves_the_results_version() -> None:
    period = PeriodFactory.create(code="2031Q2")
    before = results_version()
    PeriodAdmin(Period, admin.site).delete_model(RequestFactory().post("/"), period)
    assert results_version() > before
    assert not Period.objects.filter(pk=period.pk).exists()
