import hashlib
import hmac
import math
import re

import pytest

from access_tokens import crypto
from access_tokens.crypto import (
    ALPHABET,
    SECRET_LENGTH,
    TOKEN_LENGTH,
    checksum,
    generate_token,
    public_prefix,
    token_digest,
)
from access_tokens.selectors import access_token_authenticate

pytestmark = pytest.mark.django_db

TOKEN_PATTERN = re.compile(r"alx_[0-9A-Za-z]{10}[0-9A-Za-z]{44}[0-9A-Za-z]{6}")


def test_generated_token_has_prefix_lookup_secret_and_checksum():
    token = generate_token()

    assert TOKEN_PATTERN.fullmatch(token)
    assert len(token) == TOKEN_LENGTH == 64
    body, check = token[4:-6], token[-6:]
    assert check == checksum(body)
    assert public_prefix(token) == token[:14]


def test_secret_part_carries_at_least_256_bits():
    assert SECRET_LENGTH * math.log2(len(ALPHABET)) >= 256


def test_generated_tokens_differ_and_use_the_whole_alphabet():
    tokens = {generate_token() for _ in range(500)}

    assert len(tokens) == 500
    assert set("".join(token[4:] for token in tokens)) == set(ALPHABET)


def test_generation_draws_from_secrets(monkeypatch):
    drawn = []

    def fake_choice(sequence):
        drawn.append(sequence)
        return sequence[0]

    monkeypatch.setattr(crypto.secrets, "choice", fake_choice)

    token = generate_token()

    assert len(drawn) == 10 + SECRET_LENGTH
    assert token.startswith("alx_" + "0" * (10 + SECRET_LENGTH))


def _one_character_typos(token: str):
    for position in range(4, len(token)):
        for replacement in ("0", "Z", "a"):
            if token[position] != replacement:
                yield token[:position] + replacement + token[position + 1 :]


def test_checksum_rejects_every_one_character_typo_without_a_query(django_assert_num_queries):
    token = generate_token()
    typos = list(_one_character_typos(token))
    assert len(typos) > 2 * (len(token) - 4)

    with django_assert_num_queries(0):
        results = [access_token_authenticate(typo) for typo in typos]

    assert results == [None] * len(typos)
    assert [public_prefix(typo) for typo in typos] == [None] * len(typos)


def test_checksum_rejects_swapped_neighbours():
    token = generate_token()
    swaps = [
        token[:i] + token[i + 1] + token[i] + token[i + 2 :]
        for i in range(4, len(token) - 1)
        if token[i] != token[i + 1]
    ]

    assert [public_prefix(swap) for swap in swaps] == [None] * len(swaps)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "alx_",
        "ghp_" + "a" * 60,
        "ALX_" + "a" * 60,
        "alx_" + "a" * 59,
        "alx_" + "a" * 61,
        "alx_" + "é" * 60,
        "alx_" + "-" * 60,
        "alx_" + " " * 60,
    ],
)
def test_malformed_tokens_are_refused_without_a_query(raw, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert access_token_authenticate(raw) is None
    assert public_prefix(raw) is None


def test_truncated_token_is_refused():
    token = generate_token()

    assert public_prefix(token[:-1]) is None
    assert public_prefix(token + "0") is None


def test_digest_is_hmac_sha256_keyed_by_the_setting(settings):
    token = generate_token()
    settings.ACCESS_TOKEN_HASH_KEY = "first-key"
    first = token_digest(token)
    settings.ACCESS_TOKEN_HASH_KEY = "second-key"
    second = token_digest(token)

    assert first == hmac.new(b"first-key", token.encode(), hashlib.sha256).hexdigest()
    assert second == hmac.new(b"second-key", token.encode(), hashlib.sha256).hexdigest()
    assert first != second
    assert hashlib.sha256(token.encode()).hexdigest() not in {first, second}
    assert re.fullmatch(r"[0-9a-f]{64}", first)
