"""Input no view was written for is a 400, never a server error, on every database.

PostgreSQL is where these used to crash (it cannot store a NUL character, nor encode a
lone surrogate): run this file with DATABASE_URL pointing at PostgreSQL too.
"""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from collectif.accounts.tests.factories import UserFactory
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.testing import bearer_secret
from collectif.ecosystem.tests.factories import OrganisationFactory


def _api_error(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "bad_request"
    assert set(error) == {"code", "message", "details"}
    return error


def _page_error(response: Any) -> str:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    return str(response.content.decode())


@pytest.fixture
def staff_headers(db: Any) -> dict[str, str]:
    staff = UserFactory.create(is_staff=True, is_superuser=True)
    return {"Authorization": f"Bearer {bearer_secret(staff)}"}


@pytest.mark.smoke
@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/a%00b",
        "/api/v1/organisations?q=a%00b",
        "/api/v1/organisations?a%00b=1",
        "/api/v1/measurement/indicators/x%00",
        "/api/v1/measurement/periods?kind=%00",
        "/api/v1/postal-codes/H2X%001Y4",
        "/api/v1/results/aggregate?indicator=a%00b",
    ],
)
def test_a_nul_byte_in_an_api_address_is_a_400_in_the_error_format(
    client: Client, url: str
) -> None:
    english = _api_error(client.get(url))
    assert "NUL" in english["message"]
    french = _api_error(client.get(url, headers={"Accept-Language": "fr"}))
    assert "caractère" in french["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/en/ecosystem/partners/?q=a%00b",
        "/en/ecosystem/partners/?province=%00",
        "/en/ecosystem/organisations/?q=a%00b",
        "/en/accounts/people/?q=a%00b",
        "/en/measurement/indicators/a%00b/",
        "/en/measurement/organisations/a%00b/results/",
        "/en/measurement/scorecard/?period=%00",
    ],
)
def test_a_nul_byte_in_a_page_address_is_the_bilingual_400_page(client: Client, url: str) -> None:
    page = _page_error(client.get(url))
    assert "This request could not be read" in page
    french = _page_error(client.get(url.replace("/en/", "/fr/", 1)))
    assert "Cette requête n’a pas pu être lue" in french


