"""The Redis cache keeps one client per connection pool (collectif/core/cache.py)."""

import os
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from collectif.core.cache import RedisCache

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def test_reads_and_writes_share_one_client_and_values_come_back() -> None:
    cache = RedisCache(REDIS, {"KEY_PREFIX": "test-cache"})
    try:
        cache.set("figures", {"served": 1234}, 30)
    except RedisConnectionError:
        pytest.skip(f"no Redis at {REDIS}")
    assert cache.get("figures") == {"served": 1234}
    clients: Any = cache._cache  # type: ignore[attr-defined]  # Django's own client
    client = clients.get_client()
    assert clients.get_client(write=True) is client
    assert clients.get_client("figures") is client
    cache.delete("figures")
    assert cache.get("figures") is None
