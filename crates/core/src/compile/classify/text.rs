//! Folding names into words, and the word patterns the rule files are written in.

/// Latin letters with diacritics (and a few ligatures) and their plain spelling.
///
/// Kept short on purpose: names in IP data are mostly ASCII already, and anything not listed
/// stays as it is (Cyrillic words in the lists are written in Cyrillic).
fn fold_char(c: char, out: &mut String) {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ķ' => "k",
        'ł' | 'ľ' | 'ļ' | 'ĺ' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ŕ' | 'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ð' => "d",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(s);
}

/// Country-code top-level domains that are also company legal forms (`PL`, `C.A.`): glued to a
/// name by a dot (`BLAST.PL`, `gremlin.ca`) they end a domain name, not a company's name.
const DOMAIN_ENDINGS: [&str; 2] = ["pl", "ca"];

/// Folds `s` into words: lower case, diacritics dropped, every non-alphanumeric character a word
/// break, and runs of two or more one-letter words glued (`B.V.` → `bv`, `e. K.` → `ek`,
/// `S.p.A.` → `spa`), so dotted and undotted spellings agree. A [`DOMAIN_ENDINGS`] word that
/// ends a domain name (`Sebastian Baginski BLAST.PL`) keeps its dot (`.pl`), so that no rule
/// reads it as a legal form.
pub(crate) fn words(s: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    let mut cur = String::new();
    // Whether `cur` began right after a dot that itself followed a letter or digit (`blast.|pl`).
    let mut after_glued_dot = false;
    let mut prev: Option<char> = None;
    let mut prev2: Option<char> = None;
    let end_word = |cur: &mut String, glued: bool, next: Option<char>, raw: &mut Vec<String>| {
        if cur.is_empty() {
            return;
        }
        let mut w = std::mem::take(cur);
        if glued && next.is_none_or(|c| c != '.' && c != '-') && DOMAIN_ENDINGS.contains(&w.as_str()) {
            w.insert(0, '.');
        }
        raw.push(w);
    };
    for c in s.chars().flat_map(char::to_lowercase) {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            // A combining mark (from "İ" lower-cased, or decomposed input): dropped, no break.
            continue;
        } else if c.is_alphanumeric() {
            if cur.is_empty() {
                after_glued_dot = prev == Some('.') && prev2.is_some_and(char::is_alphanumeric);
            }
            fold_char(c, &mut cur);
        } else {
            // Any other character ends a word; so does an apostrophe ("d'acces" -> "d", "acces";
            // "O'Brien" -> "o", "brien").
            end_word(&mut cur, after_glued_dot, Some(c), &mut raw);
        }
        prev2 = prev;
        prev = Some(c);
    }
    end_word(&mut cur, after_glued_dot, None, &mut raw);
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let single = |w: &String| w.chars().count() == 1 && w.chars().all(char::is_alphabetic);
        if single(&raw[i]) {
            let mut j = i;
            let mut glued = String::new();
            while j < raw.len() && single(&raw[j]) {
                glued.push_str(&raw[j]);
                j += 1;
            }
            if j - i >= 2 {
                out.push(glued);
                i = j;
                continue;
            }
        }
        out.push(raw[i].clone());
        i += 1;
    }
    out
}

/// One word of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum WordPat {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

impl WordPat {
    fn matches(&self, w: &str) -> bool {
        // A domain ending (`.pl`, see `words`) is the plain word to patterns; only the legal-form
        // lookups tell them apart.
        let w = w.strip_prefix('.').unwrap_or(w);
        match self {
            WordPat::Exact(p) => w == p,
            WordPat::Prefix(p) => w.starts_with(p.as_str()),
            WordPat::Suffix(p) => w.ends_with(p.as_str()),
            WordPat::Contains(p) => w.contains(p.as_str()),
        }
    }
}

/// A pattern from a rule file: consecutive words, each exact, `pre*`, `*suf` or `*mid*`; with a
/// leading `^`, only at the start of the name (after a leading `the`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    words: Vec<WordPat>,
    /// Matches only at the name's first word (`^bank of canada` is not `Royal Bank of Canada`).
    anchored: bool,
    /// The pattern as written, for error messages and tests.
    pub(crate) text: String,
}

impl Pattern {
    /// Parses one pattern; `None` when it folds to no word at all.
    pub(crate) fn parse(text: &str) -> Option<Pattern> {
        let text = text.trim();
        let anchored = text.starts_with('^');
        let body = text.trim_start_matches('^').trim_start();
        let lead = body.starts_with('*');
        let trail = body.len() > 1 && body.ends_with('*');
        let folded = words(body.trim_matches('*'));
        let n = folded.len();
        let mut pats = Vec::with_capacity(n);
        for (k, w) in folded.into_iter().enumerate() {
            let l = lead && k == 0;
            let t = trail && k == n - 1;
            pats.push(match (l, t) {
                (true, true) => WordPat::Contains(w),
                (true, false) => WordPat::Suffix(w),
                (false, true) => WordPat::Prefix(w),
                (false, false) => WordPat::Exact(w),
            });
        }
        if pats.is_empty() {
            return None;
        }
        Some(Pattern { words: pats, anchored, text: text.to_string() })
    }

    /// Number of words the pattern spans.
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the pattern matches `ws` starting at word `at`.
    pub(crate) fn matches_at(&self, ws: &[String], at: usize) -> bool {
        if self.anchored && at != usize::from(ws.len() > 1 && ws[0] == "the") {
            return false;
        }
        at + self.words.len() <= ws.len() && self.words.iter().zip(&ws[at..]).all(|(p, w)| p.matches(w))
    }

