"""The permission matrix: every route and API operation, tried as everyone (decision 0023).

Each app declares who may use its routes in `<app>/access.py`, exposed by its manifest
(`config/urls.py` declares the routes it mounts itself). This module walks every URL
pattern of the root URLconf and every operation of the OpenAPI document: one without a
declaration fails. Then it requests each route as every audience of
`collectif.core.manifest.AUDIENCES`, in a small world made with the factories, and
checks that the allowed are let in and everyone else is refused (a redirect to sign in,
401, 403 or 404). Each request runs in a savepoint that is rolled back, so a POST that
archives or approves something leaves the world as it was for the next one.
"""

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from typing import Any, cast

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from collectif.accounts.models import ApiToken, Invitation, Membership, Role, User
from collectif.accounts.selectors import hash_secret
from collectif.accounts.tests.factories import UserFactory
from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.api.api import api
from collectif.api.tests.ecosystem_world import ecosystem_world
from collectif.core.manifest import ADMIN_SITE, AUDIENCES, PUBLIC, Access, declared_access
from collectif.core.models import Job
from collectif.ecosystem.testing import bearer_secret
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import DimensionMember, Submission, ValidationRule
from collectif.measurement.services.exports import EXPORT_JOB_KIND
from collectif.measurement.services.imports import IMPORT_JOB_KIND
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    SubmissionFactory,
)

API_PREFIX = "/api/v1"
REFUSALS = {401, 403, 404}
SIGN_IN_PAGES = ("/accounts/login/", "/admin/login/")
# An API checks its body before its permission: a 422 may hide a refusal.
HINTS = {422: ": give the matrix a valid sample body or query (World.bodies)"}


@dataclass(frozen=True)
class Route:
    """One thing a person or a program can ask for, and how to name it in a declaration."""

    key: str  # URL name ("measurement:upload") or API operation id
    path: str  # with <kwarg> or {param} placeholders
    method: str = "GET"
    body_schema: str = ""
    query: tuple[str, ...] = ()  # required query parameters
    is_api: bool = False
    multipart: bool = False  # a form with a file: its sample is World.bodies[key]


# --- Walking the routes --------------------------------------------------------------


def _api_paths() -> set[str]:
    return {path for path in api.get_openapi_schema()["paths"]}


def _as_openapi(route: str) -> str:
    return API_PREFIX + "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name or f"<unnamed {route}>"
            yield (f"{namespace}:{name}" if namespace else name), route


def url_routes() -> list[Route]:
    """Every URL pattern but the API's operations, which the OpenAPI walk covers."""
    operations = _api_paths()
    routes: dict[str, Route] = {}
    for key, route in _walk(get_resolver(), "", ""):
        if key.startswith("api:") and _as_openapi(route.removeprefix("api/v1/")) in operations:
            continue
        routes.setdefault(key, Route(key=key, path=route))
    return list(routes.values())


def api_routes() -> list[Route]:
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {})
            found.append(
                Route(
                    key=operation["operationId"],
                    path=path,
                    method=method.upper(),
                    body_schema=body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1],
                    query=tuple(
                        p["name"]
                        for p in operation.get("parameters", [])
                        if p["in"] == "query" and p.get("required")
                    ),
                    is_api=True,
                    multipart="multipart/form-data" in content,
                )
            )
    return found


def declarations() -> dict[str, Access]:
    """The apps' declarations and those of the root URLconf, for what it mounts itself."""
    root: dict[str, Access] = import_module(settings.ROOT_URLCONF).ACCESS
    return {**root, **declared_access()}


def declared(key: str, table: dict[str, Access]) -> Access | None:
    """The exact declaration, else the longest prefix ending in "*" that matches."""
    if key in table:
        return table[key]
    prefixes = [k for k in table if k.endswith("*") and key.startswith(k[:-1])]
    return table[max(prefixes, key=len)] if prefixes else None


