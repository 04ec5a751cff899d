import pytest

from tests.results.scenario import Scenario, build_scenario
from tests.sync.conftest import emulated_account, published  # noqa: F401 (fixtures)


@pytest.fixture
def scenario(db) -> Scenario:
    return build_scenario()
