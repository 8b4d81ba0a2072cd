from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from collectif.accounts import selectors, services
from collectif.accounts.audit import AccountsAction
from collectif.accounts.models import ApiToken, Invitation, Membership, Role, User
from collectif.accounts.tests.factories import MembershipFactory, UserFactory
from collectif.core.models import AuditEvent
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory

STAFF_ONLY = {"staff"}


def member(role: str) -> User:
    user = user_with_role(role)
    assert user is not None
    return user


ANY_ROLE = {"staff", "steward", "governance", "researcher"}


@pytest.fixture
def staff() -> User:
    user = user_with_role(Role.STAFF)
    assert user is not None
    return user


@pytest.fixture
def organisation():
    return OrganisationFactory.create(
        name_en="Youth Mentors of Regina", name_fr="Mentors jeunesse de Regina"
    )


@pytest.fixture
def invitation(staff, organisation):
    invitation, _secret = services.invitation_create(
        actor=staff,
        email="invitee@example.org",
        organisation=organisation,
        role=Role.STEWARD,
        language="en",
    )
    return invitation


@pytest.mark.smoke
@pytest.mark.django_db
def test_backbone_pages_are_for_staff_only(client: Client, invitation):
    membership = MembershipFactory.create()
    for url in (
        "/en/accounts/invitations/",
        "/en/accounts/invitations/new/",
        f"/en/accounts/invitations/{invitation.pk}/resend/",
        f"/en/accounts/invitations/{invitation.pk}/withdraw/",
        "/en/accounts/people/",
        f"/en/accounts/memberships/{membership.pk}/remove/",
    ):
        assert_role_access(client, url, allowed=STAFF_ONLY)


@pytest.mark.django_db
def test_withdrawing_by_post_is_for_staff_only(client: Client, invitation):
    assert_role_access(
        client,
        f"/en/accounts/invitations/{invitation.pk}/withdraw/",
        allowed=STAFF_ONLY,
        method="post",
        data={},
    )


@pytest.mark.django_db
def test_token_pages_are_for_anyone_with_a_role(client: Client):
    assert_role_access(client, "/en/accounts/tokens/", allowed=ANY_ROLE)
    assert_role_access(client, "/en/accounts/tokens/new/", allowed=ANY_ROLE)


@pytest.mark.django_db
def test_the_accept_page_opens_for_everyone(client: Client, staff, organisation):
    _invitation, secret = services.invitation_create(
        actor=staff,
        email="open@example.org",
        organisation=organisation,
        role=Role.RESEARCHER,
        language="en",
    )
    assert_role_access(
        client,
        f"/en/accounts/invitations/accept/{secret}/",
        allowed={"anonymous", "no_role", *ANY_ROLE},
    )


