import pytest

from tests.results.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db) -> Scenario:
    return build_scenario()