def test_every_route_and_operation_has_a_declaration() -> None:
    table = declarations()
    missing = [r.key for r in url_routes() + api_routes() if declared(r.key, table) is None]
    assert not missing, (
        "No access declared for these routes: add them to the app's access.py "
        "(see docs/decisions/0023-permission-matrix.md):\n  " + "\n  ".join(sorted(missing))
    )


def test_every_declaration_names_a_route_that_exists() -> None:
    """A declaration left behind by a renamed route would hide the new name's absence."""
    keys = {r.key for r in url_routes() + api_routes()}
    stale = [k for k in declarations() if not k.endswith("*") and k not in keys]
    assert not stale, f"Declared but no such route or operation: {sorted(stale)}"


# --- The world the routes are tried in -----------------------------------------------


@dataclass
class World:
    """Sample URL arguments by name, and each audience's session, API token and bodies."""

    values: dict[str, str]
    sessions: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)


def _audience(name: str, organisation: Any, other: Any) -> User | None:
    if name == "anonymous":
        return None
    if name == "superuser":
        return UserFactory.create(is_staff=True, is_superuser=True)
    user = UserFactory.create()
    roles = {"steward": (organisation, Role.STEWARD), "other_steward": (other, Role.STEWARD)}
    if name in roles:
        Membership.objects.create(user=user, organisation=roles[name][0], role=roles[name][1])
    elif name != "no_role":
        Membership.objects.create(user=user, organisation=OrganisationFactory.create(), role=name)
    return user


def _sessions(users: dict[str, User | None]) -> dict[str, str]:
    sessions = {}
    for name, user in users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def build_world() -> World:
    organisation = OrganisationFactory.create(slug="served")
    other = OrganisationFactory.create(slug="not-served")
    users = {name: _audience(name, organisation, other) for name in AUDIENCES}
    indicator = IndicatorFactory.create(code="served_youth", dimensions=["age"])
    second = IndicatorFactory.create(code="mentors")
    dataset = DatasetFactory.create(
        code="quarterly", indicators=[indicator, second], organisations=[organisation, other]
    )
    period = PeriodFactory.create(code="2025Q1")
    empty_period = PeriodFactory.create(code="2025Q2")
    draft = SubmissionFactory.create(organisation=organisation, dataset=dataset, period=period)
    submitted = SubmissionFactory.create(
        organisation=organisation,
        dataset=dataset,
        period=PeriodFactory.create(code="2024Q4"),
        status=Submission.Status.SUBMITTED,
    )
    version = draft.versions.create(
        kind="replaced", number=1, channel=Submission.Channel.FORM, values=[]
    )
    rule = ValidationRule.objects.create(
        code="mentors_vs_youth", left=second, operator="<=", right=indicator, message="Check"
    )
    member = DimensionMember.objects.filter(dimension__code="age").first()
    assert member is not None
    steward = users["steward"]
    assert steward is not None
    job = Job.objects.create(kind="export", created_by=steward, status=Job.Status.SUCCEEDED)
    job.result_file.save("matrix.csv", ContentFile(b"indicator,value\n"), save=True)
    failed_job = Job.objects.create(kind="export", created_by=steward, status=Job.Status.FAILED)
    import_job = Job.objects.create(
        kind=IMPORT_JOB_KIND,
        created_by=steward,
        status=Job.Status.SUCCEEDED,
        params={"organisation": organisation.slug, "dataset": dataset.code, "period": "2025Q1"},
        result={"outcome": "invalid", "problems": [], "warnings": []},
    )
    export_job = Job.objects.create(
        kind=EXPORT_JOB_KIND,
        created_by=steward,
        status=Job.Status.SUCCEEDED,
        params={"format": "csv", "language": "en"},
        result={"rows": 1},
    )
    export_job.result_file.save("values.csv", ContentFile(b"Value\n1\n"), save=True)
    token = ApiToken.objects.create(user=steward, name="mine", prefix="p", key_hash="h")
    invitation = Invitation.objects.create(
        email="invited@example.org",
        organisation=organisation,
        role=Role.STEWARD,
        token_hash=hash_secret("matrix-invitation-secret"),
        expires_at=timezone.now() + timedelta(days=3),
    )
    membership = Membership.objects.get(user=users["governance"])
    plan = PlanVersionFactory.create(number=1)
    ecosystem_values, ecosystem_bodies = ecosystem_world(organisation, other, users["staff"])
    world = World(
        values={
            "slug": organisation.slug,
            "dataset": dataset.code,
            "period": period.code,
            "pk": str(draft.pk),
            "submission_id": str(draft.pk),
            "submitted_id": str(submitted.pk),
            "indicator": indicator.code,
            "rule": rule.code,
            "dimension": "age",
            "member": member.code,
            "job_id": str(job.pk),
            "failed_job_id": str(failed_job.pk),
            "import_job_id": str(import_job.pk),
            "export_job_id": str(export_job.pk),
            "token_id": str(token.pk),
            "invitation_id": str(invitation.pk),
            "membership_id": str(membership.pk),
            "number": str(plan.number),
            "secret": "matrix-invitation-secret",
            "fmt": "csv",
            "version": str(version.pk),
            "postal_code": "K1A0B1",
            **ecosystem_values,
        },
        sessions=_sessions(users),
        tokens={name: bearer_secret(user) for name, user in users.items() if user is not None},
    )
    world.bodies = {
        "OrganisationIn": {
            "name_en": "Matrix Mentoring",
            "name_fr": "Mentorat matrice",
            "sector": "non-profit",
            "head_office_province": "ON",
        },
        "OrganisationPatch": {"name_en": "Renamed"},
        **ecosystem_bodies,
        "SubmissionIn": {
            "organisation": organisation.slug,
            "dataset": dataset.code,
            "period": empty_period.code,
            "values": [],
        },
        "ValuesIn": {"values": []},
        "ExportIn": {"format": "csv"},
        "CommentIn": {"comment": "Please check the total."},
        "collectif_measurement_api_imports_file_import": {
            "organisation": organisation.slug,
            "dataset": dataset.code,
            "period": empty_period.code,
            "file": b"indicator,value\nmentors,3\n",
        },
    }
    return world


# What an argument means on some routes, by URL-name (or operation id) prefix and name;
# elsewhere a `code` is an indicator's.
MEANS = {
    ("measurement:setup_dataset", "code"): "dataset",
    ("measurement:template_download", "code"): "dataset",
    ("measurement:setup_period", "code"): "period",
    ("measurement:setup_member", "code"): "dimension",
    ("measurement:setup_rule", "code"): "rule",
    ("collectif_measurement_api_submissions_dataset", "code"): "dataset",
    ("collectif_core_api_get_postal", "code"): "postal_code",
    ("core:job_retry", "job_id"): "failed_job_id",
    ("measurement:upload_job", "job_id"): "import_job_id",
    ("collectif_measurement_api_imports_import_status", "job_id"): "import_job_id",
    ("collectif_measurement_api_exports_export", "job_id"): "export_job_id",
    ("ecosystem:contact_", "pk"): "contact_id",
    ("ecosystem:consent_", "pk"): "contact_id",
    # Approving, returning or reopening needs a submission already sent.
    ("measurement:submission_approve", "pk"): "submitted_id",
    ("measurement:submission_return", "pk"): "submitted_id",
    ("measurement:submission_reopen", "pk"): "submitted_id",
    ("collectif_measurement_api_submissions_submission_approve", "submission_id"): "submitted_id",
    ("collectif_measurement_api_submissions_submission_return", "submission_id"): "submitted_id",
}
# Arguments of the admin's and allauth's patterns.
GENERIC = {
    "object_id": "1",
    "content_type_id": "1",
    "app_label": "measurement",
    "url": "measurement/submission/1",
    "uidb36": "1",
    "key": "not-a-key",
}


def sample(name: str, route: Route, world: World) -> str:
    """A value for one URL argument or required query parameter of `route`."""
    meaning = next((m for (p, n), m in MEANS.items() if n == name and route.key.startswith(p)), "")
    if meaning or name == "code":
        return world.values[meaning or "indicator"]
    if name in world.values:
        return world.values[name]
    if name in GENERIC:
        return GENERIC[name]
    raise AssertionError(
        f"{route.key}: no sample value for '{name}': add one to the matrix's world"
    )


def address(route: Route, world: World) -> str:
    """The route's path with sample arguments: placeholders and regex groups filled in."""
    if route.is_api:
        path = re.sub(r"\{(\w+)\}", lambda m: sample(m.group(1), route, world), route.path)
        query = "&".join(f"{name}={sample(name, route, world)}" for name in route.query)
        return path + (f"?{query}" if query else "")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: sample(m.group(1), route, world), route.path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: sample(m.group(1), route, world), path)
    return "/" + path.replace("^", "").replace("$", "")


# --- Trying every route as everyone ---------------------------------------------------


def _request(route: Route, rule: Access, audience: str, world: World) -> HttpResponse:
    client = Client(raise_request_exception=False)
    headers: dict[str, str] = {}
    if audience != "anonymous":
        if route.is_api:
            headers["Authorization"] = f"Bearer {world.tokens[audience]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[audience]
    method = route.method if route.is_api else rule.method
    kwargs: dict[str, Any] = {"headers": headers}
    if route.body_schema:
        kwargs["data"] = world.bodies.get(route.body_schema, {})
        kwargs["content_type"] = "application/json"
    elif route.multipart:
        kwargs["data"] = {
            name: SimpleUploadedFile("matrix.csv", value) if isinstance(value, bytes) else value
            for name, value in world.bodies.get(route.key, {}).items()
        }
    with transaction.atomic():
        send = getattr(client, method.lower())
        response = cast(HttpResponse, send(address(route, world), **kwargs))
        transaction.set_rollback(True)
    return response


def verdict(response: HttpResponse) -> str:
    """'refused', 'allowed', or what is wrong with the answer."""
    status = response.status_code
    if status in REFUSALS:
        return "refused"
    if status in (301, 302):
        location = response.headers.get("Location", "")
        return "refused" if any(page in location for page in SIGN_IN_PAGES) else "allowed"
    if status == 405:
        return "wrong method: declare the method the route takes"
    if status >= 500:
        return f"server error {status}"
    return "allowed"


def _mismatches(route: Route, rule: Access, world: World) -> list[str]:
    wrong = []
    for audience in AUDIENCES:
        response = _request(route, rule, audience, world)
        got = verdict(response)
        expected = "allowed" if audience in rule.allowed else "refused"
        if got != expected:
            wrong.append(
                f"{route.key} as {audience}: expected {expected}, "
                f"got {got} (HTTP {response.status_code}{HINTS.get(response.status_code, '')})"
            )
    return wrong


@pytest.mark.django_db
def test_every_route_lets_in_whom_it_declares_and_refuses_everyone_else(tmp_path: Path) -> None:
    wrong: list[str] = []
    # A thousand refusals would each log a warning with its traceback: only errors here.
    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with override_settings(MEDIA_ROOT=tmp_path):
            world = build_world()
            table = declarations()
            for route in url_routes() + api_routes():
                rule = declared(route.key, table)
                if rule is not None:
                    wrong.extend(_mismatches(route, rule, world))
    finally:
        quiet.setLevel(level)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_matrix_notices_a_declaration_that_is_wrong(tmp_path: Path) -> None:
    """Declared public, the staff home refuses seven audiences: each is reported."""
    with override_settings(MEDIA_ROOT=tmp_path):
        world = build_world()
        staff_home = next(r for r in url_routes() if r.key == "core:staff_home")
        wrong = _mismatches(staff_home, PUBLIC, world)
    assert len(wrong) == len(AUDIENCES) - 2
    assert "core:staff_home as anonymous: expected allowed, got refused (HTTP 302)" in wrong
    assert declared("core:no_such_page", declarations()) is None
    assert declared("admin:anything_new", declarations()) == ADMIN_SITE
