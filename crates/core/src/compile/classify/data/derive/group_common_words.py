#!/usr/bin/env python3
"""Derives ../group-common-words.txt: the words of large listed groups' names that are ordinary
words, places or given names, so that rule 10d does not take `Total Highspeed LLC` for a company of
TotalEnergies or `Australian IT Solutions` for one of a group named `Australian …`.

    python3 group_common_words.py ../given-names.txt equities_80_exchanges_no_summary.csv \\
        > ../group-common-words.txt

Inputs: FinanceDatabase's equities file (the one `bench/full.toml` reads; MIT) and these word
lists (Debian packages, read from /usr/share/dict; only permissively licensed ones, as
derive/dictionary_words.py):
  wamerican  (SCOWL, Kevin Atkinson; permissive licence)   /usr/share/dict/american-english
  wdutch     (OpenTaal; BSD or CC BY 3.0)                   /usr/share/dict/dutch
plus ../given-names.txt.

A word is kept when, folded (lower case, diacritics dropped), it has five or more letters (rule
10d never counts a shorter word as the distinctive one), occurs in the group key of a listing marked
`Mega Cap`, `Large Cap` or `Mid Cap` (the rows both configs mark as groups), and is an entry of a
word list in any case (`total`, `berkeley`, `australian`) or a given name. One word per line,
sorted; deterministic for the same inputs.
"""
import csv
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..", "..",
                                "..", "data-samples", "sources", "gleif-as-holders"))
from keys import group_key  # noqa: E402  (ipfirm's join::group_key, as the AS-holder slices use it)

LISTS = ["/usr/share/dict/american-english", "/usr/share/dict/dutch"]
GROUP_VALUES = {"mega cap", "large cap", "mid cap"}
MIN_LETTERS = 5


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def main():
    given_file, equities = sys.argv[1], sys.argv[2]
    common = set()
    for path in LISTS:
        for line in open(path, encoding="utf-8", errors="replace"):
            w = fold(line.strip())
            if re.fullmatch(r"[a-z]+", w):
                common.add(w)
    for line in open(given_file, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            common.add(fold(line))
    words = set()
    for r in csv.DictReader(open(equities, encoding="utf-8")):
        if r["market_cap"].strip().lower() not in GROUP_VALUES:
            continue
        for w in group_key(r["name"]).split():
            if len(w) >= MIN_LETTERS and w.isalpha() and w in common:
                words.add(w)
    print("# Words of large listed groups' names (FinanceDatabase equities marked Mega/Large/Mid Cap) that")
    print("# are ordinary words, places or given names (wamerican, wdutch, given-names.txt): such a word")
    print("# never makes a group name distinctive for rule 10d. Derived by derive/group_common_words.py;")
    print("# see SOURCES.md. One folded word per line.")
    for w in sorted(words):
        print(w)


if __name__ == "__main__":
    main()
