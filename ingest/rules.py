"""Named extraction rules that can be switched off, so that an ablation can show which rules earn their keep.

An extraction module names a rule once, where it is defined, and asks whether it is on where it applies:

    FENBIE = rule("lists.fenbie", "分别 hands one value to each item listed before it")
    ...
    if enabled(FENBIE):
        ...

`JIEDAO_DISABLE_RULES=name1,name2` switches rules off for a whole process: it is read once, on the first
`enabled` call, so a run never sees a rule half on. `benchmarks/ablate_rules.py` sets it per child process.
"""

from __future__ import annotations

import os
from functools import cache

DISABLE_ENV = "JIEDAO_DISABLE_RULES"

# name -> one-line description, filled by `rule()` as extraction modules are imported.
RULES: dict[str, str] = {}


def rule(name: str, description: str) -> str:
    """Register a rule and return its name (for the module to pass to `enabled`).

    Registering one name twice with another description is a mistake (two rules would share one switch);
    re-registering it unchanged, as a module reload does, is not.
    """
    if not name or "," in name or name != name.strip():
        raise ValueError(f"rule name {name!r}: non-empty, no comma, no surrounding spaces")
    known = RULES.setdefault(name, description)
    if known != description:
        raise ValueError(f"rule {name!r} registered twice: {known!r} and {description!r}")
    return name


@cache
def disabled() -> frozenset[str]:
    """The rules switched off in this process, read once from JIEDAO_DISABLE_RULES."""
    raw = os.environ.get(DISABLE_ENV, "")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def enabled(name: str) -> bool:
    """Whether a rule applies in this process."""
    return name not in disabled()
