"""The whole asset graph, as text kept in tests/asset_graph.txt: every asset with its group and kinds, what
it depends on, and its checks (blocking or not, and what else a check reads). A change to the graph, an
asset renamed or moved, a dbt test that no longer maps to a check, a lost dependency, shows in review as a
diff of that file.

When the change is intended, regenerate the file and commit it with the change:

    JIEDAO_UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_asset_graph_snapshot.py
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

SNAPSHOT = Path(__file__).with_name("asset_graph.txt")
UPDATE_ENV = "JIEDAO_UPDATE_SNAPSHOT"
_HEADER = (
    "# The asset graph of orchestration.definitions (tests/test_asset_graph_snapshot.py).\n"
    f"# Regenerate: {UPDATE_ENV}=1 .venv/bin/python -m pytest tests/test_asset_graph_snapshot.py\n"
)


def render(defs: dg.Definitions) -> str:
    """One block per asset, sorted by key: `asset KEY [group GROUP] {kinds}`, its deps, its checks."""
    graph = defs.resolve_asset_graph()
    lines = [_HEADER]
    for key in sorted(graph.get_all_asset_keys(), key=lambda key: key.to_user_string()):
        node = graph.get(key)
        kinds = ", ".join(sorted(node.kinds))
        lines.append(f"asset {key.to_user_string()} [group {node.group_name}] {{{kinds}}}")
        for parent in sorted(parent.to_user_string() for parent in node.parent_keys):
            lines.append(f"  dep {parent}")
        for check_key in sorted(node.check_keys, key=lambda check_key: check_key.name):
            spec = graph.get_check_spec(check_key)
            also = sorted(dep.asset_key.to_user_string() for dep in spec.additional_deps)
            reads = f" reads {', '.join(also)}" if also else ""
            lines.append(f"  check {check_key.name}{' (blocking)' if spec.blocking else ''}{reads}")
    return "\n".join(lines) + "\n"


def test_the_asset_graph_matches_its_snapshot() -> None:
    from orchestration.build import prepare_dbt_manifest

    prepare_dbt_manifest()
    from orchestration.definitions import defs

    current = render(defs)
    if os.environ.get(UPDATE_ENV) == "1":
        SNAPSHOT.write_text(current, encoding="utf-8")
    recorded = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    assert current == recorded, (
        f"the asset graph differs from tests/{SNAPSHOT.name}: if the change is intended, regenerate it "
        f"({UPDATE_ENV}=1, see this test's docstring) and commit it"
    )
