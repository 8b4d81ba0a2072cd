import json
from decimal import Decimal

import pytest
from django.db.backends.utils import format_number
from hypothesis import given
from hypothesis import strategies as st

from collectif.accounts.services import api_token_create
from collectif.core.testing import queries_for
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.api.submissions import VALUE_LIMIT, VALUE_QUANTUM, stored_value
from collectif.measurement.models import (
    IdempotencyKey,
    Indicator,
    Period,
    Rollup,
    Submission,
    SubmissionVersion,
    Value,
)
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    SubmissionFactory,
    ValueFactory,
    backbone_staff,
    steward_of,
)

BASE = "/api/v1/measurement"
# What each list costs, whatever its number of rows (the token, its person and roles,
# then the list's count and its page's reads).
INDICATOR_LIST_QUERIES = 7
PERIOD_LIST_QUERIES = 3
DATASET_LIST_QUERIES = 5
SUBMISSION_LIST_QUERIES = 5


def bearer(user):
    _token, secret = api_token_create(actor=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def world():
    organisation = OrganisationFactory.create()
    served = IndicatorFactory.create(code="served", dimensions=["age", "province"])
    internal = IndicatorFactory.create(code="internal_only", is_published=False)
    dataset = DatasetFactory.create(
        code="quarterly", indicators=[served], organisations=[organisation]
    )
    period = PeriodFactory.create(code="2026Q1")
    steward = steward_of(organisation)
    return {
        "period": period,
        "organisation": organisation,
        "served": served,
        "internal": internal,
        "dataset": dataset,
        "steward": steward,
        "headers": bearer(steward),
        "staff_headers": bearer(backbone_staff()),
    }


def body(world, **extra):
    return {
        "organisation": world["organisation"].slug,
        "dataset": "quarterly",
        "period": "2026Q1",
        "values": [
            {"indicator": "served", "value": 30},
            {"indicator": "served", "members": {"province": "QC"}, "value": 10},
            {"indicator": "served", "breakdown": "province:ON", "value": "20"},
        ],
        **extra,
    }


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def post(client, path, data, headers):
    return client.post(
        BASE + path, data=json.dumps(data), content_type="application/json", headers=headers
    )


@pytest.mark.django_db
def test_reference_data_public_reads_show_published_indicators_only(client, world):
    codes = {i["code"] for i in results(client.get(f"{BASE}/indicators"))}
    assert "served" in codes and "internal_only" not in codes
    assert client.get(f"{BASE}/indicators/internal_only").status_code == 404
    staff_codes = {
        i["code"] for i in results(client.get(f"{BASE}/indicators", headers=world["staff_headers"]))
    }
    assert "internal_only" in staff_codes
    detail = client.get(f"{BASE}/indicators/served").json()
    assert detail["dimensions"] == ["province", "age"] or set(detail["dimensions"]) == {
        "province",
        "age",
    }
    assert [p["code"] for p in results(client.get(f"{BASE}/periods"))] == ["2026Q1"]
    assert client.get(f"{BASE}/datasets").status_code == 401
    dataset = client.get(f"{BASE}/datasets/quarterly", headers=world["headers"]).json()
    assert dataset["indicators"][0]["indicator"] == "served"


@pytest.mark.smoke
@pytest.mark.django_db
def test_create_and_submit_with_an_idempotency_key(client, world):
    headers = {**world["headers"], "Idempotency-Key": "abc-1"}
    first = post(client, "/submissions", body(world, submit=True), headers)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "submitted" and data["version"] == 1
    assert {v["breakdown"] for v in data["values"]} == {"", "province:QC", "province:ON"}
    again = post(client, "/submissions", body(world, submit=True), headers)
    assert again.status_code == 201
    assert again.json()["id"] == data["id"]
    assert SubmissionVersion.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    changed = body(world, submit=True)
    changed["values"][0]["value"] = 31
    conflict = post(client, "/submissions", changed, headers)
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "idempotency_conflict"
    assert Value.objects.get(breakdown="").value == Decimal(30)


@pytest.mark.django_db
def test_invalid_values_get_422_with_each_cell_and_nothing_written(client, world):
    data = body(world)
    data["values"].append({"indicator": "served", "members": {"age": "12-17"}, "value": -3})
    response = post(client, "/submissions", data, world["headers"])
    assert response.status_code == 422
    fields = [d["field"] for d in response.json()["error"]["details"]]
    assert "served/age:12-17" in fields
    assert not Value.objects.exists()
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_replace_values_then_submit_then_staff_approves(client, world):
    created = post(client, "/submissions", body(world), world["headers"]).json()
    pk = created["id"]
    put = client.put(
        f"{BASE}/submissions/{pk}/values",
        data=json.dumps({"values": [{"indicator": "served", "value": 5}]}),
        content_type="application/json",
        headers=world["headers"],
    )
    assert put.status_code == 200
    assert [v["value"] for v in put.json()["values"]] == ["5.000000"] or len(
        put.json()["values"]
    ) == 1
    assert Value.objects.count() == 1
    submitted = post(client, f"/submissions/{pk}/submit", {}, world["headers"])
    assert submitted.json()["status"] == "submitted"
    assert post(client, f"/submissions/{pk}/approve", {}, world["headers"]).status_code == 403
    approved = post(client, f"/submissions/{pk}/approve", {}, world["staff_headers"])
    assert approved.json()["status"] == "approved"
    assert Rollup.objects.get(region="CA", member="").total == Decimal(5)
    listed = results(client.get(f"{BASE}/submissions", headers=world["headers"]))
    assert [s["id"] for s in listed] == [pk]


@pytest.mark.django_db
def test_staff_return_needs_a_comment(client, world):
    pk = post(client, "/submissions", body(world, submit=True), world["headers"]).json()["id"]
    response = post(client, f"/submissions/{pk}/return", {"comment": ""}, world["staff_headers"])
    assert response.status_code == 422
    response = post(
        client, f"/submissions/{pk}/return", {"comment": "Add ages."}, world["staff_headers"]
    )
    assert response.json()["status"] == "returned"
    assert Submission.objects.get().review_comment == "Add ages."


# --- Queries: a list costs the same whatever its number of rows -----------------------


def add_indicators(count: int) -> None:
    """Computed and weighted indicators: each names three others the list shows."""
    for _ in range(count):
        numerator, denominator = IndicatorFactory.create(), IndicatorFactory.create()
        IndicatorFactory.create(
            dimensions=["age"],
            source=Indicator.Source.COMPUTED,
            numerator=numerator,
            denominator=denominator,
            aggregation=Indicator.Aggregation.WEIGHTED_MEAN,
            weight_indicator=denominator,
        )


def add_datasets(count: int) -> None:
    for _ in range(count):
        DatasetFactory.create(
            indicators=[IndicatorFactory.create(dimensions=["age"]), IndicatorFactory.create()]
        )


def add_periods(count: int) -> None:
    for _ in range(count):
        PeriodFactory.create()


def add_submissions(world, count: int) -> None:
    for _ in range(count):
        dataset = DatasetFactory.create(
            indicators=[world["served"]], organisations=[world["organisation"]]
        )
        submission = SubmissionFactory.create(
            organisation=world["organisation"], dataset=dataset, period=world["period"]
        )
        for breakdown in ("", "age:6-11"):
            ValueFactory.create(
                submission=submission, indicator=world["served"], breakdown=breakdown
            )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "grow", "expected"),
    [
        ("/indicators", lambda world, n: add_indicators(n), INDICATOR_LIST_QUERIES),
        ("/periods", lambda world, n: add_periods(n), PERIOD_LIST_QUERIES),
        ("/datasets", lambda world, n: add_datasets(n), DATASET_LIST_QUERIES),
        ("/submissions", add_submissions, SUBMISSION_LIST_QUERIES),
    ],
    ids=["indicators", "periods", "datasets", "submissions"],
)
def test_api_lists_cost_the_same_for_3_and_30_rows(client, world, path, grow, expected):
    grow(world, 3)
    client.get(BASE + path, headers=world["headers"])  # the token's first use is noted once
    few = queries_for(client, BASE + path, headers=world["headers"])
    grow(world, 27)
    assert queries_for(client, BASE + path, headers=world["headers"]) == few == expected


