"""The results version: moved only by changes that commit, read once per request, and
the key every cached results page is kept under."""

from typing import Any
from unittest.mock import patch

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation

from collectif.core.models import ResultsVersion
from collectif.core.results_version import (
    request_results_version,
    results_cached,
    results_version,
    results_version_bump,
)


class Builds:
    """Counts how often a page part is computed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"<p>figures {self.count}</p>"


@pytest.mark.django_db
def test_a_committed_change_moves_the_version_and_a_rolled_back_one_does_not() -> None:
    before = results_version()
    with transaction.atomic():
        results_version_bump()
    moved = results_version()
    assert moved > before

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        results_version_bump()
        _ = 1 / 0

    assert results_version() == moved


@pytest.mark.django_db
def test_a_bump_outside_a_transaction_is_refused() -> None:
    """Committed on its own, a bump would come before the change it announces: a page
    read in between would keep the old figures under the new number."""
    outside = patch.object(transaction.get_connection(), "in_atomic_block", False)
    with outside, pytest.raises(RuntimeError):
        results_version_bump()


@pytest.mark.django_db
def test_the_version_survives_a_flush_and_never_goes_back() -> None:
    with transaction.atomic():
        results_version_bump()
    before = results_version()
    ResultsVersion.objects.all().delete()

    assert results_version() >= before  # the row is back, started from the clock
    ResultsVersion.objects.all().delete()
    with transaction.atomic():
        results_version_bump()
    assert ResultsVersion.objects.get().number >= before


@pytest.mark.django_db
def test_a_request_reads_the_version_once(django_assert_num_queries: Any) -> None:
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        first = request_results_version(request)
        again = request_results_version(request)
    assert first == again


@pytest.mark.django_db
def test_a_page_part_is_built_once_per_version_language_and_parameters() -> None:
    build = Builds()

    def page(language: str = "en", *parts: Any) -> str:
        with translation.override(language):
            return results_cached(RequestFactory().get("/"), "page", build, *parts)

    assert page() == page() == "<p>figures 1</p>"
    assert page("fr") == "<p>figures 2</p>"
    assert page("en", "staff") == "<p>figures 3</p>"
    with transaction.atomic():
        results_version_bump()
    assert page() == "<p>figures 4</p>"
    assert build.count == 4


@pytest.mark.django_db
def test_a_request_keeps_the_version_it_read_first() -> None:
    """Every part of one page comes from the same version, even if a change commits
    while the page is being built."""
    build = Builds()
    request = RequestFactory().get("/")
    results_cached(request, "top", build)
    with transaction.atomic():
        results_version_bump()
    assert results_cached(request, "top", build) == "<p>figures 1</p>"
    assert results_cached(RequestFactory().get("/"), "top", build) == "<p>figures 2</p>"


@pytest.mark.django_db
def test_a_page_that_does_not_exist_is_not_kept() -> None:
    """Otherwise anyone could fill the cache by asking for made-up names."""
    asked = []

    def missing() -> None:
        asked.append(1)

    for _ in range(2):
        assert results_cached(RequestFactory().get("/"), "page", missing, "no-such-code") is None
    assert len(asked) == 2
