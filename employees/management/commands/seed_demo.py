"""Build a realistic demo organization in bulk, and an owner account to sign in with."""

import datetime as dt
import random
import secrets
import time
import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import HR_ADMIN, OWNER
from employees.models import ChangeAction, Channel, Employee, EmployeeChange, EmploymentType
from employees.signals import demo_seeded

GIVEN_NAMES = [
    "Alice", "Ahmed", "Åsa", "Björn", "Carmen", "Chen", "Daniel", "Dmitri", "Elin", "Emma",
    "Fatima", "François", "Grace", "Hiroshi", "Ingrid", "Isabel", "Jakob", "José", "Karin",
    "Kwame", "Lars", "Léa", "Liam", "Maja", "Mateo", "Mei", "Nils", "Noah", "Olga", "Omar",
    "Priya", "Rafael", "Sara", "Siobhán", "Sofia", "Tomás", "Ursula", "Viktor", "Wei", "Zoë",
]  # fmt: skip
FAMILY_NAMES = [
    "Andersson", "Berg", "Brown", "Castillo", "Dubois", "Eriksson", "Fischer", "García",
    "Gonzalez", "Hansen", "Ito", "Johansson", "Kim", "Kowalski", "Lindqvist", "Martin",
    "Müller", "Nakamura", "Núñez", "Öberg", "O'Brien", "Patel", "Rossi", "Schmidt", "Silva",
    "Smith", "Svensson", "Tanaka", "Nguyen", "Wang", "Williams", "Yilmaz", "Zhang", "Żukowski",
]  # fmt: skip
# division -> departments; each department has its own cost center.
ORGANIZATION = {
    "Product & Engineering": ["Engineering", "Product", "Design", "Data", "Security"],
    "Go-to-Market": ["Sales", "Marketing", "Customer Success", "Partnerships"],
    "Operations": ["IT", "Facilities", "Legal", "Procurement"],
    "People & Finance": ["People", "Finance", "Recruiting"],
}
DEPARTMENTS = [(division, dept) for division, depts in ORGANIZATION.items() for dept in depts]
COST_CENTERS = {dept: f"CC-{1100 + 10 * i}" for i, (_, dept) in enumerate(DEPARTMENTS)}
# location -> (organization, phone prefix, digits after the prefix): valid E.164 patterns.
LOCATIONS = {
    "Stockholm": ("Contoso AB", "+4670", 7),
    "London": ("Contoso Ltd", "+44207", 7),
    "Boston": ("Contoso Inc", "+1617", 7),
    "Berlin": ("Contoso GmbH", "+4930", 8),
}
TITLES_BY_LEVEL = [
    "Chief Executive Officer",
    "Vice President",
    "Director",
    "Senior Manager",
    "Manager",
]
INDIVIDUAL_TITLES = ["Specialist", "Analyst", "Engineer", "Coordinator", "Associate", "Consultant"]
SPAN = 8  # direct reports per manager: an 8-ary tree is about 6 levels deep at 100,000.
BATCH = 2000


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _level_of(index: int) -> int:
    level, first, size = 0, 0, 1
    while index >= first + size:
        first += size
        size *= SPAN
        level += 1
    return level


def _manager_index(index: int) -> int | None:
    return None if index == 0 else (index - 1) // SPAN


