"""Everything the in-process dbt runner (runner.py) takes from inside dagster-dbt, dbt and dbt-duckdb.

dagster-dbt's public way to run dbt is `DbtCliResource.cli(...)`, a subprocess. Running dbt in the run's
own process instead (runner.py says why) reuses pieces that `cli` is made of but that no one promises to
keep: how it computes the dbt selection of a run, how it turns one dbt event into Dagster events, dbt's
event-to-dict helper, and dbt-duckdb's class-level connection, which outlives `dbtRunner.invoke`. They are
all here, behind four functions, and `problems()` tells what of them no longer looks as it did in the
versions of `VERIFIED`; tests/test_dbt_internals.py fails on any of it, naming the internal, so a new pin
of these packages is checked here before anything else.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

# The versions whose internals were read and found to be as used here (requirements.lock pins them).
VERIFIED = {"dagster-dbt": "0.29.27", "dbt-core": "1.11.16", "dbt-common": "1.39.0", "dbt-duckdb": "1.11.1"}

# The dbt events that carry one node's outcome; dagster-dbt turns these (and only these) into Dagster events.
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})


@dataclass(frozen=True, slots=True)
class Selection:
    """What `DbtCliResource.cli` would run for a context: dbt arguments selecting the run's assets and
    checks, and what maps dbt's events back to them."""

    args: list[str]  # the command and selection, without folders
    project_dir: Path  # dagster-dbt may put a large selection into a selectors.yml of a project copy
    manifest: Any
    translator: DagsterDbtTranslator
    project: DbtProject


def selection(
    context: dg.AssetExecutionContext,
    args: Sequence[str],
    project: DbtProject,
    translator: DagsterDbtTranslator,
) -> Selection:
    from dagster_dbt.asset_utils import (
        extract_runtime_selection_from_args,
        get_updated_cli_invocation_params_for_context,
    )

    cleaned, selects, excludes = extract_runtime_selection_from_args(list(args))
    params = get_updated_cli_invocation_params_for_context(
        context=context,
        manifest={},
        dagster_dbt_translator=translator,
        runtime_selects=selects,
        runtime_excludes=excludes,
    )
    indirect = ["--indirect-selection", params.indirect_selection] if params.indirect_selection else []
    return Selection(
        args=[*cleaned, *params.selection_args, *indirect],
        project_dir=Path((params.dbt_project or project).project_dir),
        manifest=params.manifest,
        translator=params.dagster_dbt_translator,
        project=params.dbt_project or project,
    )


def result_event(message: Any) -> dict | None:
    """One of dbt's events as the dict its JSON log line holds, if it carries a node's outcome."""
    if message.info.name not in RESULT_EVENTS:
        return None
    from dbt_common.events.functions import msg_to_dict

    return msg_to_dict(message)


def asset_events(
    raw_event: dict, chosen: Selection, context: dg.AssetExecutionContext, target: Path
) -> Iterator[Any]:
    """The Dagster events (materializations, check results, observations) of one dbt result event."""
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

    message = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
    yield from message.to_default_asset_events(
        manifest=chosen.manifest,
        dagster_dbt_translator=chosen.translator,
        context=context,
        target_path=target,
        project=chosen.project,
    )


def close_duckdb() -> None:
    """Close the database that dbt-duckdb keeps open in the process after dbt returns (its environment is
    a class attribute, closed at exit): the next steps open the same file with their own configuration,
    which DuckDB refuses while another handle with a different one is open."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
        if environment is not None:
            environment.close()


def _parameters(function: Any) -> set[str]:
    return set(inspect.signature(function).parameters) if callable(function) else set()


def _attribute(dotted: str) -> Any:
    """`module.path.Name.attr` imported and looked up; None if any part is gone."""
    import importlib

    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = getattr(found, name, None)
        return found
    return None


def _has_parameters(dotted: str, *names: str) -> Any:
    return lambda: set(names) <= _parameters(_attribute(dotted))


_PARTIAL_PARAMS = (
    "manifest",
    "dagster_dbt_translator",
    "selection_args",
    "indirect_selection",
    "dbt_project",
)
# (package, internal, how to tell that it is as used above)
CHECKS = (
    (
        "dagster-dbt",
        "dagster_dbt.asset_utils.extract_runtime_selection_from_args(args)",
        _has_parameters("dagster_dbt.asset_utils.extract_runtime_selection_from_args", "args"),
    ),
    (
        "dagster-dbt",
        "dagster_dbt.asset_utils.get_updated_cli_invocation_params_for_context(context, manifest, "
        "dagster_dbt_translator, runtime_selects, runtime_excludes)",
        _has_parameters(
            "dagster_dbt.asset_utils.get_updated_cli_invocation_params_for_context",
            *("context", "manifest", "dagster_dbt_translator", "runtime_selects", "runtime_excludes"),
        ),
    ),
    (
        "dagster-dbt",
        f"dagster_dbt.asset_utils.DbtCliInvocationPartialParams({', '.join(_PARTIAL_PARAMS)})",
        # a dagster record: its fields are its annotations
        lambda: (
            set(_PARTIAL_PARAMS)
            <= set(
                getattr(
                    _attribute("dagster_dbt.asset_utils.DbtCliInvocationPartialParams"), "__annotations__", {}
                )
            )
        ),
    ),
    (
        "dagster-dbt",
        "dagster_dbt.core.dbt_cli_event.DbtCoreCliEventMessage(raw_event, event_history_metadata)",
        _has_parameters(
            "dagster_dbt.core.dbt_cli_event.DbtCoreCliEventMessage", "raw_event", "event_history_metadata"
        ),
    ),
    (
        "dagster-dbt",
        "DbtCoreCliEventMessage.to_default_asset_events(manifest, dagster_dbt_translator, context, "
        "target_path, project)",
        _has_parameters(
            "dagster_dbt.core.dbt_cli_event.DbtCoreCliEventMessage.to_default_asset_events",
            *("manifest", "dagster_dbt_translator", "context", "target_path", "project"),
        ),
    ),
    (
        "dbt-core",
        f"dbt.events.types {', '.join(sorted(RESULT_EVENTS))} (the node result events)",
        lambda: all(_attribute(f"dbt.events.types.{name}") is not None for name in RESULT_EVENTS),
    ),
    (
        "dbt-common",
        "dbt_common.events.functions.msg_to_dict(msg)",
        _has_parameters("dbt_common.events.functions.msg_to_dict", "msg"),
    ),
    (
        "dbt-duckdb",
        "dbt.adapters.duckdb.connections.DuckDBConnectionManager._LOCK and ._ENV (its process-wide database)",
        lambda: (
            hasattr(_attribute("dbt.adapters.duckdb.connections.DuckDBConnectionManager._LOCK"), "acquire")
            and hasattr(_attribute("dbt.adapters.duckdb.connections.DuckDBConnectionManager"), "_ENV")
        ),
    ),
)


def problems() -> list[str]:
    """The internals that no longer look as they did in the VERIFIED versions, one line each naming the
    internal and its package; empty when all is as expected."""
    return [
        f"{package} {version(package)} (verified: {VERIFIED[package]}): {internal} is gone or changed"
        for package, internal, as_expected in CHECKS
        if not as_expected()
    ]
