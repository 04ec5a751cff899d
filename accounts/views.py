from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from knox.models import AuthToken

from accounts.forms import LanguageForm
from accounts.services import api_token_create, api_token_revoke


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        _, new_token = api_token_create(user=request.user)
        messages.success(request, gettext("Token created. Copy it now: it is not shown again."))
    tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
    return render(request, "accounts/tokens.html", {"tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    if api_token_revoke(user=request.user, token_key=token_key):
        messages.success(request, gettext("Token revoked."))
    else:
        messages.error(request, gettext("No such token."))
    return redirect("accounts:tokens")


@login_required
def language(request: HttpRequest) -> HttpResponse:
    """The user's own language: kept on the user (every page follows it from the next
    request, accounts.middleware) and in the language cookie, so the login page after a
    logout stays in it. Empty: the browser's language again."""
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["language"]
        request.user.language = chosen
        request.user.save(update_fields=["language"])
        if chosen:
            translation.activate(chosen)
        else:
            translation.activate(translation.get_language_from_request(request))
        messages.success(request, _("Language saved."))
        response = redirect("accounts:language")
        if chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return render(request, "accounts/language.html", {"form": form})
