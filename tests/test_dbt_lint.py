"""sqlfluff (dialect duckdb, dbt templater) is clean on every dbt model and test, as `make lint` checks.

Run inside the test suite too, since CI runs `make test` only. dbt writes its compile artifacts to a tmp
dir (DBT_TARGET_PATH) so the lint never touches dbt_project/target, which Dagster reads its manifest from.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_sqlfluff_lint_is_clean(tmp_path):
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k != "JIEDAO_DB"}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    result = subprocess.run(
        [str(bin_dir / "sqlfluff"), "lint", "dbt_project/models", "dbt_project/tests"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
