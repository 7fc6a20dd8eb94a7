"""The in-process dbt runner leans on internals of dagster-dbt, dbt and dbt-duckdb, all kept in
orchestration/defs/dbt/internals.py. A new pin of one of these packages fails here first, naming what to
re-read; a moved or renamed internal fails here by name, not as an obscure error in the middle of a build.
What the internals do is tested by every real build (tests/test_pipeline.py and others).
"""

from __future__ import annotations

from importlib.metadata import version

import pytest

from orchestration.defs.dbt import internals


@pytest.mark.parametrize("package", sorted(internals.VERIFIED))
def test_the_pinned_version_is_the_one_whose_internals_were_read(package: str) -> None:
    installed, verified = version(package), internals.VERIFIED[package]
    reread = [internal for owner, internal, _ in internals.CHECKS if owner == package]
    assert installed == verified, (
        f"{package} moved from {verified} to {installed}: read these internals in the new version, "
        f"adapt orchestration/defs/dbt/internals.py, then set VERIFIED there: " + "; ".join(reread)
    )


def test_every_internal_is_as_the_runner_uses_it() -> None:
    assert internals.problems() == []


def test_every_package_with_internals_has_a_verified_version() -> None:
    assert {package for package, _, _ in internals.CHECKS} == set(internals.VERIFIED)
