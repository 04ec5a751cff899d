import pytest
from django.urls import reverse
from knox.models import AuthToken


@pytest.mark.django_db
def test_login_page_logs_in_and_lands_on_home(client, supervisor):
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert b'name="username"' in page.content
    response = client.post(
        reverse("accounts:login"),
        {"username": supervisor.username, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == supervisor


@pytest.mark.django_db
def test_wrong_password_is_explained(client, supervisor):
    response = client.post(
        reverse("accounts:login"), {"username": supervisor.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(supervisor_client):
    response = supervisor_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert supervisor_client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_password_change(supervisor_client, supervisor):
    response = supervisor_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a much longer passphrase 2026",
            "new_password2": "a much longer passphrase 2026",
        },
    )
    assert response.status_code == 302
    supervisor.refresh_from_db()
    assert supervisor.check_password("a much longer passphrase 2026")


@pytest.mark.django_db
def test_token_page_shows_a_new_token_once_and_revokes(supervisor_client, supervisor):
    response = supervisor_client.post(reverse("accounts:tokens"))
    token = response.context["new_token"]
    assert token and token.encode() in response.content
    listing = supervisor_client.get(reverse("accounts:tokens"))
    assert token.encode() not in listing.content
    key = AuthToken.objects.get(user=supervisor).token_key
    supervisor_client.post(reverse("accounts:token-revoke", args=[key]))
    assert not AuthToken.objects.filter(user=supervisor).exists()


@pytest.mark.django_db
def test_a_user_cannot_revoke_someone_elses_token(supervisor_client, team_lead):
    from accounts.services import api_token_create

    instance, _ = api_token_create(user=team_lead)
    supervisor_client.post(reverse("accounts:token-revoke", args=[instance.token_key]))
    assert AuthToken.objects.filter(pk=instance.pk).exists()


@pytest.mark.django_db
def test_home_page_renders_navigation_and_worker_state(supervisor_client):
    response = supervisor_client.get(reverse("home"))
    assert response.status_code == 200
    assert b"No background worker is running" in response.content


@pytest.mark.django_db
def test_error_pages_share_the_layout(client, settings):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"404" in response.content and b"Dialer Console" in response.content


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_login(client, supervisor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": supervisor.username, "password": "x"})
    response = client.post(
        reverse("accounts:login"),
        {"username": supervisor.username, "password": "correct-horse-battery"},
    )
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
