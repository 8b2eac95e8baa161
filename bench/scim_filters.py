"""Benchmark the translation of SCIM filters into ORM queries (parse, resolve, build Q).

Prints microseconds per filter for the shapes Entra and other clients send, each with a
value never seen before (so that no cache of whole filters helps), side by side with the
hand-written parser the SCIM layer had before it was rebuilt on scim2-models (read from git
at REFERENCE_COMMIT and run in this same process), and their ratio. No database is touched:
filters resolve names in the built-in User catalogue, as a request does once per request.

    .venv/bin/python bench/scim_filters.py [--rounds 2000] [--reference COMMIT]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
# The last commit with the hand-written tokenizer and parser (scim_api/filters.py).
REFERENCE_COMMIT = "80bee6f"

SHAPES = {
    "userName eq": 'userName eq "user{n}@contoso.com"',
    "externalId eq": 'externalId eq "ext-{n}"',
    "work email eq": 'emails[type eq "work"].value eq "user{n}@contoso.com"',
    "enterprise and": f'{ENT}:department eq "Dept {{n}}" and active eq true',
    "or of three": 'userName eq "a{n}" or userName eq "b{n}" or title co "c{n}"',
    "not and paren": 'not (title eq "t{n}") and (displayName sw "d{n}" or active eq false)',
}


def reference_translator(commit: str):
    """Return the hand-written user_filter_q of `commit`, or None without git history."""
    try:
        source = subprocess.run(
            ["git", "show", f"{commit}:scim_api/filters.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("scim_api_handwritten_filters")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{commit}:scim_api/filters.py", "exec"), module.__dict__)  # noqa: S102
    return module.user_filter_q


def per_filter_micros(translate, template: str, rounds: int, tag: str) -> float:
    """Best of three runs, each translating `rounds` filters with values never seen before."""
    translate(template.format(n=f"{tag}-warm"))
    best = float("inf")
    for attempt in range(3):
        texts = [template.format(n=f"{tag}-{attempt}-{number}") for number in range(rounds)]
        started = time.process_time()
        for text in texts:
            translate(text)
        best = min(best, time.process_time() - started)
    return best / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--reference", default=REFERENCE_COMMIT)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alexis.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from scim_api.catalogue import BUILTIN_USER_CATALOGUE
    from scim_api.filters import filter_q

    def current(text: str):
        return filter_q(text, BUILTIN_USER_CATALOGUE)

    before = reference_translator(args.reference)
    print(f"microseconds per filter ({args.rounds} filters, best of 3, CPU time)")
    print(f"{'filter':<16} {'hand-written ' + args.reference:>20} {'now':>8} {'now/before':>11}")
    for name, template in SHAPES.items():
        now = per_filter_micros(current, template, args.rounds, "now")
        if before is None:
            print(f"{name:<16} {'(no git history)':>20} {now:>8.1f}")
            continue
        then = per_filter_micros(before, template, args.rounds, "then")
        print(f"{name:<16} {then:>20.1f} {now:>8.1f} {now / then:>11.2f}")


if __name__ == "__main__":
    main()
