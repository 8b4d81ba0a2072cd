"""Uploaded files kept privately between their preview and the person's confirmation.

An import first shows what a file would do; confirming reads the kept file again, so
what is written is checked against the records as they are then. The file is stored
outside any public URL under a random name that only the uploader's session knows,
with what it is for: a token from another session, or one already used, finds nothing.
Confirming or cancelling removes the file; an unconfirmed one goes after a day. Each app
keeps its own folder and session key (`measurement/files/pending.py`,
`ecosystem/files/pending.py`) over this one store.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any, BinaryIO, cast

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.storage import default_storage
from django.utils import timezone


@dataclass(frozen=True)
class KeptFiles:
    folder: str  # e.g. "private/uploads"; never served
    session_key: str
    kept_for: timedelta = timedelta(days=1)
    max_per_session: int = 5

    def store(self, data: IO[bytes]) -> str:
        """Store a file privately under a random name; returns its storage path (a
        background import reads it from there: the worker has no session)."""
        self._sweep()
        data.seek(0)
        return default_storage.save(f"{self.folder}/{secrets.token_urlsafe(24)}", data)

    def keep(self, session: SessionBase, data: IO[bytes], details: dict[str, Any]) -> str:
        """Store the file and note it in the session with `details` (its `path` added);
        returns the token the confirmation form sends back."""
        path = self.store(data)
        token = path.rsplit("/", 1)[-1]
        kept = self._kept(session)
        kept[token] = {**details, "path": path}
        while len(kept) > self.max_per_session:
            self.delete(kept.pop(next(iter(kept))).get("path", ""))
        session[self.session_key] = kept
        return token

    def entry(self, session: SessionBase, token: str) -> dict[str, Any] | None:
        """What the session noted under the token, if its file is still there."""
        item = (session.get(self.session_key) or {}).get(token)
        if not isinstance(item, dict):
            return None
        if not default_storage.exists(item.get("path", "")):
            self.discard(session, token)
            return None
        return item

    def token_for(self, session: SessionBase, path: str) -> str | None:
        """The token under which this session kept the file stored at `path`, if it did."""
        kept: dict[str, dict[str, Any]] = session.get(self.session_key) or {}
        return next((t for t, item in kept.items() if item.get("path") == path), None)

    def update(self, session: SessionBase, token: str, **changes: Any) -> None:
        kept = self._kept(session)
        if token in kept:
            kept[token] = {**kept[token], **changes}
            session[self.session_key] = kept

    def discard(self, session: SessionBase, token: str) -> None:
        """Forget the token and delete its file (nothing happens for an unknown token)."""
        kept = self._kept(session)
        item = kept.pop(token, None)
        if item is None:
            return
        session[self.session_key] = kept
        self.delete(item.get("path", ""))

    def open(self, path: str) -> BinaryIO:
        return cast(BinaryIO, default_storage.open(path, "rb"))

    def size(self, path: str) -> int:
        return default_storage.size(path)

    def delete(self, path: str) -> None:
        """Delete a kept file once nothing waits for it (only files of this folder)."""
        if path.startswith(f"{self.folder}/"):
            default_storage.delete(path)

    def _kept(self, session: SessionBase) -> dict[str, dict[str, Any]]:
        return dict(session.get(self.session_key) or {})

    def _sweep(self) -> None:
        """Remove the files nobody confirmed or cancelled within `kept_for`."""
        try:
            _folders, names = default_storage.listdir(self.folder)
        except FileNotFoundError:
            return
        limit = timezone.now() - self.kept_for
        for name in names:
            path = f"{self.folder}/{name}"
            try:
                if default_storage.get_modified_time(path) < limit:
                    default_storage.delete(path)
            except FileNotFoundError:
                continue
