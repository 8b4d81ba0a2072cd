"""CASL's rules as the domain states them: when e-mail is allowed, and how it is said."""

from datetime import date, timedelta

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from collectif.ecosystem.domain.consent import (
    IMPLIED_MONTHS,
    ConsentFacts,
    ConsentStatus,
    add_months,
    allows_email,
    default_expiry,
    status_of,
    status_sentence,
)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
bases = st.sampled_from(
    [
        "business_relationship",
        "non_business_relationship",
        "inquiry",
        "published_address",
        "address_given",
    ]
)


@st.composite
def consents(draw: st.DrawFn) -> ConsentFacts:
    express = draw(st.booleans())
    given_on = draw(days)
    basis = "express_request" if express else draw(bases)
    kind = "express" if express else "implied"
    withdrawn = draw(st.one_of(st.none(), st.integers(0, 2000)))
    return ConsentFacts(
        kind=kind,
        basis=basis,
        given_on=given_on,
        source="a form",
        expires_on=default_expiry(kind=kind, basis=basis, given_on=given_on),
        withdrawn_on=None if withdrawn is None else given_on + timedelta(days=withdrawn),
    )


def test_implied_consent_lasts_two_years_or_six_months() -> None:
    given_on = date(2026, 5, 3)
    assert default_expiry(kind="implied", basis="business_relationship", given_on=given_on) == (
        date(2028, 5, 3)
    )
    assert default_expiry(kind="implied", basis="inquiry", given_on=given_on) == date(2026, 11, 3)
    assert default_expiry(kind="implied", basis="published_address", given_on=given_on) is None
    assert default_expiry(kind="express", basis="express_request", given_on=given_on) is None
    # 29 February two years on is the 28th; 31 August six months on, 28 February.
    assert add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_expiry_and_withdrawal_days_are_the_first_days_without_email() -> None:
    implied = ConsentFacts(
        kind="implied", basis="inquiry", given_on=date(2026, 1, 10), expires_on=date(2026, 7, 10)
    )
    assert allows_email(implied, on=date(2026, 7, 9))
    assert not allows_email(implied, on=date(2026, 7, 10))
    assert not allows_email(implied, on=date(2026, 1, 9))
    express = ConsentFacts(
        kind="express",
        basis="express_request",
        given_on=date(2026, 1, 10),
        withdrawn_on=date(2026, 3, 1),
    )
    assert allows_email(express, on=date(2026, 2, 28))
    assert not allows_email(express, on=date(2026, 3, 1))
    assert status_of([express, implied], on=date(2026, 3, 1)) == ConsentStatus.MAY_EMAIL
    assert status_of([express], on=date(2026, 3, 1)) == ConsentStatus.WITHDRAWN
    assert status_of([implied], on=date(2026, 8, 1)) == ConsentStatus.EXPIRED
    assert status_of([], on=date(2026, 8, 1)) == ConsentStatus.NONE


@given(days, days)
def test_express_consent_never_lapses_until_withdrawn(given_on: date, on: date) -> None:
    consent = ConsentFacts(kind="express", basis="express_request", given_on=given_on)
    assert allows_email(consent, on=on) == (on >= given_on)


@given(days, bases, st.integers(0, 3000))
def test_implied_consent_ends_exactly_at_its_legal_term(
    given_on: date, basis: str, after: int
) -> None:
    on = given_on + timedelta(days=after)
    consent = ConsentFacts(
        kind="implied",
        basis=basis,
        given_on=given_on,
        expires_on=default_expiry(kind="implied", basis=basis, given_on=given_on),
    )
    months = IMPLIED_MONTHS.get(basis)
    expected = months is None or on < add_months(given_on, months)
    assert allows_email(consent, on=on) == expected


@given(st.lists(consents(), max_size=4), days)
def test_one_valid_record_is_enough_and_a_withdrawal_ends_everything_it_covers(
    records: list[ConsentFacts], on: date
) -> None:
    status = status_of(records, on=on)
    assert (status == ConsentStatus.MAY_EMAIL) == any(allows_email(c, on=on) for c in records)
    if status == ConsentStatus.NONE:
        assert all(c.given_on > on for c in records)
    withdrawn_all = [
        ConsentFacts(**{**c.__dict__, "withdrawn_on": min(c.given_on, on)}) for c in records
    ]
    assert status_of(withdrawn_all, on=on) != ConsentStatus.MAY_EMAIL


@given(st.lists(consents(), max_size=4), days)
def test_every_standing_reads_as_a_sentence_in_both_languages(
    records: list[ConsentFacts], on: date
) -> None:
    for language in ("en", "fr"):
        with translation.override(language):
            text = status_sentence(records, on=on)
        assert text and "%(" not in text


def test_the_sentence_says_the_kind_the_date_and_the_source() -> None:
    consent = ConsentFacts(
        kind="express",
        basis="express_request",
        given_on=date(2026, 5, 3),
        source="the webinar registration form",
    )
    with translation.override("en"):
        assert status_sentence([consent], on=date(2026, 6, 1)) == (
            "Express consent since May 3, 2026, from the webinar registration form"
        )
        assert status_sentence([], on=date(2026, 6, 1)) == (
            "No consent recorded: do not send e-mail."
        )
    with translation.override("fr"):
        assert "3 mai 2026" in status_sentence([consent], on=date(2026, 6, 1))
