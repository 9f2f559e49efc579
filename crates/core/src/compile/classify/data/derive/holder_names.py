"""Helpers shared by the derivations that list AS holders by name (exit_hosts.py,
arin_isp_sized.py): folding as the classifier's loader does, reading a one-entry-per-line list,
and finding a company legal form (company-legal-forms.txt) anywhere in a name."""
import re
import unicodedata

# The longest legal-form phrase, in words (`sp z o o sp k`).
MAX_FORM_WORDS = 6


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", s)


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def legal_forms(path):
    """The folded legal-form phrases of company-legal-forms.txt, as word tuples."""
    return {tuple(fold(l)) for l in lines(path)} - {()}


def has_legal_form(words, forms):
    n = len(words)
    return any(tuple(words[i:j]) in forms for i in range(n) for j in range(i + 1, min(n, i + MAX_FORM_WORDS) + 1))
