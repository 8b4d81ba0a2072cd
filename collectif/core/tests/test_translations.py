"""Every string a person reads exists in French: no gap, no guess, no broken placeholder."""

import io
import re
from collections.abc import Iterator
from pathlib import Path

import django
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po
from django.apps import apps
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[3]
SKIPPED_DIRS = {".venv", "var", "node_modules", "site-packages", "tests", "migrations", "bench"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")

# The keywords Django's makemessages gives xgettext, in Babel's notation.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def _in_project(path: Path) -> bool:
    return not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)


def french_catalogues() -> list[Path]:
    return sorted(
        path for path in ROOT.glob("**/locale/fr/LC_MESSAGES/django.po") if _in_project(path)
    )


def _read(path: Path) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file)


def _messages(path: Path) -> Iterator[Message]:
    for message in _read(path):
        if message.id:
            yield message


def _forms(text: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if text is None:
        return [""]
    return [text] if isinstance(text, str) else list(text)


def _placeholders(texts: list[str]) -> set[str]:
    return {match.group(0) for text in texts for match in PLACEHOLDER.finditer(text)}


def _label(message: Message) -> str:
    return repr(_forms(message.id)[0][:70])


def test_the_project_has_french_catalogues() -> None:
    assert ROOT / "locale/fr/LC_MESSAGES/django.po" in french_catalogues()


@pytest.mark.smoke
@pytest.mark.parametrize("po_path", french_catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_checked(po_path: Path) -> None:
    missing = [
        _label(m) for m in _messages(po_path) if not all(s.strip() for s in _forms(m.string))
    ]
    fuzzy = [_label(m) for m in _messages(po_path) if m.fuzzy]
    assert not missing, f"untranslated in {po_path}: {missing}"
    assert not fuzzy, f"fuzzy (unchecked) in {po_path}: {fuzzy}"


@pytest.mark.parametrize("po_path", french_catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_their_placeholders(po_path: Path) -> None:
    broken = []
    for message in _messages(po_path):
        expected = _placeholders(_forms(message.id))
        translations = _forms(message.string)
        if isinstance(message.id, str):
            wrong = _placeholders(translations) != expected
        else:
            # A French plural form may name the count where English's singular does not.
            wrong = _placeholders(translations) != expected or any(
                not _placeholders([form]) <= expected for form in translations
            )
        if wrong:
            broken.append(_label(message))
    assert not broken, f"placeholders differ in {po_path}: {broken}"


def _source_files() -> Iterator[Path]:
    for folder in ("collectif", "config"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not _in_project(path) or not path.is_file():
                continue
            if path.suffix == ".py" or (
                path.suffix in {".html", ".txt"} and "templates" in path.parts
            ):
                yield path


def _extracted(path: Path) -> Iterator[tuple[str | None, str]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        # Templatized HTML keeps the page's indentation, which Python's tokenizer rejects.
        text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).split("\n"))
    for _line, message, _comments, context in extract(
        "python", io.BytesIO(text.encode()), keywords=KEYWORDS
    ):
        msgid = _forms(message)[0]
        if msgid:
            yield context, msgid


def _known_msgids() -> set[tuple[str | None, str]]:
    """Our catalogues, plus those installed apps ship (a reused Django string is translated)."""
    paths = list(french_catalogues())
    django_po = Path(django.__file__).parent / "conf/locale/fr/LC_MESSAGES/django.po"
    paths.append(django_po)
    for config in apps.get_app_configs():
        po = Path(config.path) / "locale/fr/LC_MESSAGES/django.po"
        if po.exists() and not po.is_relative_to(ROOT):
            paths.append(po)
    known: set[tuple[str | None, str]] = set()
    for path in paths:
        known.update((m.context, _forms(m.id)[0]) for m in _messages(path))
    return known


def test_no_string_in_the_source_is_missing_from_the_catalogues() -> None:
    """A catalogue made before a string was added leaves that string in English."""
    known = _known_msgids()
    stale = sorted(
        f"{path.relative_to(ROOT)}: {msgid[:60]!r}"
        for path in _source_files()
        for context, msgid in _extracted(path)
        if (context, msgid) not in known
    )
    assert not stale, "run makemessages and translate:\n" + "\n".join(stale)
