"""Project-wide test configuration."""

from collections.abc import Iterator

import pytest
from django.utils import translation
from hypothesis import settings

# Property tests run on a loaded 2-core CI machine: no per-example deadline.
settings.register_profile("collectif", deadline=None, max_examples=100)
settings.load_profile("collectif")


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English, whatever language an earlier test on the worker left."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: every test database starts from the same
    results version, so a page another test kept would otherwise be served.

    On Redis only this worker's keys go (its KEY_PREFIX): the other workers share the
    database and are in the middle of their own tests.
    """
    from collectif.core.results_version import forget_local_pages  # needs the app registry
    from collectif.core.testing import clear_cache

    forget_local_pages()
    clear_cache()
