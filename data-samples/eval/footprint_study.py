#!/usr/bin/env python3
"""Does a holder's routing footprint tell end-user companies from providers? (issue 4; the
results are in crates/core/src/compile/classify/MEASUREMENTS.md, "Routing footprint").

Per exact AS holder name, over the WHOLE ip-location-db ASN tables (not the bundled slice):
distinct ASNs, IPv4 ranges and addresses, the largest IPv4 range, IPv6 ranges and the largest IPv6
block as a prefix length (29 = a RIPE LIR's /29, 48 = a PI /48).

    # 1. feature -> business/provider share over the labelled holders of labels.csv (tuned set only)
    python3 data-samples/eval/footprint_study.py labels
    # 2. the holders of the full table that end at rule 11 (legal form only): footprint buckets and
    #    seeded random samples of the end-user-sized ones, to judge by reading the names
    python3 data-samples/eval/footprint_study.py holders > /tmp/holders.tsv
    cargo run --release -p ipfirm-cli -- build --config bench/full.toml --out /tmp/full.db
    cut -f1 /tmp/holders.tsv | target/release/ipfirm lookup --db /tmp/full.db > /tmp/lookups.jsonl
    python3 data-samples/eval/footprint_study.py sample /tmp/holders.tsv /tmp/lookups.jsonl [SEED]
    # 3. aggregate what-if on a labelled set (counts only, so it may run on holdout.csv)
    target/release/ipfirm build --out /tmp/s.db
    cut -d, -f1 data-samples/eval/labels.csv | tail -n +2 | target/release/ipfirm lookup --db /tmp/s.db > /tmp/l.jsonl
    python3 data-samples/eval/footprint_study.py whatif data-samples/eval/labels.csv /tmp/l.jsonl

The raw data is read from ../shared/data-raw beside the repository (IPFIRM_DATA_RAW overrides);
every mode prints SKIPPED and exits 0 when it is absent (a user's clone).
"""
import bisect
import collections
import csv
import gzip
import ipaddress
import json
import math
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.environ.get("IPFIRM_DATA_RAW", os.path.join(HERE, "..", "..", "..", "shared", "data-raw"))
ASN = os.path.join(RAW, "ip-location-db-asn")
GEO = os.path.join(RAW, "ip-location-db-geo-whois-asn-country", "geo-whois-asn-country-ipv4.csv")
PROVIDERS = {"isp", "mobile", "hosting", "anonymizer"}
# Western registration countries for bucket C (where the samples had the fewest small ISPs).
WEST = set("US CA DE AT CH NL BE LU FR GB IE DK SE NO FI IS IT ES PT".split())
# A rough IT/access filter for the samples (words and word endings; the classifier's own lists
# already moved names with access or hosting words to isp/hosting before rule 11).
IT_WORDS = set("technology technologies tech it ict ikt data digital systems system solutions computing computer "
               "computers information informatics informatique informatik informatica network networks net "
               "internet online web cloud hosting managed services tv trk redes networking telematika telematica "
               "mobile multimedia".split())
IT_ENDINGS = ("tech", "data", "networks", "net", "link", "tel", "telecom", "com", "media", "vision", "wifi", "fiber",
              "fibre", "host", "ip", "web", "soft", "line", "sat", "cloud", "it", "tv", "nets", "lan", "wave", "air",
              "connect", "online", "hosting", "server", "servers", "networking", "telematika", "telematica",
              "mobile", "redes", "comm", "communications",
              # session 12, from samples of the small-business band (glued `AZNETWORK`, a satellite teleport)
              "network", "teleport")


def rows(fam):
    with gzip.open(os.path.join(ASN, f"asn-{fam}.csv.gz"), "rt", encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) < 4 or not r[3].strip():
                continue
            try:
                a, b = ipaddress.ip_address(r[0]), ipaddress.ip_address(r[1])
            except ValueError:
                continue
            yield a, b, r[2], r[3].strip()


