"""Loading the code location changes nothing in the process environment: `dagster dev`, a run worker and a
test that import it keep the environment they were given (dbt gets its file through a dbt var, and the
manifest is parsed with the dbt beside the interpreter, not found through a PATH edited at import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

# Libraries may set variables of their own when imported (polars sets its allocator's): they are imported
# first, so that the comparison is about this project's code.
_SCRIPT = """
import json, os
import dagster, dagster_dbt, duckdb, polars
before = dict(os.environ)
from orchestration.build import prepare_dbt_manifest
prepare_dbt_manifest()
after_manifest = dict(os.environ)
import orchestration.definitions
print(json.dumps([before, after_manifest, dict(os.environ)]))
"""


def test_importing_the_definitions_leaves_the_environment_alone() -> None:
    # PATH without the venv's bin folder: what a shell that calls .venv/bin/python directly has
    env = {**os.environ, "PATH": "/usr/bin:/bin", "DAGSTER_IS_DEV_CLI": "1"}  # also as under dagster dev
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    before, after_manifest, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert after_manifest == before
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert not changed, f"importing orchestration.definitions changed {sorted(changed)}"
