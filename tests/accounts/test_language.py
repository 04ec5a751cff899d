"""A user's own language (issue 17): chosen on the Language page or by a supervisor on the
user's page; it wins over the browser's; empty follows the browser's Accept-Language."""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response.headers["Content-Language"]


def test_without_a_choice_the_browser_decides(client):
    client.force_login(UserFactory(role=Role.TEAM_LEAD, with_team=True))
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")) == "de"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="he")) == "he"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "en"
    assert _lang(client.get("/")) == "en"


def test_the_users_choice_wins_over_the_browser(client):
    user = UserFactory(role=Role.TEAM_LEAD, with_team=True)
    client.force_login(user)
    response = client.post("/accounts/language/", {"language": "uk"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "uk"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert _lang(page) == "uk"
    assert '<html lang="uk" dir="ltr"' in page.content.decode()


def test_the_choice_holds_without_the_cookie(client):
    user = UserFactory(role=Role.API_CONSUMER, with_team=True)
    user.language = "he"
    user.save()
    client.force_login(user)
    page = client.get("/accounts/language/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang(page) == "he"
    assert 'dir="rtl"' in page.content.decode()


def test_back_to_the_browsers_language(client):
    user = UserFactory(role=Role.TEAM_LEAD, with_team=True)
    user.language = "de"
    user.save()
    client.force_login(user)
    response = client.post("/accounts/language/", {"language": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == ""
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="he")) == "he"


def test_an_unknown_language_is_refused_with_a_message(client):
    user = UserFactory(role=Role.TEAM_LEAD, with_team=True)
    client.force_login(user)
    response = client.post("/accounts/language/", {"language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.language == ""


def test_a_supervisor_sets_a_users_language(client):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    user = UserFactory(role=Role.TEAM_LEAD, with_team=True)
    client.force_login(supervisor)
    page = client.get(f"/accounts/users/{user.pk}/").content.decode()
    assert 'name="language"' in page
    response = client.post(
        f"/accounts/users/{user.pk}/change/",
        {"role": Role.TEAM_LEAD, "team": user.team.pk, "email": "", "language": "de"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.language == "de"


def test_the_login_page_offers_the_languages(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    for code, _name in settings.LANGUAGES:
        assert f'value="{code}"' in page
    response = client.post("/i18n/setlang/", {"language": "he", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert _lang(client.get("/accounts/login/")) == "he"


def test_the_users_api_reads_and_sets_the_language(api_client):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    user = UserFactory(role=Role.TEAM_LEAD, with_team=True)
    api_client.force_authenticate(supervisor)
    response = api_client.patch(f"/api/v1/users/{user.pk}/", {"language": "uk"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["language"] == "uk"
    user.refresh_from_db()
    assert user.language == "uk"
    refused = api_client.patch(f"/api/v1/users/{user.pk}/", {"language": "xx"}, format="json")
    assert refused.status_code == 400
    assert "language" in refused.content.decode()


def test_the_invitation_is_written_in_the_new_users_language(mailoutbox):
    from accounts.mail import INVITE, password_link_send

    user = UserFactory(role=Role.TEAM_LEAD, with_team=True, email="olena@example.com")
    user.language = "uk"
    user.save()
    password_link_send(user=user, kind=INVITE, sent_by=None)
    message = mailoutbox[-1]
    assert message.subject == "Запрошення до Dialer Console"
    assert f"Ваше ім'я користувача: {user.username}" in message.body
    assert "Hello" not in message.body
