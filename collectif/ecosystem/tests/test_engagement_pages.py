"""The pipeline's pages as staff use them, and as nobody else may."""

from datetime import timedelta

import pytest
from django.test import Client

from collectif.accounts.models import User
from collectif.core.models import Province
from collectif.core.testing import queries_for, same_queries_for_3_and_30
from collectif.ecosystem.domain.engagement import site_today
from collectif.ecosystem.models import Engagement, EngagementEvent, Organisation, Sector, Stage
from collectif.ecosystem.selectors import engagement as selectors
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import EngagementFactory, OrganisationFactory

BOARD = "/en/ecosystem/pipeline/"


def _staff(client: Client) -> User:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    return staff


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_the_board_shows_every_stage_in_order_with_counts(client: Client) -> None:
    _staff(client)
    OrganisationFactory.create(name_en="Never Approached")  # no pipeline row: identified
    EngagementFactory.create(organisation__name_en="Warm Lead", stage=Stage.IN_CONVERSATION)
    EngagementFactory.create(organisation__name_en="Said No", stage=Stage.DECLINED)

    page = _get(client, BOARD)
    headings = [
        "Identified",
        "Approached",
        "In conversation",
        "Engaged",
        "Committed partner",
        "Declined",
        "Dormant",
    ]
    positions = [page.index(f'id="stage-{s}"') for s in Stage.values]
    assert positions == sorted(positions)
    assert all(h in page for h in headings)
    assert page.index("Never Approached") < page.index('id="stage-approached"')
    assert page.index('id="stage-in_conversation"') < page.index("Warm Lead")
    assert page.index("Said No") > page.index('id="stage-declined"')
    assert "Move to “Engaged”" in page  # the warm lead's one-click move
    assert "Record a step" in page


@pytest.mark.django_db
def test_an_overdue_next_step_says_so_in_words_and_the_filter_keeps_only_those(
    client: Client,
) -> None:
    _staff(client)
    EngagementFactory.create(
        organisation__name_en="Late Funder",
        next_step="Send the budget",
        next_step_due=site_today() - timedelta(days=2),
    )
    EngagementFactory.create(
        organisation__name_en="On Time",
        next_step="Book a visit",
        next_step_due=site_today() + timedelta(days=2),
    )
    page = _get(client, BOARD)
    assert "Overdue</strong>" in page and "On Time" in page

    overdue = _get(client, BOARD + "?overdue=1")
    assert "Late Funder" in overdue and "On Time" not in overdue


@pytest.mark.django_db
def test_the_board_filters_by_sector_province_served_owner_and_name(client: Client) -> None:
    staff = _staff(client)
    funder = Sector.objects.get(code="funder")
    served = OrganisationFactory.create(name_en="Serves Yukon")
    served.provinces_served.add(Province.objects.get(code="YT"))
    OrganisationFactory.create(name_en="Yukon Office", head_office_province_id="YT", sector=funder)
    OrganisationFactory.create(name_en="Ontario Only")
    EngagementFactory.create(organisation__name_en="Mine", owner=staff)

    yukon = _get(client, BOARD + "?province=yt")
    assert "Serves Yukon" in yukon and "Yukon Office" in yukon and "Ontario Only" not in yukon
    funders = _get(client, BOARD + "?sector=funder")
    assert "Yukon Office" in funders and "Serves Yukon" not in funders
    mine = _get(client, BOARD + f"?owner={staff.pk}")
    assert "Mine" in mine and "Ontario Only" not in mine
    named = _get(client, BOARD + "?q=ontario")
    assert "Ontario Only" in named and "Mine" not in named
    assert "No organisation matches these filters." in _get(client, BOARD + "?q=zzzz")


@pytest.mark.django_db
def test_a_long_stage_links_to_its_own_paginated_list(client: Client) -> None:
    _staff(client)
    OrganisationFactory.create_batch(selectors.BOARD_COLUMN_SIZE + 2)
    total = Organisation.objects.count()  # the staff member's own organisation too
    page = _get(client, BOARD)
    assert f"See all {total} at “Identified”" in page
    assert page.count('class="pipeline-card"') == selectors.BOARD_COLUMN_SIZE

    stage = _get(client, "/en/ecosystem/pipeline/identified/")
    assert f"{total} organisations at this stage" in stage
    assert "Page 1 of 2" in stage
    assert client.get("/en/ecosystem/pipeline/partnered/").status_code == 404


