"""What the asset pages of the attention and keyword marts show: a preview of their contents, recorded as
an observation of each mart after a successful dbt build (dbt holds the file while it runs)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from orchestration.publish import WORK_DB_CONFIG

PREVIEW_ROWS = 15

# The theme that takes the largest share of each report part, with its words.
_TOP_THEMES = """
select district, year, section, theme, round(share_of_words * 100, 2) as pct_of_words,
    round(per_10k_chars, 1) as per_10k_chars, coalesce(terms_found, '') as words
from (
    select *, row_number() over (
        partition by document_id, section order by share_of_words desc nulls last, theme
    ) as theme_rank
    from main.district_year_attention
    where section in ('review', 'plan')
)
where theme_rank = 1
order by district nulls last, year nulls last, section desc
limit ?
"""
# The keywords of each report, most distinctive first.
_KEYWORDS = """
select district, year, string_agg(keyword, '、' order by keyword_rank) as keywords
from main.district_year_keywords
group by document_id, district, year
order by district nulls last, year nulls last
limit ?
"""
PREVIEWS = {
    "district_year_attention": ("top_themes", _TOP_THEMES),
    "district_year_keywords": ("keywords", _KEYWORDS),
}


def _markdown(cursor: duckdb.DuckDBPyConnection) -> str:
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def mart_previews(work: Path) -> list[dg.AssetObservation]:
    """One observation per mart with a markdown preview; none for a mart the file does not hold."""
    observations = []
    with duckdb.connect(str(work), config=WORK_DB_CONFIG) as con:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        }
        for mart, (label, query) in PREVIEWS.items():
            if mart not in present:
                continue
            preview = dg.MetadataValue.md(_markdown(con.execute(query, [PREVIEW_ROWS])))
            observations.append(dg.AssetObservation(asset_key=dg.AssetKey([mart]), metadata={label: preview}))
    return observations
