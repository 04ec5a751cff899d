"""The vendor fieldset's own buttons: Refresh beside a select of vendor-side ids read
from the dialer (``vendors.adapters.remote_choices``), and Test connection, which also
names the ids the settings choose. Each answers HTMX with the fragment that changed and,
without JavaScript, as a button of the campaign form re-rendering the whole page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import permission_required_or_403
from campaigns.forms import CampaignEditor
from campaigns.vendor_settings import vendor_form
from vendors.adapters.types import HealthResult
from vendors.models import VendorAccount
from vendors.remote_items import vendor_remote_items_forget, vendor_settings_test_connection

ANSWER_TEMPLATE = "campaigns/includes/vendor_test_answer.html"
# Buttons of the campaign form that re-render it after a vendor tool ran.
TOOL_BUTTONS = ("_refresh_choices", "_test_connection")


@permission_required_or_403("campaigns.change_campaign")
@require_POST
def campaign_vendor_choices(request: HttpRequest, account_id: int) -> HttpResponse:
    """Read one select's list from the dialer again and answer with that select (or the
    typed input and its note, when the dialer still cannot be asked)."""
    account = get_object_or_404(VendorAccount, pk=account_id)
    form = vendor_form(account=account, data=request.POST, html=True)
    found = form.remote_choice_html(request.POST.get("_field", ""))
    if found is None:
        return HttpResponseBadRequest(_("Unknown field."))
    source, render_input = found
    vendor_remote_items_forget(account=account, source=source)
    return HttpResponse(render_input())


def _test(editor: CampaignEditor) -> HealthResult:
    if editor.account is None or editor.vendor_form is None:
        return HealthResult(ok=False, message=_("Choose a vendor account first."))
    # Test with what is filled in so far: the fields that are valid.
    editor.vendor_form.is_valid()
    return vendor_settings_test_connection(
        account=editor.account, settings=editor.vendor_form.settings()
    )


@permission_required_or_403("campaigns.change_campaign")
@require_POST
def campaign_vendor_test(request: HttpRequest) -> HttpResponse:
    """Test the chosen account and name the dialer items the fieldset chooses."""
    editor = CampaignEditor(data=request.POST)
    return render(request, ANSWER_TEMPLATE, {"vendor_test": _test(editor)})


def campaign_form_tools(request: HttpRequest, editor: CampaignEditor) -> dict:
    """The no-JavaScript path of the two buttons, run before the form re-renders: forget
    the chosen list, or test; returns what the page adds to its context."""
    source = request.POST.get("_refresh_choices")
    if source and editor.account is not None:
        vendor_remote_items_forget(account=editor.account, source=source)
    if "_test_connection" in request.POST:
        return {"vendor_test": _test(editor)}
    return {}