@pytest.mark.django_db
def test_a_nul_byte_in_a_form_or_a_header_or_a_cookie_is_refused(client: Client) -> None:
    form = client.post(
        "/en/accounts/login/",
        urlencode({"login": "a\x00b@example.org", "password": "x"}),
        content_type="application/x-www-form-urlencoded",
    )
    _page_error(form)
    _page_error(client.post("/en/accounts/login/", {"login": "a\x00b", "password": "x"}))
    broken = client.post(
        "/en/accounts/login/", b"--B\r\nno", content_type="multipart/form-data; boundary=B"
    )
    assert broken.status_code < 500
    _api_error(client.get("/api/v1/provinces", headers={"Authorization": "Bearer a\x00b"}))
    client.cookies["sessionid"] = "abc\x00def"
    _page_error(client.get("/en/ecosystem/partners/"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["a\u0000b", "\ud800", "ok\udfff", "\udc80\udc80"], ids=["nul", "high", "low", "two"]
)
def test_a_json_body_with_a_nul_or_a_lone_surrogate_is_refused_and_writes_nothing(
    client: Client, staff_headers: dict[str, str], text: str
) -> None:
    OrganisationFactory.create(slug="existing")
    body = {"name_en": text, "sector": "youth", "head_office_province": "QC"}
    response = client.post(
        "/api/v1/organisations",
        data=json.dumps(body),  # escapes the characters as \\u0000, \\ud800...
        content_type="application/json",
        headers=staff_headers,
    )
    _api_error(response)
    patch = client.patch(
        "/api/v1/organisations/existing",
        data=json.dumps({"provinces_served": [text]}),
        content_type="application/json",
        headers=staff_headers,
    )
    _api_error(patch)
    untyped = client.post(
        "/api/v1/organisations",
        data=json.dumps(body),
        content_type="text/plain",
        headers=staff_headers,
    )
    _api_error(untyped)
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["existing"]


@pytest.mark.django_db
def test_an_idempotency_key_with_a_nul_byte_is_refused(
    client: Client, staff_headers: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/measurement/submissions",
        data="{}",
        content_type="application/json",
        headers={**staff_headers, "Idempotency-Key": "k\x00"},
    )
    _api_error(response)


@pytest.mark.django_db
def test_proper_unicode_is_served_as_usual(client: Client) -> None:
    OrganisationFactory.create(name_en="Café 😀 Jeunesse")
    found = client.get("/api/v1/organisations", {"q": "😀"})
    assert found.status_code == 200
    assert [o["name_en"] for o in found.json()["results"]] == ["Café 😀 Jeunesse"]
    assert client.get("/en/ecosystem/partners/", {"q": "é 😀"}).status_code == 200


@pytest.mark.django_db
def test_too_long_or_too_many_inputs_are_a_400(client: Client) -> None:
    _api_error(client.get("/api/v1/organisations/" + "a" * 5000))
    _api_error(client.get("/api/v1/organisations?q=" + "a" * 9000))
    _page_error(client.get("/en/ecosystem/partners/?" + "&".join(["q=a"] * 1200)))
    _api_error(client.get("/api/v1/organisations?" + "&".join(["q=a"] * 1200)))
    too_big = client.post(
        "/api/v1/organisations",
        data=b"[" + b"1," * 1_500_000 + b"1]",
        content_type="application/json",
    )
    _api_error(too_big)


@pytest.mark.django_db
def test_unparseable_json_is_a_400_in_the_clients_language(
    client: Client, staff_headers: dict[str, str]
) -> None:
    for body in ("{", "[" * 100_000, '{"x": 1' + "0" * 5000 + "}", b"\xff\xfe"):
        response = client.post(
            "/api/v1/organisations",
            data=body,
            content_type="application/json",
            headers={**staff_headers, "Accept-Language": "fr"},
        )
        assert _api_error(response)["message"].startswith("Le corps de la requête")


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# No lone surrogates here: a URL carries bytes, and no bytes decode to one.
@given(
    text=st.text(
        st.sampled_from("\x00%&=+#é😀") | st.characters(exclude_categories=["Cs"]), max_size=20
    )
)
@example(text="a\x00b")
def test_any_text_in_a_search_is_never_a_server_error(client: Client, text: str) -> None:
    for url in ("/api/v1/organisations", "/en/ecosystem/partners/"):
        response = client.get(url, {"q": text, "province": text, "sector": text})
        assert response.status_code in (200, 400, 422), (url, text)


@pytest.mark.django_db
def test_what_django_itself_refuses_is_the_same_400(client: Client) -> None:
    page = _page_error(client.get("/fr/ecosystem/partners/", headers={"Host": "evil.example"}))
    assert "Cette requête n’a pas pu être lue" in page
    _api_error(client.get("/api/v1/provinces", headers={"Host": "evil.example"}))


@pytest.mark.django_db
def test_a_nul_byte_in_an_api_upload_form_is_a_400(staff_headers: dict[str, str]) -> None:
    response = Client().post(
        "/api/v1/measurement/imports", {"organisation": "x\x00y"}, headers=staff_headers
    )
    assert "NUL" in _api_error(response)["message"]


@pytest.mark.django_db
def test_a_form_sent_to_an_operation_that_reads_json_is_a_400(
    staff_headers: dict[str, str],
) -> None:
    response = Client().post(
        "/api/v1/organisations", {"name": "Mentorat Québec"}, headers=staff_headers
    )
    assert "JSON" in _api_error(response)["message"]


@pytest.mark.django_db
def test_an_api_upload_larger_than_a_form_may_be_reaches_the_operation(
    staff_headers: dict[str, str],
) -> None:
    """Files up to the upload limit are read as files, not as one body held in memory."""
    big = SimpleUploadedFile("big.csv", b"a;b\n" + b"1;2\n" * 1_000_000, "text/csv")
    response = Client().post(
        "/api/v1/measurement/imports",
        {"organisation": "nowhere", "dataset": "x", "period": "y", "file": big},
        headers=staff_headers,
    )
    assert response.status_code != 400, response.content[:300]
