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

        from custom_fields.signals import custom_field_deleted, custom_field_values_counted
        from employees.custom_values import employee_custom_values_drop
        from employees.selectors import employee_custom_value_count

        custom_field_deleted.connect(employee_custom_values_drop, dispatch_uid="employees")
        custom_field_values_counted.connect(employee_custom_value_count, dispatch_uid="employees")
