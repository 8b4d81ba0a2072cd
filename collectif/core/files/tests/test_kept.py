"""The private store of uploads waiting for a confirmation."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.cache import SessionStore
from django.core.files.storage import default_storage

from collectif.core.files.kept import KeptFiles

KEPT = KeptFiles(folder="private/test-kept", session_key="test_kept", max_per_session=2)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_a_token_finds_its_file_in_its_own_session_only() -> None:
    mine, theirs = SessionStore(), SessionStore()
    token = KEPT.keep(mine, io.BytesIO(b"a,b\n1,2\n"), {"purpose": "import"})

    entry = KEPT.entry(mine, token)
    assert entry is not None and entry["purpose"] == "import"
    assert KEPT.open(entry["path"]).read() == b"a,b\n1,2\n"
    assert KEPT.entry(theirs, token) is None


def test_the_oldest_upload_goes_when_a_session_keeps_too_many() -> None:
    session = SessionStore()
    first = KEPT.keep(session, io.BytesIO(b"1"), {})
    path = KEPT.entry(session, first)["path"]  # type: ignore[index]
    KEPT.keep(session, io.BytesIO(b"2"), {})
    KEPT.keep(session, io.BytesIO(b"3"), {})

    assert KEPT.entry(session, first) is None
    assert not default_storage.exists(path)


def test_a_discarded_or_vanished_file_is_found_no_more() -> None:
    session = SessionStore()
    token = KEPT.keep(session, io.BytesIO(b"1"), {})
    default_storage.delete(KEPT.entry(session, token)["path"])  # type: ignore[index]
    assert KEPT.entry(session, token) is None
    assert KEPT.token_for(session, "anything") is None


def test_files_older_than_a_day_are_swept_and_nothing_outside_the_folder_is_deleted() -> None:
    old = KEPT.store(io.BytesIO(b"old"))
    day_ago = time.time() - timedelta(days=1, minutes=1).total_seconds()
    os.utime(default_storage.path(old), (day_ago, day_ago))
    outside = default_storage.save("elsewhere/file.txt", io.BytesIO(b"keep me"))

    KEPT.store(io.BytesIO(b"new"))
    KEPT.delete(outside)

    assert not default_storage.exists(old)
    assert default_storage.exists(outside)
