//! Company-name normalisation for the IP-organisation ↔ registry join.
//!
//! Two spellings of one company should give the same key, two companies should not:
//!
//! 1. Unicode folding: compatibility decomposition (NFKD), combining marks dropped
//!    (`Société` → `societe`), a few letters without a decomposition spelled out (`ß` → `ss`,
//!    `ø` → `o` …), lower case.
//! 2. Punctuation becomes a word break, `&` becomes `and`; runs of one-letter words are glued
//!    (`b v` from `B.V.` → `bv`), so dotted and undotted abbreviations agree.
//! 3. Legal-form words and abbreviations at the end of the name are stripped (`Acme Widgets
//!    B.V.` → `acme widgets`), taken from the ISO 20275 ELF list (`data/elf-legal-forms.tsv`) plus a
//!    short list of common forms it lacks (`data/legal-form-extra.txt`). A name made only of
//!    legal-form words is kept as it is.
//! 4. `X trading as Y` / `X t/a Y` / `X d/b/a Y` / `X h.o.d.n. Y` is split into the holder `X`
//!    and the trade name `Y` ([`split_trading_as`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const ELF_TSV: &str = include_str!("../../data/elf-legal-forms.tsv");
const EXTRA: &str = include_str!("../../data/legal-form-extra.txt");

/// Longest legal-form phrase (in words) that is stripped.
const MAX_FORM_WORDS: usize = 8;

/// The normalised legal-form phrases (each as its words joined by one space), with the countries
/// whose law defines them (empty when the phrase only comes from the extra list).
#[derive(Debug)]
pub struct LegalForms {
    phrases: HashMap<String, Vec<String>>,
}

impl LegalForms {
    /// The bundled list (parsed once).
    pub fn get() -> &'static LegalForms {
        static FORMS: OnceLock<LegalForms> = OnceLock::new();
        FORMS.get_or_init(LegalForms::load)
    }

    fn load() -> LegalForms {
        let mut phrases: HashMap<String, Vec<String>> = HashMap::new();
        let mut add = |s: &str, country: Option<&str>| {
            let words = words(s);
            if !words.is_empty() && words.len() <= MAX_FORM_WORDS {
                let countries = phrases.entry(words.join(" ")).or_default();
                if let Some(c) = country.filter(|c| c.len() == 2 && !countries.iter().any(|x| x == c)) {
                    countries.push(c.to_string());
                }
            }
        };
        for line in ELF_TSV.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            // elf_code, country, status, local_name, transliterated_name, abbreviations
            let country = cols.get(1).copied();
            for name in cols.iter().skip(3).take(2) {
                add(name, country);
            }
            if let Some(abbr) = cols.get(5) {
                abbr.split(';').for_each(|a| add(a, country));
            }
        }
        for line in EXTRA.lines().filter(|l| !l.starts_with('#')) {
            add(line, None);
        }
        LegalForms { phrases }
    }

    /// True when `phrase` (normalised words joined by spaces) is a legal form.
    pub fn contains(&self, phrase: &str) -> bool {
        self.phrases.contains_key(phrase)
    }

    /// The countries whose law defines `phrase` (ISO alpha-2; empty when unknown).
    pub fn countries(&self, phrase: &str) -> &[String] {
        self.phrases.get(phrase).map_or(&[], Vec::as_slice)
    }

    /// How many phrases are known.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// True when no phrase is known.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

/// Folds one character to lower-case ASCII-ish text (letters without a Unicode decomposition
/// spelled out), pushing the result to `out`.
fn fold_char(c: char, out: &mut String) {
    match c {
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ø' | 'Ø' => out.push('o'),
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'ł' | 'Ł' => out.push('l'),
        'þ' | 'Þ' => out.push_str("th"),
        'ı' => out.push('i'),
        '&' | '+' => out.push_str(" and "),
        c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
        // Apostrophes join (`McDonald's` → `mcdonalds`), everything else separates words.
        '\'' | '’' | '`' => {}
        _ => out.push(' '),
    }
}

/// The words of `s` after Unicode folding, lower-casing and punctuation removal, with runs of
/// one-letter words glued together (`B.V.` → `["bv"]`, `A B C Ltd` → `["abc", "ltd"]`).
pub fn words(s: &str) -> Vec<String> {
    let mut folded = String::with_capacity(s.len());
    for c in s.nfkd().filter(|c| !is_combining_mark(*c)) {
        fold_char(c, &mut folded);
    }
    let mut out: Vec<String> = Vec::new();
    let mut glue = false;
    for w in folded.split_whitespace() {
        let single = w.chars().count() == 1;
        match out.last_mut() {
            Some(last) if single && glue => last.push_str(w),
            _ => out.push(w.to_string()),
        }
        glue = single;
    }
    out
}

