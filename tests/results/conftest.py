import pytest

from tests.sync.conftest import emulated_account, published  # noqa: F401 (fixtures)

from tests.results.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db) -> Scenario:
    return build_scenario()
