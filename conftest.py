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
