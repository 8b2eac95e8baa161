import pytest

from tests.webhooks.receiver import start_receiver


@pytest.fixture
def local_webhooks(settings):
    """Allow deliveries to this machine over plain HTTP, as only tests and development do."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOKS_ALLOW_HTTP = True


@pytest.fixture
def receiver(local_webhooks):
    receiver = start_receiver()
    yield receiver
    receiver.stop()
