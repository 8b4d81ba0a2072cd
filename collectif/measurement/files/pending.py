"""Uploaded files waiting for the person to confirm that they replace saved values.

Kept in the shared private store (`core/files/kept.py`) under a random token that only
the uploader's session knows, together with where the file goes. Confirming reads the
kept file again; cancelling, confirming or a day's wait removes it. A token that is not
in the session (stale, used, or someone else's) finds nothing.
"""

from dataclasses import dataclass
from typing import IO, Any, BinaryIO

from django.contrib.sessions.backends.base import SessionBase

from collectif.core.files.kept import KeptFiles

FOLDER = "private/uploads"
SESSION_KEY = "measurement_pending_uploads"
KEPT = KeptFiles(folder=FOLDER, session_key=SESSION_KEY)


@dataclass
class PendingUpload:
    """Where a kept file goes once confirmed, and what was shown before confirming."""

    organisation: str
    dataset: str
    period: str
    submit: bool
    filename: str
    path: str
    fingerprint: str


def store(data: IO[bytes]) -> str:
    """Store a file privately; returns its storage path, where a background import reads
    it (the worker has no session) and deletes it once nothing waits for it."""
    return KEPT.store(data)


def keep(session: SessionBase, data: IO[bytes], **details: Any) -> tuple[str, PendingUpload]:
    """Store the uploaded file privately; returns its token and what it is for."""
    token = KEPT.keep(session, data, details)
    return token, PendingUpload(**(session[SESSION_KEY][token]))


def find(session: SessionBase, token: str, *, organisation: str) -> PendingUpload | None:
    """The upload this session kept under the token for this organisation, if any."""
    item = KEPT.entry(session, token)
    if item is None or item.get("organisation") != organisation:
        return None
    return PendingUpload(**item)


def token_for(session: SessionBase, path: str) -> str | None:
    """The token under which this session kept the file stored at `path`, if it did."""
    return KEPT.token_for(session, path)


def refingerprint(session: SessionBase, token: str, fingerprint: str) -> None:
    """Record that the person is now shown the differences with other saved values."""
    KEPT.update(session, token, fingerprint=fingerprint)


def open_kept(upload: PendingUpload) -> BinaryIO:
    """The kept file, to read again once the person confirms."""
    return KEPT.open(upload.path)


def open_stored(path: str) -> BinaryIO:
    """A file `store` or `keep` saved, to read in a background import."""
    return KEPT.open(path)


def stored_size(path: str) -> int:
    return KEPT.size(path)


def delete(path: str) -> None:
    """Delete a stored file once nothing waits for it (only files of this folder)."""
    KEPT.delete(path)


def discard(session: SessionBase, token: str) -> None:
    """Forget the token and delete its file (nothing happens for an unknown token)."""
    KEPT.discard(session, token)
