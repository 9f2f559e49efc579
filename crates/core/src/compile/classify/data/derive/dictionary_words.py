#!/usr/bin/env python3
"""Derives ../dictionary-words.txt: ordinary dictionary words (nouns, adjectives, verbs) that
occur in organisation names, so that a holder name made of them ("Teachers Pension", "Famous
Worker", "Wahl Clipper", "Ming Yi Tea Farm") is not read as a person's name.

    python3 dictionary_words.py ../given-names.txt VOCAB... > ../dictionary-words.txt

Word lists (Debian packages, read from /usr/share/dict; only permissively licensed ones):
  wamerican  (SCOWL, Kevin Atkinson; permissive licence)   /usr/share/dict/american-english
  wdutch     (OpenTaal; BSD or CC BY 3.0)                   /usr/share/dict/dutch
The German, French, Spanish, Italian and Portuguese lists are GPL, so not used. wpolish (Apache-2.0
or CC BY 4.0) was tried and left out: its millions of inflected forms hold Portuguese, Korean and
Indian names ("Mota", "Jeju", "Nagar"), which released persons' names.
VOCAB: organisation-name tables whose words bound the output (a word no organisation uses is
not worth shipping): the ip-location-db ASN tables (asn-ipv4.csv.gz, asn-ipv6.csv.gz: the 4th
column) and GLEIF legal names (gleif_lei_subset.csv.gz: the 2nd column).

A word is kept when, folded (lower case, diacritics dropped), it
  * has four or more letters a-z,
  * is a lower-case entry of a word list (a common word),
  * is a capitalised entry of none of them (so no surname or place that the lists know as a
    name: "Baker", "Visser", "Wolf" stay out, as do their common-noun homographs),
  * is not in the given-names list,
  * occurs in at least MIN_VOCAB names of the vocabulary tables (a word organisations use often;
    rarer ones are as likely a surname: Dutch "alleman" in the person "Sting Alleman").
One word per line, sorted, then the endings of SUFFIXES as `*ending`; deterministic for the
same inputs.
"""
import csv
import gzip
import re
import sys
import unicodedata
from collections import Counter

LISTS = ["/usr/share/dict/american-english", "/usr/share/dict/dutch"]
MIN_VOCAB = 10

# Written for ipfirm: endings of organisation nouns in languages whose word lists are GPL (German,
# Portuguese, Spanish, Italian) or not packaged (Turkish): Stiftung, Verwaltung, Freiheit, Gemeinschaft, Wasserverband, Netze. The
# classifier applies an ending to the word itself or a word at least four letters longer, never to
# a given name. A bare "-ung" is no ending here: Korean given names end so ("Hanseung Kim").
SUFFIXES = ["stiftung", "verwaltung", "vereinigung", "versorgung", "forschung", "heit", "keit", "schaft",
            "verband", "verein", "netze", "werke", "zentrum", "kasse", "rundfunk", "magistrat",
            # Portuguese, Spanish and Italian abstract nouns (solucoes, comunicacao, sociedade,
            # seguridad, universidad, informazione, tecnologia); "-cion", "-idad" and "-dade" alone
            # are left out: Asuncion, Concepcion, Trinidad, Trindade are names.
            "acao", "icao", "coes", "ciones", "edad", "udad", "ridad", "sidad", "lidad", "idade", "edade",
            "zione", "zioni", "logia", "logias",
            # Turkish plural possessives (hizmetleri, teknolojileri, urunleri) and organisation words.
            "leri", "lari", "ticaret", "sanayi", "odasi"]


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def vocab_names(path):
    opener = gzip.open if path.endswith(".gz") else open
    col = 1 if "gleif" in path else 3
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for row in csv.reader(f):
            if len(row) > col:
                yield row[col]


def main(given_path, vocab_paths):
    with open(given_path, encoding="utf-8") as f:
        given = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    lower, capital = set(), set()
    for path in LISTS:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                w = line.strip()
                if not w or "'" in w:
                    continue
                fw = fold(w)
                if not re.fullmatch(r"[a-z]{4,}", fw):
                    continue
                (capital if w[0].isupper() else lower).add(fw)
    common = lower - capital - given
    seen = Counter()
    for path in vocab_paths:
        for name in vocab_names(path):
            for w in set(re.findall(r"[a-z]+", fold(name))):
                if w in common:
                    seen[w] += 1
    print("# Common words (not names) of the wamerican (SCOWL) and wdutch (OpenTaal) word lists that occur")
    print("# in ten or more organisation names (ip-location-db ASN tables, GLEIF legal names); minus")
    print("# given names and every word a list also spells capitalised. Derived by derive/dictionary_words.py;")
    print("# see SOURCES.md. One folded word per line.")
    for w in sorted(w for w, n in seen.items() if n >= MIN_VOCAB):
        print(w)
    print("# Written for ipfirm: endings of organisation nouns (the word, or one four letters longer).")
    for s in SUFFIXES:
        print("*" + s)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: dictionary_words.py given-names.txt VOCAB.csv[.gz]...")
    main(sys.argv[1], sys.argv[2:])
