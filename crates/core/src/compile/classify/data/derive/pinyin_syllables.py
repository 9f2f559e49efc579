#!/usr/bin/env python3
"""Derives ../pinyin-syllables.txt: the syllables of Hanyu Pinyin without tone marks ('liang',
'yi', 'ma'), for the East Asian person rule: a glued two-syllable given name beside a one-syllable
family name ('Liangyi Ma', 'YangXu Liao') is a romanised Chinese person's name.

    pip download --no-deps pypinyin==0.55.0 && unzip -o pypinyin-0.55.0-*.whl
    python3 pinyin_syllables.py pypinyin/pinyin_dict.json > ../pinyin-syllables.txt

Source: pypinyin 0.55.0 (MIT), `pinyin_dict.json`: each Han character's readings. Every reading is
folded (tone marks and the umlaut dropped: 'lǜ' -> 'lu'), and the distinct folded syllables of
letters a-z with a vowel are written one per line, sorted (the interjections 'm', 'n', 'ng', 'hm',
'hng' are no name's syllables).
"""
import json
import re
import sys
import unicodedata


def fold(reading):
    decomposed = unicodedata.normalize("NFKD", reading)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def main(path):
    with open(path, encoding="utf-8") as f:
        table = json.load(f)
    syllables = {fold(r) for readings in table.values() for r in readings.split(",")}
    print("# Pinyin syllables without tones: derived from pypinyin 0.55.0 (MIT), pinyin_dict.json.")
    print("# See SOURCES.md. Derivation: derive/pinyin_syllables.py. One syllable per line.")
    for s in sorted(s for s in syllables if re.fullmatch(r"[a-z]*[aeiou][a-z]*", s)):
        print(s)


if __name__ == "__main__":
    main(sys.argv[1])
