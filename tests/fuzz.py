"""Hypothesis strategies for fuzzing request input: hostile text, filters, JSON shapes.

Bounded and fast: each property runs a few dozen examples with no deadline (a shared CI
machine's pauses must not fail a test), and examples are generated, never stored.
"""

import json
from urllib.parse import urlencode

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that have broken something before: NUL, unpaired surrogates, quotes,
# backslashes, digits int() refuses, right-to-left marks, and full-width signs.
NASTY = ["\x00", "\ud800", "\udfff", '"', "'", "\\", "²", "\u0661", "\u202e", "\uff1d", "\n", "%"]

nasty_text = st.lists(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(NASTY)), max_size=20
).map("".join)
# JSON-style escapes as a client writes them inside a filter's quoted value.
escapes = st.sampled_from(
    ["\\u0000", "\\ud800", "\\udfff", "\\ud83d\\ude00", '\\"', "\\\\", "\\n", "\\x", "\\"]
)
literal = st.lists(st.one_of(nasty_text, escapes), max_size=4).map("".join)

USER_ATTRIBUTES = [
    "userName",
    "displayName",
    "title",
    "active",
    "externalId",
    "name.givenName",
    "emails.value",
    'emails[type eq "work"].value',
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
    "meta.lastModified",
    "members",
    "bogus",
]
OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "xx"]


@st.composite
def scim_filters(draw) -> str:
    """A SCIM filter: mostly well-formed comparisons, with hostile values and some junk."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        attribute = draw(st.sampled_from(USER_ATTRIBUTES))
        operator = draw(st.sampled_from(OPERATORS))
        value = draw(
            st.one_of(
                literal.map(lambda text: f'"{text}"'),
                st.sampled_from(["true", "false", "null", "12", "-1", "1e999", '"2024-01-01"']),
                nasty_text,
            )
        )
        comparison = (
            f"{attribute} {operator}" if operator == "pr" else f"{attribute} {operator} {value}"
        )
        if draw(st.booleans()):
            comparison = f"not ({comparison})" if draw(st.booleans()) else f"({comparison})"
        parts.append(comparison)
    joiner = draw(st.sampled_from([" and ", " or ", " AND ", " "]))
    return draw(st.one_of(st.just(joiner.join(parts)), nasty_text))


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    nasty_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.one_of(nasty_text, st.sampled_from(USER_ATTRIBUTES)), children, max_size=4
        )
    ),
    max_leaves=12,
)


def query(params: dict) -> str:
    """Encode a query string as a hostile client can: unpaired surrogates as their raw bytes."""
    return urlencode(params, errors="surrogatepass")


def dumps(value) -> bytes:
    """Serialise as a client would; unpaired surrogates become \\udXXX escapes."""
    return json.dumps(value).encode()


query_values = st.one_of(
    nasty_text, st.sampled_from(["0", "-1", "1", "²", "99999999999999999999999999", "", "1.5"])
)
