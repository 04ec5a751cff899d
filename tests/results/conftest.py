import pytest

from tests.results.scenario import Scenario, build_scenario
from tests.sync.conftest import emulated_account, published  # noqa: F401 (fixtures)


@pytest.fixture
def scenario(db) -> Scenario:
    return build_scenario()


@pytest.fixture(autouse=True)
def kept_counts_agree_with_the_rows(request):
    """After every results test, whatever wrote the results (a pull, a delivery, a page),
    each campaign's kept counts equal a count of its rows."""
    yield
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    from campaigns.models import Campaign
    from results.kept_counts import result_counts_kept, result_counts_real

    for campaign_id in Campaign.objects.values_list("pk", flat=True):
        kept = result_counts_kept(campaign_id=campaign_id)
        assert kept == result_counts_real(campaign_id=campaign_id), campaign_id
