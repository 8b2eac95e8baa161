"""Benchmark the translation of SCIM filters into ORM queries (parse, resolve, build Q).

Prints microseconds per filter for the shapes Entra and other clients send, each with a
value never seen before (so that no parse cache helps), and the CPU time of a reference loop
to compare runs made on a machine of varying speed. No database is touched.

    .venv/bin/python bench/scim_filters.py [--rounds 2000]

To compare two versions of the code, run the same script from both checkouts, one after the
other, and compare the ratios to the reference loop printed by each.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

SHAPES = {
    "userName eq": 'userName eq "user{n}@contoso.com"',
    "externalId eq": 'externalId eq "ext-{n}"',
    "work email eq": 'emails[type eq "work"].value eq "user{n}@contoso.com"',
    "enterprise and": f'{ENT}:department eq "Dept {{n}}" and active eq true',
    "or of three": 'userName eq "a{n}" or userName eq "b{n}" or title co "c{n}"',
    "not and paren": 'not (title eq "t{n}") and (displayName sw "d{n}" or active eq false)',
}


def reference_loop_ms() -> float:
    """Time a fixed pure-Python loop (best of three), to tell how fast the machine is now."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(2_000_000):
            total += number
        best = min(best, time.process_time() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from scim_api.filters import user_filter_q

    reference = reference_loop_ms()
    print(f"reference loop: {reference:.0f} ms (lower is a faster machine)")
    print(f"{'filter':<16} {'us per filter':>14} {'per reference ms':>17}")
    for name, template in SHAPES.items():
        user_filter_q(template.format(n="warm"))
        best = float("inf")
        for attempt in range(3):
            started = time.process_time()
            for number in range(args.rounds):
                user_filter_q(template.format(n=f"{attempt}-{number}"))
            best = min(best, time.process_time() - started)
        micros = best / args.rounds * 1e6
        print(f"{name:<16} {micros:>14.1f} {micros / reference:>17.3f}")


if __name__ == "__main__":
    main()
