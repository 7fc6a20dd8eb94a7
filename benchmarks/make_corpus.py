"""Scale the real reports up to N files by realistic variation, for the benchmarks of issue 7.

Each generated report is one real report (a seed from `seeds/` or an excerpt from `shared/corpus/`) with:
- the reporting unit renamed: a new stem built from place-name syllables, same suffix (街道/镇/乡/县...),
  used consistently for every spelling of the unit in the document;
- every year shifted by the same k (dates and ranges move together, so "2022年回顾, 2023年计划" stays
  one year apart), k chosen so that the years stay between 1980 and 2026;
- every other numeric value perturbed by a few percent, keeping its format: the same number of decimals,
  thousands separators, and whatever follows it (余/多/%/万元); Chinese numerals are left as they are.
Some files are saved in GB18030, as scraped reports often are, so decoding is part of the cost.

The output is deterministic for a given `--seed`: same seed, same bytes. A manifest of what was varied goes
to `.manifest.jsonl` in the output folder (hidden files are not reports for the inbox scanner).

    python -m benchmarks.make_corpus --n 1000 --out /tmp/corpus_1k --seed 7
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"  # shared/ sits beside the repo, also in CI
MANIFEST = ".manifest.jsonl"

# The seeds carry no index; their reporting units, read from the texts by hand.
SEED_UNITS = {"000": "昌硕街道", "001": "陶堰街道", "002": "月湖街道", "003": "西城街道", "004": "前江街道"}

# Longest first, so that 街道 wins over 街 and 开发区 over 区.
SUFFIXES = ("开发区", "街道", "新区", "镇", "鎮", "乡", "鄉", "街", "县", "縣", "区", "區", "市")
TOWN_LEVEL = frozenset({"街道", "镇", "鎮", "乡", "鄉", "街"})
COUNTY_CHARS = "县縣区區市"

# Characters common in Chinese place names; two or three of them make a plausible stem (东桥, 安溪, 白鹤...).
SYLLABLES = (
    "东西南北新城桥河湖山溪塘安平和兴华阳江港石林松柳桃梅凤龙金玉青白长永丰宁泰福庆清云海沙汇浦马高田"
    "花仁义文德康乐昌盛荣顺嘉禾光明泉水岭坪岗湾洲"
)

_DATE = r"(?P<y>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?:(?P=sep)(?P<d>[0-9]{1,2}))?(?![0-9])"
_NUMBER = r"(?P<num>[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
_TOKEN = re.compile(rf"(?<![0-9])(?:(?P<date>{_DATE})|{_NUMBER})")
_RANGE = re.compile(r"\s*[-—–~～至到]\s*")
_YEAR_AFTER = re.compile(r"\s*(?:年|届)|\s*[-—–~～至到]\s*(?:19|20)[0-9]{2}(?![0-9])")
_NO_PERTURB_AFTER = re.compile(r"\s*(?:[-/:]\s*[0-9]|月|日|号|时|点)")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Template:
    name: str  # seed000, corpus003
    text: str
    stems: tuple[str, ...]  # spellings of the reporting unit's stem found in the text (鳳凰 and 凤凰)
    suffix: str  # 街道, 镇, 县...


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    kind: str  # year, date, number, keep
    match: re.Match[str]


def split_unit(name: str) -> tuple[str, str] | None:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)], suffix
    return None


def unit_stems(raw: str) -> tuple[list[str], str] | None:
    """Stems and suffix from an index entry such as `鳳凰街(凤凰街)` or `亭旁镇(正文作“亭旁”)`."""
    main, _, note = raw.replace("（", "(").partition("(")
    split = split_unit(main.strip())
    if split is None:
        return None
    stems, suffix = [split[0]], split[1]
    note = note.rstrip(")）")
    alternatives = [note] if re.fullmatch(r"[\u4e00-\u9fff]+", note) else re.findall(r"“([^”]+)”", note)
    for alt in alternatives:
        if alt[0] in "我本全该":  # "正文作“我鎮”": a pronoun, not a name
            continue
        alt_split = split_unit(alt)
        stem = alt_split[0] if alt_split else alt
        if len(stem) >= 2 and stem not in stems:
            stems.append(stem)
    return stems, suffix


def _template(name: str, text: str, unit: str | None) -> Template:
    parsed = unit_stems(unit) if unit else None
    if parsed is None:
        return Template(name, text, (), "")
    stems, suffix = parsed
    return Template(name, text, tuple(s for s in stems if s in text), suffix)


def load_templates(seeds_dir: Path = SEEDS_DIR, corpus_dir: Path = CORPUS_DIR) -> list[Template]:
    templates = [
        _template(f"seed{path.name[:3]}", path.read_text(encoding="utf-8"), SEED_UNITS.get(path.name[:3]))
        for path in sorted(seeds_dir.glob("*.txt"))
    ]
    index = corpus_dir / "index.jsonl"
    if index.exists():
        for line in index.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line, strict=False)  # some entries hold raw control characters
            path = corpus_dir / entry["file"]
            if path.exists():
                text = path.read_text(encoding="utf-8")
                templates.append(_template(f"corpus{path.stem}", text, entry.get("unit")))
    return templates


def _is_year(value: str) -> bool:
    return len(value) == 4 and value.isdigit() and 1949 <= int(value) <= 2049


def scan_numbers(text: str) -> Iterator[Token]:
    """Classify every run of ASCII digits: a year, a date, a value to perturb, or something to keep."""
    previous_year_end = -10
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        after = text[end : end + 12]
        before = text[max(0, start - 2) : start]
        if match.group("date"):
            month = int(match.group("m"))
            day = match.group("d")
            if 1 <= month <= 12 and (day is None or 1 <= int(day) <= 31):
                yield Token(start, end, "date", match)
                previous_year_end = start + 4
                continue
            yield Token(start, end, "keep", match)
            continue
        value = match.group("num")
        if _is_year(value):
            after_range = _RANGE.fullmatch(text[previous_year_end:start]) is not None
            if _YEAR_AFTER.match(after) or after_range:
                yield Token(start, end, "year", match)
                previous_year_end = end
                continue
            # a bare 4-digit number in the year range: a year without 年, or a count; leave it alone
            yield Token(start, end, "keep", match)
            continue
        kept = (
            before.endswith("第")
            or _ASCII_LETTER.match(after[:1] or " ")
            or _ASCII_LETTER.match(before[-1:] or " ")
            or _NO_PERTURB_AFTER.match(after)
            or re.search(r"[0-9][-/:]$", before)
            or (before[-1:] in ("", "\n") and after[:1] in ".、．)）")  # list markers at line start
            or (before[-1:] in "(（[【" and after[:1] in ")）]】")  # (3), [1] footnote markers
            or ("." not in value and "," not in value and (int(value) < 10 or value.startswith("0")))
        )
        yield Token(start, end, "keep" if kept else "number", match)


def perturb(value: str, rng: random.Random, spread: float) -> str:
    """`value` times a factor within ±spread, in the same format (decimals, thousands separators)."""
    plain = value.replace(",", "")
    decimals = len(plain.partition(".")[2])
    new = float(plain) * (1 + rng.uniform(-spread, spread))
    if decimals == 0:
        # round numbers stay round: 1200余 becomes 1100余 or 1300余, not 1187余
        zeros = len(plain) - len(plain.rstrip("0")) if plain != "0" else 0
        step = 10 ** min(zeros, len(plain) - 1)
        new = max(round(new / step) * step, step)
    template = f"{{:{',' if ',' in value else ''}.{decimals}f}}"
    return template.format(new)


def choose_year_shift(years: list[int], rng: random.Random) -> int:
    """A non-zero k that keeps every year of the document within 1980..2026 (0 if none does)."""
    if not years:
        return 0
    low, high = max(-8, 1980 - min(years)), min(4, 2026 - max(years))
    options = [k for k in range(low, high + 1) if k != 0]
    return rng.choice(options) if options else 0


def new_stem(length: int, avoid: tuple[str, ...], rng: random.Random) -> str:
    while True:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(min(max(length, 2), 3)))
        if stem not in avoid:
            return stem


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _shift_date(match: re.Match[str], k: int) -> str:
    year = int(match.group("y")) + k
    sep, month, day = match.group("sep"), match.group("m"), match.group("d")
    if day is None:
        return f"{year}{sep}{month}"
    if int(month) == 2 and int(day) == 29 and not _is_leap(year):
        day = "28"
    return f"{year}{sep}{month}{sep}{day}"


@dataclass(frozen=True, slots=True)
class Variant:
    text: str
    unit_from: str | None
    unit_to: str | None
    year_shift: int
    numbers_changed: int


def vary(template: Template, rng: random.Random, spread: float = 0.05) -> Variant:
    text = template.text
    tokens = list(scan_numbers(text))
    years = [int(t.match.group("y") or t.match.group("num")) for t in tokens if t.kind in ("year", "date")]
    k = choose_year_shift(years, rng)
    pieces: list[str] = []
    last = 0
    changed = 0
    for token in tokens:
        pieces.append(text[last : token.start])
        original = text[token.start : token.end]
        if token.kind == "year":
            replacement = str(int(original) + k)
        elif token.kind == "date":
            replacement = _shift_date(token.match, k)
        elif token.kind == "number":
            replacement = perturb(original, rng, spread)
        else:
            replacement = original
        changed += token.kind == "number" and replacement != original
        pieces.append(replacement)
        last = token.end
    pieces.append(text[last:])
    text = "".join(pieces)

    unit_from = unit_to = None
    if template.stems:
        stem = new_stem(len(template.stems[0]), template.stems, rng)
        names = "|".join(re.escape(s) for s in sorted(template.stems, key=len, reverse=True))
        # a town's stem is often its county's too (沂水镇 in 沂水县): leave the parent unit alone
        guard = f"(?![{COUNTY_CHARS}])" if template.suffix in TOWN_LEVEL else ""
        text = re.sub(f"(?:{names}){guard}", stem, text)
        unit_from, unit_to = template.stems[0] + template.suffix, stem + template.suffix
    return Variant(text, unit_from, unit_to, k, changed)


def generate(
    n: int,
    out: Path,
    seed: int = 7,
    *,
    seeds_share: float = 0.25,
    gb18030_share: float = 0.1,
    spread: float = 0.05,
    templates: list[Template] | None = None,
) -> list[dict[str, object]]:
    """Write `n` report files to `out` (which must hold no report yet); returns the manifest rows."""
    templates = templates if templates is not None else load_templates()
    seeds = [t for t in templates if t.name.startswith("seed")]
    excerpts = [t for t in templates if not t.name.startswith("seed")] or seeds
    if not seeds:
        seeds = excerpts
    if not excerpts:
        raise FileNotFoundError("no templates: seeds/ and shared/corpus/ are both empty")
    out.mkdir(parents=True, exist_ok=True)
    if any(p.is_file() and not p.name.startswith(".") for p in out.iterdir()):
        raise FileExistsError(f"{out} already holds files; pick an empty folder")
    seen: set[str] = set()
    manifest: list[dict[str, object]] = []
    for i in range(n):
        for attempt in range(20):
            # one RNG per file (and attempt): file i is the same whatever n is
            rng = random.Random(f"{seed}/{i}/{attempt}")
            template = rng.choice(seeds if rng.random() < seeds_share else excerpts)
            variant = vary(template, rng, spread)
            encoding = "gb18030" if rng.random() < gb18030_share else "utf-8"
            data = variant.text.encode(encoding)
            digest = hashlib.sha256(data).hexdigest()
            if digest not in seen:  # a byte-identical copy would be quarantined as a duplicate
                break
        else:
            data += f"\n{i}\n".encode(encoding)
            digest = hashlib.sha256(data).hexdigest()
        seen.add(digest)
        name = f"{i:06d}_{template.name}.txt"
        (out / name).write_bytes(data)
        manifest.append(
            {
                "file": name,
                "template": template.name,
                "encoding": encoding,
                "unit_from": variant.unit_from,
                "unit_to": variant.unit_to,
                "year_shift": variant.year_shift,
                "numbers_changed": variant.numbers_changed,
                "chars": len(variant.text),
                "bytes": len(data),
            }
        )
    with (out / MANIFEST).open("w", encoding="utf-8") as handle:
        for row in manifest:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="number of report files to write")
    parser.add_argument("--out", type=Path, required=True, help="output folder (empty or new)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--seeds-share", type=float, default=0.25, help="share drawn from the long seeds")
    parser.add_argument("--gb18030-share", type=float, default=0.1, help="share saved as GB18030")
    parser.add_argument("--spread", type=float, default=0.05, help="relative perturbation of numbers")
    args = parser.parse_args(argv)
    try:
        manifest = generate(
            args.n,
            args.out,
            args.seed,
            seeds_share=args.seeds_share,
            gb18030_share=args.gb18030_share,
            spread=args.spread,
        )
    except (FileExistsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    chars = sum(int(row["chars"]) for row in manifest)
    size = sum(int(row["bytes"]) for row in manifest)
    renamed = sum(row["unit_to"] is not None for row in manifest)
    shifted = sum(row["year_shift"] != 0 for row in manifest)
    print(
        f"wrote {len(manifest)} files to {args.out}: {chars:,} chars, {size / 1e6:.1f} MB; "
        f"unit renamed in {renamed}, years shifted in {shifted}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
