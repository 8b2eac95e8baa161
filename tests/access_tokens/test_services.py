import pytest
from django.core.exceptions import ValidationError

from access_tokens.models import AccessToken, AccessTokenEvent, Scope
from access_tokens.services import MAX_EXPIRY_DAYS, access_token_create, access_token_revoke

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"name": ""}, {"name": ["Enter a name."]}),
        ({"scopes": []}, {"scopes": ["Choose at least one scope."]}),
        ({"scopes": ["scim", "root"]}, {"scopes": ["Unknown scope."]}),
        (
            {"expires_in_days": 0},
            {"expires_in_days": ["The expiry must be between 1 and 3650 days, or never."]},
        ),
        (
            {"expires_in_days": MAX_EXPIRY_DAYS + 1},
            {"expires_in_days": ["The expiry must be between 1 and 3650 days, or never."]},
        ),
        (
            {"name": "", "scopes": []},
            {"name": ["Enter a name."], "scopes": ["Choose at least one scope."]},
        ),
    ],
)
def test_create_refuses_bad_input_by_field_and_creates_nothing(owner, kwargs, errors):
    with pytest.raises(ValidationError) as error:
        access_token_create(**{"name": "Ok", "scopes": [Scope.SCIM], **kwargs}, created_by=owner)

    assert error.value.message_dict == errors
    assert AccessToken.objects.count() == AccessTokenEvent.objects.count() == 0


def test_only_owners_can_create(hr_admin):
    with pytest.raises(ValidationError) as error:
        access_token_create(name="Mine", scopes=[Scope.SCIM], created_by=hr_admin)

    assert error.value.message_dict == {"created_by": ["Only owners can create access tokens."]}
    assert AccessToken.objects.count() == 0


def test_create_trims_and_deduplicates(owner):
    created = access_token_create(
        name="  Entra  ",
        description="  For provisioning ",
        scopes=["scim", "api:read", "scim"],
        created_by=owner,
        expires_in_days=MAX_EXPIRY_DAYS,
    )

    token = AccessToken.objects.get()
    assert (token.name, token.description, token.scopes) == (
        "Entra",
        "For provisioning",
        ["api:read", "scim"],
    )
    assert token == created.token


def test_revoke_records_who_and_is_idempotent(owner):
    created = access_token_create(name="Entra", scopes=[Scope.SCIM], created_by=owner)

    first = access_token_revoke(token=created.token, revoked_by=owner, ip_address="192.0.2.7")
    second = access_token_revoke(token=created.token, revoked_by=owner, ip_address="192.0.2.8")

    assert first.revoked_at == second.revoked_at is not None
    assert first.revoked_by == owner
    assert list(AccessTokenEvent.objects.values_list("action", "ip_address")) == [
        ("revoked", "192.0.2.7"),
        ("created", None),
    ]