def footprints():
    """name -> features over both full tables."""
    fp = collections.defaultdict(lambda: {"asns": set(), "v4r": 0, "v4a": 0, "v4max": 0, "v6r": 0, "v6max": 0})
    for fam in ("ipv4", "ipv6"):
        for a, b, asn, name in rows(fam):
            h = fp[name]
            h["asns"].add(asn)
            n = int(b) - int(a) + 1
            if fam == "ipv4":
                h["v4r"], h["v4a"], h["v4max"] = h["v4r"] + 1, h["v4a"] + n, max(h["v4max"], n)
            else:
                h["v6r"], h["v6max"] = h["v6r"] + 1, max(h["v6max"], n)
    return fp


def plen(n, bits):
    """The prefix length of a block of n addresses (rounded to the larger block), None for 0."""
    return bits - math.ceil(math.log2(n)) if n else None


def buckets(h):
    """Feature -> bucket label for one holder."""
    v6, v4, a = plen(h["v6max"], 128), plen(h["v4max"], 32), h["v4a"]
    return {
        "distinct ASNs": "1" if len(h["asns"]) == 1 else "2+",
        "IPv4 ranges": "0" if h["v4r"] == 0 else "1" if h["v4r"] == 1 else "2-3" if h["v4r"] <= 3 else
        "4-15" if h["v4r"] <= 15 else "16+",
        "IPv4 addresses": "0" if a == 0 else "<=1024" if a <= 1024 else "1025-4096" if a <= 4096 else
        "4097-65536" if a <= 65536 else ">65536",
        "largest IPv4 range": "none" if v4 is None else "/16 or larger" if v4 <= 16 else "/17-/20" if v4 <= 20
        else "/21-/22" if v4 <= 22 else "/23-/24" if v4 <= 24 else "smaller than /24",
        "largest IPv6 block": "none" if v6 is None else "/28 or larger" if v6 <= 28 else "/29-/32" if v6 <= 32 else
        "/33-/47" if v6 < 48 else "/48 or smaller",
    }


