"""The embedded database keeps its connection between requests, so its PRAGMAs run once."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import ConnectionHandler

SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def _between_requests(handler: ConnectionHandler) -> None:
    """What `django.db.close_old_connections` does when a request starts and finishes."""
    for connection in handler.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()


@pytest.mark.smoke  # CI runs the smoke subset on SQLite: this test counts there
@pytest.mark.skipif(not SQLITE, reason="the embedded default only")
def test_two_requests_share_one_sqlite_connection_and_its_pragmas_run_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> None:
    # The project's own settings (CONN_MAX_AGE, OPTIONS), on a file as in the demo.
    handler = ConnectionHandler(
        {"default": {**settings.DATABASES["default"], "NAME": str(tmp_path / "kept.sqlite3")}}
    )
    opened: list[dict[str, Any]] = []
    original = DatabaseWrapper.get_new_connection

    def counting(self: DatabaseWrapper, conn_params: dict[str, Any]) -> Any:
        opened.append(conn_params)  # the init_command PRAGMAs run in here
        return original(self, conn_params)

    monkeypatch.setattr(DatabaseWrapper, "get_new_connection", counting)
    database = handler["default"]
    seen = []
    with django_db_blocker.unblock():
        for _request in range(2):
            _between_requests(handler)
            with database.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                seen.append((cursor.fetchone()[0], id(database.connection)))
            _between_requests(handler)
        database.close()

    assert len(opened) == 1
    assert seen[0] == seen[1]
    assert seen[0][0] == "wal"
