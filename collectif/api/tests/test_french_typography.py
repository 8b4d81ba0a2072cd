"""Every page in French reads as a francophone writes: spaced punctuation, no English left.

French puts a (narrow) no-break space before : ; ! ? and inside « », and the catalogues
carry it (U+00A0 before a colon, U+202F before ; ! ? and inside guillemets). A template
that hard-codes a colon after a translated string, or a string left out of the
catalogues, shows up here: each page the permission matrix knows is rendered in French
as staff, a data steward, a governance member, a researcher and a visitor, and its text
(not its code, scripts or attributes) is checked.
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from collectif.api.tests.test_permission_matrix import (
    Route,
    World,
    address,
    build_world,
    declarations,
    declared,
    url_routes,
)
from collectif.core.tests.test_translations import french_catalogues
from collectif.ecosystem.testing import user_with_role

AUDIENCES = ("staff", "steward", "governance", "researcher", "anonymous")
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "textarea", "template"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}
# Text flows across these; any other element starts a new line of text.
INLINE = {"a", "abbr", "b", "cite", "code", "data", "em", "i", "kbd", "label", "mark", "q", "s"}
INLINE |= {"samp", "small", "span", "strong", "sub", "sup", "time", "u"}
# A bare space before high punctuation, or none at all where a word ends before it.
BARE_SPACE = re.compile(r"(?<=\S) [:;!?](?=\s|$)|« | »")
NO_SPACE = re.compile(r"(?<=\w)[;!?:](?=\s|$)")
# Interface words that are English only ("Page", "Date", "Type", "Total" are French too).
ENGLISH_WORDS = (
    "Save",
    "Cancel",
    "Submit",
    "Search",
    "Next",
    "Previous",
    "Sign in",
    "Sign out",
    "Status",
    "Edit",
    "Delete",
    "Remove",
    "Download",
    "Upload",
    "Approve",
    "Dashboard",
    "Settings",
    "Home",
    "Back",
    "Yes",
    "Loading",
    "Close",
    "Show",
    "Hide",
    "Required",
    "Optional",
    "Error",
    "Organisation",
    "Period",
    "Value",
    "Skip to",
    "About",
    "Privacy",
)
APOSTROPHE = re.compile(r"\w'\w")
ENGLISH = re.compile(r"\b(?:" + "|".join(ENGLISH_WORDS) + r")\b")


class FrenchText(HTMLParser):
    """The text a reader sees in French: not code, not scripts, not other languages."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, whether its text is skipped)
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in INLINE:
            self.parts.append("\n")
        if tag in VOID_ELEMENTS:
            return
        lang = dict(attrs).get("lang")
        foreign = lang is not None and not lang.startswith("fr")
        self.stack.append((tag, self._skipping() or tag in SKIPPED_ELEMENTS or foreign))

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.parts.append("\n")
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.parts.append("\n" if self._skipping() else data)

    def text(self) -> str:
        return "".join(self.parts)


def french_text(html: str) -> str:
    parser = FrenchText()
    parser.feed(html)
    parser.close()
    return parser.text()


def _excerpt(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 40) : end + 20].split())


def slips(html: str) -> list[str]:
    """What a francophone would correct on the page, each with its surroundings."""
    text = french_text(html)
    found = [
        f"bare space: {_excerpt(text, m.start(), m.end())!r}" for m in BARE_SPACE.finditer(text)
    ]
    found += [f"no space: {_excerpt(text, m.start(), m.end())!r}" for m in NO_SPACE.finditer(text)]
    found += [f"English: {_excerpt(text, m.start(), m.end())!r}" for m in ENGLISH.finditer(text)]
    found += [
        f"apostrophe: {_excerpt(text, m.start(), m.end())!r}" for m in APOSTROPHE.finditer(text)
    ]
    return found


