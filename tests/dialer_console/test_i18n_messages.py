"""Messages built in Python follow the request's language (issue #17 point 4): the API's
error messages by Accept-Language, form errors on pages, and vendor field labels that keep
the vendor's own term beside a translated label. Without Accept-Language, English."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from vendors.adapters.forms_common import RowsWidget, label_with_term
from vendors.adapters.webitel.forms import WebitelCampaignForm

CAMPAIGNS_API = "/api/v1/campaigns/"
SEARCH_API = reverse("api-leads-search")


def test_an_api_error_message_comes_back_in_german(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    german = api_client.get(CAMPAIGNS_API, {"colour": "red"}, HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 400
    assert german.json()["message"].startswith("Unbekannter Abfrageparameter: colour.")
    # The machine-readable part does not change with the language.
    assert german.json()["extra"]["code"] == "unknown_query_parameters"
    english = api_client.get(CAMPAIGNS_API, {"colour": "red"})
    assert english.json()["message"].startswith("Unknown query parameter: colour.")


def test_a_service_refusal_is_translated_too(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    response = api_client.get(SEARCH_API, {"q": "1"}, HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 400
    assert response.json()["message"] == "Введіть щонайменше 3 цифри номера телефону."


def test_a_form_error_comes_back_in_hebrew(supervisor_client):
    url = reverse("audit:list")
    params = {"since": "2026-02-02", "until": "2026-01-01"}
    hebrew = supervisor_client.get(url, params, HTTP_ACCEPT_LANGUAGE="he")
    assert hebrew.status_code == 200
    assert "תאריך הסיום מוקדם מתאריך ההתחלה." in hebrew.content.decode()
    english = supervisor_client.get(url, params)
    assert "The end date is before the start date." in english.content.decode()


def test_a_translated_vendor_label_keeps_the_vendors_term_beside_it():
    with translation.override("de"):
        form = WebitelCampaignForm()
        assert form.fields["parameters_maxTryCount"].label == (
            "Maximale Anzahl Versuche (parameters.maxTryCount)"
        )
        assert WebitelCampaignForm.field_label("calendar_id") == "Kalender-ID (calendar.id)"
    with translation.override("en"):
        form = WebitelCampaignForm()
        assert form.fields["parameters_maxTryCount"].label == "Maximum attempts"


def test_a_label_that_is_the_vendors_term_gets_no_copy_of_it():
    with translation.override("he"):
        assert label_with_term("Limit", "limit") == "Limit"
        # The term is isolated left-to-right inside the right-to-left label.
        assert label_with_term("מגבלה", "limit") == "מגבלה (\u2066limit\u2069)"
        assert label_with_term("מגבלה", "") == "מגבלה"


def test_only_a_vendor_forms_rows_show_the_vendors_term():
    with translation.override("de"):
        vendor_rows = WebitelCampaignForm().fields["variables"].widget
        assert vendor_rows.column_label("key") == "Variable (key)"
        # The same row form outside a vendor form (the console's own rows): no term.
        console_rows = RowsWidget(WebitelCampaignForm.base_fields["variables"].row_form)
        assert console_rows.column_label("key") == "Variable"
