#!/usr/bin/env python3
"""Derives ../countries.txt: the names of the world's countries, folded, one per line, so that a
holder name carrying one ('Television New Zealand', 'VOLKSWAGEN ARGENTINA', 'NAV CANADA') is
not taken for a person's name by the weakest person rule (two or three capitalised words).

    python3 countries.py /usr/share/iso-codes/json/iso_3166-1.json > ../countries.txt

Source: ISO 3166-1 as packaged by Debian's iso-codes (LGPL-2.1-or-later; the names are facts of
the standard). Each country's name, common name and official name, folded (lower case, diacritics
dropped, punctuation as spaces); for names written 'Korea, Republic of' the part before the comma
too ('korea'). Sorted, deterministic.
"""
import json
import re
import sys
import unicodedata


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", s))


def main(path):
    with open(path, encoding="utf-8") as f:
        countries = json.load(f)["3166-1"]
    names = set()
    for c in countries:
        for key in ("name", "common_name", "official_name"):
            if key in c:
                names.add(fold(c[key]))
                if "," in c[key]:
                    names.add(fold(c[key].split(",")[0]))
    print("# Country names: derived from ISO 3166-1 (Debian iso-codes, iso_3166-1.json) by derive/countries.py.")
    print("# See SOURCES.md. Folded, one name per line.")
    for n in sorted(n for n in names if n):
        print(n)


if __name__ == "__main__":
    main(sys.argv[1])
