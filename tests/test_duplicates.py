"""One report, counted once: the same report in another encoding or format is a duplicate of it, decided on
the normalized text; near-duplicates (another header or footer) are reported. Real parses, a real DuckDB
file, and real builds (Dagster run + dbt build) for the marts."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import duckdb
import opencc
import pytest

from ingest.document import parse_bytes
from ingest.duplicates import Candidate, decide, similarity
from orchestration.refresh import refresh_raw_tables
from orchestration.summary import summarize
from tests.conftest import SEEDS_DIR, run_jiedao

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


def html_page(text: str) -> str:
    """The report as a bare web page: one <p> per paragraph."""
    paragraphs = "".join(
        f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip()
    )
    return f"<html><body>\n{paragraphs}</body></html>\n"


def republished(text: str) -> str:
    """The same report reposted by another site: its own header line and footer, the body unchanged."""
    return (
        f"转载：区融媒体中心 2024年3月1日\n{text}\n（来源：区融媒体中心 责任编辑：王五 电话：0572-5551234）\n"
    )


# --- the decision, on parsed texts ---------------------------------------------------------------------


def test_forms_of_one_report_have_one_fingerprint_and_other_reports_another():
    text = SEEDS[0].read_text(encoding="utf-8")
    forms = {
        "utf-8": text.encode("utf-8"),
        "gb18030": text.encode("gb18030"),
        "html": html_page(text).encode("utf-8"),
        # whitespace, full-width digits and punctuation, traditional characters: one text to the rules
        "spaced": text.replace("，", " , ").replace("\n", "\n\n  ").encode("utf-8"),
        "full-width": text.translate(str.maketrans("0123456789%", "０１２３４５６７８９％")).encode("utf-8"),
        "traditional": opencc.OpenCC("s2t").convert(text).encode("utf-8"),
    }
    parsed = {
        form: parse_bytes(data, f"x.{'html' if form == 'html' else 'txt'}") for form, data in forms.items()
    }
    assert all(doc.status == "parsed" for doc in parsed.values())
    fingerprints = {form: doc.text_fingerprint for form, doc in parsed.items()}
    assert len(set(fingerprints.values())) == 1, fingerprints
    others = {parse_bytes(path.read_bytes(), path.name).text_fingerprint for path in SEEDS[1:]}
    assert fingerprints["utf-8"] not in others and len(others) == len(SEEDS) - 1


def test_a_republished_report_is_a_near_duplicate_and_other_reports_are_not():
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    original = parse_bytes(texts[2].encode(), "a.txt")
    reposted = parse_bytes(republished(texts[2]).encode(), "b.txt")
    assert original.text_fingerprint != reposted.text_fingerprint
    assert similarity(original.text_signature, reposted.text_signature) >= 0.8
    signatures = [parse_bytes(text.encode(), "x.txt").text_signature for text in texts]
    for i, left in enumerate(signatures):
        for right in signatures[i + 1 :]:
            assert similarity(left, right) < 0.2


def test_the_document_is_the_best_format_then_the_first_path_whatever_the_order():
    def candidate(name: str, encoding: str, fingerprint: str = "same") -> Candidate:
        return Candidate(name, name, encoding, fingerprint, [])

    group = [candidate("z.html", "html"), candidate("b.txt", "gb18030"), candidate("c.txt", "utf-8")]
    group += [candidate("a.pdf", "pdf"), candidate("d.txt", "utf-8", "other")]
    for order in (group, group[::-1], group[2:] + group[:2]):
        verdicts = decide(order)
        kept = {name: v.duplicate_of.document_id if v.duplicate_of else None for name, v in verdicts.items()}
        assert kept == {"c.txt": None, "b.txt": "c.txt", "z.html": "c.txt", "a.pdf": "c.txt", "d.txt": None}


# --- the raw tables: marks follow the folder, whatever came first --------------------------------------


def _marks(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    rows = con.execute(
        "SELECT d.source_file, d.status, k.source_file, n.source_file, d.near_duplicate_similarity"
        " FROM raw.documents d LEFT JOIN raw.documents k ON d.duplicate_of = k.document_id"
        " LEFT JOIN raw.documents n ON d.near_duplicate_of = n.document_id"
    ).fetchall()
    return {
        name: (status, kept, near, None if sim is None else sim >= 0.8)
        for name, status, kept, near, sim in rows
    }


def test_copies_are_demoted_and_promoted_as_their_original_comes_and_goes(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    text = SEEDS[0].read_text(encoding="utf-8")
    (folder / "b_copy.html").write_text(html_page(text), encoding="utf-8")
    (folder / "d_reposted.txt").write_text(
        republished(SEEDS[1].read_text(encoding="utf-8")), encoding="utf-8"
    )
    shutil.copy(SEEDS[1], folder / "c_original.txt")
    con = duckdb.connect(str(tmp_path / "work.duckdb"))

    first = refresh_raw_tables(con, folder)  # the copy alone: it is the document
    assert _marks(con)["b_copy.html"] == ("parsed", None, None, None)
    # the reposted report counts, and says which report it mostly repeats
    assert _marks(con)["d_reposted.txt"] == ("parsed", None, "c_original.txt", True)
    assert first.duplicates.near_duplicates == 1
    con.close()  # the summary reads the file as the CLI does, read-only
    summary = summarize(tmp_path / "work.duckdb", None, None)
    assert "documents: 3 parsed, 0 quarantined; 1 near-duplicates, counted" in summary
    con = duckdb.connect(str(tmp_path / "work.duckdb"))

    (folder / "a_original.txt").write_text(text, encoding="utf-8")
    (folder / "e_same_bytes.txt").write_text(text, encoding="utf-8")
    second = refresh_raw_tables(con, folder)  # the original comes: the copy steps back, facts kept
    marks = _marks(con)
    assert marks["a_original.txt"] == ("parsed", None, None, None)
    assert marks["b_copy.html"] == ("duplicate", "a_original.txt", None, None)
    assert marks["e_same_bytes.txt"] == ("duplicate", "a_original.txt", None, None)
    assert sorted(second.duplicates.demoted) == [
        ("b_copy.html", "a_original.txt"),
        ("e_same_bytes.txt", "a_original.txt"),
    ]
    reasons = dict(con.execute("SELECT source_file, reason FROM raw.documents").fetchall())
    assert reasons["b_copy.html"] == "duplicate of a_original.txt (the same text)"
    assert reasons["e_same_bytes.txt"] == "duplicate of a_original.txt (the same bytes)"
    copy_facts = con.execute("SELECT count(*) FROM raw.facts WHERE source_file = 'b_copy.html'").fetchone()
    assert copy_facts[0] > 0  # kept in raw, for the day the copy counts again

    again = refresh_raw_tables(con, folder)  # idempotent: nothing parsed, nothing re-marked
    assert again.parsed == 0 and again.duplicates.demoted == again.duplicates.promoted == []
    assert _marks(con) == marks

    (folder / "a_original.txt").unlink()
    third = refresh_raw_tables(con, folder)  # the original goes: the best copy left is the document
    assert third.parsed == 0 and third.duplicates.promoted == ["e_same_bytes.txt"]
    assert _marks(con)["e_same_bytes.txt"] == ("parsed", None, None, None)
    assert _marks(con)["b_copy.html"] == ("duplicate", "e_same_bytes.txt", None, None)
    con.close()


# --- a real build: the marts count each report once -----------------------------------------------------


def _facts(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT fact_id, source_file, kind, year, measure, value, char_start FROM main.fct_metric_facts"
            " ORDER BY fact_id"
        ).fetchall()


def _metrics(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM main.district_year_metrics ORDER BY ALL").fetchall()


@pytest.mark.slow
def test_the_seeds_with_copies_give_the_marts_of_the_seeds_alone(seeds_warehouse, tmp_path):
    seeds_db, _ = seeds_warehouse
    folder = tmp_path / "inbox"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    (folder / "copy_gb18030.txt").write_bytes(SEEDS[0].read_text(encoding="utf-8").encode("gb18030"))
    (folder / "copy.html").write_text(html_page(SEEDS[1].read_text(encoding="utf-8")), encoding="utf-8")
    db = tmp_path / "wh.duckdb"
    env = {"DAGSTER_HOME": str(tmp_path / "dagster")}

    built = run_jiedao("build", "--reports-dir", str(folder), "--db", str(db), env=env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert _facts(db) == _facts(seeds_db)
    assert _metrics(db) == _metrics(seeds_db)  # n_reports included: a copy is no second report
    with duckdb.connect(str(db), read_only=True) as con:
        documents = con.execute(
            "SELECT d.source_file, d.status, k.source_file, d.n_facts_loaded FROM main.dim_documents d"
            " LEFT JOIN main.dim_documents k ON d.duplicate_of = k.document_id WHERE d.status <> 'parsed'"
            " ORDER BY 1"
        ).fetchall()
        (max_reports,) = con.execute("SELECT max(n_reports) FROM main.district_year_metrics").fetchone()
    assert documents == [
        ("copy.html", "duplicate", SEEDS[1].name, 0),
        ("copy_gb18030.txt", "duplicate", SEEDS[0].name, 0),
    ]
    assert max_reports == 1
    assert "documents: 5 parsed, 0 quarantined, 2 duplicates" in built.stdout
    assert f"  duplicate copy.html: duplicate of {SEEDS[1].name} (the same text)" in built.stdout
    assert "2 file(s) found to repeat another" in built.stdout

    # The original goes: its copy is the document, with the same facts under its own name.
    (folder / SEEDS[1].name).unlink()
    promoted = run_jiedao("build", "--reports-dir", str(folder), "--db", str(db), env=env)
    assert promoted.returncode == 0, promoted.stdout[-3000:] + promoted.stderr[-3000:]
    assert "former duplicate(s) counted again (their original went): copy.html" in promoted.stdout
    by_file = {}
    for _, source_file, *fact in _facts(db):
        by_file.setdefault(source_file, []).append(tuple(fact))
    seeds_by_file = {}
    for _, source_file, *fact in _facts(seeds_db):
        seeds_by_file.setdefault(source_file, []).append(tuple(fact))
    assert "copy_gb18030.txt" not in by_file
    assert sorted(
        (kind, year, measure, value) for kind, year, measure, value, _ in by_file["copy.html"]
    ) == sorted(
        (kind, year, measure, value) for kind, year, measure, value, _ in seeds_by_file[SEEDS[1].name]
    )

    # It comes back: the warehouse is the first build's again, fact for fact.
    shutil.copy(SEEDS[1], folder / SEEDS[1].name)
    restored = run_jiedao("build", "--reports-dir", str(folder), "--db", str(db), env=env)
    assert restored.returncode == 0, restored.stdout[-3000:] + restored.stderr[-3000:]
    assert _facts(db) == _facts(seeds_db)
    assert _metrics(db) == _metrics(seeds_db)
