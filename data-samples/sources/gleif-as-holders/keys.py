"""The join key shared by the AS-holder slices: approximates ipfirm's normalize::name_key (fold to
lower-case ASCII words, glue runs of one-letter words, drop a leading "the", strip legal-form
phrases of crates/core/src/compile/classify/data/company-legal-forms.txt from the end)."""
import csv
import gzip
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FORMS_FILE = os.path.join(HERE, "..", "..", "..", "crates", "core", "src", "compile", "classify", "data",
                          "company-legal-forms.txt")


def words(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    ws = [w for w in re.split(r"[^0-9a-z]+", s) if w]
    out, run = [], ""
    for w in ws:
        if len(w) == 1 and w.isalpha():
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return out


def load_forms():
    forms = set()
    for line in open(FORMS_FILE, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            w = words(line)
            if w:
                forms.add(" ".join(w))
    return forms


FORMS = load_forms()
MAX_FORM = max(len(f.split()) for f in FORMS)


def split_form(name):
    """(join key words, legal-form words stripped from the end)."""
    w = words(name)
    if len(w) > 1 and w[0] == "the":
        w = w[1:]
    form = []
    changed = True
    while changed and len(w) > 1:
        changed = False
        for n in range(min(MAX_FORM, len(w) - 1), 0, -1):
            if " ".join(w[-n:]) in FORMS:
                form = w[-n:] + form
                w = w[:-n]
                changed = True
                break
    return w, form


def key(name):
    return " ".join(split_form(name)[0])


# ipfirm's join.rs MIN_GLUED: shorter keys are not joined with their spaces taken out.
MIN_GLUED = 8


def glued(k):
    """A join key without its spaces (join.rs `glued`): `jp morgan chase` and `jpmorgan chase` agree."""
    return k.replace(" ", "")


def matches_holder(k, holders, glued_holders):
    """True when a record's key can join some AS holder: the same key, or (join.rs's last try) the
    same key spaced otherwise."""
    if len(k) <= 3:
        return False
    return k in holders or (len(glued(k)) >= MIN_GLUED and glued(k) in glued_holders)


# ipfirm's company_csv.rs SHARE_CLASS_PHRASES (`security_names`); `?` is any one letter.
SHARE_CLASS_PHRASES = [
    "class ? common stock", "class ? ordinary shares", "class ? common shares", "class ? subordinate voting shares",
    "class ? shares", "class ?", "cl ?", "common stock", "common shares", "ordinary shares", "ord shs",
    "registered shares", "reg shs", "bearer shares", "subordinate voting shares",
    "sponsored american depositary shares", "american depositary shares", "depositary shares", "depositary receipts",
    "sponsored adr", "sp adr", "adr", "ads", "units",
]


def issuer_name(name):
    """company_csv.rs issuer_name: a security's name without a share-class phrase at its end."""
    ws = [(m.start(), m.group(0).lower()) for m in re.finditer(r"[^\W_]+", name)]
    for phrase in SHARE_CLASS_PHRASES:
        p = phrase.split(" ")
        if len(p) >= len(ws):
            continue
        tail = ws[len(ws) - len(p):]
        if all((len(w) == 1) if q == "?" else (w == q) for (_, w), q in zip(tail, p)):
            return name[:tail[0][0]].rstrip(" \t\n,-")
    return name


def write_slice(out, header, rows):
    """Writes a slice CSV through a temporary file, so a failed run leaves the old slice whole."""
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, out)


def as_holder_keys(raw):
    """The join keys of every AS organisation name in the whole ip-location-db ASN tables."""
    holders = set()
    for fn in ("asn-ipv4.csv.gz", "asn-ipv6.csv.gz"):
        with gzip.open(os.path.join(raw, "ip-location-db-asn", fn), "rt", encoding="utf-8") as f:
            for r in csv.reader(f):
                if len(r) > 3 and r[3].strip():
                    holders.add(key(r[3]))
    holders.discard("")
    return holders


# ipfirm's join.rs GROUP_WORDS and COMPANY_FORM_WORDS (group_key).
GROUP_WORDS = {"group", "groupe", "gruppe", "grupo", "gruppo", "grupa", "holding", "holdings", "hldgs"}
COMPANY_FORM_WORDS = {"company", "corporation", "corporacion", "compagnie", "companhia", "compania", "limited",
                      "incorporated", "berhad"}


def group_key(name):
    """Approximates ipfirm's join::group_key: the words without trailing legal forms and group words,
    where only the last phrase may hold a longer word that does not just say "company"."""
    w = words(name)
    if len(w) > 1 and w[0] == "the":
        w = w[1:]
    first = True
    changed = True
    while changed and len(w) > 1:
        changed = False
        for n in range(len(w) - 1, 0, -1):
            tail = w[-n:]
            plain = all(len(x) <= 3 or x in COMPANY_FORM_WORDS or x in GROUP_WORDS for x in tail)
            if all(x in GROUP_WORDS for x in tail) or (" ".join(tail) in FORMS and (first or plain)):
                w = w[:-n]
                first = False
                changed = True
                break
    return " ".join(w)

