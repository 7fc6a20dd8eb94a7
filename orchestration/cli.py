"""The `jiedao` command: build the warehouse, extract facts from files, score the extractor, open the UI.

Heavy imports (Dagster, dbt) happen inside the commands that need them, so `jiedao extract` stays quick.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from orchestration import settings
from orchestration.progress import is_terminal


def _use_folders(args: argparse.Namespace) -> Path | None:
    """Point settings at --reports-dir / --db; the reports folder, or None (with a message) if it is missing
    or the --db name leaves no room for the folders named after it."""
    if args.reports_dir:
        os.environ["JIEDAO_REPORTS_DIR"] = str(Path(args.reports_dir).resolve())
    if args.db:
        os.environ["JIEDAO_DB"] = str(Path(args.db).resolve())
    os.environ["JIEDAO_DB"] = str(settings.db_path())
    reports_dir = settings.reports_dir()
    if not reports_dir.is_dir():
        print(f"error: reports folder {reports_dir} does not exist", file=sys.stderr)
        return None
    try:
        settings.work_dir(), settings.parquet_dir()
    except settings.WarehousePathError as exc:
        print(f"error: --db {exc}", file=sys.stderr)
        return None
    settings.db_path().parent.mkdir(parents=True, exist_ok=True)
    # Set either way, so that --verbose wins over a value inherited from the caller's environment.
    os.environ[settings.QUIET_DBT_ENV] = "0" if args.verbose else "1"
    os.environ[settings.PROGRESS_ON_TERMINAL_ENV] = "1" if is_terminal(sys.stderr) else "0"
    return reports_dir


def _cmd_build(args: argparse.Namespace) -> int:
    reports_dir = _use_folders(args)
    if reports_dir is None:
        return 2
    from orchestration.build import build_failed, log_failure, run_build

    try:
        return run_build(reports_dir, settings.db_path(), force=args.force)
    except Exception as exc:  # no traceback on the console: one line, the traceback in the build log
        log_failure("jiedao build raised", exc)
        return build_failed(settings.db_path(), f"{type(exc).__name__}: {exc}")


def _cmd_watch(args: argparse.Namespace) -> int:
    if args.interval <= 0:
        print("error: --interval must be a positive number of seconds", file=sys.stderr)
        return 2
    reports_dir = _use_folders(args)
    if reports_dir is None:
        return 2
    from orchestration.watch import watch

    try:
        return watch(reports_dir, settings.db_path(), args.interval, args.max_builds)
    except KeyboardInterrupt:
        return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from ingest.document import parse_path
    from orchestration.summary import printable

    status = 0
    for name in args.files:
        # A link the user names is followed here (the pipeline never follows one it did not check).
        parsed = parse_path(Path(name).resolve())
        if parsed.status != "parsed":
            print(printable(f"{name}: quarantined: {parsed.reason}"), file=sys.stderr)
            status = 1
            continue
        name = printable(name)
        for fact in parsed.facts:
            if args.jsonl:
                print(json.dumps({"source_file": name, **asdict(fact)}, ensure_ascii=False))
            else:
                period = "" if fact.period == "year" else f" [{fact.period}]"
                print(
                    f"{name}\t{fact.kind}\t{fact.year}{period}\t{fact.metric_raw}\t{fact.measure}\t"
                    f"{fact.comparator}{fact.value:g}{fact.unit_raw}\t@{fact.char_start}-{fact.char_end}"
                )
    return status


def _cmd_eval(args: argparse.Namespace) -> int:
    from ingest.evaluate import GoldError, format_report, run_eval, to_json

    try:
        report = run_eval(args.gold, args.reports)
    except GoldError as exc:  # no gold is an error, never a perfect score
        print(f"jiedao eval: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(to_json(report), ensure_ascii=False))
    else:
        print(format_report(report, show_errors=not args.summary_only))
    if report.missing:  # figures over reports that are not there mean nothing
        print(f"jiedao eval: {len(report.missing)} report(s) the gold names not found", file=sys.stderr)
        return 1
    return 0


def _cmd_ui(args: argparse.Namespace) -> int:
    from orchestration.supervise import run_supervised

    settings.ensure_dagster_home()
    env = {**os.environ, "JIEDAO_DB": str(settings.db_path())}
    command = [
        str(Path(sys.executable).with_name("dagster")),
        "dev",
        "-m",
        "orchestration.definitions",
        "--host",
        args.host,
        "--port",
        str(args.port),
    ]
    # its own process group, stopped whole on SIGTERM or SIGINT (Ctrl-C)
    return run_supervised(command, cwd=settings.REPO_ROOT, env=env)


_VERBOSE_HELP = "also print dbt's node log (always written to <stem>.build/dbt.log beside the --db file)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jiedao", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="materialize every asset through Dagster and print a summary")
    build.add_argument("--reports-dir", help=f"report files (default {settings.DEFAULT_REPORTS_DIR})")
    build.add_argument("--db", help=f"DuckDB warehouse file (default {settings.DEFAULT_DB_PATH})")
    build.add_argument(
        "--force", action="store_true", help="run dbt and publish even if nothing changed since the last run"
    )
    build.add_argument("--verbose", action="store_true", help=_VERBOSE_HELP)
    build.set_defaults(func=_cmd_build)

    watch = commands.add_parser(
        "watch", help="stay up and rebuild whenever the reports folder changes (fast refreshes)"
    )
    watch.add_argument("--reports-dir", help=f"report files (default {settings.DEFAULT_REPORTS_DIR})")
    watch.add_argument("--db", help=f"DuckDB warehouse file (default {settings.DEFAULT_DB_PATH})")
    watch.add_argument("--interval", type=float, default=2.0, help="seconds between looks (default 2)")
    watch.add_argument(
        "--max-builds", type=int, help="stop after this many builds (default: run until Ctrl-C)"
    )
    watch.add_argument("--verbose", action="store_true", help=_VERBOSE_HELP)
    watch.set_defaults(func=_cmd_watch)

    extract = commands.add_parser("extract", help="print the facts of report files (no warehouse)")
    extract.add_argument("files", nargs="+")
    extract.add_argument("--jsonl", action="store_true", help="one JSON object per fact")
    extract.set_defaults(func=_cmd_extract)

    evaluate = commands.add_parser(
        "eval", help="score the extractor against gold annotations (strict and lenient, see README)"
    )
    evaluate.add_argument(
        "--gold",
        required=True,
        action="append",
        type=Path,
        help="folder of gold CSVs (shared/gold/GUIDELINE.md); repeat to score several together",
    )
    evaluate.add_argument(
        "--reports",
        required=True,
        action="append",
        type=Path,
        help="folder where the reports the gold names are looked up; repeat for several (first match wins)",
    )
    evaluate.add_argument("--summary-only", action="store_true", help="figures only, no error listing")
    evaluate.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    evaluate.set_defaults(func=_cmd_eval)

    ui = commands.add_parser("ui", help="start the Dagster UI (dagster dev)")
    ui.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine)")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=_cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
