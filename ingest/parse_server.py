"""Imported, for its effect, by the forkserver that ingest.batch.parse_many starts its workers from.

The server loads the parser's dictionaries once, then every worker is forked with them already in memory:
each worker used to load its own (~1.2 s of CPU apiece, at the start of every build). Then the loaded
objects are frozen out of the garbage collector: a worker's collections would otherwise walk the
dictionaries' millions of objects again and again, and touching them copies the pages the fork shares.
"""

from __future__ import annotations

import contextlib
import gc

from ingest.warm import warm_up_parser

# A failed warm-up only costs time: each worker then loads on first use, as it would have.
with contextlib.suppress(Exception):
    warm_up_parser()
gc.freeze()
