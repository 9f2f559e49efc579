#!/usr/bin/env python3
"""Derives ../countries.txt: the names of the world's countries, folded, one per line, so that a
holder name carrying one ('Television New Zealand', 'VOLKSWAGEN ARGENTINA', 'NAV CANADA') is
not taken for a person's name by the weakest person rule (two or three capitalised words).

    python3 countries.py /usr/share/iso-codes/json/iso_3166-1.json /usr/share/locale > ../countries.txt

Source: ISO 3166-1 as packaged by Debian's iso-codes 4.15.0 (LGPL-2.1-or-later; the names are facts
of the standard), with its translations (`<locale>/LC_MESSAGES/iso_3166-1.mo`) into the languages
of LANGUAGES, so that `Oesterreich`, `Polska`, `Brasil` count too. Each country's name, common name
and official name, folded (lower case, diacritics dropped, punctuation as spaces); for names
written 'Korea, Republic of' the part before the comma too ('korea'). Names in other scripts fold
to nothing and are dropped. A one-word name shorter than four letters (`man` of Isle of Man,
`ira`, `tai`) is dropped: a person's name may hold it. (Countries that are given names, `Chad`,
`Jordan`, stay: the person rule reads a listed given name before the rule this list guards.)
Sorted, deterministic.
"""
import gettext
import json
import re
import sys
import unicodedata

LANGUAGES = ["de", "fr", "es", "it", "pt", "pt_BR", "nl", "pl", "sv", "da", "nb", "fi", "cs", "sk", "hu", "ro",
             "tr", "id", "ms", "hr", "sl", "lv", "lt", "et"]


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", s))


def main(path, locales):
    with open(path, encoding="utf-8") as f:
        countries = json.load(f)["3166-1"]
    translations = [gettext.NullTranslations()] + [
        gettext.translation("iso_3166-1", localedir=locales, languages=[lang]) for lang in LANGUAGES
    ]
    names = set()
    for c in countries:
        for key in ("name", "common_name", "official_name"):
            if key not in c:
                continue
            for t in translations:
                name = t.gettext(c[key])
                names.add(fold(name))
                # German umlauts are also written ae/oe/ue (`Oesterreich`).
                names.add(fold(name.translate(UMLAUTS)))
                if "," in name:
                    names.add(fold(name.split(",")[0]))
    print("# Country names: derived from ISO 3166-1 and its translations (Debian iso-codes) by derive/countries.py.")
    print("# See SOURCES.md. Folded, one name per line.")
    keep = (n for n in names if n and (" " in n or len(n) >= 4))
    for n in sorted(keep):
        print(n)


if __name__ == "__main__":
    main(*sys.argv[1:])
