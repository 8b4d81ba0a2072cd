"""Signing in keeps the previous sign-in, so a home can say what changed since then."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collectif.accounts.models import User
from collectif.accounts.tests.factories import UserFactory

PASSWORD = "a-strong-test-password"


def _sign_in(client: Client, user: User) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.logout()


@pytest.mark.django_db
def test_each_sign_in_remembers_the_one_before(client: Client) -> None:
    user = UserFactory.create()
    _sign_in(client, user)
    user.refresh_from_db()
    assert user.previous_login is None  # a first visit has nothing before it
    earlier = timezone.now() - timedelta(days=3)
    User.objects.filter(pk=user.pk).update(last_login=earlier)

    _sign_in(client, user)

    user.refresh_from_db()
    assert user.previous_login == earlier
    assert user.last_login is not None and user.last_login > earlier


@pytest.mark.django_db
def test_a_failed_sign_in_changes_nothing(client: Client) -> None:
    earlier = timezone.now() - timedelta(days=3)
    user = UserFactory.create(last_login=earlier)

    client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    user.refresh_from_db()
    assert user.previous_login is None and user.last_login == earlier
