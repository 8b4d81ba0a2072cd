"""The API's documentation page, drawn by the server from the OpenAPI document.

Swagger UI is English-only, scripted and far from accessible; this page is a plain,
bilingual HTML page under /<lang>/api/ (the API's /api/v1/docs leads to it in the
reader's language). Operation summaries and descriptions are looked up in the
catalogues; one not translated yet is shown in English and marked `lang="en"`.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

TAGS: dict[str, Promise] = {
    "geography": _("Geography"),
    "people": _("People"),
    "organisations": _("Organisations"),
    "contacts": _("Contacts"),
    "engagement": _("Engagement pipeline"),
    "gaps": _("Gaps in the ecosystem"),
    "relationships": _("Relationships"),
    "network": _("Network map"),
    "measurement": _("Measurement"),
    "results": _("Results"),
    "research": _("Research"),
}
RESPONSES: dict[str, Promise] = {
    "200": _("Success"),
    "201": _("Created"),
    "400": _("The request is malformed"),
    "401": _("The token is missing or wrong"),
    "403": _("Your role does not allow it"),
    "404": _("Not found, or not visible to you"),
    "409": _("In conflict with the current state"),
    "422": _("A value is invalid: each error names its field"),
}
LOCATIONS: dict[str, Promise] = {
    "path": _("path"),
    "query": _("query"),
    "header": _("header"),
}


@dataclass(frozen=True)
class Text:
    """A sentence from the document, and the language it could be given in."""

    text: str
    lang: str

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """The text cut at its `backquoted` code, each piece with whether it is code."""
        return [(part, index % 2 == 1) for index, part in enumerate(self.text.split("`")) if part]


@dataclass(frozen=True)
class Field:
    name: str
    where: str
    type: str
    required: bool
    description: Text | None


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: Text
    description: Text | None
    parameters: list[Field]
    body: list[Field]
    responses: list[tuple[str, str]]


def _text(english: str) -> Text:
    french = gettext(english)
    translated = french != english or get_language() == "en"
    return Text(french, get_language() if translated else "en")


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(option) for option in schema["anyOf"] if option)
    if schema.get("type") == "array":
        return f"[{_type(schema.get('items', {}))}]"
    return str(schema.get("type", schema.get("format", "")))


def _body(operation: dict[str, Any], components: dict[str, Any]) -> list[Field]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    component = components.get(_type(schema), {}) if "$ref" in schema else schema
    required = set(component.get("required", []))
    return [
        Field(
            name=name,
            where="body",
            type=_type(field),
            required=name in required,
            description=_text(field["description"]) if field.get("description") else None,
        )
        for name, field in component.get("properties", {}).items()
    ]


def _operation(
    method: str, path: str, raw: dict[str, Any], *, components: dict[str, Any]
) -> Operation:
    parameters = [
        Field(
            name=p["name"],
            where=str(LOCATIONS.get(p["in"], p["in"])),
            type=_type(p.get("schema", {})),
            required=bool(p.get("required")),
            description=_text(p["description"]) if p.get("description") else None,
        )
        for p in raw.get("parameters", [])
    ]
    return Operation(
        anchor=raw["operationId"],
        method=method.upper(),
        path=path,
        summary=_text(raw.get("summary") or raw["operationId"]),
        description=_text(raw["description"]) if raw.get("description") else None,
        parameters=parameters,
        body=_body(raw, components),
        responses=[
            (str(code), str(RESPONSES.get(str(code), code))) for code in raw.get("responses", {})
        ],
    )


def grouped_operations(document: dict[str, Any]) -> list[tuple[str, str, list[Operation]]]:
    """(tag, its name in the reader's language, its operations), in the document's order."""
    components = document.get("components", {}).get("schemas", {})
    groups: dict[str, list[Operation]] = {}
    for path, item in document["paths"].items():
        for method, raw in item.items():
            tag = (raw.get("tags") or ["api"])[0]
            groups.setdefault(tag, []).append(_operation(method, path, raw, components=components))
    return [(tag, str(TAGS.get(tag, tag)), operations) for tag, operations in groups.items()]


def api_docs(request: HttpRequest) -> HttpResponse:
    from collectif.api.api import api  # the root imports this module to name its docs

    document = api.get_openapi_schema()
    return render(
        request,
        "api/docs.html",
        {
            "title": document["info"]["title"],
            "version": document["info"]["version"],
            "groups": grouped_operations(document),
        },
    )


class LocalisedDocs(DocsBase):
    """/api/v1/docs leads to the documentation page in the reader's language."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(reverse("api_docs"))
