"""Shared fixtures: users in each role, signed-in clients, and access tokens."""

import os
import tempfile
from pathlib import Path

import pytest

from access_tokens.models import Scope
from access_tokens.services import access_token_create
from alexis.snapshot import snapshots_forget
from alexis.throttle import _local as _throttle_fallback
from employees.models import Channel
from employees.services import Actor
from tests.factories import EmployeeFactory, HRAdminFactory, OwnerFactory, UserFactory
from webhooks.selectors import webhook_subscriptions_forget, webhook_subscriptions_known_empty


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Keep the SQLite test database in a file rather than in memory.

    Worker and scheduler processes started by tests (tests/jobs) must share the database
    with the test, and threads need SQLite's own locking (which waits) rather than the
    in-memory shared cache's table locks (which fail at once).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # A memory-backed folder where there is one: no disk writes, as fast as :memory:.
        shm = Path("/dev/shm")  # noqa: S108 (a file name unique to this run)
        folder = shm if shm.is_dir() else Path(tempfile.gettempdir())
        name = folder / f"alexis-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
        yield
        # Django deletes the database file; its write-ahead log files stay behind.
        for leftover in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
            leftover.unlink(missing_ok=True)
    else:
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle_fallback():
    """Forget failures counted in process memory while a test had no shared cache."""
    yield
    _throttle_fallback.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords quickly; no test here is about password storage strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_webhook_subscriptions():
    """Start each test knowing that no webhook endpoint exists (the database starts empty), as
    a running process knows between its reads; creating an endpoint makes it read again."""
    webhook_subscriptions_known_empty()
    yield
    webhook_subscriptions_forget()


@pytest.fixture(autouse=True)
def _settings_snapshots_of_an_empty_database():
    """Start each test knowing the owners' settings and definitions of an empty database (no
    custom fields, Roles from Entra ID off, provisioning settings unsaved, no checklist template
    in use), as a process that read them a moment ago; saving any of them makes the next
    request read them again."""
    from accounts.models import EntraRoleMapping
    from accounts.selectors import entra_role_mapping_current
    from checklists.selectors import template_kinds_in_use
    from custom_fields.selectors import custom_field_definitions
    from provisioning.selectors import provisioning_settings_saved

    custom_field_definitions.know([])
    entra_role_mapping_current.know(EntraRoleMapping(pk=EntraRoleMapping.SINGLETON_ID))
    provisioning_settings_saved.know(None)
    template_kinds_in_use.know(frozenset())
    yield
    snapshots_forget()


@pytest.fixture
def owner(db):
    return OwnerFactory(username="olivia.owner")


@pytest.fixture
def hr_admin(db):
    return HRAdminFactory(username="harry.hradmin")


@pytest.fixture
def employee_user(db):
    """A signed-in person with no role, linked to their own employee record."""
    user = UserFactory(username="erin.employee@contoso.com")
    EmployeeFactory(user=user, user_name=user.username, given_name="Erin", family_name="Employee")
    return user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def hr_admin_client(client, hr_admin):
    client.force_login(hr_admin)
    return client


@pytest.fixture
def employee_client(client, employee_user):
    client.force_login(employee_user)
    return client


@pytest.fixture
def web_actor(hr_admin):
    return Actor(channel=Channel.WEB, user=hr_admin)


@pytest.fixture
def scim_token(owner):
    """A real provisioning token created through the service; `.plaintext` is the secret."""
    return access_token_create(name="Entra ID", scopes=[Scope.SCIM], created_by=owner)


@pytest.fixture
def scim_client(client, scim_token):
    """A test client that sends the provisioning token as a bearer token."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {scim_token.plaintext}"
    return client


@pytest.fixture
def api_token(owner):
    """A public API token that can read and write; `.plaintext` is the secret."""
    return access_token_create(
        name="HR integration", scopes=[Scope.API_READ, Scope.API_WRITE], created_by=owner
    )


@pytest.fixture
def api_client(api_token):
    """A DRF test client that sends the read-and-write API token as a bearer token."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token.plaintext}")
    return client


@pytest.fixture(scope="session")
def role_migrations():
    """The data migrations that create the roles, and the model state they expect."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(None, ignore_no_migrations=True)
    functions = [
        operation.code
        for key in sorted(key for key in loader.disk_migrations if key[0] == "accounts")
        for operation in loader.disk_migrations[key].operations
        if isinstance(operation, RunPython)
    ]
    return loader.project_state().apps, functions


@pytest.fixture
def role_groups(transactional_db, role_migrations):
    """Recreate the roles (Owner, HR admin) by rerunning their data migrations.

    A transactional test (live_server, browser tests) empties every table when it ends,
    groups included. serialized_rollback does not help: when other tests set the database
    up first, its saved copy is missing on the connection these tests use.
    """
    apps, functions = role_migrations
    for function in functions:
        function(apps, None)


@pytest.fixture(autouse=True)
def _role_groups_in_transactional_tests(request):
    """Give every transactional test the role groups, whatever flushed the database before."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("role_groups")
