"""Imported, for its effect, by the forkserver that ingest.batch.parse_many starts its workers from.

The server loads the parser's dictionaries once, then every worker is forked with them already in memory:
each worker used to load its own at the start of every build (~1.2 s of CPU apiece, on cores the other
worker and the loader need).
"""

from __future__ import annotations

import contextlib

from ingest.warm import warm_up_parser

# A failed warm-up only costs time: each worker then loads on first use, as it would have.
with contextlib.suppress(Exception):
    warm_up_parser()
