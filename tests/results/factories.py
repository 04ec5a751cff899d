import factory
from django.utils import timezone

from results.models import CallAttempt, LeadResult, ResultSource


class LeadResultFactory(factory.django.DjangoModelFactory):
    """A dialled lead's result: pass ``campaign`` and ``lead``."""

    class Meta:
        model = LeadResult

    attempts = 1
    last_attempt_at = factory.LazyFunction(timezone.now)
    last_result_raw = "ANSWERED"
    last_result_code = ""
    done = False
    source = ResultSource.PULL
    reported_at = factory.LazyFunction(timezone.now)


class CallAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallAttempt

    attempted_at = factory.LazyFunction(timezone.now)
    result_raw = "ANSWERED"
    result_code = ""
    source = ResultSource.PULL
