"""`jiedao build`: one real Dagster run of the whole graph, then a summary read back from the warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration import settings

MARTS = (
    "fct_metric_facts",
    "dim_documents",
    "dim_districts",
    "dim_metrics",
    "district_year_metrics",
    "targets_vs_actuals",
)


def prepare_dbt_manifest() -> None:
    """Parse the dbt project into target/manifest.json; the dbt assets read it when they are defined."""
    from orchestration.defs.dbt.resources import dbt_project

    dbt_project.preparer.prepare(dbt_project)


def _instance():
    import dagster as dg

    home = settings.ensure_dagster_home()
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    return dg.DagsterInstance.get()


def _table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    present = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return {
        name: con.execute(f"SELECT count(*) FROM main.{name}").fetchone()[0] if name in present else None
        for name in MARTS
    }


def summarize(db_path: Path, checks: tuple[int, int], counts: dict[str, int] | None) -> str:
    with duckdb.connect(str(db_path), read_only=True) as con:
        docs = dict(con.execute("SELECT status, count(*) FROM raw.documents GROUP BY ALL").fetchall())
        quarantined = con.execute(
            "SELECT source_file, reason FROM raw.documents WHERE status = 'quarantined' ORDER BY 1"
        ).fetchall()
        (n_facts,) = con.execute("SELECT count(*) FROM raw.facts").fetchone()
        marts = _table_counts(con)
    lines = [f"warehouse: {db_path}"]
    if counts is not None:
        lines.append("files: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
    lines.append(
        f"documents: {docs.get('parsed', 0)} parsed, {docs.get('quarantined', 0)} quarantined; "
        f"facts extracted: {n_facts}"
    )
    lines += [f"  quarantined {name}: {reason}" for name, reason in quarantined]
    lines.append(f"dbt tests: {checks[0]} passed, {checks[1]} failed")
    shown = (f"{name} {'-' if count is None else count}" for name, count in marts.items())
    lines.append("marts: " + ", ".join(shown))
    return "\n".join(lines)


def run_build(reports_dir: Path, db_path: Path) -> int:
    """Materialize every asset in one in-process Dagster run; exit code 0 only if the run succeeded."""
    prepare_dbt_manifest()
    from orchestration.definitions import defs

    job = defs.resolve_job_def("build_warehouse")
    result = job.execute_in_process(instance=_instance(), raise_on_error=False)
    evaluations = result.get_asset_check_evaluations()
    checks = (sum(e.passed for e in evaluations), sum(not e.passed for e in evaluations))
    counts = None
    for event in result.get_asset_materialization_events():
        materialization = event.asset_materialization
        if materialization and materialization.asset_key.path == ["raw", "documents"]:
            meta = materialization.metadata
            counts = {
                name: meta[f"files_{name}"].value
                for name in ("new", "changed", "unchanged", "removed")
                if f"files_{name}" in meta
            }
    if db_path.exists():
        print(summarize(db_path, checks, counts))
    if not result.success:
        print("build failed: see the step errors above", flush=True)
        return 1
    return 0
