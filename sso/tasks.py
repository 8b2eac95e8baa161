"""Background tasks of single sign-on."""

from django_tasks import task

from sso.services import sign_in_refusal_prune, used_assertion_prune


@task()
def prune_sso_records() -> dict[str, int]:
    """Delete expired SAML assertion ids and refusals past SSO_REFUSAL_RETENTION_DAYS."""
    return {"assertions": used_assertion_prune(), "refusals": sign_in_refusal_prune()}
