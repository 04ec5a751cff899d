from tests.sync.conftest import emulated_account, published  # noqa: F401
