"""Reviewing with context: breakdowns in words and in order, last period's value, the
change, flags, and approving clean submissions together from the queue."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from collectif.core.models import AuditEvent
from collectif.core.testing import queries_for
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.breakdowns import BreakdownWords
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import Submission, ValidationRule
from collectif.measurement.selectors.review import submission_review
from collectif.measurement.services import submissions as services
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
    steward_of,
)

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# A review page's reads, whatever its number of values: person, roles and navigation
# (the session comes from the cache), the submission, its versions, then the review's
# own fixed reads.
DETAIL_QUERIES = 12


def url(name, language="en", **kwargs):
    with override(language):
        return reverse(f"measurement:{name}", kwargs=kwargs)


@pytest.fixture
def world(db):
    organisation = OrganisationFactory.create(name_en="Halifax Mentors", name_fr="Mentors Halifax")
    served = IndicatorFactory.create(
        code="served",
        name_en="Young people served",
        name_fr="Jeunes servis",
        dimensions=["age", "province"],
    )
    mentors = IndicatorFactory.create(
        code="mentors", name_en="Active mentors", name_fr="Mentors actifs"
    )
    dataset = DatasetFactory.create(indicators=[served, mentors], organisations=[organisation])
    return {
        "organisation": organisation,
        "dataset": dataset,
        "served": served,
        "mentors": mentors,
        "before": PeriodFactory.create(code="2026Q1"),
        "now": PeriodFactory.create(code="2026Q2"),
        "steward": steward_of(organisation),
        "staff": backbone_staff(),
    }


def send(world, period, cells, *, organisation=None, approve=False):
    organisation = organisation or world["organisation"]
    steward = world["steward"] if organisation == world["organisation"] else backbone_staff()
    if organisation != world["organisation"]:
        world["dataset"].organisations.add(organisation)
    submission = services.submission_open(
        actor=steward, organisation=organisation, dataset=world["dataset"], period=period
    )
    services.submission_save_values(
        actor=steward,
        submission=submission,
        cells=[CellValue(code, key, Decimal(value)) for code, key, value in cells],
        channel=Submission.Channel.FORM,
        submit=True,
    )
    if approve:
        services.submission_approve(actor=world["staff"], submission=submission)
    return submission


CELLS = [
    ("served", "", 90),
    ("served", "age:18-24", 30),
    ("served", "age:12-17", 30),
    ("served", "age:6-11", 30),
    ("served", "province:NS", 60),
    ("served", "province:PE", 30),
    ("mentors", "", 40),
]


def test_breakdowns_are_in_words_and_in_natural_order(client, world):
    submission = send(world, world["now"], CELLS)
    client.force_login(world["staff"])
    page = client.get(url("submission_detail", pk=submission.pk)).text
    assert "age:" not in page
    assert "province:" not in page
    # The total, then provinces from east to west, then age groups youngest first.
    order = ["Total", "Prince Edward Island", "Nova Scotia"]
    order += ["6 to 11 years", "12 to 17 years", "18 to 24 years", "Active mentors"]
    positions = [page.index(f">{words}<") for words in order]
    assert positions == sorted(positions)


def test_the_approve_page_shows_the_same_words_in_french(client, world):
    submission = send(world, world["now"], CELLS)
    client.force_login(world["staff"])
    page = client.get(url("submission_approve", "fr", pk=submission.pk)).text
    assert page.index(">6 à 11 ans<") < page.index(">12 à 17 ans<")
    assert ">Île-du-Prince-Édouard<" in page
    assert "age:" not in page


@given(st.permutations(["", "age:18-24", "age:6-11", "age:12-17", "age:unknown"]))
def test_order_does_not_depend_on_the_order_values_come_in(keys):
    words = BreakdownWords(
        {
            ("age", "6-11"): (2, 1, "6 to 11 years"),
            ("age", "12-17"): (2, 2, "12 to 17 years"),
            ("age", "18-24"): (2, 3, "18 to 24 years"),
        }
    )
    ordered = sorted(keys, key=words.sort_key)
    assert ordered == ["", "age:6-11", "age:12-17", "age:18-24", "age:unknown"]
    assert [words.words(key) for key in ordered[:2]] == ["", "6 to 11 years"]
    assert words.words("age:unknown") == "unknown"


def test_last_periods_approved_value_and_the_change_are_shown(client, world):
    send(world, world["before"], [("served", "", 100), ("mentors", "", 40)], approve=True)
    submission = send(world, world["now"], [("served", "", 180), ("mentors", "", 44)])
    review = submission_review(submission=submission)
    served, mentors = review.rows
    assert (served.previous, served.change, served.change_percent) == (
        Decimal(100),
        Decimal(80),
        Decimal(80),
    )
    assert served.is_unusual and not mentors.is_unusual  # +80 % against +10 %
    assert review.flag_count == 1
    client.force_login(world["staff"])
    page = client.get(url("submission_detail", pk=submission.pk)).text
    assert "+80 (+80%)" in page
    assert "Unusual change" in page
    assert "Compared with the approved values of January to March 2026" in page


def test_only_approved_values_of_the_same_kind_of_period_count_as_last_periods(world):
    send(world, world["before"], [("served", "", 100), ("mentors", "", 40)])  # not approved
    year = PeriodFactory.create(code="2025")
    send(world, year, [("served", "", 1), ("mentors", "", 1)], approve=True)
    submission = send(world, world["now"], [("served", "", 180), ("mentors", "", 44)])
    review = submission_review(submission=submission)
    assert [row.previous for row in review.rows] == [None, None]
    assert review.previous_period == world["before"]
    assert review.is_clean


def test_a_fall_is_flagged_too_and_a_rise_from_zero_is_not_a_percentage(world):
    send(world, world["before"], [("served", "", 100), ("mentors", "", 0)], approve=True)
    submission = send(world, world["now"], [("served", "", 40), ("mentors", "", 5)])
    served, mentors = submission_review(submission=submission).rows
    assert served.change_percent == -60 and served.is_unusual
    assert mentors.change == 5 and mentors.change_percent is None and not mentors.is_unusual


@override_settings(COLLECTIF={**settings.COLLECTIF, "REVIEW_CHANGE_THRESHOLD_PERCENT": 90})
def test_the_threshold_is_a_setting(world):
    send(world, world["before"], [("served", "", 100), ("mentors", "", 40)], approve=True)
    submission = send(world, world["now"], [("served", "", 180), ("mentors", "", 44)])
    assert submission_review(submission=submission).is_clean


def test_rule_warnings_are_flagged_on_their_row(client, world):
    ValidationRule.objects.create(
        code="mentors_le_served",
        left=world["mentors"],
        operator=ValidationRule.Operator.LTE,
        right=world["served"],
        severity=ValidationRule.Severity.WARNING,
        message_en="Active mentors are usually fewer than young people served",
        message_fr="Les mentors actifs sont d’habitude moins nombreux que les jeunes servis",
    )
    submission = send(world, world["now"], [("served", "", 10), ("mentors", "", 40)])
    review = submission_review(submission=submission)
    assert review.flag_count == 1
    assert review.rows[1].warnings
    client.force_login(world["staff"])
    page = client.get(url("submission_detail", pk=submission.pk)).text
    assert "Rule warning" in page
    assert "Active mentors are usually fewer" in page


def test_the_queue_counts_flags_and_offers_only_clean_submissions(client, world):
    send(world, world["before"], [("served", "", 100), ("mentors", "", 40)], approve=True)
    flagged = send(world, world["now"], [("served", "", 500), ("mentors", "", 40)])
    clean = send(
        world,
        world["now"],
        [("served", "", 10), ("mentors", "", 4)],
        organisation=OrganisationFactory.create(),
    )
    client.force_login(world["staff"])
    page = client.get(url("review_queue")).text
    assert "1 flag<" in page
    assert "No flags" in page
    assert f'value="{clean.pk}"' in page
    assert f'value="{flagged.pk}"' not in page
    assert not ISO_DATE.search(page)


def test_clean_submissions_are_approved_together_after_a_confirmation(client, world):
    send(world, world["before"], [("served", "", 100), ("mentors", "", 40)], approve=True)
    flagged = send(world, world["now"], [("served", "", 500), ("mentors", "", 40)])
    clean = [
        send(
            world,
            world["now"],
            [("served", "", 10), ("mentors", "", 4)],
            organisation=OrganisationFactory.create(name_en=f"Partner {n}"),
        )
        for n in (1, 2)
    ]
    chosen = {"submission": [str(s.pk) for s in [*clean, flagged]]}
    client.force_login(world["staff"])
    confirm = client.get(url("review_approve_many"), chosen).text
    assert "Approve 2 submissions" in confirm
    assert "Partner 1" in confirm and "Partner 2" in confirm
    assert "Not approved together" in confirm
    assert all(
        s.status == "submitted" for s in Submission.objects.filter(pk__in=[c.pk for c in clean])
    )
    response = client.post(url("review_approve_many"), chosen, follow=True)
    assert "2 submissions are approved." in response.text
    statuses = dict(Submission.objects.values_list("pk", "status"))
    assert [statuses[s.pk] for s in clean] == ["approved", "approved"]
    assert statuses[flagged.pk] == "submitted"
    event = AuditEvent.objects.get(action="measurement.submission_approve_many")
    assert event.changes["count"] == 2


def test_nothing_clean_chosen_goes_back_to_the_queue(client, world):
    client.force_login(world["staff"])
    response = client.get(url("review_approve_many"), {"submission": ["999", "x"]}, follow=True)
    assert "Choose at least one submission without flags" in response.text


def test_only_staff_approve_together(client, world):
    clean = send(world, world["now"], [("served", "", 10), ("mentors", "", 4)])
    client.force_login(world["steward"])
    response = client.post(url("review_approve_many"), {"submission": [clean.pk]})
    assert response.status_code == 403
    clean.refresh_from_db()
    assert clean.status == "submitted"


def test_a_review_page_costs_the_same_for_few_and_many_values(client, world):
    other = OrganisationFactory.create()
    send(world, world["before"], CELLS, approve=True)
    send(world, world["before"], CELLS, organisation=other, approve=True)
    few = send(world, world["now"], [("served", "", 90), ("mentors", "", 40)])
    many = send(world, world["now"], CELLS, organisation=other)
    client.force_login(world["staff"])
    counts = [queries_for(client, url("submission_detail", pk=s.pk)) for s in (few, many)]
    assert counts == [DETAIL_QUERIES, DETAIL_QUERIES]


def test_the_history_agrees_with_the_queue_in_the_readers_format(client, world):
    submission = send(world, world["now"], [("served", "", 10), ("mentors", "", 4)])
    services.submission_approve(actor=world["staff"], submission=submission)
    client.force_login(world["staff"])
    page = client.get(url("submission_detail", "fr", pk=submission.pk)).text
    assert not ISO_DATE.search(page)
    history = page[page.index("Historique") :]
    assert "Approuvé" in history
    assert world["staff"].get_full_name() in history
    assert world["steward"].get_full_name() in history