@pytest.mark.django_db
def test_the_board_and_a_stage_cost_the_same_queries_for_3_and_30(client: Client) -> None:
    staff = _staff(client)

    def add(count: int) -> None:
        for engagement in EngagementFactory.create_batch(count, owner=staff):
            EngagementEvent.objects.create(
                organisation=engagement.organisation,
                from_stage=Stage.IDENTIFIED,
                to_stage=Stage.APPROACHED,
                happened_on=engagement.stage_since,
                channel="email",
                next_step="Call",
                next_step_owner=staff,
                next_step_due=site_today(),
            )
            engagement.next_step, engagement.next_step_owner = "Call", staff
            engagement.next_step_due = site_today() - timedelta(days=1)
            engagement.save()

    board = same_queries_for_3_and_30(client, BOARD, add)
    assert board <= 16, board
    stage = queries_for(client, "/en/ecosystem/pipeline/approached/")
    add(30)
    assert queries_for(client, "/en/ecosystem/pipeline/approached/") == stage


@pytest.mark.django_db
def test_recording_a_step_from_the_form(client: Client) -> None:
    staff = _staff(client)
    organisation = OrganisationFactory.create()
    url = f"/en/ecosystem/organisations/{organisation.slug}/pipeline/record/"
    form = _get(client, url)
    assert "Identified (no change)" in form and "Committed partner" in form

    response = client.post(
        url,
        {
            "to_stage": "approached",
            "happened_on": site_today().isoformat(),
            "channel": "meeting",
            "note": "Met at the forum.",
            "next_step": "Send the deck",
            "next_step_owner": staff.pk,
            "next_step_due": (site_today() + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    engagement = Engagement.objects.get(organisation=organisation)
    assert engagement.stage == Stage.APPROACHED and engagement.next_step_owner == staff


@pytest.mark.django_db
def test_a_refused_step_shows_the_errors_keeps_the_input_and_writes_nothing(
    client: Client,
) -> None:
    _staff(client)
    organisation = OrganisationFactory.create()
    url = f"/en/ecosystem/organisations/{organisation.slug}/pipeline/record/"
    response = client.post(
        url,
        {
            "to_stage": "engaged",
            "happened_on": (site_today() + timedelta(days=3)).isoformat(),
            "channel": "phone",
            "note": "Kept note",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page and "The date cannot be in the future." in page
    assert "Kept note" in page
    assert not EngagementEvent.objects.exists()


@pytest.mark.django_db
def test_the_move_button_moves_on_and_returns_to_the_board(client: Client) -> None:
    _staff(client)
    engagement = EngagementFactory.create()
    slug = engagement.organisation.slug
    response = client.post(
        f"/en/ecosystem/organisations/{slug}/pipeline/move/",
        {"to_stage": "in_conversation", "next": BOARD + "?sector=non-profit"},
    )
    assert response.status_code == 302 and response["Location"] == BOARD + "?sector=non-profit"
    engagement.refresh_from_db()
    assert engagement.stage == Stage.IN_CONVERSATION

    refused = client.post(
        f"/en/ecosystem/organisations/{slug}/pipeline/move/",
        {"to_stage": "identified", "next": "https://evil.example/"},
        follow=True,
    )
    assert "cannot go from there" in refused.content.decode()
    assert refused.redirect_chain[0][0] == BOARD


@pytest.mark.django_db
def test_the_organisation_page_shows_staff_the_pipeline_and_its_history(client: Client) -> None:
    staff = _staff(client)
    engagement = EngagementFactory.create(next_step="Sign", next_step_owner=staff)
    organisation: Organisation = engagement.organisation
    EngagementEvent.objects.create(
        organisation=organisation,
        from_stage=Stage.IDENTIFIED,
        to_stage=Stage.APPROACHED,
        happened_on=engagement.stage_since,
        channel="event",
        note="Met at the summit.",
        recorded_by=staff,
    )
    page = _get(client, f"/en/ecosystem/organisations/{organisation.slug}/")
    assert 'id="pipeline"' in page
    assert "Identified to Approached" in page and "Met at the summit." in page
    assert "Move to “In conversation”" in page

    client.logout()
    public = _get(client, f"/en/ecosystem/organisations/{organisation.slug}/")
    assert 'id="pipeline"' not in public and "Met at the summit." not in public


@pytest.mark.django_db
def test_the_organisation_page_costs_the_same_with_a_long_history(client: Client) -> None:
    staff = _staff(client)
    engagement = EngagementFactory.create(owner=staff)
    url = f"/en/ecosystem/organisations/{engagement.organisation.slug}/"

    def add(count: int) -> None:
        EngagementEvent.objects.bulk_create(
            EngagementEvent(
                organisation=engagement.organisation,
                from_stage=Stage.APPROACHED,
                to_stage=Stage.APPROACHED,
                happened_on=engagement.stage_since,
                channel="email",
                recorded_by=staff,
                next_step_owner=staff,
            )
            for _ in range(count)
        )

    same_queries_for_3_and_30(client, url, add)


@pytest.mark.django_db
def test_the_staff_home_counts_overdue_next_steps_and_links_to_them(client: Client) -> None:
    _staff(client)
    EngagementFactory.create_batch(
        2, next_step="Follow up", next_step_due=site_today() - timedelta(days=1)
    )
    EngagementFactory.create(next_step="Follow up", next_step_due=site_today())
    page = _get(client, "/en/backbone/")
    assert "Overdue next steps in the pipeline" in page
    assert "/en/ecosystem/pipeline/?overdue=1" in page
    assert selectors.overdue_next_step_count() == 2


@pytest.mark.django_db
def test_the_pages_speak_french(client: Client) -> None:
    _staff(client)
    EngagementFactory.create(next_step="Relancer", next_step_due=site_today() - timedelta(days=1))
    page = _get(client, "/fr/ecosystem/pipeline/")
    assert "<h1>Suivi de l’engagement des partenaires</h1>" in page
    # The factory's organisation is approached: its button moves it on to the next stage.
    assert "En retard</strong>" in page and "Passer à «\u202fEn discussion\u202f»" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/ecosystem/pipeline/",
        "/en/ecosystem/pipeline/approached/",
        "/en/ecosystem/organisations/{slug}/pipeline/record/",
    ],
)
def test_only_staff_may_open_the_pipeline(client: Client, path: str) -> None:
    organisation = OrganisationFactory.create(slug="public-one")
    assert_role_access(client, path.format(slug=organisation.slug), allowed={"staff"})


@pytest.mark.django_db
def test_only_staff_may_move_an_organisation(client: Client) -> None:
    organisation = OrganisationFactory.create()
    assert_role_access(
        client,
        f"/en/ecosystem/organisations/{organisation.slug}/pipeline/move/",
        allowed={"staff"},
        method="post",
        data={"to_stage": "approached"},
    )


@pytest.mark.django_db
def test_staff_name_who_looks_after_an_organisation_from_its_page(client: Client) -> None:
    staff = _staff(client)
    organisation = OrganisationFactory.create()
    url = f"/en/ecosystem/organisations/{organisation.slug}/pipeline/owner/"
    page = _get(client, f"/en/ecosystem/organisations/{organisation.slug}/")
    assert "Who looks after this relationship" in page

    response = client.post(url, {"owner": str(staff.pk)}, follow=True)
    assert f"{staff} now looks after {organisation}." in response.content.decode()
    assert Engagement.objects.get(organisation=organisation).owner == staff

    steward = user_with_role("steward")
    assert steward is not None
    refused = client.post(url, {"owner": str(steward.pk)}, follow=True)
    assert "Choose a member of the backbone staff." in refused.content.decode()
    assert Engagement.objects.get(organisation=organisation).owner == staff

    client.post(url, {"owner": ""})
    assert Engagement.objects.get(organisation=organisation).owner is None
    assert_role_access(client, url, allowed={"staff"}, method="post", data={"owner": ""})