# --- The submissions list: paged summaries, filters; the detail carries the values ------


@pytest.mark.django_db
def test_the_submission_list_gives_paged_summaries_and_the_detail_gives_values(client, world):
    add_submissions(world, 3)
    other = SubmissionFactory.create(
        organisation=world["organisation"], dataset=world["dataset"], period=world["period"]
    )
    SubmissionFactory.create(status=Submission.Status.SUBMITTED)  # another organisation's
    page = client.get(f"{BASE}/submissions?page_size=2", headers=world["headers"]).json()
    assert (page["count"], page["pages"], len(page["results"])) == (4, 2, 2)
    assert page["next"].endswith("/api/v1/measurement/submissions?page_size=2&page=2")
    summary = next(s for s in results(client.get(page["next"], headers=world["headers"])))
    assert "values" in summary and not isinstance(summary["values"], list)
    staff = client.get(f"{BASE}/submissions", headers=world["staff_headers"]).json()
    assert staff["count"] == 5
    counts = {s["id"]: s["values"] for s in staff["results"]}
    assert counts[other.pk] == 0
    assert sorted(counts.values()) == [0, 0, 2, 2, 2]
    with_values = next(s for s in staff["results"] if s["values"] == 2)
    detail = client.get(with_values["url"], headers=world["staff_headers"]).json()
    assert {v["breakdown"] for v in detail["values"]} == {"", "age:6-11"}


