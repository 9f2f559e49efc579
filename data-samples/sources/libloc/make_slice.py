#!/usr/bin/env python3
"""Cuts networks.flagged.slice.csv from the libloc CSV dump in /work/shared/data-raw: the rows of
networks.slice.csv (IPv4 first octet 1-2 or 77-95, IPv6 2a00::/12: the rule of the bundled ASN
slice) that carry at least one flag (anonymous proxy, satellite provider, anycast, drop); then,
appended, the flagged rows of the full dump (networks.csv.gz) that hold an address of the
labelled sets (data-samples/eval/labels.csv, holdout.csv, holdout2.csv) and are not in the first part, so that
the bundled build has the libloc evidence a full build has for every labelled address (as
data-samples/sources/slice.py does for the ASN and registry rows).
Re-run from the repository root:
    python3 data-samples/sources/libloc/make_slice.py /work/shared/data-raw
Deterministic: the same input gives the same slice (rows kept in file order, bytes unchanged)."""
import csv, gzip, ipaddress, os, sys

RAW = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data-raw"
SRC = os.path.join(RAW, "ipfire-libloc-location-db", "networks.slice.csv")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "networks.flagged.slice.csv")
FLAGS = ("is_anonymous_proxy", "is_satellite_provider", "is_anycast", "drop")

with open(SRC, encoding="utf-8", newline="") as f:
    lines = f.read().splitlines(True)
header = lines[0].rstrip("\r\n").split(",")
cols = [header.index(c) for c in FLAGS]
kept = [lines[0]]
for line in lines[1:]:
    fields = line.rstrip("\r\n").split(",")
    if any(fields[c] == "1" for c in cols):
        kept.append(line)
first_part = len(kept) - 1

HERE = os.path.dirname(os.path.abspath(__file__))
labelled = []
for name in ("labels.csv", "holdout.csv", "holdout2.csv"):
    with open(os.path.join(HERE, "..", "..", "eval", name), encoding="utf-8", newline="") as f:
        labelled += [ipaddress.ip_address(r["ip"]) for r in csv.DictReader(f)]
# The full dump has CRLF line ends, the slice LF: rows are compared and written without them.
have = {line.rstrip("\r\n") for line in kept[1:]}
with gzip.open(os.path.join(RAW, "ipfire-libloc-location-db", "networks.csv.gz"), "rt", encoding="utf-8", newline="") as f:
    next(f)
    for line in f:
        row = line.rstrip("\r\n")
        fields = row.split(",")
        if row in have or not any(fields[c] == "1" for c in cols):
            continue
        net = ipaddress.ip_network(fields[0])
        if any(a.version == net.version and a in net for a in labelled):
            kept.append(row + "\n")
with open(OUT, "w", encoding="utf-8", newline="") as f:
    f.writelines(kept)
print(f"{OUT}: {first_part} flagged rows of {len(lines) - 1}, then {len(kept) - 1 - first_part} covering labelled addresses")
