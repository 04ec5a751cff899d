from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotAuthenticated

from dialer_console.errors import ApplicationError, api_exception_handler


def test_application_error_has_one_shape():
    response = api_exception_handler(
        ApplicationError("Campaign is archived.", extra={"status": "archived"}), {}
    )
    assert response.status_code == 400
    assert response.data == {"message": "Campaign is archived.", "extra": {"status": "archived"}}


def test_django_validation_error_keeps_field_errors():
    response = api_exception_handler(ValidationError({"phone": ["Not a phone number."]}), {})
    assert response.status_code == 400
    assert response.data == {"phone": ["Not a phone number."]}


def test_framework_errors_pass_through():
    response = api_exception_handler(NotAuthenticated(), {})
    assert response.status_code == 401
