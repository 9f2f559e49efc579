#!/usr/bin/env python3
"""Who does a full build show? (issue 4; results in crates/core/src/compile/classify/MEASUREMENTS.md,
"Shown businesses on the full table").

One address per distinct AS holder name of the WHOLE ip-location-db ASN tables (IPv4 then IPv6,
the first range's second address), looked up in a `bench/full.toml` build:

    python3 data-samples/eval/shown_audit.py holders > /tmp/holders.tsv
    target/release/ipfirm build --config bench/full.toml -o /tmp/full.db
    cut -f1 /tmp/holders.tsv | target/release/ipfirm lookup --db /tmp/full.db > /tmp/lookups.jsonl
    # shown classes and reasons, and a seeded random sample of business holders to judge by reading
    python3 data-samples/eval/shown_audit.py sample /tmp/holders.tsv /tmp/lookups.jsonl [SEED] [N] [CLASS]
    # (CLASS: business by default, or nonprofit, government, education: the sample and the
    # reason counts are of that shown class)
    # privacy check: holders whose name carries a form of natural persons or their partnership
    # (s.c., spółka cywilna, GbR, PFA, s.p., e.v., ET …) next to a given name and still keep a name
    python3 data-samples/eval/shown_audit.py partners /tmp/holders.tsv /tmp/lookups.jsonl

The raw data is read from ../shared/data-raw beside the repository (IPFIRM_DATA_RAW overrides);
every mode prints SKIPPED and exits 0 when it is absent (a user's clone). `partners` exits 1 when
a named holder remains.
"""
import collections
import csv
import gzip
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.environ.get("IPFIRM_DATA_RAW", os.path.join(HERE, "..", "..", "..", "shared", "data-raw"))
ASN = os.path.join(RAW, "ip-location-db-asn")
GIVEN = os.path.join(HERE, "..", "..", "crates", "core", "src", "compile", "classify", "data", "given-names.txt")
SHOWN = ("business", "education", "government", "nonprofit")
# Partnerships of natural persons and forms of natural persons (folded words): Polish s.c. at the
# end or spółka cywilna anywhere, GbR/GesbR, Romanian PFA/PFI, Bulgarian ET first.
PERSON_FORM = re.compile(r"(?:^| )sc$|(?:^| )(?:spolka cywilna|gbr|gesbr|pfa|pfi)(?: |$)|^et ")


def fold(s):
    """Lower case, no diacritics, runs of one-letter words glued (`P.J.S.C` -> `pjsc`), as text.rs."""
    s = unicodedata.normalize("NFKD", s.replace("ł", "l").replace("Ł", "L"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    out, run = [], []
    for w in re.findall(r"[a-z0-9]+", s) + [""]:
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        if run:
            out.append("".join(run)) if len(run) > 1 else out.append(run[0])
            run = []
        if w:
            out.append(w)
    return " ".join(out)


def rows(fam):
    with gzip.open(os.path.join(ASN, f"asn-{fam}.csv.gz"), "rt", encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) >= 4 and r[3].strip():
                yield r[0], r[1], r[3]


def holders():
    import ipaddress

    seen = {}
    for fam in ("ipv4", "ipv6"):
        for a, b, name in rows(fam):
            if name not in seen:
                a, b = ipaddress.ip_address(a), ipaddress.ip_address(b)
                seen[name] = a + 1 if b > a else a
    for name, ip in seen.items():
        print(f"{ip}\t{name}")


def pairs(holders_tsv, lookups_jsonl):
    with open(holders_tsv, encoding="utf-8") as h, open(lookups_jsonl, encoding="utf-8") as l:
        out = [(line.rstrip("\n").split("\t", 1)[1], json.loads(js)) for line, js in zip(h, l)]
    if not out:
        sys.exit(f"{lookups_jsonl}: no lookups")
    return out


def sample(holders_tsv, lookups_jsonl, seed, n, cls="business"):
    ps = pairs(holders_tsv, lookups_jsonl)
    classes = collections.Counter(r["class"] if r else "none" for _, r in ps)
    print(f"{len(ps)} holders; " + ", ".join(f"{k} {v}" for k, v in classes.most_common()))
    shown = [(h, r) for h, r in ps if r and r["class"] in SHOWN and r["identified"]]
    print(f"shown (identified): {len(shown)}")
    biz = [(h, r) for h, r in shown if r["class"] == cls]
    why = collections.Counter(":".join(r["reason"].split(":")[:2]) for _, r in biz)
    print(f"{cls} holders: {len(biz)}; by rule: " + ", ".join(f"{k} {v}" for k, v in why.most_common()))
    words = collections.Counter(r["reason"] for _, r in biz if r["reason"].startswith(f"{cls}:org-name:"))
    print("  words: " + ", ".join(f"{k.split(':')[2]} {v}" for k, v in words.most_common(25)))
    rnd = random.Random(seed)
    print(f"\nrandom sample of {n} {cls} holders (seed {seed}): reason, AS, holder")
    for h, r in sorted(rnd.sample(biz, min(n, len(biz))), key=lambda x: x[1]["reason"]):
        print(f"  {r['reason']}\tAS{r.get('asn')}\t{h}")


def partners(holders_tsv, lookups_jsonl):
    """Holders with a form of natural persons and a given name that keep a name in the build;
    those with two or more given names (the partners of a partnership) make it fail."""
    given = {l.strip() for l in open(GIVEN, encoding="utf-8") if l.strip() and not l.startswith("#")}
    formed = named = kept = failing = 0
    for h, r in pairs(holders_tsv, lookups_jsonl):
        f = fold(h)
        if not PERSON_FORM.search(f):
            continue
        formed += 1
        n_given = sum(w in given for w in f.split())
        if not n_given:
            continue
        named += 1
        if r and (r.get("asn_org") or r.get("company")):
            kept += 1
            failing += n_given >= 2
            print(f"  name kept ({n_given} given-name words): {r['class']}\t{r['reason']}\tAS{r.get('asn')}")
    print(f"{formed} holders carry a form of natural persons or their partnership, {named} of them next to "
          f"a given name; {kept} of these keep a name, {failing} with two or more given names")
    return failing


def main():
    if not os.path.isdir(ASN):
        print(f"SKIPPED: {ASN} not found (the full tables live outside a user's clone)")
        return 0
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "holders":
        holders()
    elif mode == "sample" and len(sys.argv) >= 4:
        seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        n = int(sys.argv[5]) if len(sys.argv) > 5 else 100
        cls = sys.argv[6] if len(sys.argv) > 6 else "business"
        if cls not in SHOWN:
            sys.exit(f"class {cls!r}: not one of {', '.join(SHOWN)}")
        sample(sys.argv[2], sys.argv[3], seed, n, cls)
    elif mode == "partners" and len(sys.argv) >= 4:
        return 1 if partners(sys.argv[2], sys.argv[3]) else 0
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
