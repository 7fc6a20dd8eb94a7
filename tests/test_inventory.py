"""The reports folder as the pipeline sees it: hashing, links, and what changed (duplicates are decided
after parsing: tests/test_duplicates.py)."""

from __future__ import annotations

from pathlib import Path

from ingest.inventory import KnownDocument, diff_inbox, scan_folder


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _known(files) -> dict[str, KnownDocument]:
    return {f.source_file: KnownDocument(f.document_id, "v1") for f in files}


def test_scan_lists_every_copy_and_skips_hidden_files(tmp_path):
    _write(tmp_path, "a.txt", "全年完成财政收入12.8亿元")
    _write(tmp_path, "b.txt", "全年完成财政收入12.8亿元")
    _write(tmp_path, ".a.txt.swp", "swap")
    _write(tmp_path, "sub/c.txt", "新建垃圾分类驿站30座")
    files = scan_folder(tmp_path)
    assert [f.source_file for f in files] == ["a.txt", "b.txt", "sub/c.txt"]
    assert files[0].content_sha256 == files[1].content_sha256  # both listed: the copy is decided later


def test_symlink_out_of_the_folder_is_not_followed(tmp_path):
    outside = _write(tmp_path / "outside", "secret.txt", "不该读到")
    inbox = tmp_path / "inbox"
    _write(inbox, "a.txt", "一")
    (inbox / "link.txt").symlink_to(outside)
    (inbox / "inner.txt").symlink_to(inbox / "a.txt")
    assert [f.source_file for f in scan_folder(inbox)] == ["a.txt", "inner.txt"]


def test_diff_finds_new_changed_unchanged_removed(tmp_path):
    _write(tmp_path, "keep.txt", "一")
    _write(tmp_path, "edit.txt", "二")
    _write(tmp_path, "gone.txt", "三")
    known = _known(scan_folder(tmp_path))
    (tmp_path / "gone.txt").unlink()
    _write(tmp_path, "edit.txt", "二改")
    _write(tmp_path, "new.txt", "四")
    diff = diff_inbox(scan_folder(tmp_path), known, "v1")
    assert [f.source_file for f in diff.new] == ["new.txt"]
    assert [f.source_file for f in diff.changed] == ["edit.txt"]
    assert [f.source_file for f in diff.unchanged] == ["keep.txt"]
    assert diff.removed == ["gone.txt"]
    assert set(diff.delete_ids) == {known["gone.txt"].document_id, known["edit.txt"].document_id}


def test_a_new_parser_version_reparses_everything(tmp_path):
    _write(tmp_path, "a.txt", "一")
    files = scan_folder(tmp_path)
    assert diff_inbox(files, _known(files), "v1").to_parse == []
    assert [f.source_file for f in diff_inbox(files, _known(files), "v2").to_parse] == ["a.txt"]
