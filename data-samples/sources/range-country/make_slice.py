#!/usr/bin/env python3
"""Cuts the registration-country slice: every row of ip-location-db's geo-whois-asn-country files
that overlaps a row of the bundled ASN slices (../asn-csv/*.slice.csv), so the bundled build gives
those rows the registration country the full build would. Deterministic. Re-run from the
repository root:
    python3 data-samples/sources/range-country/make_slice.py /work/shared/data-raw"""
import bisect, csv, gzip, ipaddress, os, sys

RAW = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data-raw"
HERE = os.path.dirname(os.path.abspath(__file__))
ASN = os.path.join(HERE, "..", "asn-csv")


def num(a):
    return int(ipaddress.ip_address(a.strip()))


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if len(r) == 3]
    rows.sort(key=lambda r: num(r[0]))
    return rows


def asn_ranges(v6):
    out = []
    for name in sorted(os.listdir(ASN)):
        if not name.endswith(".slice.csv"):
            continue
        with open(os.path.join(ASN, name), encoding="utf-8") as f:
            for r in csv.reader(f):
                if len(r) >= 2 and (":" in r[0]) == v6:
                    out.append((num(r[0]), num(r[1])))
    return out


for v6, src, dst in [
    (False, "geo-whois-asn-country-ipv4.csv", "geo-whois-asn-country-ipv4.slice.csv"),
    (True, "geo-whois-asn-country-ipv6.csv.gz", "geo-whois-asn-country-ipv6.slice.csv"),
]:
    rows = load(os.path.join(RAW, "ip-location-db-geo-whois-asn-country", src))
    starts = [num(r[0]) for r in rows]
    keep = set()
    for first, last in asn_ranges(v6):
        i = max(bisect.bisect_right(starts, first) - 1, 0)
        while i < len(rows) and starts[i] <= last:
            if num(rows[i][1]) >= first:
                keep.add(i)
            i += 1
    with open(os.path.join(HERE, dst), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for i in sorted(keep):
            w.writerow(rows[i])
    print(dst, len(keep), "rows")
