#!/usr/bin/env python3
"""Derives ../large-networks.txt: the AS organisation names that hold 32 or more IPv4 ranges in
the whole ip-location-db ASN table (npm `@ip-location-db/asn`, CC BY 4.0: RouteViews, the NRO /
RIR delegation files, DB-IP ASN Lite names), counted over all ASNs with that exact name. A holder
routing that many separate ranges runs a network for others or a very large one: the classifier
uses it only together with IT-service words in the name (see RULES.md, rule 8b).

    python3 large_networks.py asn-ipv4.csv.gz > ../large-networks.txt

One name per line as in the source (the loader folds it); sorted; deterministic.
"""
import collections
import csv
import gzip
import sys

MIN_RANGES = 32


def main(path):
    ranges = collections.Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) > 3 and r[3].strip():
                ranges[r[3].strip()] += 1
    names = sorted(n for n, c in ranges.items() if c >= MIN_RANGES and not n.startswith("#"))
    print("# AS organisation names with 32 or more IPv4 ranges in ip-location-db's ASN table (CC BY 4.0).")
    print("# Derived by derive/large_networks.py; see SOURCES.md. One name per line, folded by the loader.")
    for n in names:
        print(n)


if __name__ == "__main__":
    main(sys.argv[1])
