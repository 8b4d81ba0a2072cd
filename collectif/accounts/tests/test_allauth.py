import pytest
from django.core import mail
from django.test import Client

from collectif.accounts.tests.factories import UserFactory

PASSWORD = "a-strong-test-password"


@pytest.mark.django_db
def test_the_login_page_uses_our_layout_and_labels(client: Client):
    page = client.get("/fr/accounts/login/").content.decode()
    assert page.count("<h1>") == 1
    assert '<label for="id_login">Adresse courriel</label>' in page
    assert '<label for="id_password">Mot de passe</label>' in page
    assert "Mot de passe oublié\u202f?" in page
    assert 'class="site-header"' in page


@pytest.mark.smoke
@pytest.mark.django_db
def test_signing_in_with_email_and_password_lands_on_the_dashboard(client: Client):
    UserFactory.create(email="lea@example.org")
    response = client.post(
        "/en/accounts/login/", {"login": "Lea@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/home/"
    assert client.get("/en/home/").wsgi_request.user.get_username() == "lea@example.org"


@pytest.mark.django_db
def test_a_wrong_password_shows_the_error_summary_in_french(client: Client):
    UserFactory.create(email="lea@example.org")
    response = client.post("/fr/accounts/login/", {"login": "lea@example.org", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il y a un problème" in page
    assert "L’adresse courriel ou le mot de passe est incorrect." in page
    assert 'value="lea@example.org"' in page


@pytest.mark.django_db
def test_repeated_failed_logins_are_refused_even_with_the_right_password(client: Client):
    UserFactory.create(email="target@example.org")
    for _attempt in range(5):
        client.post("/en/accounts/login/", {"login": "target@example.org", "password": "guess"})
    response = client.post(
        "/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Too many failed attempts to sign in" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_sign_up_is_closed(client: Client):
    response = client.get("/en/accounts/signup/")
    assert "Accounts are by invitation" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_bilingual_email_with_a_working_link(client: Client):
    UserFactory.create(email="lea@example.org")
    response = client.post("/fr/accounts/password/reset/", {"email": "lea@example.org"})
    assert response.status_code == 302
    assert "Vérifiez vos courriels" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Choisir un nouveau mot de passe / Choose a new password"
    body = message.body
    assert body.index("Bonjour") < body.index("Hello")
    french = next(line for line in body.splitlines() if "/fr/accounts/password/reset/key/" in line)
    english = next(line for line in body.splitlines() if "/en/accounts/password/reset/key/" in line)
    assert french.split("/fr/")[1] == english.split("/en/")[1]

    path = "/" + english.split("://", 1)[1].split("/", 1)[1]
    follow = client.get(path, follow=True)
    page = follow.content.decode()
    assert "Choose a new password" in page
    done = client.post(
        follow.request["PATH_INFO"],
        {"password1": "n3w-passphrase!", "password2": "n3w-passphrase!"},
    )
    assert done.status_code == 302
    assert client.login(username="lea@example.org", password="n3w-passphrase!")


@pytest.mark.django_db
def test_the_other_account_pages_render_in_our_layout(client: Client):
    person = UserFactory.create()
    client.force_login(person)
    for url, heading in (
        ("/en/accounts/password/change/", "Change your password"),
        ("/en/accounts/logout/", "Sign out"),
    ):
        page = client.get(url).content.decode()
        assert f"<h1>{heading}</h1>" in page
        assert 'class="site-header"' in page
