#!/usr/bin/env python3
"""Derives ../hosting-providers-ipcat.txt: names of hosting / data-centre providers from client9's
ipcat list (MIT licence), so that an AS holder with a known hosting provider's name is filtered
even where the list's (stale, 2019) ranges no longer cover its addresses.

    python3 ipcat_hosting_names.py datacenters-stats.csv ../company-legal-forms.txt ../given-names.txt \
        ../dictionary-words.txt ../countries.txt > ../hosting-providers-ipcat.txt

Each provider name becomes one pattern (its words without legal forms, a domain name reduced to
its label: "hostwinds.com" -> "hostwinds"); names that are, a leading article aside, a single word
of under five letters, an ordinary word (STOP, or a common word of dictionary-words.txt), a
country's name or a given name ("Velia") are dropped as too ambiguous ("alog", "MESH", "Online",
"Razor"; since session 14 "The First", which hid two banks, a church and a credit bureau, "Aruba",
an insurer's island, and "Steadfast", a fund).
"""
import csv
import re
import sys
import unicodedata


STOP = {"amanah",  # Malay/Indonesian "trust", in many firms' names
        "online", "location", "register", "integrity", "hosting", "hoster", "inline", "razor", "demos", "flops",
        "digital", "secure", "location", "server", "servers", "network", "networks", "cloud", "datapoint"}


# Names made only of these words say nothing about who the provider is ("Digital Network").
GENERIC = {"data", "center", "centre", "centr", "services", "service", "solutions", "systems", "technologies", "group",
           "internet", "web", "host", "net", "it", "global", "international", "media", "blue", "delta", "alpha", "one"}


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", s)


def words_of(path):
    return {l.strip() for l in open(path, encoding="utf-8") if l.strip() and not l.startswith("#")}


def main(stats, forms_path, given_path, dictionary_path, countries_path):
    given = words_of(given_path)
    common = words_of(dictionary_path) | {" ".join(fold(c)) for c in words_of(countries_path)}
    forms = set()
    for line in open(forms_path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            w = fold(line)
            if len(w) == 1:
                forms.add(w[0])
    out = set()
    with open(stats, encoding="utf-8") as f:
        rd = csv.reader(f)
        next(rd)
        for row in rd:
            name = row[0].strip().strip('"')
            name = re.sub(r"\b([a-z0-9-]+)\.(com|net|org|de|nl|ru|ua|ro|be|it|cz|ch|no|co\.uk|com\.br|pl)\b", r"\1", name, flags=re.I)
            name = re.sub(r"@", "", name)
            ws = [w for w in fold(name) if w not in forms]
            # "The First" is as ambiguous as "First"; the pattern keeps its article ("the bunker").
            core = ws[1:] if ws[:1] == ["the"] else ws
            if not core or (len(core) == 1 and (len(core[0]) < 5 or core[0] in STOP or core[0] in given or core[0] in common)):
                continue
            if all(w in STOP or w in GENERIC or len(w) <= 2 for w in ws):
                continue
            out.add(" ".join(ws))
    print("# Hosting and data-centre provider names from client9/ipcat datacenters-stats.csv (commit")
    print("# a26c906069861bcfb9d63372ccdb92941eb80d78, data of 2019-02-20; MIT licence, see SOURCES.md).")
    print("# Derived by derive/ipcat_hosting_names.py. One pattern per line (folded words).")
    for n in sorted(out):
        print(n)


if __name__ == "__main__":
    main(*sys.argv[1:6])
