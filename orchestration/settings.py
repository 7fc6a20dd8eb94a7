"""Where things live: the repository, the dbt project, the reports folder and the warehouse file.

`JIEDAO_REPORTS_DIR` and `JIEDAO_DB` override the defaults, for `jiedao build` and `dagster dev` alike;
`JIEDAO_MAX_FILE_BYTES` sets the size above which a file is quarantined unread.

Everything a build writes is named after the published file, beside it, so that two warehouses in one
folder never share anything and `--db ~/wh.duckdb` creates nothing with a generic name:

    <dir>/<stem>.duckdb     the published file (JIEDAO_DB, `--db`)
    <dir>/<stem>.build/     the pipeline's own: the working file <stem>.duckdb, build.log, dbt.log
    <dir>/<stem>.parquet/   the Parquet exports of the marts, one file per mart
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_REPORTS_DIR = REPO_ROOT / "seeds"
DEFAULT_DB_PATH = REPO_ROOT / "warehouse" / "jiedao.duckdb"
DEFAULT_DAGSTER_HOME = REPO_ROOT / ".dagster_home"
# Every asset that writes the DuckDB file holds a slot of this pool; the instance gives it one slot.
DUCKDB_WRITER_POOL = "duckdb_writer"
# Written into a new DAGSTER_HOME. Runs are queued one writer at a time (granularity "run": a run killed
# mid-step never strands an op-level slot that would block every later build). No telemetry: these
# machines reach package registries only.
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
    granularity: run
"""


def reports_dir() -> Path:
    return Path(os.environ.get("JIEDAO_REPORTS_DIR") or DEFAULT_REPORTS_DIR).resolve()


def db_path() -> Path:
    """The published warehouse: the file BI tools open read-only."""
    return Path(os.environ.get("JIEDAO_DB") or DEFAULT_DB_PATH).resolve()


class WarehousePathError(ValueError):
    """A published file name whose derived folders would collide with the file itself."""


def _beside(published: Path, suffix: str) -> Path:
    folder = published.with_name(f"{published.stem}{suffix}")
    if folder == published:
        raise WarehousePathError(
            f"{published}: a warehouse file cannot end in {suffix} (its {suffix} folder would have its name);"
            " name it <something>.duckdb"
        )
    return folder


def work_dir(published: Path | None = None) -> Path:
    """The pipeline's own folder for a published file: `<dir>/<stem>.build/` (working file and logs)."""
    return _beside(published or db_path(), ".build")


def parquet_dir(published: Path | None = None) -> Path:
    """Where the marts of a published file are exported: `<dir>/<stem>.parquet/`."""
    return _beside(published or db_path(), ".parquet")


def work_db_path_for(published: Path) -> Path:
    """The working file of a published file. It has the published file's name, so the catalog name dbt
    writes into view definitions is the same in both."""
    return work_dir(published) / published.name


def work_db_path() -> Path:
    """The working file that ingest and dbt write; published to `db_path()` after the tests pass."""
    return work_db_path_for(db_path())


def build_log_path() -> Path:
    """Where a failed build writes its tracebacks (the console gets one line): beside the working file."""
    return work_dir() / "build.log"


# Set by `jiedao build` and `jiedao watch` (on unless --verbose): dbt's node log goes to dbt_log_path() only.
# Unset, as under `dagster dev`, dbt also prints it, and the UI shows it with the step's output.
QUIET_DBT_ENV = "JIEDAO_QUIET_DBT"
# Set to 1 by `jiedao build` and `jiedao watch` when their console is a terminal: the parse draws its
# progress bar there (a step's own stderr is Dagster's captured copy, never a terminal).
PROGRESS_ON_TERMINAL_ENV = "JIEDAO_PROGRESS_ON_TERMINAL"


def dbt_log_path() -> Path:
    """dbt's own log of every build (each node, its SQL errors), beside the build log."""
    return work_dir() / "dbt.log"


def ensure_dagster_home() -> Path:
    """Runs from the CLI and from `dagster dev` share one persistent instance, so the UI shows both."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME)))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return home


def max_file_bytes() -> int | None:
    """Files larger than this are quarantined without being read (None: the ingest library's default)."""
    value = os.environ.get("JIEDAO_MAX_FILE_BYTES")
    return int(value) if value else None


def env_flag(name: str) -> bool:
    """An on/off environment variable: 1, true or yes (any case) is on."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")
