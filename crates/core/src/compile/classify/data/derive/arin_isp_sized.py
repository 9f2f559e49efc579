#!/usr/bin/env python3
"""Derives ../arin-isp-sized.txt: the AS organisation names that route an IPv6 block of /32 or
larger inside ARIN's space (2600::/12, 2610::/23, 2620::/23) in the whole ip-location-db IPv6
ASN table (npm `@ip-location-db/asn`, CC BY 4.0). ARIN allocates a /32 to an access or hosting
provider; an end user gets a /48, or a few /48s to a /40 for a large network. The classifier uses
the list only where a holder would be shown by a trade word alone (`consulting`, `software`,
`power`; RULES.md, rule 10): with an ISP-sized block, such a holder is more often a provider.

Only names with a company legal form or an ordinary word (company-legal-forms.txt,
dictionary-words.txt) are kept, so no person's name goes into the list.

    python3 arin_isp_sized.py asn-ipv6.csv.gz ../company-legal-forms.txt ../dictionary-words.txt > ../arin-isp-sized.txt

One name per line as in the source (the loader folds it); sorted; deterministic.
"""
import csv
import gzip
import ipaddress
import sys

from holder_names import fold, has_legal_form, legal_forms, lines

ARIN = [ipaddress.ip_network(n) for n in ("2600::/12", "2610::/23", "2620::/23")]
MAX_PREFIX = 32


def organisation(name, forms, dictionary):
    ws = fold(name)
    return has_legal_form(ws, forms) or any(len(w) > 3 and w in dictionary for w in ws)


def main(table, forms_path, dictionary_path):
    forms = legal_forms(forms_path)
    dictionary = set(lines(dictionary_path))
    names = set()
    with gzip.open(table, "rt", encoding="utf-8") as f:
        for r in csv.reader(f):
            if len(r) < 4 or not r[3].strip() or r[3].startswith("#"):
                continue
            first, last = ipaddress.IPv6Address(r[0]), ipaddress.IPv6Address(r[1])
            size = int(last) - int(first) + 1
            if size >= 2 ** (128 - MAX_PREFIX) and any(first in n for n in ARIN):
                if organisation(r[3], forms, dictionary):
                    names.add(r[3].strip())
    print("# AS organisation names routing an IPv6 /32 or larger in ARIN's space, from ip-location-db's")
    print("# IPv6 ASN table (CC BY 4.0). Derived by derive/arin_isp_sized.py; see SOURCES.md.")
    for n in sorted(names):
        print(n)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: arin_isp_sized.py asn-ipv6.csv.gz company-legal-forms.txt dictionary-words.txt")
    main(*sys.argv[1:4])
