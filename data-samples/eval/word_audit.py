#!/usr/bin/env python3
"""Which words could move holders, and which holders carry a word (issue 4; how the word lists in
crates/core/src/compile/classify/data were checked — results in MEASUREMENTS.md).

Reads the lookups of one address per distinct AS holder name of a full build (see shown_audit.py
for how /tmp/holders.tsv and the lookups file are made) and leaves out every holder of the
held-out sets `holdout.csv` and `holdout2.csv`, by folded name and by ASN, so that tuning a word
list never reads them:

    # the commonest words of the holders that end in CLASS (default unknown), with examples
    python3 data-samples/eval/word_audit.py top /tmp/lookups.jsonl [CLASS] [N]
    # every holder whose folded name matches a regular expression, with its class and reason
    python3 data-samples/eval/word_audit.py grep /tmp/lookups.jsonl '(^| )commission( |$)'
"""
import collections
import csv
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shown_audit import fold  # noqa: E402

HOLDOUTS = [os.path.join(os.path.dirname(os.path.abspath(__file__)), f) for f in ("holdout.csv", "holdout2.csv")]


def held_out():
    asns, names = set(), set()
    for path in HOLDOUTS:
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                asns.add(r["asn"].upper().removeprefix("AS"))
                names.add(fold(r["org"]))
    return asns, names


def rows(path):
    asns, names = held_out()
    skipped = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            org = d.get("asn_org") or ""
            if str(d.get("asn")) in asns or fold(org) in names:
                skipped += 1
                continue
            yield d, org
    print(f"-- held-out holders left out: {skipped}", file=sys.stderr)


def top(path, cls="unknown", n=400):
    count, examples = collections.Counter(), collections.defaultdict(list)
    for d, org in rows(path):
        if d["class"] != cls:
            continue
        for w in set(fold(org).split()):
            count[w] += 1
            if len(examples[w]) < 3:
                examples[w].append(org)
    for w, k in count.most_common(n):
        print(k, w, "|", " ; ".join(examples[w]))


def grep(path, pattern):
    pat = re.compile(pattern)
    n = 0
    for d, org in rows(path):
        if pat.search(fold(org)):
            n += 1
            print(f"{d['class']:11} {d['reason'][:45]:45} | {org}")
    print(f"-- {n} holders", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "top":
        top(sys.argv[2], *(sys.argv[3:4] or ["unknown"]), *(int(a) for a in sys.argv[4:5]))
    elif len(sys.argv) == 4 and sys.argv[1] == "grep":
        grep(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
