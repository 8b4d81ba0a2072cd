"""Who may use each submission page and endpoint; a steward of organisation A never
sees or changes organisation B's unapproved data."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override

from collectif.accounts.services import api_token_create
from collectif.core.actors import SYSTEM
from collectif.ecosystem.testing import assert_role_access
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import Submission, Value
from collectif.measurement.services import submissions as services
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    steward_of,
)

API = "/api/v1/measurement"


def url(name, **kwargs):
    with override("en"):
        return reverse(f"measurement:{name}", kwargs=kwargs)


@pytest.fixture
def two_organisations():
    org_a, org_b = OrganisationFactory.create(), OrganisationFactory.create()
    indicator = IndicatorFactory.create(code="served")
    dataset = DatasetFactory.create(
        code="quarterly", indicators=[indicator], organisations=[org_a, org_b]
    )
    period = PeriodFactory.create(code="2026Q1")
    subs = {}
    for key, org, status_submit in (("a", org_a, False), ("b", org_b, True)):
        submission = services.submission_open(
            actor=SYSTEM, organisation=org, dataset=dataset, period=period
        )
        services.submission_save_values(
            actor=SYSTEM,
            submission=submission,
            cells=[CellValue("served", "", Decimal(7))],
            channel=Submission.Channel.FORM,
            submit=status_submit,
        )
        subs[key] = submission
    return {
        "a": org_a,
        "b": org_b,
        "sub_a": subs["a"],
        "sub_b": subs["b"],
        "steward_a": steward_of(org_a),
    }


@pytest.mark.django_db
def test_pages_by_role(client, two_organisations):
    sub_b = two_organisations["sub_b"]
    org_b = two_organisations["b"]
    assert_role_access(client, url("steward_home"), allowed={"steward"})
    assert_role_access(client, url("review_queue"), allowed={"staff"})
    assert_role_access(
        client,
        url("submission_detail", pk=sub_b.pk),
        allowed={"staff", "steward"},
        organisation=org_b,
    )
    assert_role_access(
        client, url("submission_approve", pk=sub_b.pk), allowed={"staff"}, organisation=org_b
    )
    assert_role_access(
        client, url("submission_return", pk=sub_b.pk), allowed={"staff"}, organisation=org_b
    )
    sub_a = two_organisations["sub_a"]
    assert_role_access(
        client,
        url("submission_edit", pk=sub_a.pk),
        allowed={"staff", "steward"},
        organisation=two_organisations["a"],
    )
    assert_role_access(
        client,
        url("submission_start", slug=org_b.slug, dataset="quarterly", period="2026Q1"),
        allowed={"staff", "steward"},
        organisation=org_b,
    )


@pytest.mark.smoke
@pytest.mark.django_db
def test_steward_of_a_cannot_reach_b_through_any_page(client, two_organisations):
    client.force_login(two_organisations["steward_a"])
    sub_b = two_organisations["sub_b"]
    org_b = two_organisations["b"]
    for name in (
        "submission_detail",
        "submission_edit",
        "submission_approve",
        "submission_return",
        "submission_reopen",
    ):
        response = client.get(url(name, pk=sub_b.pk))
        assert response.status_code in (403, 404), name
        response = client.post(
            url(name, pk=sub_b.pk), {"v-served": "999", "comment": "x", "submit": "1"}
        )
        assert response.status_code in (403, 404), name
    response = client.get(
        url("submission_start", slug=org_b.slug, dataset="quarterly", period="2026Q1")
    )
    assert response.status_code in (403, 404)
    page = client.get(url("steward_home")).content.decode()
    assert str(org_b) not in page
    assert Value.objects.get(submission=sub_b).value == Decimal(7)
    sub_b.refresh_from_db()
    assert sub_b.status == Submission.Status.SUBMITTED


@pytest.mark.django_db
def test_steward_of_a_cannot_reach_b_through_the_api(client, two_organisations):
    _token, secret = api_token_create(actor=two_organisations["steward_a"], name="t")
    headers = {"Authorization": f"Bearer {secret}"}
    pk = two_organisations["sub_b"].pk
    listed = client.get(f"{API}/submissions", headers=headers).json()["results"]
    assert [s["id"] for s in listed] == [two_organisations["sub_a"].pk]
    assert client.get(f"{API}/submissions/{pk}", headers=headers).status_code == 404
    put = client.put(
        f"{API}/submissions/{pk}/values",
        data=json.dumps({"values": [{"indicator": "served", "value": 1}]}),
        content_type="application/json",
        headers=headers,
    )
    assert put.status_code == 404
    for action in ("submit", "approve", "return"):
        response = client.post(
            f"{API}/submissions/{pk}/{action}",
            data=json.dumps({"comment": "x"}),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code in (403, 404), action
    created = client.post(
        f"{API}/submissions",
        data=json.dumps(
            {
                "organisation": two_organisations["b"].slug,
                "dataset": "quarterly",
                "period": "2026Q1",
                "values": [{"indicator": "served", "value": 1}],
            }
        ),
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 403
    assert Value.objects.get(submission_id=pk).value == Decimal(7)


@pytest.mark.django_db
def test_api_endpoints_by_role(client, two_organisations):
    pk = two_organisations["sub_b"].pk
    org_b = two_organisations["b"]
    assert_role_access(
        client,
        f"{API}/submissions/{pk}",
        allowed={"staff", "steward"},
        organisation=org_b,
        api=True,
    )
    assert_role_access(
        client,
        f"{API}/submissions/{pk}/approve",
        allowed={"staff"},
        organisation=org_b,
        api=True,
        method="post",
        data={},
    )
    assert_role_access(
        client,
        f"{API}/indicators",
        allowed={"anonymous", "no_role", "staff", "steward", "governance", "researcher"},
        api=True,
    )
