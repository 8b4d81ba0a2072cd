"""Django's Redis cache, keeping one Redis client per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` object on every
call, and building one fills its table of response callbacks (some 170 entries): about
a fifth of a millisecond, on each cache read. A signed-in page answered from the cache
reads its session there on every request, so that cost showed under load (issue 10).
A `redis.Redis` object is safe to share between threads (each command takes a
connection from the pool), so one per pool is kept.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._lib.Redis(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool
