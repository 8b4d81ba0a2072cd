"""A public site's defences: the policies every response carries, and an admin site whose
login is no second, unlimited way to guess a password."""

from collections.abc import Iterator
from unittest import mock

import pytest
from django.test import Client

from collectif.accounts.models import Membership, Role, User
from collectif.accounts.tests.factories import UserFactory
from collectif.core.testing import clear_cache
from collectif.ecosystem.tests.factories import OrganisationFactory

PASSWORD = "a-strong-test-password"

# Pages, error pages, API answers (good and refused), a file and static files.
ADDRESSES = [
    "/en/",
    "/fr/",
    "/en/about/",
    "/en/accounts/login/",
    "/en/ecosystem/partners/",
    "/en/measurement/report-card/",
    "/en/measurement/report-card.csv",
    "/en/backbone/",  # a redirect to sign in
    "/en/no-such-page/",  # 404
    "/health",
    "/api/v1/provinces",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/api/v1/me",  # 401
    "/api/v1/organisations/no-such-organisation",  # 404
    "/static/collectif/css/collectif.css",
    "/static/collectif/js/job-progress.js",
    "/en/admin/",
    "/en/admin/login/",
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("address", ADDRESSES)
def test_every_response_carries_the_content_and_permissions_policies(
    client: Client, address: str
) -> None:
    response = client.get(address)
    policy = _directives(response.headers.get("Content-Security-Policy", ""))
    assert policy.get("default-src") == "'self'", (address, response.status_code)
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["style-src"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    features = response.headers.get("Permissions-Policy", "")
    for refused in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert refused in features, (address, features)


@pytest.mark.django_db
def test_a_server_error_page_carries_the_policies_too() -> None:
    client = Client(raise_request_exception=False)
    staff = _backbone_staff()
    client.force_login(staff)
    with mock.patch(
        "collectif.core.views.selectors.audit_event_list", side_effect=RuntimeError("boom")
    ):
        response = client.get("/en/backbone/audit/")
    assert response.status_code == 500
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style(client: Client) -> None:
    """What the policy would block must not be there in the first place."""
    staff = _backbone_staff()
    client.force_login(staff)
    for address in ("/en/", "/en/home/", "/en/backbone/", "/en/measurement/report-card/"):
        html = client.get(address).content.decode()
        assert "<script>" not in html, address
        assert " style=" not in html, address
        assert " onclick=" not in html, address


def _backbone_staff() -> User:
    user = UserFactory.create()
    Membership.objects.create(user=user, organisation=OrganisationFactory.create(), role=Role.STAFF)
    return user


def _admin_user() -> User:
    return UserFactory.create(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_the_admin_login_never_checks_a_password(client: Client) -> None:
    _admin_user()
    for _attempt in range(12):
        response = client.post(
            "/en/admin/login/?next=/en/admin/",
            {"username": "admin@example.org", "password": "a-wrong-guess"},
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")
    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "admin@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/admin/"
    assert not response.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in client.session
    # The admin index still sends an anonymous visitor away.
    index = client.get("/en/admin/", follow=True)
    assert index.redirect_chain[-1][0].startswith("/en/accounts/login/")
    assert b'name="password"' in index.content  # the product's own sign-in form


@pytest.mark.django_db
def test_the_product_sign_in_leads_to_the_admin_and_still_locks_after_five_failures(
    client: Client,
) -> None:
    _admin_user()
    for _attempt in range(5):
        client.post("/en/accounts/login/", {"login": "admin@example.org", "password": "guess"})
    locked = client.post(
        "/en/accounts/login/?next=/en/admin/",
        {"login": "admin@example.org", "password": PASSWORD},
    )
    assert "Too many failed attempts to sign in" in locked.content.decode()
    assert not locked.wsgi_request.user.is_authenticated

    clear_cache()  # the lock expires
    signed_in = client.post(
        "/en/accounts/login/?next=/en/admin/",
        {"login": "admin@example.org", "password": PASSWORD},
    )
    assert signed_in["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/login/?next=/en/admin/measurement/")["Location"] == (
        "/en/admin/measurement/"
    )


@pytest.mark.django_db
def test_signed_in_people_without_admin_access_are_refused_by_the_admin(
    client: Client,
) -> None:
    client.force_login(_backbone_staff())
    assert client.get("/en/admin/login/?next=/en/admin/").status_code == 403
    admin_index = client.get("/en/admin/")
    assert admin_index.status_code == 302
    assert client.get(admin_index["Location"]).status_code == 403


@pytest.mark.django_db
def test_the_admin_login_never_sends_people_to_another_site(client: Client) -> None:
    client.force_login(_admin_user())
    response = client.get("/en/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/en/admin/"
