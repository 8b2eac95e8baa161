from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Organisation structure"

    def ready(self) -> None:
        from employees import selectors as employee_selectors
        from employees import services as employee_services
        from organisation.kinds import KINDS
        from organisation.selectors import org_record_names
        from organisation.services import org_record_link

        for kind in KINDS:
            employee_services.record_resolvers[kind.employee_fk] = lambda name, actor, kind=kind: (
                org_record_link(kind=kind, name=name, actor=actor)
            )
            employee_selectors.filter_option_sources[kind.employee_text] = lambda kind=kind: (
                org_record_names(kind)
            )
