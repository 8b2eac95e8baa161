"""Email through a real SMTP server (aiosmtpd) started by the test, and a server that is down."""

import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from notifications.models import Notification

pytestmark = pytest.mark.django_db


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=default_policy))
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Alexis <alexis@hr.example.com>"
    settings.ALEXIS_SITE_URL = "https://hr.example.com"
    return settings


@pytest.fixture
def smtp_server(smtp_settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    yield inbox
    controller.stop()


def test_notification_email_goes_through_a_real_smtp_server(owner, smtp_server, run_queued_tasks):
    created = access_token_create(name="Entra ID", scopes=[Scope.SCIM], created_by=owner)

    assert run_queued_tasks() == 2  # record the notification, then email it

    ((recipients, message),) = smtp_server.messages
    assert recipients == ["olivia.owner@example.com"]
    assert message["Subject"] == "New access token: Entra ID"
    assert message["From"] == "Alexis <alexis@hr.example.com>"
    assert message["List-Unsubscribe"] == "<https://hr.example.com/notifications/settings/>"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"https://hr.example.com/settings/access-tokens/#token-{created.token.pk}" in text
    assert "<h1" in html and "Entra ID" in html
    assert Notification.objects.get().emailed_at is not None


def test_a_mail_server_that_is_down_delays_the_email_and_loses_nothing(
    owner, smtp_settings, run_queued_tasks
):
    access_token_create(name="Entra ID", scopes=[Scope.SCIM], created_by=owner)

    run_queued_tasks()  # nothing listens on the port: the email attempt fails

    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.task_path == "notifications.tasks.send_notification_email"
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    notification = Notification.objects.get()
    assert notification.emailed_at is None  # in the app already, email still owed

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    try:
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        assert run_queued_tasks() == 1
    finally:
        controller.stop()

    assert len(inbox.messages) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
