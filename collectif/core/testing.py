"""Test helpers every app uses to pin what a page or an endpoint costs in queries.

Lists are pinned the same way everywhere: the count for a few rows must equal the count
for many, so that an N+1 shows up as a failing test, never as a slow dashboard.
"""

from collections.abc import Callable, Mapping

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries_for(client: Client, url: str, *, headers: Mapping[str, str] | None = None) -> int:
    """The queries one GET costs; the answer must be 200, or the count would mean nothing."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=dict(headers or {}))
    assert response.status_code == 200, response.content[:500]
    return len(captured.captured_queries)


def same_queries_for_3_and_30(
    client: Client,
    url: str,
    add: Callable[[int], object],
    *,
    headers: Mapping[str, str] | None = None,
) -> int:
    """Add 3 rows, count, add 27 more, count again: both counts must match; return it."""
    add(3)
    few = queries_for(client, url, headers=headers)
    add(27)
    many = queries_for(client, url, headers=headers)
    assert few == many, f"{url}: {few} queries for 3 rows, {many} for 30"
    return few


def clear_cache() -> None:
    """Empty this test process's cache. On a Redis shared by several pytest-xdist workers
    only this worker's keys go (its KEY_PREFIX): `cache.clear()` would empty the others'
    in the middle of their tests, sessions included, and change what they count."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]  # Django's own client
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