def labels_table():
    fp = footprints()
    holders, addrs = {}, collections.Counter()
    with open(os.path.join(HERE, "labels.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cls = row["expected_class"]
            group = "business" if cls == "business" else "provider" if cls in PROVIDERS else None
            if group and row["org"] in fp:
                holders[row["org"]] = group
                addrs[row["org"]] += 1
    nb = sum(g == "business" for g in holders.values())
    print(f"{len(fp)} holder names in the full tables; labelled holders found: {nb} business, "
          f"{len(holders) - nb} provider (isp, mobile, hosting, anonymizer)\n")
    table = collections.defaultdict(collections.Counter)
    for name, g in holders.items():
        for feat, b in buckets(fp[name]).items():
            table[(feat, b)][g] += 1
            table[(feat, b)][g + " addr"] += addrs[name]
    print("| feature | bucket | business holders | provider holders | business share | business / provider addresses |")
    print("|---|---|---|---|---|---|")
    for (feat, b), c in sorted(table.items()):
        n = c["business"] + c["provider"]
        print(f"| {feat} | {b} | {c['business']} | {c['provider']} | {100 * c['business'] / n:.0f} % |"
              f" {c['business addr']} / {c['provider addr']} |")
    # The combination tried as a rule: one ASN, at most 3 IPv4 ranges of at most 1,024 addresses in all,
    # no IPv6 block larger than a /48.
    sel = [(n, g) for n, g in holders.items() if end_user_sized(fp[n])]
    print(f"\nend-user sized (bucket A): {sum(g == 'business' for _, g in sel)} business, "
          f"{sum(g == 'provider' for _, g in sel)} provider: " + "; ".join(f"{n} ({g})" for n, g in sorted(sel)))


def end_user_sized(h):
    v6 = plen(h["v6max"], 128)
    return len(h["asns"]) == 1 and 0 < h["v4a"] <= 1024 and h["v4r"] <= 3 and (v6 is None or v6 >= 48)


def small_business_sized(h):
    """A wider band than end_user_sized (session 12): at most three AS numbers, eight IPv4 ranges and
    8,192 IPv4 addresses, and no IPv6 block of a /32 or larger (an LIR's allocation)."""
    v6 = plen(h["v6max"], 128)
    return len(h["asns"]) <= 3 and h["v4a"] <= 8192 and h["v4r"] <= 8 and (v6 is None or v6 > 32) and (h["v4a"] > 0 or v6 is not None)


def legacy_block_sized(h):
    """An enterprise's footprint of any address count (session 13): one AS number, at most three
    IPv4 ranges (a legacy /16 counts as one) and no IPv6 block larger than a /44."""
    v6 = plen(h["v6max"], 128)
    return len(h["asns"]) == 1 and 0 < h["v4r"] <= 3 and (v6 is None or v6 >= 44)


def lir_sized(h):
    """An IPv6 block of a /32 or larger: a local internet registry's allocation, a provider's mark."""
    v6 = plen(h["v6max"], 128)
    return v6 is not None and v6 <= 32


def holders_file():
    seen = {}
    for fam in ("ipv4", "ipv6"):
        for a, b, _, name in rows(fam):
            if name not in seen:
                seen[name] = a + 1 if b > a else a
    for name, ip in seen.items():
        print(f"{ip}\t{name}")


def it_ish(name):
    n = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return any(w in IT_WORDS or any(w.endswith(e) and len(w) > len(e) for e in IT_ENDINGS)
               for w in re.findall(r"[a-z0-9]+", n))


def countries():
    """name -> registration country of its first IPv4 range (geo-whois-asn-country)."""
    starts, ends = [], []
    with open(GEO, newline="", encoding="utf-8") as f:
        for r in csv.reader(f):
            starts.append(int(ipaddress.ip_address(r[0])))
            ends.append((int(ipaddress.ip_address(r[1])), r[2]))
    cc = {}
    for a, _, _, name in rows("ipv4"):
        if name not in cc:
            i = bisect.bisect_right(starts, int(a)) - 1
            cc[name] = ends[i][1] if i >= 0 and ends[i][0] >= int(a) else None
    return cc


def sample(holders_tsv, lookups_jsonl, seed):
    fp, cc = footprints(), countries()
    with open(holders_tsv, encoding="utf-8") as h, open(lookups_jsonl, encoding="utf-8") as l:
        pairs = [(line.rstrip("\n").split("\t", 1)[1], json.loads(js)) for line, js in zip(h, l)]
    reasons = collections.Counter(r["reason"].split(":")[0] + ":" + r["reason"].split(":")[1] for _, r in pairs)
    print(f"{len(pairs)} holders; classes: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    r11 = [n for n, r in pairs if r["reason"] == "unknown:org-name:legal-form-only"]
    print(f"\n{len(r11)} end at rule 11 (unknown:org-name:legal-form-only)")
    for feat in ("largest IPv6 block", "IPv4 addresses"):
        c = collections.Counter(buckets(fp[n])[feat] for n in r11)
        print(f"  {feat}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    a = [n for n in r11 if end_user_sized(fp[n])]
    b = [n for n in a if not it_ish(n)]
    c = [n for n in b if fp[n]["v4r"] == 1 and fp[n]["v4a"] <= 256 and fp[n]["v6r"] == 0 and cc.get(n) in WEST]
    lir = [n for n in r11 if fp[n]["v6max"] and plen(fp[n]["v6max"], 128) <= 32]
    pi = [n for n in r11 if len(fp[n]["asns"]) == 1 and fp[n]["v6max"] and plen(fp[n]["v6max"], 128) >= 48]
    for label, s in (("L: an IPv6 block of /32 or larger (an LIR's allocation)", lir),
                     ("P: one ASN, IPv6 only /48 or smaller blocks (PI assignments)", pi),
                     ("A: one ASN, <=3 IPv4 ranges, <=1,024 IPv4 addresses, no IPv6 block larger than /48", a),
                     ("B: A and no IT/access word or word ending in the name", b),
                     ("C: B and a single IPv4 /24 or smaller, no IPv6, registered in US/CA/Western Europe", c)):
        print(f"\n{label}: {len(s)} holders; random sample (seed {seed}):")
        rnd = random.Random(seed)
        for n in sorted(rnd.sample(s, min(50, len(s)))):
            print(f"  {n}\t{cc.get(n)}")


def whatif(labels_csv, lookups_jsonl):
    """Aggregate counts only (safe for the held-out set): how the addresses that end at rule 11 would
    move if the end-user buckets were shown as business, by expected class."""
    fp, cc = footprints(), countries()
    with open(labels_csv, newline="", encoding="utf-8") as f, open(lookups_jsonl, encoding="utf-8") as l:
        labelled, looked = list(csv.DictReader(f)), [json.loads(js) for js in l]
    if len(labelled) != len(looked):
        sys.exit(f"{lookups_jsonl}: {len(looked)} lookups for {len(labelled)} labelled rows of {labels_csv}")
    pairs = [(row["expected_class"], r) for row, r in zip(labelled, looked)]
    total = collections.Counter(e for e, _ in pairs)
    shown = {"business", "education", "government", "nonprofit"}
    leak_base = sum(1 for e, r in pairs if e not in shown | {"unknown"} and r.get("identified"))
    print(f"{len(pairs)} addresses; business {total['business']}; filtered "
          f"{sum(v for k, v in total.items() if k not in shown)}; identified filtered now {leak_base}")
    r11 = [(e, r.get("asn_org") or "") for e, r in pairs if r.get("reason") == "unknown:org-name:legal-form-only"]
    a = [(e, n) for e, n in r11 if n in fp and end_user_sized(fp[n])]
    b = [(e, n) for e, n in a if not it_ish(n)]
    c = [(e, n) for e, n in b if fp[n]["v4r"] == 1 and fp[n]["v4a"] <= 256 and fp[n]["v6r"] == 0 and cc.get(n) in WEST]
    # The other direction: shown today by a sector word (rule 10) or a registry match (rule 9) with an
    # LIR's footprint (an IPv6 block of /32 or larger and 4+ IPv4 ranges): what demoting them would cost.
    def lir(n):
        h = fp.get(n)
        return bool(h and h["v6max"] and plen(h["v6max"], 128) <= 32 and h["v4r"] >= 4)
    d = [(e, r.get("asn_org") or "") for e, r in pairs
         if r.get("reason", "").startswith("business:org-name") and lir(r.get("asn_org") or "")]
    g = [(e, r.get("asn_org") or "") for e, r in pairs
         if r.get("reason", "").startswith("business:registry") and lir(r.get("asn_org") or "")]
    for label, s in (("rule 11 now", r11), ("A", a), ("B", b), ("C", c), ("shown by a sector word, LIR footprint", d),
                     ("shown by a registry match, LIR footprint", g)):
        k = collections.Counter("business" if e == "business" else "other shown" if e in shown else "filtered"
                                for e, _ in s)
        print(f"  {label}: {len(s)} addresses: business {k['business']}, other shown {k['other shown']}, "
              f"filtered {k['filtered']}")


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "labels"
    if not os.path.exists(os.path.join(ASN, "asn-ipv4.csv.gz")):
        print(f"SKIPPED: full ASN tables not found under {ASN}")
        return
    if mode == "labels":
        labels_table()
    elif mode == "holders":
        holders_file()
    elif mode == "whatif" and len(sys.argv) >= 4:
        whatif(sys.argv[2], sys.argv[3])
    elif mode == "sample" and len(sys.argv) >= 4:
        sample(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        sys.exit(f"usage: {sys.argv[0]} labels | holders | sample HOLDERS.tsv LOOKUPS.jsonl [SEED] | whatif LABELS.csv LOOKUPS.jsonl")


if __name__ == "__main__":
    main()
