"""Named extraction rules, so that each can be switched off to measure what it does (ablation)."""

from __future__ import annotations

import os
from functools import lru_cache

RULES: dict[str, str] = {}


def rule(name: str, description: str) -> str:
    RULES[name] = description
    return name


@lru_cache(maxsize=1)
def _disabled() -> frozenset[str]:
    return frozenset(n.strip() for n in os.environ.get("JIEDAO_DISABLE_RULES", "").split(",") if n.strip())


def enabled(name: str) -> bool:
    return name not in _disabled()
