from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from collectif.accounts import selectors, services
from collectif.accounts.audit import AccountsAction
from collectif.accounts.models import ApiToken, Invitation, Membership, Role, User
from collectif.accounts.tests.factories import MembershipFactory, UserFactory
from collectif.core.actors import SYSTEM
from collectif.core.models import AuditEvent
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


@pytest.fixture
def staff() -> User:
    user = user_with_role(Role.STAFF)
    assert user is not None
    return user


@pytest.fixture
def organisation():
    return OrganisationFactory.create(
        name_en="Big Sisters of Halifax", name_fr="Grandes Sœurs d'Halifax"
    )


def _invite(
    staff, organisation, *, email="New.Person@Example.org", role=Role.STEWARD, language="fr"
):
    return services.invitation_create(
        actor=staff, email=email, organisation=organisation, role=role, language=language
    )


@pytest.mark.smoke
@pytest.mark.django_db
def test_an_invitation_stores_only_a_hash_and_sends_one_bilingual_email(
    staff, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, secret = _invite(staff, organisation)

    invitation.refresh_from_db()
    assert invitation.email == "new.person@example.org"
    assert invitation.token_hash == selectors.hash_secret(secret)
    assert secret not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert AuditEvent.objects.filter(action=AccountsAction.INVITATION_CREATE).count() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    # The invitee chose French: French comes first, in the subject and in the body.
    assert message.subject.startswith("Invitation\u00a0: rejoignez Grandes Sœurs d'Halifax")
    assert " / Invitation: join Big Sisters of Halifax" in message.subject
    body = message.body
    french_link = f"http://127.0.0.1:8000/fr/accounts/invitations/accept/{secret}/"
    english_link = f"http://127.0.0.1:8000/en/accounts/invitations/accept/{secret}/"
    assert french_link in body and english_link in body
    assert body.index("Bonjour") < body.index("Hello")
    assert "Responsable des données d’un partenaire" in body
    assert "Partner data steward" in body
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert isinstance(html, str)
    assert mimetype == "text/html"
    assert 'lang="fr"' in html and 'lang="en"' in html
    assert html.index('lang="fr"') < html.index('<div lang="en"')
    assert french_link in html


@pytest.mark.django_db
def test_english_invitation_puts_english_first(
    staff, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(staff, organisation, language="en")
    message = mail.outbox[0]
    assert message.subject.startswith("Invitation: join Big Sisters of Halifax")
    assert message.body.index("Hello") < message.body.index("Bonjour")


@pytest.mark.django_db
def test_only_staff_may_invite(organisation):
    steward = user_with_role(Role.STEWARD, organisation)
    with pytest.raises(PermissionDenied):
        _invite(steward, organisation)
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_pending_invitation_is_refused(staff, organisation):
    _invite(staff, organisation)
    with pytest.raises(ValidationError) as caught:
        _invite(staff, organisation, email="new.person@example.org ")
    assert "email" in caught.value.message_dict
    assert Invitation.objects.count() == 1
    # Another role for the same person is a different invitation.
    _invite(staff, organisation, role=Role.GOVERNANCE)
    assert Invitation.objects.count() == 2


@pytest.mark.django_db
def test_inviting_someone_who_already_holds_the_role_is_refused(staff, organisation):
    member = MembershipFactory.create(organisation=organisation, role=Role.STEWARD)
    with pytest.raises(ValidationError) as caught:
        _invite(staff, organisation, email=member.user.email.upper())
    assert "already has this role" in caught.value.message_dict["email"][0]
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_archived_organisations_take_no_invitations(staff):
    archived = OrganisationFactory.create(archived_at=timezone.now())
    with pytest.raises(ValidationError) as caught:
        _invite(staff, archived)
    assert "organisation" in caught.value.message_dict


@pytest.mark.django_db
def test_accepting_creates_the_account_and_the_membership(staff, organisation):
    invitation, secret = _invite(staff, organisation)
    found = selectors.invitation_get_by_secret(secret=secret)
    assert found == invitation

    person = services.invitation_accept(
        invitation=invitation, full_name="Amélie Gagnon", password="a-long-enough-passphrase"
    )

    assert person.email == "new.person@example.org"
    assert person.full_name == "Amélie Gagnon"
    assert person.preferred_language == "fr"
    assert person.check_password("a-long-enough-passphrase")
    assert Membership.objects.filter(
        user=person, organisation=organisation, role=Role.STEWARD
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == person and invitation.accepted_at is not None
    assert selectors.invitation_status(invitation) == "accepted"
    assert AuditEvent.objects.filter(action=AccountsAction.INVITATION_ACCEPT, actor=person).exists()


@pytest.mark.django_db
def test_a_weak_password_creates_nothing(staff, organisation):
    invitation, _secret = _invite(staff, organisation)
    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(invitation=invitation, full_name="", password="123")
    assert set(caught.value.message_dict) == {"full_name", "password"}
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert not Membership.objects.filter(organisation=organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_accepting_links_an_existing_account(staff, organisation):
    existing = UserFactory.create(email="new.person@example.org")
    invitation, _secret = _invite(staff, organisation)

    person = services.invitation_accept(invitation=invitation, user=existing)

    assert person == existing
    assert User.objects.filter(email="new.person@example.org").count() == 1
    assert Membership.objects.filter(user=existing, organisation=organisation).exists()


@pytest.mark.django_db
def test_someone_else_signed_in_cannot_accept(staff, organisation):
    invitation, _secret = _invite(staff, organisation)
    stranger = UserFactory.create()
    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(invitation=invitation, user=stranger)
    assert "new.person@example.org" in caught.value.messages[0]
    assert not Membership.objects.filter(user=stranger).exists()


@pytest.mark.django_db
def test_expired_withdrawn_and_accepted_invitations_are_refused(staff, organisation):
    expired, _ = _invite(staff, organisation, email="late@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    expired.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(
            invitation=expired, full_name="Late", password="a-long-passphrase"
        )

    withdrawn, _ = _invite(staff, organisation, email="gone@example.org")
    services.invitation_revoke(actor=staff, invitation=withdrawn)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(
            invitation=withdrawn, full_name="Gone", password="a-long-passphrase"
        )

    accepted, _ = _invite(staff, organisation, email="twice@example.org")
    services.invitation_accept(invitation=accepted, full_name="Twice", password="a-long-passphrase")
    with pytest.raises(ValidationError, match="already accepted"):
        services.invitation_accept(
            invitation=accepted, full_name="Twice", password="a-long-passphrase"
        )

    assert not User.objects.filter(email__in=["late@example.org", "gone@example.org"]).exists()


@pytest.mark.django_db
def test_resending_gives_a_new_link_and_kills_the_old_one(
    staff, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, old_secret = _invite(staff, organisation)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    invitation.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        invitation, new_secret = services.invitation_resend(actor=staff, invitation=invitation)

    assert new_secret != old_secret
    assert selectors.invitation_get_by_secret(secret=old_secret) is None
    assert selectors.invitation_get_by_secret(secret=new_secret) == invitation
    assert selectors.invitation_status(invitation) == "pending"
    assert len(mail.outbox) == 2
    assert new_secret in mail.outbox[1].body
    assert old_secret not in mail.outbox[1].body


@pytest.mark.django_db
def test_resending_a_withdrawn_invitation_is_refused(staff, organisation):
    invitation, _ = _invite(staff, organisation)
    services.invitation_revoke(actor=staff, invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_resend(actor=staff, invitation=invitation)


@pytest.mark.django_db
def test_invitations_expire_after_the_configured_days(staff, organisation, settings):
    settings.COLLECTIF = {**settings.COLLECTIF, "INVITATION_DAYS": 3}
    invitation, _ = _invite(staff, organisation)
    remaining = invitation.expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < remaining <= timedelta(days=3)


@pytest.mark.django_db
def test_removing_a_membership_is_audited_and_keeps_the_account(staff, organisation):
    membership = MembershipFactory.create(organisation=organisation)
    services.membership_remove(actor=staff, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=membership.user_id).exists()
    assert AuditEvent.objects.filter(action=AccountsAction.MEMBERSHIP_REMOVE).count() == 1


@pytest.mark.django_db
def test_staff_cannot_remove_their_own_staff_role(staff):
    own = Membership.objects.get(user=staff, role=Role.STAFF)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=staff, membership=own)
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.smoke
@pytest.mark.django_db
def test_a_token_is_stored_hashed_and_authenticates_until_revoked():
    person = user_with_role(Role.GOVERNANCE)
    assert person is not None
    token, secret = services.api_token_create(actor=person, name="Export script")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(stored)
    assert stored["key_hash"] == selectors.hash_secret(secret)
    assert token.prefix == secret[:12] and secret.startswith("clf_")
    assert selectors.api_token_user(raw_token=secret) == person
    assert selectors.api_token_user(raw_token=secret + "x") is None

    services.api_token_revoke(actor=person, token=token)
    assert selectors.api_token_user(raw_token=secret) is None


@pytest.mark.parametrize("role", [Role.STEWARD, Role.GOVERNANCE, Role.RESEARCHER, "no_role"])
@pytest.mark.django_db
def test_people_services_refuse_an_actor_who_may_not_act(role, staff, organisation):
    """Whatever the channel, inviting and removing roles is for backbone staff."""
    invitation, _secret = _invite(staff, organisation)
    membership = MembershipFactory.create(organisation=organisation)
    person = user_with_role(role, organisation)
    assert person is not None
    before = AuditEvent.objects.count()
    attempts = [
        lambda: _invite(person, organisation, email="other@example.org"),
        lambda: services.invitation_resend(actor=person, invitation=invitation),
        lambda: services.invitation_revoke(actor=person, invitation=invitation),
        lambda: services.membership_remove(actor=person, membership=membership),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert AuditEvent.objects.count() == before
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_tokens_are_for_people_with_a_role_and_only_their_own():
    nobody = UserFactory.create()
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=nobody, name="No role")
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=SYSTEM, name="The system has no token")
    owner, other = user_with_role(Role.STEWARD), user_with_role(Role.STAFF)
    assert owner is not None and other is not None
    token, _secret = services.api_token_create(actor=owner, name="Mine")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=other, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not ApiToken.objects.filter(user=nobody).exists()


@pytest.mark.django_db
def test_the_system_may_invite_and_is_audited_so(organisation):
    invitation, _secret = _invite(SYSTEM, organisation)
    assert invitation.invited_by is None
    event = AuditEvent.objects.get(action=AccountsAction.INVITATION_CREATE)
    assert (event.actor, event.actor_label) == (None, "system")
