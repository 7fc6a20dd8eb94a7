"""The Dagster UI as a person uses it: `jiedao ui`, headless Chromium, the asset graph, "Materialize all",
Chinese text drawn with real glyphs; runs launched as the launchpad launches them (GraphQL), forced or not;
and `jiedao ui` stopped by its PID leaving nothing behind.

The browser tests need Debian's chromium, chromium-driver and a CJK font (scripts/install_chromium.sh
installs them; CI runs it). The server, the browser and the runs are real; every wait is on a condition,
with a generous deadline. The tests run in file order and share one server: the last one stops it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests

from tests.conftest import REPO_ROOT, SEEDS_DIR

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SERVER_DEADLINE = 600  # seconds for `dagster dev` to load the code location (dbt parse included)
RUN_DEADLINE = 1200  # seconds for the materialization of every asset
UI_DEADLINE = 120  # seconds for a page element to show up

T = TypeVar("T")


def _until(condition: Callable[[], T | None], deadline: float, what: str, interval: float = 1.0) -> T:
    """Poll `condition` until it returns something truthy; fail with `what` if the deadline passes."""
    end = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what} after {deadline} s")
        time.sleep(interval)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    db: Path

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = requests.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30
        )
        response.raise_for_status()
        return response.json()["data"]

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("ui")
    inbox, home, db = work / "inbox", work / "dagster_home", work / "warehouse" / "jiedao.duckdb"
    inbox.mkdir()
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        shutil.copyfile(path, inbox / path.name)
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "DAGSTER_HOME": str(home),
        "JIEDAO_DB": str(db),
        "JIEDAO_REPORTS_DIR": str(inbox),
    }
    log = work / "dagster_dev.log"
    with log.open("w") as sink:
        # A session of its own, so that teardown can stop dagster dev and every process it started.
        process = subprocess.Popen(
            [str(bin_dir / "jiedao"), "ui", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(f"http://127.0.0.1:{port}", process, log, db)
    try:

        def loaded() -> list[str] | None:
            if process.poll() is not None:
                pytest.fail(f"jiedao ui exited with {process.returncode}:\n{running.log_tail()}")
            try:
                data = running.graphql(
                    "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus "
                    "locationOrLoadError { __typename ... on PythonError { message } } } } } }"
                )
            except requests.RequestException:
                return None
            entries = data["workspaceOrError"]["locationEntries"]
            for entry in entries:
                if (
                    entry["locationOrLoadError"]
                    and entry["locationOrLoadError"]["__typename"] == "PythonError"
                ):
                    pytest.fail(f"code location failed to load: {entry['locationOrLoadError']['message']}")
            names = [entry["name"] for entry in entries if entry["loadStatus"] == "LOADED"]
            return names or None

        _until(loaded, SERVER_DEADLINE, "the Dagster UI to load the code location", interval=2)
        yield running
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGINT first (dagster dev shuts its daemon and servers down cleanly), then SIGKILL for stragglers."""
    for sig, grace in ((signal.SIGINT, 30), (signal.SIGTERM, 15), (signal.SIGKILL, 15)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            # the leader is gone; make sure nothing of its session lingers
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def browser(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium not installed: run scripts/install_chromium.sh")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium_profile")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1600,2600",  # tall enough for the Catalog's virtualized list to draw every asset
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save what they saw: JIEDAO_UI_SCREENSHOTS to keep them, else a temporary
    folder of this session (pytest keeps the last three)."""
    kept = os.environ.get("JIEDAO_UI_SCREENSHOTS")
    if not kept:
        return tmp_path_factory.mktemp("screenshots")
    Path(kept).mkdir(parents=True, exist_ok=True)
    return Path(kept)


def _dismiss_dialogs(driver: Any) -> None:
    """Dagster greets a new instance with a "Join the community" dialog; a person clicks Skip."""
    from selenium.webdriver.common.by import By

    for button in driver.find_elements(By.XPATH, "//button[normalize-space()='Skip']"):
        if button.is_displayed():
            button.click()


def _page_shows(driver: Any, *texts: str) -> bool:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    _dismiss_dialogs(driver)
    try:
        body = driver.find_element(By.TAG_NAME, "body").text
    except WebDriverException:
        return False
    return all(text in body for text in texts)


def _location(server: Server) -> str:
    data = server.graphql("{ workspaceOrError { ... on Workspace { locationEntries { name } } } }")
    [entry] = data["workspaceOrError"]["locationEntries"]
    return entry["name"]


def _runs(server: Server) -> list[dict[str, str]]:
    data = server.graphql("{ runsOrError { ... on Runs { results { runId status } } } }")
    return data["runsOrError"]["results"]


def _links_to(driver: Any, *asset_paths: str) -> bool:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    _dismiss_dialogs(driver)
    try:
        hrefs = [a.get_attribute("href") or "" for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")]
    except WebDriverException:
        return False
    return all(any(f"/assets/{path}" in href for href in hrefs) for path in asset_paths)


def _run_errors(server: Server, run_id: str) -> str:
    """The error messages of a run's events, for the failure message of a test."""
    data = server.graphql(
        "query($id: ID!) { logsForRun(runId: $id) { ... on EventConnection { events { __typename "
        "... on ErrorEvent { error { message cause { message } } } } } } }",
        {"id": run_id},
    )
    messages = []
    for event in data["logsForRun"].get("events", []):
        error = event.get("error")
        if error:
            messages.append(error["message"] + ((error.get("cause") or {}).get("message") or ""))
    return "\n".join(messages)[-4000:]


def test_the_asset_graph_lists_the_assets(server: Server, browser: Any, screenshots: Path) -> None:
    location = _location(server)
    # the graph of a group, as reached from the Lineage page; the graph draws only the nodes in view, so
    # each check names an asset that the default layout shows
    browser.get(f"{server.url}/locations/{location}/asset-groups/ingest")
    _until(lambda: _page_shows(browser, "documents", "facts"), UI_DEADLINE, "the ingest assets in the graph")
    browser.get(f"{server.url}/locations/{location}/asset-groups/marts")
    _until(lambda: _page_shows(browser, "published_warehouse"), UI_DEADLINE, "the marts graph")
    browser.save_screenshot(str(screenshots / "marts_graph.png"))
    # the group has more marts than one screen of graph shows: its List tab names them all
    browser.get(f"{server.url}/locations/{location}/asset-groups/marts/list")
    _until(
        lambda: _page_shows(browser, "fct_metric_facts", "targets_vs_actuals"), UI_DEADLINE, "the marts list"
    )
    # the Catalog lists every asset
    browser.get(f"{server.url}/assets")
    expected = ("raw/documents", "raw/facts", "fct_metric_facts", "targets_vs_actuals", "published_warehouse")
    _until(lambda: _links_to(browser, *expected), UI_DEADLINE, "every asset in the Catalog")


# Draws one text on a canvas in the page's font: its advance width, and the pixels as a data URL.
_DRAW_JS = """
const family = getComputedStyle(document.body).fontFamily;
function draw(text) {
    const canvas = document.createElement('canvas');
    canvas.width = 80;
    canvas.height = 40;
    const context = canvas.getContext('2d');
    context.font = '32px ' + family;
    context.fillText(text, 2, 34);
    return [context.measureText(text).width, canvas.toDataURL()];
}
return arguments[0].map(draw);
"""


def test_chinese_text_is_drawn_with_glyphs(server: Server, browser: Any, screenshots: Path) -> None:
    """A column description of dim_documents holds Chinese; without a CJK font Chromium draws every
    character as the same narrow box (measured: 0.37 em wide, identical pixels for 街 and 道)."""
    browser.get(f"{server.url}/assets/dim_documents")
    _until(lambda: _page_shows(browser, "district_level", "街道, 镇, 乡"), UI_DEADLINE, "Chinese on the page")
    browser.save_screenshot(str(screenshots / "dim_documents_columns.png"))
    (width_street, street), (width_road, road) = browser.execute_script(_DRAW_JS, ["街", "道"])
    assert street != road, "街 and 道 are drawn alike: boxes, no CJK font (scripts/install_chromium.sh)"
    assert min(width_street, width_road) >= 0.9 * 32, "a CJK glyph is about one em (32 px) wide"


def test_materialize_all_from_the_lineage_page(server: Server, browser: Any, screenshots: Path) -> None:
    from selenium.common.exceptions import ElementClickInterceptedException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    assert not _runs(server)
    browser.get(f"{server.url}/asset-groups")
    _until(
        lambda: _page_shows(browser, "Global asset lineage", "ingest", "marts"), UI_DEADLINE, "the lineage"
    )

    def click_materialize_all() -> bool:
        # the welcome dialog can open late and cover the button: dismiss it and click again
        _dismiss_dialogs(browser)
        button = WebDriverWait(browser, UI_DEADLINE).until(
            expected_conditions.element_to_be_clickable(
                (By.XPATH, "//button[normalize-space()='Materialize all']")
            )
        )
        try:
            button.click()
        except ElementClickInterceptedException:
            return False
        return True

    _until(click_materialize_all, UI_DEADLINE, "a click on Materialize all")

    [run] = _until(lambda: _runs(server), UI_DEADLINE, "the run launched by Materialize all")

    def finished() -> str | None:
        status = next(r["status"] for r in _runs(server) if r["runId"] == run["runId"])
        return status if status in ("SUCCESS", "FAILURE", "CANCELED") else None

    status = _until(finished, RUN_DEADLINE, f"run {run['runId']} to finish", interval=5)
    assert status == "SUCCESS", _run_errors(server, run["runId"]) or server.log_tail()

    # what the person sees: the run page says so, and the graph shows the marts materialized
    browser.get(f"{server.url}/runs/{run['runId']}")
    _until(lambda: _page_shows(browser, "Success"), UI_DEADLINE, "the run page to show Success")
    browser.save_screenshot(str(screenshots / "run.png"))
    location = _location(server)
    browser.get(f"{server.url}/locations/{location}/asset-groups/marts/list")
    _until(
        lambda: _page_shows(browser, "fct_metric_facts", "Materialized"), UI_DEADLINE, "materialized marts"
    )
    browser.save_screenshot(str(screenshots / "marts_materialized.png"))
    assert (screenshots / "run.png").stat().st_size > 0

    # and the run did what `jiedao build` does: the published warehouse is there, with the marts
    import duckdb

    with duckdb.connect(str(server.db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM main.dim_documents").fetchone()[0] == 5


# What the launchpad sends for "Materialize all" (dagster-ui's LaunchAssetExecutionButton): the implicit
# asset job with every asset and check selected, and the run config typed in the launchpad.
_LAUNCH = """
mutation($params: ExecutionParams!) {
  launchPipelineExecution(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""
_EVENTS = """
query($id: ID!, $cursor: String) {
  logsForRun(runId: $id, afterCursor: $cursor) {
    ... on EventConnection {
      cursor hasMore
      events {
        __typename
        ... on MessageEvent { message stepKey }
        ... on ObservationEvent {
          assetKey { path }
          metadataEntries { label ... on TextMetadataEntry { text } }
        }
        ... on MaterializationEvent { assetKey { path } }
        ... on AssetCheckEvaluationPlannedEvent { checkAsset: assetKey { path } checkName }
        ... on AssetCheckEvaluationEvent {
          evaluation {
            checkName success description assetKey { path }
            metadataEntries { label ... on BoolMetadataEntry { boolValue } }
          }
        }
      }
    }
  }
}
"""
FORCE_CONFIG = {"ops": {"jiedao_dbt_assets": {"config": {"force": True}}}}


def _launch_materialize_all(server: Server, run_config: dict[str, Any]) -> str:
    location = _location(server)
    data = server.graphql(
        "{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } }"
    )
    nodes = data["assetNodes"]
    params = {
        "mode": "default",
        "runConfigData": run_config,
        "executionMetadata": {"tags": []},
        "selector": {
            "repositoryLocationName": location,
            "repositoryName": "__repository__",
            "pipelineName": "__ASSET_JOB",
            "assetSelection": [{"path": node["assetKey"]["path"]} for node in nodes],
            "assetCheckSelection": [
                {"assetKey": {"path": node["assetKey"]["path"]}, "name": check["name"]}
                for node in nodes
                for check in (node["assetChecksOrError"].get("checks") or [])
            ],
        },
    }
    launched = server.graphql(_LAUNCH, {"params": params})["launchPipelineExecution"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    return launched["run"]["runId"]


def _wait_for_success(server: Server, run_id: str) -> None:
    def finished() -> str | None:
        status = next((r["status"] for r in _runs(server) if r["runId"] == run_id), None)
        return status if status in ("SUCCESS", "FAILURE", "CANCELED") else None

    status = _until(finished, RUN_DEADLINE, f"run {run_id} to finish", interval=3)
    assert status == "SUCCESS", _run_errors(server, run_id) or server.log_tail()


def _events(server: Server, run_id: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = server.graphql(_EVENTS, {"id": run_id, "cursor": cursor})["logsForRun"]
        events += page["events"]
        cursor = page["cursor"]
        if not page["hasMore"]:
            return events


def _materialized(events: list[dict[str, Any]]) -> set[str]:
    return {"/".join(e["assetKey"]["path"]) for e in events if e["__typename"] == "MaterializationEvent"}


@pytest.fixture(scope="module")
def built(server: Server) -> None:
    """A successful build exists (the browser test makes one; without a browser, the launchpad does)."""
    if not any(run["status"] == "SUCCESS" for run in _runs(server)):
        _wait_for_success(server, _launch_materialize_all(server, {}))


def test_a_run_on_unchanged_inputs_says_why_it_skipped(server: Server, built: None) -> None:
    run_id = _launch_materialize_all(server, {})
    _wait_for_success(server, run_id)
    events = _events(server, run_id)

    # dbt and publishing did not run, and the marts' pages say why, with the digest of the inputs
    assert not _materialized(events) & {"fct_metric_facts", "published_warehouse"}
    observed = {
        "/".join(e["assetKey"]["path"]): {m["label"]: m.get("text") for m in e["metadataEntries"]}
        for e in events
        if e["__typename"] == "ObservationEvent"
    }
    for asset in ("fct_metric_facts", "district_year_metrics", "published_warehouse"):
        why = observed[asset]["dbt_build_skipped"]
        assert why.startswith("inputs unchanged since run "), why
        assert observed[asset]["inputs_digest"][:12] in why

    # every planned check has a result: the last one, marked as not re-evaluated (none left grey)
    planned = {
        ("/".join(e["checkAsset"]["path"]), e["checkName"])
        for e in events
        if e["__typename"] == "AssetCheckEvaluationPlannedEvent"
    }
    evaluations = [e["evaluation"] for e in events if e["__typename"] == "AssetCheckEvaluationEvent"]
    evaluated = {("/".join(e["assetKey"]["path"]), e["checkName"]) for e in evaluations}
    assert planned and planned == evaluated, planned - evaluated
    carried = [e for e in evaluations if e["description"] and e["description"].startswith("not re-evaluated")]
    assert len(carried) > 50 and all(e["success"] for e in carried)
    assert all({"label": "re_evaluated", "boolValue": False} in e["metadataEntries"] for e in carried)

    # no wall of "did not yield" lines
    messages = [e.get("message") or "" for e in events]
    assert not [m for m in messages if "did not yield" in m or "emitted no result" in m]
    assert any("dbt build and publishing skipped: inputs unchanged" in m for m in messages)
    assert "emitted no result" not in server.log_tail()


def test_the_launchpad_forces_a_rebuild(server: Server, built: None) -> None:
    published_inode = server.db.stat().st_ino
    run_id = _launch_materialize_all(server, FORCE_CONFIG)
    _wait_for_success(server, run_id)
    events = _events(server, run_id)
    assert {"fct_metric_facts", "district_year_metrics", "published_warehouse"} <= _materialized(events)
    evaluations = [e["evaluation"] for e in events if e["__typename"] == "AssetCheckEvaluationEvent"]
    assert evaluations and not [e for e in evaluations if (e["description"] or "").startswith("not re-")]
    assert server.db.stat().st_ino != published_inode, "a forced run publishes a new file"


def _port_free(port: int) -> bool:
    """Nothing listens on the port (a bind could still wait for the closed connections' TIME_WAIT, which a
    server's SO_REUSEADDR ignores)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True


def test_sigterm_to_jiedao_ui_stops_everything_it_started(server: Server) -> None:
    """Last in this module: it stops the shared server (the fixture's teardown then finds nothing)."""
    from orchestration.supervise import alive, descendants

    started = descendants(server.process.pid)
    assert len(started) >= 3, "dagster dev, its webserver, daemon and code server"
    server.process.send_signal(signal.SIGTERM)  # the jiedao pid only, as `kill PID` does
    assert server.process.wait(timeout=60) == 0
    assert not alive(started, deadline=10), "processes of jiedao ui outlived it"
    port = int(server.url.rsplit(":", 1)[1])
    assert _until(lambda: _port_free(port), 10, f"port {port} to be free")
