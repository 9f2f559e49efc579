#!/usr/bin/env python3
"""Cuts listed-as-holders.slice.csv: the listed companies of FinanceDatabase's equities file whose
name has the same join key (or the same key spaced otherwise) as the organisation name of some
autonomous system in the *whole* ip-location-db ASN table (IPv4 and IPv6), and the groups (listings marked Mega, Large or Mid Cap)
whose group key begins such a name and the name goes on (`POSCO` for `POSCO DX`: rule 10d), with
their GICS-style industry (or industry group, or sector, the most specific given) and market cap.
The selection depends only on the two public tables, not on any labelled set. Rows already in
../company-csv/financedatabase-equities.slice.csv are left out. Re-run from the repository root:

    python3 data-samples/sources/listed-as-holders/make_slice.py /work/shared/data-raw

The join key is the one of ../gleif-as-holders/make_slice.py (a pre-filter; the engine's join
decides). Deterministic: the same input gives the same slice."""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gleif-as-holders"))
RAW = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data-raw"
EXISTING = os.path.join(HERE, "..", "company-csv", "financedatabase-equities.slice.csv")
COLUMNS = ["symbol", "name", "industry", "country", "city", "zipcode", "website", "market_cap"]
GROUP_VALUES = {"mega cap", "large cap", "mid cap"}


def holder_prefixes(holders, forms):
    """Every proper word-prefix of the holder keys, leading legal forms skipped (as find_group)."""
    out = set()
    for h in holders:
        ws = h.split()
        while len(ws) > 2 and ws[0] in forms:
            ws = ws[1:]
        for n in range(1, len(ws)):
            out.add(" ".join(ws[:n]))
    return out


def main():
    from keys import FORMS, as_holder_keys, glued, group_key, issuer_name, key, matches_holder  # noqa: E402  (shared with the GLEIF slice)

    holders = as_holder_keys(RAW)
    prefixes = holder_prefixes(holders, FORMS)
    glued_holders = {glued(h) for h in holders}

    # The engine reads the names with `security_names` (`… Class A` dropped): so are they here.
    def wanted(r):
        name = issuer_name(r["name"])
        if matches_holder(key(name), holders, glued_holders):
            return True
        return r["market_cap"].strip().lower() in GROUP_VALUES and group_key(name) in prefixes

    existing = {r["symbol"] for r in csv.DictReader(open(EXISTING, encoding="utf-8"))}
    src = os.path.join(RAW, "financedatabase-equities", "equities_80_exchanges_no_summary.csv")
    rows = [r for r in csv.DictReader(open(src, encoding="utf-8"))
            if r["symbol"] not in existing and r["name"].strip() and wanted(r)]
    rows.sort(key=lambda r: r["symbol"])
    # One row per company: share classes and listings on several exchanges repeat the name (the
    # join would call two tickers of one name ambiguous); delisted rows are dropped; `industry`
    # is the most specific of industry, industry group and sector that is given; `market_cap` the
    # first group value (Mega, Large or Mid Cap) among the company's listings, else the row's own.
    seen, kept = {}, []
    for r in rows:
        k = (key(issuer_name(r["name"])), r["country"])
        if r["delisted"].strip().lower() == "true":
            continue
        if k in seen:
            first = seen[k]
            if first["market_cap"].strip().lower() not in GROUP_VALUES and r["market_cap"].strip().lower() in GROUP_VALUES:
                first["market_cap"] = r["market_cap"]
            continue
        seen[k] = r
        r["industry"] = r["industry"] or r["industry_group"] or r["sector"]
        kept.append(r)
    rows = kept
    out = os.path.join(HERE, "listed-as-holders.slice.csv")
    with open(out + ".tmp", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows([[r[c] for c in COLUMNS] for r in rows])
    os.replace(out + ".tmp", out)
    print(f"{len(holders)} AS holder keys, {len(rows)} listed companies written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
