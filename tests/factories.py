"""factory-boy factories for the Alexis models."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import HR_ADMIN, OWNER
from employees.models import Employee
from teams.models import Team, TeamMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class OwnerFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=OWNER))


class HRAdminFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=HR_ADMIN))


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An employee row written directly (tests of services create through the services)."""

    class Meta:
        model = Employee

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    user_name = factory.Sequence(lambda n: f"employee{n}@contoso.com")
    work_email = factory.LazyAttribute(lambda employee: employee.user_name)
    display_name = factory.LazyAttribute(lambda e: f"{e.given_name} {e.family_name}")
    title = factory.Faker("job")
    department = "Engineering"
    active = True


class TeamFactory(factory.django.DjangoModelFactory):
    """A team row written directly; `members=[...]` adds members in one statement."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    display_name = factory.Sequence(lambda n: f"Team {n}")
    external_id = factory.Sequence(lambda n: f"group-{n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            TeamMembership.objects.bulk_create(
                TeamMembership(team=self, employee=employee) for employee in extracted
            )


class ProvisioningEventFactory(factory.django.DjangoModelFactory):
    """A provisioning log event, as the SCIM endpoint records it (a successful query by default)."""

    class Meta:
        model = "provisioning.ProvisioningEvent"

    occurred_at = factory.LazyFunction(timezone.now)
    method = "GET"
    path = "/scim/v2/Users"
    operation = "queried"
    status = 200
    token_name = "Entra ID"
    client_ip = "127.0.0.1"
    duration_ms = 4
