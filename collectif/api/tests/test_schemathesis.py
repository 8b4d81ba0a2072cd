"""The whole API fuzzed from its own OpenAPI document, as CI runs it.

Schemathesis generates requests for every operation, valid ones and invalid ones, as an
anonymous client and as backbone staff with a token, and calls the WSGI application in
the test's transaction. Every answer must be declared in the document: no server error,
no undeclared status, no body that breaks its schema. The examples are few and chosen
without randomness, so that a run takes the same time and finds the same things.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from collectif.accounts.services import api_token_create
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    SubmissionFactory,
    ValueFactory,
    backbone_staff,
    steward_of,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 8


@pytest.fixture
def known(db: Any) -> dict[str, Any]:
    """Rows the requests can find, so that fixed addresses reach the code behind them."""
    indicator = IndicatorFactory.create(code="served", dimensions=["age"])
    submission = SubmissionFactory.create(
        dataset=DatasetFactory.create(code="quarterly", indicators=[indicator]),
        period=PeriodFactory.create(code="2026Q1"),
    )
    ValueFactory.create(submission=submission, indicator=indicator, breakdown="")
    steward_of(submission.organisation)
    _token, secret = api_token_create(actor=backbone_staff(), name="fuzz")
    return {
        "staff": {"Authorization": f"Bearer {secret}"},
        "path": {
            "slug": submission.organisation.slug,
            "code": "served",
            "submission_id": submission.pk,
        },
    }


@pytest.fixture
def api_schema(db: Any, settings: Any) -> Iterator[Any]:
    """The document the application serves, bound to the application itself.

    Django's test client keeps the test's connection (and its transaction) across
    requests by not closing connections around them; a WSGI call must do the same.
    """
    settings.ALLOWED_HOSTS = ["localhost"]
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def _operations(api_schema: Any) -> Iterator[Any]:
    for result in api_schema.get_all_operations():
        yield result.ok()


def _addresses(operation: Any, known: dict[str, Any]) -> list[dict[str, Any] | None]:
    """Generated path parameters, then (if it has any) the rows the test made."""
    fixed = {name: value for name, value in known.items() if f"{{{name}}}" in operation.path}
    return [None, fixed] if fixed else [None]


def _fuzz(operation: Any, *, mode: GenerationMode, headers: dict[str, str], path: Any) -> None:
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_every_operation_answers_as_its_document_says(
    api_schema: Any, known: dict[str, Any], who: str
) -> None:
    headers = known["staff"] if who == "staff" else {}
    failures = []
    for operation in _operations(api_schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for path in _addresses(operation, known["path"]):
                try:
                    _fuzz(operation, mode=mode, headers=headers, path=path)
                except Unsatisfiable:
                    continue  # nothing invalid to send: any text is a valid code
                except Exception as failure:
                    failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)
