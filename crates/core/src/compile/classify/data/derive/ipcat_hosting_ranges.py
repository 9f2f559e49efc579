#!/usr/bin/env python3
"""Derives ../hosting-providers-ranges.txt: the AS holders whose routed IPv4 space lies mostly in
client9/ipcat's datacenter ranges (MIT). ipcat's ranges are stale (2019) and its provider names
are often old brands ("PEER 1", "Voxel"), but a holder that today announces the same blocks is
the hoster that took them over ("Aptum Technologies", "Krypt Technologies", "NorthC
Deutschland GmbH"), so its name is kept even where its name says nothing of hosting.

    python3 ipcat_hosting_ranges.py datacenters.csv asn-ipv4.csv.gz ../given-names.txt > ../hosting-providers-ranges.txt

A holder (an exact organisation name of ip-location-db's ASN table, CC BY 4.0: RouteViews, the
NRO / RIR delegation files, DB-IP ASN Lite names; counted over all its ASNs) is listed when at
least MIN_SHARE of its IPv4 addresses, at least MIN_ADDRESSES addresses and at least MIN_RANGES
of its ranges fall in ipcat ranges. Small holders are left out: a /24 of a law firm inside an
old PEER 1 block says nothing about the firm. One name per line, lower case, punctuation as
spaces (the loader folds it like any pattern); sorted; deterministic. A name with a word of
the given-names list is left out: it may be a person's ("Patrik Lagerman", "Martin Prager trading
as …"), and a reason code must never carry a person's name into a compiled file.
"""
import bisect
import csv
import gzip
import ipaddress
import re
import sys
import unicodedata
from collections import defaultdict

MIN_SHARE = 0.5
MIN_ADDRESSES = 2048
MIN_RANGES = 4


def ip(s):
    return int(ipaddress.IPv4Address(s.strip()))


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", s)).replace("_", " ").strip()


def main(ipcat_path, asn_path, given_path):
    with open(given_path, encoding="utf-8") as f:
        given = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    dc = []
    with open(ipcat_path, encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) >= 2:
                dc.append((ip(r[0]), ip(r[1])))
    dc.sort()
    merged = []
    for a, b in dc:
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [m[0] for m in merged]
    total = defaultdict(int)
    covered = defaultdict(int)
    covered_ranges = defaultdict(int)
    with gzip.open(asn_path, "rt", encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) < 4 or not r[3].strip():
                continue
            a, b, name = ip(r[0]), ip(r[1]), r[3].strip()
            total[name] += b - a + 1
            c = 0
            i = bisect.bisect_right(starts, b) - 1
            while i >= 0 and merged[i][1] >= a:
                c += max(0, min(b, merged[i][1]) - max(a, merged[i][0]) + 1)
                i -= 1
            if c:
                covered[name] += c
                covered_ranges[name] += 1
    out = set()
    for name, c in covered.items():
        if c >= MIN_ADDRESSES and covered_ranges[name] >= MIN_RANGES and c >= MIN_SHARE * total[name]:
            folded = fold(name)
            if folded and not any(w in given for w in folded.split()):
                out.add(folded)
    print("# AS holders whose IPv4 space lies mostly in client9/ipcat datacenter ranges (MIT; data of")
    print("# 2019-02-20) in ip-location-db's ASN table (CC BY 4.0). Derived by derive/ipcat_hosting_ranges.py")
    print(f"# (share >= {MIN_SHARE}, >= {MIN_ADDRESSES} addresses, >= {MIN_RANGES} ranges); see SOURCES.md.")
    for n in sorted(out):
        print(n)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: ipcat_hosting_ranges.py datacenters.csv asn-ipv4.csv.gz given-names.txt")
    main(sys.argv[1], sys.argv[2], sys.argv[3])
