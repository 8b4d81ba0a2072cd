"""Uploaded files waiting for the person to confirm that they replace saved values.

The file is kept in private storage (never under a public URL), named by a random token
that only the uploader's session knows, together with where it goes. Confirming reads
the kept file again; cancelling, confirming or a day's wait removes it. A token that is
not in the session (stale, used, or someone else's) finds nothing.
"""

import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import IO, Any, BinaryIO, cast

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "private/uploads"
SESSION_KEY = "measurement_pending_uploads"
# How long an unconfirmed upload is kept, and how many one session may keep at once.
KEPT_FOR = timedelta(days=1)
MAX_PER_SESSION = 5


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
    """Store a file privately under a random name; returns its storage path.

    A background import reads the file from there (the worker has no session), and
    deletes it (`delete`) once nothing waits for it any more.
    """
    _sweep()
    data.seek(0)
    return default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(24)}", data)


def keep(session: SessionBase, data: IO[bytes], **details: Any) -> tuple[str, PendingUpload]:
    """Store the uploaded file privately; returns its token and what it is for."""
    path = store(data)
    token = path.rsplit("/", 1)[-1]
    upload = PendingUpload(path=path, **details)
    pending: dict[str, dict[str, Any]] = dict(session.get(SESSION_KEY) or {})
    pending[token] = asdict(upload)
    while len(pending) > MAX_PER_SESSION:
        oldest = next(iter(pending))
        _delete(pending.pop(oldest).get("path", ""))
    session[SESSION_KEY] = pending
    return token, upload


def find(session: SessionBase, token: str, *, organisation: str) -> PendingUpload | None:
    """The upload this session kept under the token for this organisation, if any."""
    item = (session.get(SESSION_KEY) or {}).get(token)
    if not isinstance(item, dict) or item.get("organisation") != organisation:
        return None
    upload = PendingUpload(**item)
    if not default_storage.exists(upload.path):
        discard(session, token)
        return None
    return upload


def token_for(session: SessionBase, path: str) -> str | None:
    """The token under which this session kept the file stored at `path`, if it did."""
    pending: dict[str, dict[str, Any]] = session.get(SESSION_KEY) or {}
    return next((t for t, item in pending.items() if item.get("path") == path), None)


def refingerprint(session: SessionBase, token: str, fingerprint: str) -> None:
    """Record that the person is now shown the differences with other saved values."""
    pending: dict[str, dict[str, Any]] = dict(session.get(SESSION_KEY) or {})
    if token in pending:
        pending[token] = {**pending[token], "fingerprint": fingerprint}
        session[SESSION_KEY] = pending


def open_kept(upload: PendingUpload) -> BinaryIO:
    """The kept file, to read again once the person confirms."""
    return open_stored(upload.path)


def open_stored(path: str) -> BinaryIO:
    """A file `store` or `keep` saved, to read in a background import."""
    return cast(BinaryIO, default_storage.open(path, "rb"))


def stored_size(path: str) -> int:
    return default_storage.size(path)


def delete(path: str) -> None:
    """Delete a stored file once nothing waits for it (only files of this folder)."""
    _delete(path)


def discard(session: SessionBase, token: str) -> None:
    """Forget the token and delete its file (nothing happens for an unknown token)."""
    pending: dict[str, dict[str, Any]] = dict(session.get(SESSION_KEY) or {})
    item = pending.pop(token, None)
    if item is None:
        return
    session[SESSION_KEY] = pending
    _delete(item.get("path", ""))


def _delete(path: str) -> None:
    if path.startswith(f"{FOLDER}/"):
        default_storage.delete(path)


def _sweep() -> None:
    """Remove the files of uploads nobody confirmed or cancelled within `KEPT_FOR`."""
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    limit = timezone.now() - KEPT_FOR
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except FileNotFoundError:
            continue