    /// The first word index where the pattern matches.
    pub(crate) fn find(&self, ws: &[String]) -> Option<usize> {
        (0..ws.len()).find(|&i| self.matches_at(ws, i))
    }

    /// True when the pattern matches the first words of `ws`.
    pub(crate) fn is_prefix_of(&self, ws: &[String]) -> bool {
        self.matches_at(ws, 0)
    }

    /// True when the pattern matches the last words of `ws`.
    pub(crate) fn is_suffix_of(&self, ws: &[String]) -> bool {
        ws.len() >= self.len() && self.matches_at(ws, ws.len() - self.len())
    }
}

/// Many patterns, each with a tag (the index of the rule it belongs to), indexed by their first
/// word when it is exact, so that matching a name costs a hash lookup per word instead of a scan
/// of every pattern.
#[derive(Debug, Clone, Default)]
pub(crate) struct PatternIndex {
    by_first: std::collections::HashMap<String, Vec<(usize, Pattern)>>,
    others: Vec<(usize, Pattern)>,
}

impl PatternIndex {
    /// Indexes tagged patterns.
    pub(crate) fn new(patterns: impl IntoIterator<Item = (usize, Pattern)>) -> Self {
        let mut ix = PatternIndex::default();
        for (tag, p) in patterns {
            match &p.words[0] {
                WordPat::Exact(w) => ix.by_first.entry(w.clone()).or_default().push((tag, p)),
                _ => ix.others.push((tag, p)),
            }
        }
        ix
    }

    /// Every (tag, pattern) matching at word `i`.
    pub(crate) fn matches_at<'a>(
        &'a self,
        ws: &'a [String],
        i: usize,
    ) -> impl Iterator<Item = (usize, &'a Pattern)> + 'a {
        let first = self.by_first.get(&ws[i]).map(Vec::as_slice).unwrap_or(&[]);
        first.iter().chain(&self.others).filter(move |(_, p)| p.matches_at(ws, i)).map(|(t, p)| (*t, p))
    }

    /// Every (tag, pattern) matching anywhere in `ws`, by position.
    pub(crate) fn matches<'a>(&'a self, ws: &'a [String]) -> impl Iterator<Item = (usize, &'a Pattern)> + 'a {
        (0..ws.len()).flat_map(move |i| self.matches_at(ws, i))
    }

    /// The matching pattern with the lowest tag (the earliest rule), if any.
    pub(crate) fn first<'a>(&'a self, ws: &'a [String]) -> Option<(usize, &'a Pattern)> {
        self.matches(ws).min_by_key(|(t, _)| *t)
    }

    /// The tags of every matching rule, sorted, without repeats.
    pub(crate) fn tags(&self, ws: &[String]) -> Vec<usize> {
        let mut t: Vec<usize> = self.matches(ws).map(|(t, _)| t).collect();
        t.sort_unstable();
        t.dedup();
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_glues_dotted_abbreviations_and_drops_diacritics() {
        assert_eq!(words("Acme Widgets B.V."), ["acme", "widgets", "bv"]);
        assert_eq!(words("Universität Zürich"), ["universitat", "zurich"]);
        assert_eq!(words("TIM S.p.A."), ["tim", "spa"]);
        assert_eq!(words("Cable & Wireless"), ["cable", "wireless"]);
        assert_eq!(
            words("Fit-to-Clean Gebäudereinigung Christian Schweiger e. K."),
            ["fit", "to", "clean", "gebaudereinigung", "christian", "schweiger", "ek"]
        );
        assert_eq!(words("ФОП Іваненко"), ["фоп", "іваненко"]);
        assert_eq!(words("Jan P. de Vries"), ["jan", "p", "de", "vries"]);
    }

    #[test]
    fn a_domain_ending_is_no_legal_form_word() {
        assert_eq!(words("Sebastian Baginski BLAST.PL"), ["sebastian", "baginski", "blast", ".pl"]);
        assert_eq!(words("gremlin.ca"), ["gremlin", ".ca"]);
        // Spaced or followed by another dot, the same letters stay a legal form.
        assert_eq!(words("M&S.NET, C.A."), ["ms", "net", "ca"]);
        assert_eq!(words("Acme PL"), ["acme", "pl"]);
        assert_eq!(words("NetX.org.pl"), ["netx", "org", ".pl"]);
        assert_eq!(words("www.pl.example"), ["www", "pl", "example"]);
    }

    #[test]
    fn patterns_match_whole_words_prefixes_and_suffixes() {
        let ws = words("Universitaetsrechenzentrum Webhosting Telekomunikacja Polska");
        assert!(Pattern::parse("*rechenzentrum").expect("pattern").find(&ws).is_some());
        assert!(Pattern::parse("*hosting").expect("pattern").find(&ws).is_some());
        assert!(Pattern::parse("telekom*").expect("pattern").find(&ws).is_some());
        assert!(Pattern::parse("hosting").expect("pattern").find(&ws).is_none());
        let cf = words("Cloudflare, Inc.");
        assert!(Pattern::parse("cloud").expect("pattern").find(&cf).is_none());
        assert!(Pattern::parse("data center").expect("pattern").find(&words("Example Data Center GmbH")).is_some());
        assert!(Pattern::parse("sp z o o").expect("pattern").is_suffix_of(&words("P4 Sp. z o.o.")));
        // `^` anchors a pattern at the name's start, after a leading `the`.
        let anchored = Pattern::parse("^bank of canada").expect("pattern");
        assert!(anchored.find(&words("The Bank of Canada")).is_some());
        assert!(anchored.find(&words("Bank of Canada")).is_some());
        assert!(anchored.find(&words("Royal Bank of Canada")).is_none());
    }
}
