#!/usr/bin/env python3
"""Derives ../exit-hosts.txt: the AS organisation names whose routed ranges in the whole
ip-location-db ASN tables (npm `@ip-location-db/asn`, CC BY 4.0) hold a Tor exit relay or a VPN
exit (the iporigin lists bundled in data-samples/sources/iporigin/, CC0 data). Exits run on
rented servers, so a holder that announces one rents out servers: the classifier uses the list
only for a holder that nothing else classed and that carries a company legal form (RULES.md,
rule 10e); universities, persons and ISPs whose networks also carry exits are classed before.
So only names with a company legal form (company-legal-forms.txt) are kept, and none with a
given name (given-names.txt): people run Tor exits under their own names, and no person's name
goes into the list.

    python3 exit_hosts.py asn-ipv4.csv.gz asn-ipv6.csv.gz tor-exits.txt vpn-exits.txt \
        ../company-legal-forms.txt ../given-names.txt > ../exit-hosts.txt

One name per line as in the source (the loader folds it); sorted; deterministic.
"""
import bisect
import csv
import gzip
import ipaddress
import sys

from holder_names import fold, has_legal_form, legal_forms, lines


def company_name(name, forms, given):
    ws = fold(name)
    # (Legal forms and two-letter words are no given names here: `AB`, `OU` are both.)
    if any(len(w) > 2 and (w,) not in forms and w in given for w in ws):
        return False
    return has_legal_form(ws, forms)


def exits(paths):
    spans = []
    for path in paths:
        for line in lines(path):
            n = ipaddress.ip_network(line, strict=False)
            spans.append((n.version, int(n.network_address), int(n.broadcast_address)))
    spans.sort()
    return spans


def main(tables, exit_lists, forms_path, given_path):
    forms = legal_forms(forms_path)
    given = set(lines(given_path))
    spans = exits(exit_lists)
    keys = [(v, a) for v, a, _ in spans]
    names = set()
    for path in tables:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for r in csv.reader(f):
                if len(r) < 4 or not r[3].strip() or r[3].startswith("#"):
                    continue
                first, last = ipaddress.ip_address(r[0]), ipaddress.ip_address(r[1])
                # The first exit starting at or after the range's first address.
                i = bisect.bisect_left(keys, (first.version, int(first)))
                if i < len(spans) and spans[i][0] == first.version and spans[i][1] <= int(last):
                    if company_name(r[3], forms, given):
                        names.add(r[3].strip())
    print("# AS organisation names whose routed ranges in ip-location-db's ASN tables (CC BY 4.0) hold a")
    print("# Tor or VPN exit of the iporigin lists (CC0 data); names with a company legal form and no given")
    print("# name only. Derived by derive/exit_hosts.py; see SOURCES.md.")
    for n in sorted(names):
        print(n)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit("usage: exit_hosts.py asn-ipv4.csv.gz asn-ipv6.csv.gz tor-exits.txt vpn-exits.txt company-legal-forms.txt given-names.txt")
    main(sys.argv[1:3], sys.argv[3:5], sys.argv[5], sys.argv[6])
