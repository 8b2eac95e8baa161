from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "employees"
    verbose_name = "Employees"

    def ready(self) -> None:
        from django.db.models import CharField
        from django.db.models.functions import Lower

        # `user_name__lower=...` compiles to LOWER("user_name") = ..., which the functional
        # unique index on Lower(user_name) serves; `iexact` (UPPER(...)) could not use it.
        CharField.register_lookup(Lower)

        from custom_fields.signals import custom_field_deleted
        from employees.services import employee_custom_values_drop

        custom_field_deleted.connect(employee_custom_values_drop, dispatch_uid="employees")
