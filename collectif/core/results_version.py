"""The results version: one number that moves with everything the results pages show.

Every service that changes what a results page shows (an approval, a return, a
reopening, a rollup rebuild, a change to an indicator, a period, a target or a plan)
calls `results_version_bump()` inside its own transaction. Pages keep what they computed
under the version the request read first (`results_cached`). A change that rolls back
leaves the number alone; one that commits makes every entry kept under the old number
unreachable at once, in every process, so the very next request computes afresh.
Decision 0027 says why a row rather than signals or expiry.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from collectif.core.models import ResultsVersion

T = TypeVar("T")

ROW = 1
# Entries of earlier versions are never read again; the cache forgets them after a day.
CACHE_SECONDS = 24 * 3600
# Where a request keeps the number it read, so that one page reads it once.
_ON_REQUEST = "_collectif_results_version"
# Where the authentication backend leaves the number it read with the signed-in account
# (accounts/backends.py), in the same query, at the start of the request.
VERSION_READ_WITH_USER = "_collectif_results_version_read"
# What a page is made of besides the data: a deploy that changes any of these files
# starts new entries, so old markup is never served from a shared cache.
_SOURCES = {".py", ".html", ".mo"}


def _clock() -> int:
    """Microseconds since 1970: where a version starts and the least a bump moves it to,
    so that a database restored from a backup never reuses a number whose entries
    another state of the data filled."""
    return time.time_ns() // 1000


def _number() -> int | None:
    """Read on every results request, so written without the ORM's query building, which
    costs more than the query itself."""
    table = ResultsVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = %s", [ROW])  # noqa: S608
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _create_row() -> None:
    """The row a flush removed (the migration creates it): started from the clock."""
    ResultsVersion.objects.bulk_create(
        [ResultsVersion(pk=ROW, number=_clock())], ignore_conflicts=True
    )


def results_version() -> int:
    """The current number: one query (two just after a flush, which removes the row)."""
    number = _number()
    if number is None:
        _create_row()
        number = _number()
    return cast(int, number)


def results_version_bump() -> None:
    """Move the number on, in the caller's transaction, so that a change that rolls back
    does not move it and one that commits is seen together with it.

    Call it last in the service: the row stays locked until the commit, and every other
    change to the results waits for it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("results_version_bump() runs inside the change's transaction.")
    advance = {"number": Greatest(F("number") + 1, Value(_clock()))}
    if not ResultsVersion.objects.filter(pk=ROW).update(**advance):
        _create_row()
        ResultsVersion.objects.filter(pk=ROW).update(**advance)


def request_results_version(request: HttpRequest) -> int:
    """The number as this request first read it: every part of one page is kept under the
    same version, read before any of the data."""
    number = getattr(request, _ON_REQUEST, None)
    if number is None:
        # The account is loaded here at the latest, so its number is never read later
        # than this line would have read it.
        number = getattr(getattr(request, "user", None), VERSION_READ_WITH_USER, None)
        if number is None:
            number = results_version()
        setattr(request, _ON_REQUEST, number)
    return cast(int, number)


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    roots = [Path(__file__).resolve().parent.parent, *map(Path, settings.LOCALE_PATHS)]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in _SOURCES and "tests" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _release() -> str:
    """The code, templates and translations, and the settings that decide what is shown
    (suppression thresholds among them): a change to any starts new entries."""
    configuration = repr(sorted(settings.COLLECTIF.items())).encode()
    return _code_digest() + hashlib.sha256(configuration).hexdigest()[:8]


def results_cached(request: HttpRequest, name: str, build: Callable[[], T], *parts: Any) -> T:
    """What `build()` returns for page `name`, kept under the request's results version.

    The key holds the version, the release, the language and `parts`, which must name
    everything else that changes what `build` returns: the page's parameters and the
    audience (staff or not), never a person. `build` must not read the request. None
    (no such page) is not kept.
    """
    version = request_results_version(request)
    asked = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    language = (get_language() or "en")[:2]
    key = f"results:{_release()}:{version}:{language}:{name}:{asked}"
    found = shared_cache.get(key)
    if found is None:
        found = build()
        if found is not None:  # a page that does not exist is not kept: any name would do
            shared_cache.set(key, found, CACHE_SECONDS)
    return cast(T, found)


# ---- Whole pages ----------------------------------------------------------------------
#
# A results page is the cached figures inside the site's frame (navigation, the person's
# name and roles, the language switch). Keeping the whole response per viewer saves the
# frame's rendering and its permission checks too. Each viewer's entry carries the
# viewer's fingerprint (roles and organisations: what the frame shows), and the CSRF
# token of its forms is written back for each request, as the token is the one part of
# the frame that belongs to a session rather than to a person.

# The pages this process served last, in front of the shared cache: a popular page then
# costs neither a round trip to Redis nor unpickling. Keys hold the results version, so an
# entry can never be stale, only unused; the oldest go first.
_LOCAL_PAGES: OrderedDict[str, str] = OrderedDict()
_LOCAL_SIZE = 64
_LOCAL_LOCK = threading.Lock()


def forget_local_pages() -> None:
    """Tests roll the results version back with their data, so they empty the front."""
    with _LOCAL_LOCK:
        _LOCAL_PAGES.clear()


def _kept_page(key: str) -> str | None:
    if isinstance(caches["default"], DummyCache):
        return None  # caching turned off turns the front off too
    with _LOCAL_LOCK:
        content = _LOCAL_PAGES.get(key)
        if content is not None:
            _LOCAL_PAGES.move_to_end(key)
            return content
    found = shared_cache.get(key)
    if found is not None:
        _keep_local(key, str(found))
    return None if found is None else str(found)


def _keep_local(key: str, content: str) -> None:
    if isinstance(caches["default"], DummyCache):
        return
    with _LOCAL_LOCK:
        _LOCAL_PAGES[key] = content
        _LOCAL_PAGES.move_to_end(key)
        while len(_LOCAL_PAGES) > _LOCAL_SIZE:
            _LOCAL_PAGES.popitem(last=False)


_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = "\x00csrf\x00"


def _has_pending_messages(request: HttpRequest) -> bool:
    """A page that shows a one-time message is the person's alone: never kept or served
    from the cache (len() does not mark the messages as read)."""
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def results_page(
    request: HttpRequest,
    name: str,
    *,
    viewer: str,
    render_page: Callable[[], HttpResponse],
) -> HttpResponse:
    """The whole response of results page `name` for this viewer, kept under the results
    version, the release, the language and the address (path and query).

    `viewer` must name everything the frame shows about the person ("public" for
    anonymous visitors, else a fingerprint of the account and its roles).
    """
    if request.method != "GET" or _has_pending_messages(request):
        return render_page()
    version = request_results_version(request)
    asked = hashlib.sha256(repr((viewer, request.get_full_path())).encode()).hexdigest()[:32]
    language = (get_language() or "en")[:2]
    key = f"page:{_release()}:{version}:{language}:{name}:{asked}"
    content = _kept_page(key)
    if content is not None:
        if _CSRF_PLACEHOLDER in content:
            content = content.replace(_CSRF_PLACEHOLDER, get_token(request))
        return HttpResponse(content)
    response = render_page()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        text = response.content.decode(response.charset)
        kept = _CSRF_INPUT.sub(rf"\g<1>{_CSRF_PLACEHOLDER}\g<2>", text)
        shared_cache.set(key, kept, CACHE_SECONDS)
        _keep_local(key, kept)
    return response