@pytest.mark.django_db
def test_staff_see_invitations_filtered_and_searched(
    client: Client, staff, organisation, invitation
):
    expired, _ = services.invitation_create(
        actor=staff,
        email="late@example.org",
        organisation=organisation,
        role=Role.STEWARD,
        language="fr",
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(staff)

    everything = client.get("/en/accounts/invitations/").content.decode()
    assert "invitee@example.org" in everything and "late@example.org" in everything

    pending = client.get("/en/accounts/invitations/?status=pending").content.decode()
    assert "invitee@example.org" in pending and "late@example.org" not in pending
    assert "Waiting for an answer" in pending

    expired_page = client.get("/en/accounts/invitations/?status=expired").content.decode()
    assert "late@example.org" in expired_page and "invitee@example.org" not in expired_page

    searched = client.get("/en/accounts/invitations/?q=LATE").content.decode()
    assert "late@example.org" in searched and "invitee@example.org" not in searched

    nothing = client.get("/en/accounts/invitations/?status=accepted").content.decode()
    assert "No invitation matches these filters" in nothing


@pytest.mark.django_db
def test_the_empty_list_teaches_what_to_do(client: Client, staff):
    client.force_login(staff)
    page = client.get("/fr/accounts/invitations/").content.decode()
    assert "Aucune invitation pour l’instant" in page
    assert "/fr/accounts/invitations/new/" in page


@pytest.mark.django_db
def test_staff_invite_someone_through_the_form(
    client: Client, staff, organisation, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    form = client.get("/en/accounts/invitations/new/").content.decode()
    assert "Youth Mentors of Regina" in form
    assert "Submits and corrects the data of their organisation." in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/accounts/invitations/new/",
            {
                "email": "Someone@Example.org",
                "organisation": organisation.pk,
                "role": "steward",
                "language": "fr",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/invitations/"
    invitation = Invitation.objects.get()
    assert invitation.email == "someone@example.org" and invitation.language == "fr"
    assert len(mail.outbox) == 1
    assert "someone@example.org" in client.get("/en/accounts/invitations/").content.decode()


@pytest.mark.django_db
def test_archived_organisations_are_not_offered(client: Client, staff):
    OrganisationFactory.create(name_en="Closed Program", archived_at=timezone.now())
    client.force_login(staff)
    assert "Closed Program" not in client.get("/en/accounts/invitations/new/").content.decode()


@pytest.mark.smoke
@pytest.mark.django_db
def test_an_invalid_email_shows_the_error_summary_in_french_and_writes_nothing(
    client: Client, staff, organisation
):
    client.force_login(staff)
    response = client.post(
        "/fr/accounts/invitations/new/",
        {
            "email": "not-an-address",
            "organisation": organisation.pk,
            "role": "steward",
            "language": "fr",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Il y a un problème" in page
    assert 'class="error-summary"' in page
    assert "Saisissez une adresse électronique valide." in page or "adresse" in page
    assert 'value="not-an-address"' in page
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_a_duplicate_invitation_is_refused_in_french_beside_the_email(
    client: Client, staff, organisation, invitation
):
    client.force_login(staff)
    response = client.post(
        "/fr/accounts/invitations/new/",
        {
            "email": "invitee@example.org",
            "organisation": organisation.pk,
            "role": "steward",
            "language": "en",
        },
    )
    page = response.content.decode()
    assert "Il y a un problème" in page
    assert "attend déjà une réponse" in page
    assert 'href="#id_email"' in page
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_resend_and_withdraw_ask_first_then_act(
    client: Client, staff, invitation, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = f"/en/accounts/invitations/{invitation.pk}/resend/"
    assert "Send the invitation again" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert len(mail.outbox) == 1

    url = f"/en/accounts/invitations/{invitation.pk}/withdraw/"
    confirm = client.get(url)
    assert "Withdraw the invitation" in confirm.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action=AccountsAction.INVITATION_REVOKE).exists()


@pytest.mark.django_db
def test_a_new_person_accepts_sets_a_password_and_lands_signed_in(
    client: Client, staff, organisation
):
    _invitation, secret = services.invitation_create(
        actor=staff,
        email="new@example.org",
        organisation=organisation,
        role=Role.STEWARD,
        language="fr",
    )
    url = f"/fr/accounts/invitations/accept/{secret}/"
    page = client.get(url).content.decode()
    assert "Mentors jeunesse de Regina" in page
    assert staff.full_name in page

    mismatch = client.post(
        url, {"full_name": "Léa Roy", "password1": "a-long-passphrase", "password2": "another"}
    )
    assert "Les deux mots de passe sont différents." in mismatch.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()

    response = client.post(
        url,
        {
            "full_name": "Léa Roy",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/home/"
    person = User.objects.get(email="new@example.org")
    assert Membership.objects.filter(user=person, organisation=organisation).exists()
    assert client.get("/fr/home/").wsgi_request.user == person


@pytest.mark.django_db
def test_an_existing_person_signs_in_then_accepts(client: Client, staff, organisation):
    existing = UserFactory.create(email="known@example.org")
    _invitation, secret = services.invitation_create(
        actor=staff,
        email="known@example.org",
        organisation=organisation,
        role=Role.GOVERNANCE,
        language="en",
    )
    url = f"/en/accounts/invitations/accept/{secret}/"
    page = client.get(url).content.decode()
    assert "Sign in to accept" in page
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(user=existing).exists()

    client.force_login(existing)
    assert client.post(url)["Location"] == "/en/home/"
    assert Membership.objects.filter(user=existing, role=Role.GOVERNANCE).exists()


@pytest.mark.django_db
def test_another_signed_in_person_is_told_and_nothing_changes(client: Client, staff, organisation):
    _invitation, secret = services.invitation_create(
        actor=staff,
        email="someone@example.org",
        organisation=organisation,
        role=Role.STEWARD,
        language="en",
    )
    client.force_login(UserFactory.create())
    url = f"/en/accounts/invitations/accept/{secret}/"
    assert "signed in as another person" in client.get(url).content.decode()
    client.post(url)
    assert not Membership.objects.filter(organisation=organisation).exists()


@pytest.mark.django_db
def test_bad_links_get_a_friendly_page(client: Client, staff, invitation):
    response = client.get("/fr/accounts/invitations/accept/not-a-real-secret/")
    assert response.status_code == 404
    assert "Cette invitation ne peut pas être utilisée" in response.content.decode()

    _inv, secret = services.invitation_create(
        actor=staff,
        email="late@example.org",
        organisation=invitation.organisation,
        role=Role.STEWARD,
        language="en",
    )
    Invitation.objects.filter(email="late@example.org").update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.get(f"/en/accounts/invitations/accept/{secret}/")
    assert response.status_code == 410
    assert "has expired" in response.content.decode()


@pytest.mark.django_db
def test_people_page_lists_memberships_and_removes_one(client: Client, staff):
    membership = MembershipFactory.create(user=UserFactory.create(full_name="Noah Tremblay"))
    client.force_login(staff)
    page = client.get("/en/accounts/people/?q=tremblay").content.decode()
    assert "Noah Tremblay" in page and staff.email not in page

    url = f"/en/accounts/memberships/{membership.pk}/remove/"
    assert "Remove a role" in client.get(url).content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action=AccountsAction.MEMBERSHIP_REMOVE).exists()


@pytest.mark.django_db
def test_a_token_is_shown_once_then_only_its_prefix(client: Client):
    person = member(Role.RESEARCHER)
    client.force_login(person)
    response = client.post("/en/accounts/tokens/new/", {"name": "Nightly export"})
    page = response.content.decode()
    assert 'class="token-secret"' in page
    token = ApiToken.objects.get(user=person)
    secret = page.split('class="token-secret">')[1].split("<")[0]
    assert selectors.api_token_user(raw_token=secret) == person

    listing = client.get("/en/accounts/tokens/").content.decode()
    assert "Nightly export" in listing and f"{token.prefix}…" in listing
    assert secret not in listing


@pytest.mark.django_db
def test_an_empty_token_name_creates_nothing(client: Client):
    client.force_login(member(Role.STEWARD))
    page = client.post("/fr/accounts/tokens/new/", {"name": ""}).content.decode()
    assert "Il y a un problème" in page
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoking_a_token_asks_first_and_only_touches_your_own(client: Client):
    person = member(Role.STEWARD)
    token, secret = services.api_token_create(actor=person, name="Script")
    client.force_login(member(Role.STEWARD))
    assert client.get(f"/en/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/en/accounts/tokens/{token.pk}/revoke/").status_code == 404

    client.force_login(person)
    assert (
        "Revoke the token" in client.get(f"/en/accounts/tokens/{token.pk}/revoke/").content.decode()
    )
    assert selectors.api_token_user(raw_token=secret) == person
    assert client.post(f"/en/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert selectors.api_token_user(raw_token=secret) is None


@pytest.mark.django_db
def test_staff_navigation_and_attention_items(client: Client, staff, invitation):
    expired, _ = services.invitation_create(
        actor=staff,
        email="late@example.org",
        organisation=invitation.organisation,
        role=Role.STEWARD,
        language="en",
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(staff)
    page = client.get("/en/backbone/").content.decode()
    assert "Invitations waiting for an answer" in page
    assert "/en/accounts/invitations/?status=pending" in page
    assert "Invitations that expired without an answer" in page
    assert "/en/accounts/invitations/?status=expired" in page
    for label in ("Staff home", "Invitations", "People", "Audit log"):
        assert f">{label}</a>" in page

    client.force_login(member(Role.STEWARD))
    member_page = client.get("/en/home/").content.decode()
    assert ">Invitations</a>" not in member_page
