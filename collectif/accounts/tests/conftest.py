from collections.abc import Iterator

import pytest

from collectif.core.testing import clear_cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth counts attempts in the cache; each test starts with a clean slate."""
    clear_cache()
    yield
    clear_cache()
