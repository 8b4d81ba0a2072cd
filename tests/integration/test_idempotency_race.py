"""Ten copies of one API write, sent at once with one Idempotency-Key, write once.

A client that times out and retries, or a proxy that duplicates a request, must get the
same answer each time and one submission. This needs real concurrent transactions, so
it runs on PostgreSQL only (SQLite serialises every write and proves nothing). The
flush that ends each test empties the reference tables, which it refills first.
"""

import json
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from collectif.accounts.services import api_token_create
from collectif.core.demo import load_reference_data
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import IdempotencyKey, Submission, SubmissionVersion, Value
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    steward_of,
)

COPIES = 10

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions: run with DATABASE_URL on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def steward_request() -> dict[str, Any]:
    load_reference_data()
    organisation = OrganisationFactory.create()
    served = IndicatorFactory.create(code="served", dimensions=["province"])
    DatasetFactory.create(code="quarterly", indicators=[served], organisations=[organisation])
    PeriodFactory.create(code="2026Q1")
    _token, secret = api_token_create(actor=steward_of(organisation), name="race")
    return {
        "headers": {"Authorization": f"Bearer {secret}", "Idempotency-Key": "retry-1"},
        "body": {
            "organisation": organisation.slug,
            "dataset": "quarterly",
            "period": "2026Q1",
            "values": [
                {"indicator": "served", "value": 30},
                {"indicator": "served", "members": {"province": "QC"}, "value": 10},
            ],
        },
    }


def _send_at_once(headers: dict[str, str], body: dict[str, Any]) -> list[tuple[int, Any]]:
    """Each thread has its own client and its own database connection, closed at the end."""
    start = threading.Barrier(COPIES)
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            start.wait()
            response = Client().post(
                "/api/v1/measurement/submissions",
                data=json.dumps(body),
                content_type="application/json",
                headers=headers,
            )
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.parametrize("submit", [False, True], ids=["save", "submit"])
def test_concurrent_copies_of_a_write_get_one_answer_and_write_once(
    steward_request: dict[str, Any], submit: bool
) -> None:
    body = {**steward_request["body"], "submit": submit}
    answers = _send_at_once(steward_request["headers"], body)
    assert len(answers) == COPIES
    statuses = [status for status, _body in answers]
    assert statuses == [201] * COPIES, answers
    first = answers[0][1]
    assert all(answer == first for _status, answer in answers)
    assert first["status"] == ("submitted" if submit else "draft")
    assert Submission.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert Value.objects.count() == 2
    assert SubmissionVersion.objects.count() == (1 if submit else 0)