/// The join key of a company name: its [`words`] with trailing legal-form phrases (and a
/// leading `the`) removed, joined by single spaces. Empty only for a name without letters or
/// digits.
pub fn name_key(s: &str) -> String {
    name_key_with(s, LegalForms::get())
}

/// [`name_key`] with an explicit legal-form list.
pub fn name_key_with(s: &str, forms: &LegalForms) -> String {
    name_parts_with(s, forms).0
}

/// The join key of a name and the legal-form phrases stripped from its end (last first).
pub fn name_parts(s: &str) -> (String, Vec<String>) {
    name_parts_with(s, LegalForms::get())
}

/// The countries the legal forms of a name point to (`GmbH` → DE, AT, CH …): the countries
/// of the first stripped form whose countries are known; empty when none is.
pub fn form_countries(forms: &[String]) -> Vec<String> {
    let lf = LegalForms::get();
    forms.iter().map(|f| lf.countries(f)).find(|c| !c.is_empty()).map(<[String]>::to_vec).unwrap_or_default()
}

/// [`name_parts`] with an explicit legal-form list.
pub fn name_parts_with(s: &str, forms: &LegalForms) -> (String, Vec<String>) {
    let mut stripped = Vec::new();
    let mut w = words(s);
    if w.len() > 1 && w[0] == "the" {
        w.remove(0);
    }
    // Strip the longest legal-form phrase at the end, repeatedly ("Acme Holding B.V. i.o."
    // is left alone; "Acme GmbH & Co. KG" loses "gmbh and co kg").
    'outer: while w.len() > 1 {
        let max = MAX_FORM_WORDS.min(w.len() - 1);
        for n in (1..=max).rev() {
            let tail = w[w.len() - n..].join(" ");
            if forms.contains(&tail) {
                w.truncate(w.len() - n);
                stripped.push(tail);
                continue 'outer;
            }
        }
        break;
    }
    (w.join(" "), stripped)
}

/// The name spelled with German umlauts written out (`Hannover Rück` → `Hannover Rueck`), as
/// ASCII-only records (RIPE objects, AS names) write them; `None` when the name has none. The
/// plain folding drops the dots (`ruck`), so a registry record is indexed under both spellings.
pub fn umlauts_spelled_out(s: &str) -> Option<String> {
    if !s.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü']) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            c => out.push(c),
        }
    }
    Some(out)
}

/// The name without a leading handle that only repeats it (`Crealogix-AG Crealogix AG`,
/// `HannoverRueck Hannover Rueck SE`, `DCNET - DC NET LLC`): AS names in the routing tables are
/// often the AS handle glued to the organisation's name. The handle must spell out two or more
/// of the words after it, or one word after a ` - `: `Best Best & Krieger LLP` keeps its name.
/// `None` when there is no such handle or nothing would be left.
pub fn without_repeated_handle(s: &str) -> Option<&str> {
    let fold = |t: &str| -> String { t.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect() };
    let s = s.trim();
    let (handle, rest) = s.split_once(char::is_whitespace)?;
    let handle = fold(handle);
    let rest = rest.trim_start();
    let (rest, dash) = match rest.strip_prefix("- ") {
        Some(r) => (r.trim_start(), true),
        None => (rest, false),
    };
    if handle.len() < 3 || rest.is_empty() {
        return None;
    }
    let mut spelled = String::new();
    for (n, word) in rest.split_whitespace().enumerate() {
        let w = fold(word);
        if w.is_empty() {
            return None;
        }
        spelled.push_str(&w);
        if spelled == handle {
            return (n >= 1 || dash).then_some(rest);
        }
        if !handle.starts_with(&spelled) {
            return None;
        }
    }
    None
}