@pytest.mark.django_db
def test_the_submission_list_filters_by_status_organisation_dataset_and_period(client, world):
    mine = SubmissionFactory.create(
        organisation=world["organisation"], dataset=world["dataset"], period=world["period"]
    )
    sent = SubmissionFactory.create(status=Submission.Status.SUBMITTED)
    headers = world["staff_headers"]

    def ids(query):
        return [
            s["id"] for s in results(client.get(f"{BASE}/submissions?{query}", headers=headers))
        ]

    assert ids("status=submitted") == [sent.pk]
    assert ids(f"organisation={world['organisation'].slug}") == [mine.pk]
    assert ids("dataset=quarterly&period=2026q1") == [mine.pk]
    assert ids("organisation=nobody") == []
    assert client.get(f"{BASE}/submissions?status=lost", headers=headers).status_code == 422
    assert client.get(f"{BASE}/submissions?page_size=101", headers=headers).status_code == 422


@pytest.mark.django_db
def test_every_list_is_capped_at_100_a_page(client, world):
    add_periods(120)
    total = Period.objects.count()
    page = client.get(f"{BASE}/periods?page_size=100").json()
    assert (page["count"], len(page["results"]), page["pages"]) == (total, 100, 2)
    last = client.get(page["next"]).json()
    assert (len(last["results"]), last["next"]) == (total - 100, None)
    assert last["previous"].endswith("page_size=100&page=1")


# --- Numbers no value row can hold are refused, named, and nothing is written ---------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number",
    ["1e308", 1e308, "1e14", -1e14, "99999999999999.9999999", "1" * 30, "Infinity", "NaN"],
)
def test_a_number_no_row_can_hold_is_a_422_naming_the_value(client, world, number):
    data = body(world)
    data["values"][1]["value"] = number
    response = post(client, "/submissions", data, {**world["headers"], "Accept-Language": "fr"})
    assert response.status_code == 422, response.content
    details = response.json()["error"]["details"]
    assert [d["field"] for d in details] == ["values.1.value"]
    if isinstance(number, float) or number[0].isdigit():
        assert details[0]["message"] == (
            "Donnez un nombre fini d’au plus 14 chiffres avant la virgule."
        )
    assert not Submission.objects.exists()
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_a_value_is_kept_with_six_decimals_at_most(client, world):
    world["served"].unit = Indicator.Unit.DOLLARS
    world["served"].save()
    data = body(world)
    data["values"] = [
        {"indicator": "served", "value": "99999999999999.4999999"},
        {"indicator": "served", "members": {"province": "QC"}, "value": 1.23456789},
        {"indicator": "served", "members": {"province": "ON"}, "value": "1E+13"},
    ]
    response = post(client, "/submissions", data, world["headers"])
    assert response.status_code == 201, response.content
    stored = dict(Value.objects.values_list("breakdown", "value"))
    assert stored == {
        "": Decimal("99999999999999.500000"),
        "province:QC": Decimal("1.234568"),
        "province:ON": Decimal("10000000000000"),
    }


@pytest.mark.django_db
def test_a_replay_answers_exactly_as_the_first_request(client, world):
    headers = {**world["headers"], "Idempotency-Key": "same"}
    data = body(world, submit=False)
    data["values"] = [{"indicator": "served", "value": 30}]
    first = post(client, "/submissions", data, headers)
    again = post(client, "/submissions", data, headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()


@given(number=st.decimals(allow_nan=True, allow_infinity=True) | st.decimals(places=8))
def test_a_number_is_either_refused_or_fits_a_value_row_rounded(number):
    field = Value._meta.get_field("value")
    stored = stored_value(number)
    if stored is None:
        assert not number.is_finite() or abs(number) >= Decimal("99999999999999.9999995")
    else:
        assert abs(stored - number) <= Decimal("0.0000005")
        field.run_validators(stored)  # at most 20 digits, 6 of them decimals
        assert stored == field.to_python(format_number(stored, 20, 6))


def test_the_limits_are_those_of_the_value_column():
    field = Value._meta.get_field("value")
    assert Decimal(10) ** (field.max_digits - field.decimal_places) == VALUE_LIMIT
    assert Decimal(1).scaleb(-field.decimal_places) == VALUE_QUANTUM
