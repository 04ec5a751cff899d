import pytest


@pytest.fixture(autouse=True)
def lead_media(settings, tmp_path):
    """Uploaded lead files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