def test_the_check_sees_what_a_francophone_would_correct() -> None:
    page = (
        '<html lang="fr-CA"><title>Accueil</title><p>En attente<a href="/x">réponse</a>: 3</p>'
        "<p>Vraiment ?</p><p>Save</p><p>l'équipe</p>"
        '<script>var a = "x : y";</script><code>Authorization: Bearer</code>'
        '<p lang="en">Next steps: Save</p>'
        '<p title="a : b">À 12:30, «\u202fbien\u202f»\u00a0: oui</p>'
    )
    found = slips(page)
    assert len(found) == 4
    assert any("Vraiment ?" in s and s.startswith("bare space") for s in found)
    assert any(s.startswith("no space") and "réponse: 3" in s for s in found)
    assert any(s.startswith("English") and "Save" in s for s in found)
    assert any(s.startswith("apostrophe") for s in found)
    assert not slips(
        '<p>À 12:30, «\u202fbien\u202f»\u00a0: oui\u202f! <a href="https://x.ca">l’équipe</a></p>'
    )


# In a catalogue's French: U+00A0 before a colon, U+202F before ; ! ? and inside « ».
CATALOGUE_RULES = {
    "a colon takes U+00A0 before it": re.compile(r"(?<=\S)[ \u202f]:"),
    "; ! ? take U+202F before them": re.compile(r"(?<=\S)[ \u00a0][;!?]"),
    "« takes U+202F after it": re.compile(r"«(?!\u202f)"),
    "» takes U+202F before it": re.compile(r"(?<!\u202f)»"),
    "the apostrophe is ’": APOSTROPHE,
}


@pytest.mark.parametrize(
    "po_path", french_catalogues(), ids=lambda p: p.parent.parent.parent.parent.name
)
def test_every_french_catalogue_spaces_its_punctuation_one_way(po_path: Path) -> None:
    with po_path.open("rb") as po_file:
        catalogue = read_po(po_file)
    wrong = []
    for message in catalogue:
        forms = [message.string] if isinstance(message.string, str) else message.string or []
        for text in (str(form) for form in forms if form):
            wrong += [
                f"{rule}: {text[:70]!r}"
                for rule, pattern in CATALOGUE_RULES.items()
                if pattern.search(text)
            ]
    assert not wrong, "\n".join(wrong)


def _pages(world: World) -> Iterator[tuple[Route, str]]:
    table = declarations()
    with translation.override("fr"):
        routes = url_routes()
    for route in routes:
        rule = declared(route.key, table)
        if rule is None or rule.method != "GET" or not route.path.startswith("fr/"):
            continue
        if route.key.startswith("admin:"):
            continue
        for audience in AUDIENCES:
            if audience in rule.allowed:
                yield route, audience


def _get(path: str, audience: str, world: World) -> HttpResponse:
    client = Client(raise_request_exception=False)
    if audience != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[audience]
    with transaction.atomic():
        response = cast(HttpResponse, client.get(path, headers={"Accept-Language": "fr"}))
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
def test_every_page_in_french_is_written_as_a_francophone_writes(tmp_path: Path) -> None:
    wrong: list[str] = []
    seen = 0
    with override_settings(MEDIA_ROOT=tmp_path):
        world = build_world()
        for route, audience in _pages(world):
            response = _get(address(route, world), audience, world)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            seen += 1
            wrong += [f"{route.key} as {audience}: {s}" for s in slips(response.content.decode())]
    assert seen > 40, f"only {seen} French pages rendered: the walk lost its way"
    assert not wrong, "\n".join(sorted(set(wrong)))


@pytest.mark.django_db
def test_the_french_invitation_form_names_every_role_in_french(client: Client) -> None:
    """The role radios are built lazily, whatever language the form module was loaded in."""
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    with translation.override("fr"):
        url = reverse("accounts:invitation_create")
    html = client.get(url).content.decode()
    for label in (
        "Équipe de la structure de soutien",
        "Responsable des données d’un partenaire",
        "Membre de la gouvernance",
        "Chercheuse ou chercheur",
    ):
        assert label in html
    assert "Backbone staff" not in html and "Researcher" not in html
    english = client.get(url.replace("/fr/", "/en/")).content.decode()
    assert "Backbone staff" in english and "Équipe de la structure" not in english