class Command(BaseCommand):
    help = "Create N demo employees with departments, a manager tree and E.164 work phones."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=500, help="How many employees.")
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any employee exists already."
        )
        parser.add_argument("--owner", default="owner", help="User name of the demo owner account.")
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Where the app is served, for the sign-in link printed at the end.",
        )

    def handle(self, *args, **options):
        count = options["employees"]
        if count < 0:
            raise CommandError("--employees must be zero or more.")
        if options["if_empty"] and Employee.objects.exists():
            self.stdout.write("Employees exist already; no demo data added.")
        else:
            started = time.monotonic()
            self._create_employees(count, random.Random(options["seed"]))
            elapsed = time.monotonic() - started
            self.stdout.write(f"Created {count} employees in {elapsed:.1f} s.")
            for _, line in demo_seeded.send(sender=type(self), rng=random.Random(options["seed"])):
                if line:
                    self.stdout.write(line)
        self._ensure_accounts(options["owner"], options["site_url"].rstrip("/"))

    def _build(self, index: int, rng: random.Random, department_of: dict[int, tuple]) -> Employee:
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        level = _level_of(index)
        if level <= 2:
            # The top of the tree spreads across departments; below, reports join their manager's.
            division, department = DEPARTMENTS[index % len(DEPARTMENTS)]
        else:
            division, department = department_of[_manager_index(index)]
        department_of[index] = (division, department)
        location = rng.choice(list(LOCATIONS))
        organization, phone_prefix, digits = LOCATIONS[location]
        phone = phone_prefix + str(rng.randrange(2 * 10 ** (digits - 1), 10**digits))
        is_manager = index * SPAN + 1 < self._total
        title = (
            TITLES_BY_LEVEL[min(level, len(TITLES_BY_LEVEL) - 1)]
            if is_manager
            else f"{department} {rng.choice(INDIVIDUAL_TITLES)}"
        )
        start = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(0, 3600))
        active = index == 0 or rng.random() > 0.03
        user_name = f"{_ascii(given)}.{_ascii(family)}.{index}@contoso.com"
        return Employee(
            user_name=user_name,
            given_name=given,
            family_name=family,
            display_name=f"{given} {family}",
            title=title,
            work_email=user_name,
            work_phone=phone,
            employee_number=f"E{100000 + index}",
            department=department,
            cost_center=COST_CENTERS[department],
            division=division,
            organization=organization,
            location=location,
            employment_type=rng.choices(
                [EmploymentType.FULL_TIME, EmploymentType.PART_TIME, EmploymentType.CONTRACTOR],
                weights=[85, 10, 5],
            )[0],
            active=active,
            start_date=start,
            end_date=None if active else start + dt.timedelta(days=rng.randrange(30, 900)),
        )

    def _link_employee(self, user) -> None:
        """Make a demo account a person in the organization: an unlinked People employee."""
        employee = (
            Employee.objects.filter(
                department="People", active=True, user__isnull=True, deleted_at__isnull=True
            )
            .exclude(manager__isnull=True)
            .order_by("id")
            .first()
        )
        if employee is None:
            return
        # Linking an account is not a change to the record (the admin links the same way).
        Employee.objects.filter(pk=employee.pk).update(user=user)
        user.first_name, user.last_name = employee.given_name, employee.family_name
        user.save(update_fields=["first_name", "last_name"])

    @transaction.atomic
    def _create_employees(self, count: int, rng: random.Random) -> None:
        self._total = count
        created: dict[int, Employee] = {}
        department_of: dict[int, tuple] = {}
        index, level_size = 0, 1
        # Insert level by level, so that every manager has its primary key before its reports.
        while index < count:
            level = []
            for i in range(index, min(index + level_size, count)):
                employee = self._build(i, rng, department_of)
                manager_index = _manager_index(i)
                if manager_index is not None:
                    employee.manager = created[manager_index]
                level.append(employee)
            Employee.objects.bulk_create(level, batch_size=BATCH)
            for offset, employee in enumerate(level):
                created[index + offset] = employee
            EmployeeChange.objects.bulk_create(
                (
                    EmployeeChange(
                        employee=employee,
                        action=ChangeAction.CREATED,
                        channel=Channel.SYSTEM,
                        changes={"user_name": [None, employee.user_name]},
                    )
                    for employee in level
                ),
                batch_size=BATCH,
            )
            index += len(level)
            level_size *= SPAN

    def _ensure_accounts(self, owner_name: str, site_url: str) -> None:
        User = get_user_model()
        sign_in = f"{site_url}/accounts/sign-in/"
        owners = User.objects.filter(groups__name=OWNER, is_active=True)
        if owners.exists():
            names = ", ".join(owners.order_by("username").values_list("username", flat=True)[:3])
            self.stdout.write(f"Owner account exists: sign in at {sign_in} as {names}.")
            return
        password = secrets.token_urlsafe(12)
        # An email address, so that the owner's notifications show in the worker's console.
        owner = User.objects.create_user(
            username=owner_name,
            email=f"{owner_name}@example.com",
            password=password,
            first_name="Demo",
            last_name="Owner",
            # Staff too, so that the Django admin at /admin/ opens for them.
            is_staff=True,
        )
        owner.groups.add(Group.objects.get(name=OWNER))
        self._link_employee(owner)
        hr_password = secrets.token_urlsafe(12)
        hr_user, created = User.objects.get_or_create(
            username="hr", defaults={"first_name": "Demo", "last_name": "HR admin"}
        )
        if created:
            hr_user.set_password(hr_password)
            hr_user.save(update_fields=["password"])
            hr_user.groups.add(Group.objects.get(name=HR_ADMIN))
            self._link_employee(hr_user)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nSign in at {sign_in}\n"
                f"  Owner:    user name {owner_name!r}, password {password!r}"
                f" (also staff: the Django admin at {site_url}/admin/)\n"
                + (f"  HR admin: user name 'hr', password {hr_password!r}\n" if created else "")
                + "These passwords are shown only now; change them with "
                "`python manage.py changepassword <user name>`.\n"
            )
        )
