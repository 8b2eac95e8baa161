"""Errors raised by single sign-on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from employees.models import Employee


class SignInRefused(Exception):
    """Single sign-on found no one who may sign in; `reason` is a RefusalReason."""

    def __init__(self, reason: str, employee: Employee | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.employee = employee
