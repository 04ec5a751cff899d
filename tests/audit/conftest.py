import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from tests.campaigns.conftest import accounts, remote_campaigns  # noqa: F401


def entries_of(model, pk=None):
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if pk is not None:
        entries = entries.filter(object_pk=str(pk))
    return entries.order_by("id")


@pytest.fixture
def staff_supervisor(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(role="Supervisor", is_staff=True, is_superuser=True)