/// Splits `"X trading as Y"` (also `t/a`, `ta`, `d/b/a`, `dba`, `h.o.d.n.`, `handelend onder
/// de naam`, `handelnd als`) into `(X, Y)`; `None` when the name has no such phrase.
pub fn split_trading_as(s: &str) -> Option<(String, String)> {
    let lower = s.to_lowercase();
    // Markers that stand between two names, matched on word boundaries of the original text.
    const MARKERS: &[&str] = &[
        " trading as ",
        " t/a ",
        " t/as ",
        " d/b/a ",
        " dba ",
        " d.b.a. ",
        " h.o.d.n. ",
        " hodn ",
        " handelend onder de naam ",
        " handelnd als ",
        " handelnd unter ",
        " faisant affaire sous le nom ",
    ];
    for m in MARKERS {
        if let Some(i) = lower.find(m) {
            // `to_lowercase` can change byte lengths; only split when it did not.
            if lower.len() != s.len() {
                break;
            }
            let (a, b) = (s[..i].trim(), s[i + m.len()..].trim());
            let a = a.trim_end_matches([',', ';', '-']).trim();
            if !a.is_empty() && !b.is_empty() {
                return Some((a.to_string(), b.to_string()));
            }
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn folds_unicode_case_and_punctuation() {
        assert_eq!(words("Société Générale S.A."), ["societe", "generale", "sa"]);
        assert_eq!(words("Straße & Söhne"), ["strasse", "and", "sohne"]);
        assert_eq!(words("ＡＢＣ Ｔｅｌｅｃｏｍ"), ["abc", "telecom"]);
        assert_eq!(words("McDonald's"), ["mcdonalds"]);
    }

    #[test]
    fn legal_forms_come_from_the_elf_list() {
        let f = LegalForms::get();
        assert!(f.len() > 3000, "{}", f.len());
        // From the ELF file (NL 54M6 "B.V.", DE "GmbH", FR "société par actions simplifiée").
        for p in ["bv", "gmbh", "societe par actions simplifiee", "plc"] {
            assert!(f.contains(p), "{p}");
        }
    }

    #[test]
    fn keys_agree_across_spellings() {
        assert_eq!(name_key("Acme Widgets B.V."), name_key("ACME WIDGETS BV"));
        assert_eq!(name_key("Acme Widgets B.V."), "acme widgets");
        assert_eq!(name_key("Deutsche Telekom AG"), "deutsche telekom");
        assert_eq!(name_key("The Example Company Limited"), "example");
        assert_eq!(name_key("Müller GmbH & Co. KG"), name_key("MULLER GMBH AND CO KG"));
        assert_eq!(name_key("Orange S.A."), "orange");
        // A name that is only a legal form is kept.
        assert_eq!(name_key("Limited"), "limited");
        assert_ne!(name_key("Acme Widgets"), name_key("Acme Gadgets"));
    }

    #[test]
    fn umlauts_are_also_spelled_out() {
        assert_eq!(umlauts_spelled_out("Hannover Rück SE").as_deref(), Some("Hannover Rueck SE"));
        assert_eq!(umlauts_spelled_out("Ölwerke Äpfel Übersee").as_deref(), Some("Oelwerke Aepfel Uebersee"));
        assert_eq!(umlauts_spelled_out("Hannover Re"), None);
        assert_eq!(name_key(&umlauts_spelled_out("Hannover Rück SE").unwrap()), name_key("Hannover Rueck SE"));
    }

    #[test]
    fn a_handle_that_repeats_the_name_is_dropped() {
        assert_eq!(without_repeated_handle("Crealogix-AG Crealogix AG"), Some("Crealogix AG"));
        assert_eq!(without_repeated_handle("HannoverRueck Hannover Rueck SE"), Some("Hannover Rueck SE"));
        assert_eq!(without_repeated_handle("DCNET - DC NET LLC"), Some("DC NET LLC"));
        assert_eq!(without_repeated_handle("Egyptair - Egyptair"), Some("Egyptair"));
        assert_eq!(without_repeated_handle("optibase_ltd Optibase ltd"), Some("Optibase ltd"));
        // A repeated family name, a partnership, a handle that is something else: kept.
        assert_eq!(without_repeated_handle("Best Best & Krieger LLP"), None);
        assert_eq!(without_repeated_handle("Morgan & Morgan, P.A."), None);
        assert_eq!(without_repeated_handle("ACME-NET Acme Widgets Ltd"), None);
        assert_eq!(without_repeated_handle("Acme"), None);
        assert_eq!(without_repeated_handle("AB - "), None);
    }

    #[test]
    fn legal_forms_point_to_countries() {
        let (key, forms) = name_parts("Hughes Network Systems GmbH");
        assert_eq!(key, "hughes network systems");
        let c = form_countries(&forms);
        assert!(c.iter().any(|x| x == "DE") && !c.iter().any(|x| x == "GB"), "{c:?}");
        let c = form_countries(&name_parts("Six Degrees Technology Group Limited").1);
        assert!(c.iter().any(|x| x == "GB") && !c.iter().any(|x| x == "DE"), "{c:?}");
    }

    #[test]
    fn trading_as_splits() {
        assert_eq!(
            split_trading_as("John Smith trading as Smith Plumbing"),
            Some(("John Smith".into(), "Smith Plumbing".into()))
        );
        assert_eq!(split_trading_as("J. Jansen h.o.d.n. Jansen ICT"), Some(("J. Jansen".into(), "Jansen ICT".into())));
        assert_eq!(split_trading_as("A Smith T/A Quick Cabs"), Some(("A Smith".into(), "Quick Cabs".into())));
        assert_eq!(split_trading_as("Trading Post Ltd"), None);
    }
}
