"""Ecosystem's uploads kept between their preview and the confirmation (the store is
`core/files/kept.py`); `purpose` says which import a token belongs to."""

from dataclasses import dataclass
from typing import IO, BinaryIO

from django.contrib.sessions.backends.base import SessionBase

from collectif.core.files.kept import KeptFiles

KEPT = KeptFiles(folder="private/uploads/ecosystem", session_key="ecosystem_pending_uploads")


@dataclass(frozen=True)
class PendingUpload:
    purpose: str
    filename: str
    path: str


def keep(session: SessionBase, data: IO[bytes], *, purpose: str, filename: str) -> str:
    """Store the file privately; returns the token the confirmation form sends back."""
    return KEPT.keep(session, data, {"purpose": purpose, "filename": filename[:200]})


def find(session: SessionBase, token: str, *, purpose: str) -> PendingUpload | None:
    """The file this session kept under the token for this purpose, if it is still there."""
    item = KEPT.entry(session, token)
    if item is None or item.get("purpose") != purpose:
        return None
    return PendingUpload(purpose=item["purpose"], filename=item["filename"], path=item["path"])


def open_kept(upload: PendingUpload) -> BinaryIO:
    return KEPT.open(upload.path)


def discard(session: SessionBase, token: str) -> None:
    """Forget the token and delete its file (nothing happens for an unknown token)."""
    KEPT.discard(session, token)
