//! Loading the rule data files in `data/` (compiled in with `include_str!`).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::text::{Pattern, words};
use crate::class::Class;
use crate::error::{Error, Result};

pub(crate) const NAME_WORDS: (&str, &str) = ("data/name-words.txt", include_str!("data/name-words.txt"));
pub(crate) const KNOWN_NETWORKS: (&str, &str) = ("data/known-networks.txt", include_str!("data/known-networks.txt"));
pub(crate) const COMPANY_WORDS: (&str, &str) = ("data/company-words.txt", include_str!("data/company-words.txt"));
pub(crate) const COMPANY_FORMS: (&str, &str) =
    ("data/company-legal-forms.txt", include_str!("data/company-legal-forms.txt"));
pub(crate) const SOLE_ELF: (&str, &str) =
    ("data/sole-proprietor-elf.txt", include_str!("data/sole-proprietor-elf.txt"));
pub(crate) const SOLE_NAMES: (&str, &str) = ("data/sole-trader-names.txt", include_str!("data/sole-trader-names.txt"));
pub(crate) const REGISTRY_FORMS: (&str, &str) = ("data/registry-forms.txt", include_str!("data/registry-forms.txt"));
pub(crate) const HOSTING_IPCAT: (&str, &str) =
    ("data/hosting-providers-ipcat.txt", include_str!("data/hosting-providers-ipcat.txt"));
pub(crate) const HOSTING_RANGES: (&str, &str) =
    ("data/hosting-providers-ranges.txt", include_str!("data/hosting-providers-ranges.txt"));
pub(crate) const GIVEN_NAMES: (&str, &str) = ("data/given-names.txt", include_str!("data/given-names.txt"));
pub(crate) const GIVEN_NAMES_BR: (&str, &str) = ("data/given-names-br.txt", include_str!("data/given-names-br.txt"));
pub(crate) const GIVEN_NAMES_EAST_ASIAN: (&str, &str) =
    ("data/given-names-east-asian.txt", include_str!("data/given-names-east-asian.txt"));
pub(crate) const PINYIN_SYLLABLES: (&str, &str) =
    ("data/pinyin-syllables.txt", include_str!("data/pinyin-syllables.txt"));
pub(crate) const COUNTRIES: (&str, &str) = ("data/countries.txt", include_str!("data/countries.txt"));
pub(crate) const PARTICLES: (&str, &str) = ("data/surname-particles.txt", include_str!("data/surname-particles.txt"));
pub(crate) const LARGE_NETWORKS: (&str, &str) = ("data/large-networks.txt", include_str!("data/large-networks.txt"));
pub(crate) const EXIT_HOSTS: (&str, &str) = ("data/exit-hosts.txt", include_str!("data/exit-hosts.txt"));
pub(crate) const ARIN_ISP_SIZED: (&str, &str) = ("data/arin-isp-sized.txt", include_str!("data/arin-isp-sized.txt"));
pub(crate) const GROUP_COMMON_WORDS: (&str, &str) =
    ("data/group-common-words.txt", include_str!("data/group-common-words.txt"));
pub(crate) const GROUP_INDUSTRIES: (&str, &str) =
    ("data/group-industries.txt", include_str!("data/group-industries.txt"));
pub(crate) const POLISH_TRADE_ABBREVIATIONS: (&str, &str) =
    ("data/polish-trade-abbreviations.txt", include_str!("data/polish-trade-abbreviations.txt"));
pub(crate) const POLISH_TRADE_WORDS: (&str, &str) =
    ("data/polish-trade-words.txt", include_str!("data/polish-trade-words.txt"));
pub(crate) const IT_SERVICE_WORDS: (&str, &str) =
    ("data/it-service-words.txt", include_str!("data/it-service-words.txt"));

/// A rule from `name-words.txt` or `known-networks.txt`: any of `patterns` gives `class`.
#[derive(Debug, Clone)]
pub(crate) struct WordRule {
    pub(crate) class: Class,
    pub(crate) label: String,
    pub(crate) patterns: Vec<Pattern>,
    /// Marked `no-form`: the rule does not fire on a name with a company legal form (`agency`
    /// names public bodies, but `Smart Agency S.R.L.` is a firm).
    pub(crate) without_form: bool,
}

/// Where a sole-trader name pattern must stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    Prefix,
    Suffix,
    Any,
}

/// How much a sole-trader marker says on its own (the second column of `sole-trader-names.txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// The marker alone makes a sole trader (`FOP`, `trading as`).
    Strong,
    /// Only with a listed given name beside it (`PE`, `IP`).
    Weak,
    /// A form that names natural persons in one country and legal persons elsewhere (`s.c.`,
    /// `s.p.`, `PFA`): only when the rest of the name names a person.
    Persons,
}

/// A rule from `sole-trader-names.txt`.
#[derive(Debug, Clone)]
pub(crate) struct NameRule {
    pub(crate) position: Position,
    pub(crate) strength: Strength,
    pub(crate) label: String,
    pub(crate) patterns: Vec<Pattern>,
}

/// A line of `registry-forms.txt`.
#[derive(Debug, Clone)]
pub(crate) struct RegistryRule {
    pub(crate) scheme: Option<String>,
    pub(crate) field: RegistryField,
    /// Folded value; `prefix` when written with a trailing `*`.
    pub(crate) value: String,
    pub(crate) prefix: bool,
    pub(crate) class: Class,
    pub(crate) label: String,
}

/// Which registry field a [`RegistryRule`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegistryField {
    Category,
    LegalForm,
    /// The industry code's digits (SIC, NACE/NAF, SBI), compared as a prefix.
    Industry,
    /// The industry as text (a listed company's GICS-style industry), folded.
    IndustryText,
}

/// The digits of an industry code (`63.11Z` → `6311`, `61100 - Wired …` → `61100`).
pub(crate) fn industry_digits(s: &str) -> String {
    s.split(" - ").next().unwrap_or(s).chars().filter(char::is_ascii_digit).collect()
}

/// Folds a registry value for comparison: words joined by one space.
pub(crate) fn fold_value(s: &str) -> String {
    words(s).join(" ")
}

fn bad(file: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Source {
        path: PathBuf::from(format!("crates/core/src/compile/classify/{file}")),
        line: line as u64,
        message: message.into(),
    }
}

/// The non-comment, non-blank lines of a data file with their 1-based numbers.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn patterns(file: &str, no: usize, list: &str) -> Result<Vec<Pattern>> {
    let mut out = Vec::new();
    for item in list.split(',') {
        if item.trim().is_empty() {
            continue;
        }
        out.push(Pattern::parse(item).ok_or_else(|| bad(file, no, format!("pattern {item:?} has no word")))?);
    }
    if out.is_empty() {
        return Err(bad(file, no, "no patterns after ':'"));
    }
    Ok(out)
}

/// Parses `<class> <label>: pattern, …` lines.
pub(crate) fn parse_word_rules((file, text): (&str, &str)) -> Result<Vec<WordRule>> {
    let mut out = Vec::new();
    for (no, line) in lines(text) {
        let (head, list) = line.split_once(':').ok_or_else(|| bad(file, no, "expected `<class> <label>: patterns`"))?;
        let mut it = head.split_whitespace();
        let (Some(class), Some(label), flag, None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(bad(file, no, format!("expected `<class> <label> [no-form]` before ':', found {head:?}")));
        };
        let without_form = match flag {
            None => false,
            Some("no-form") => true,
            Some(other) => return Err(bad(file, no, format!("flag {other:?} is not no-form"))),
        };
        let class: Class = class.parse().map_err(|e| bad(file, no, format!("{e}")))?;
        out.push(WordRule { class, label: label.to_string(), patterns: patterns(file, no, list)?, without_form });
    }
    Ok(out)
}

/// Parses `<where> <strength> <label>: pattern, …` lines.
pub(crate) fn parse_name_rules((file, text): (&str, &str)) -> Result<Vec<NameRule>> {
    let mut out = Vec::new();
    for (no, line) in lines(text) {
        let (head, list) =
            line.split_once(':').ok_or_else(|| bad(file, no, "expected `<where> <strength> <label>:`"))?;
        let parts: Vec<&str> = head.split_whitespace().collect();
        let [position, strength, label] = parts[..] else {
            return Err(bad(file, no, format!("expected `<where> <strength> <label>` before ':', found {head:?}")));
        };
        let position = match position {
            "prefix" => Position::Prefix,
            "suffix" => Position::Suffix,
            "any" => Position::Any,
            other => return Err(bad(file, no, format!("position {other:?} is not prefix, suffix or any"))),
        };
        let strength = match strength {
            "strong" => Strength::Strong,
            "weak" => Strength::Weak,
            "persons" => Strength::Persons,
            other => return Err(bad(file, no, format!("strength {other:?} is not strong, weak or persons"))),
        };
        out.push(NameRule { position, strength, label: label.to_string(), patterns: patterns(file, no, list)? });
    }
    Ok(out)
}

/// Parses a one-word-per-line list into folded words.
pub(crate) fn parse_word_set((file, text): (&str, &str)) -> Result<HashSet<String>> {
    let mut out = HashSet::new();
    for (no, line) in lines(text) {
        let ws = words(line);
        if ws.len() != 1 {
            return Err(bad(file, no, format!("expected one word, found {line:?}")));
        }
        out.extend(ws);
    }
    Ok(out)
}

/// Parses `company-words.txt`: every word, and the words marked `!` (institutions).
pub(crate) fn parse_company_words((file, text): (&str, &str)) -> Result<(HashSet<String>, HashSet<String>)> {
    let mut marked = String::new();
    for (_, line) in lines(text) {
        if let Some(w) = line.strip_prefix('!') {
            marked.push_str(w);
            marked.push('\n');
        }
    }
    let all = parse_word_set((file, &text.replace('!', "")))?;
    let institutions = parse_word_set((file, &marked))?;
    Ok((all, institutions))
}

/// Parses a one-pattern-per-line list.
pub(crate) fn parse_pattern_lines((file, text): (&str, &str)) -> Result<Vec<Pattern>> {
    lines(text)
        .map(|(no, line)| Pattern::parse(line).ok_or_else(|| bad(file, no, format!("pattern {line:?} has no word"))))
        .collect()
}

/// Parses a list of multi-word names, one per line (`company-legal-forms.txt`, `countries.txt`),
/// into folded word sequences; `what` names an entry in the error message.
pub(crate) fn parse_phrases((file, text): (&str, &str), what: &str) -> Result<HashSet<Vec<String>>> {
    let mut out = HashSet::new();
    for (no, line) in lines(text) {
        let ws = words(line);
        if ws.is_empty() {
            return Err(bad(file, no, format!("{what} {line:?} has no word")));
        }
        out.insert(ws);
    }
    Ok(out)
}

/// Parses `sole-proprietor-elf.txt` into code → local name.
pub(crate) fn parse_elf((file, text): (&str, &str)) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for (no, line) in lines(text) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [code, _country, _status, name] = cols[..] else {
            return Err(bad(file, no, format!("expected 4 tab-separated columns, found {}", cols.len())));
        };
        if code.len() != 4 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad(file, no, format!("{code:?} is not a 4-character ELF code")));
        }
        out.insert(code.to_ascii_uppercase(), name.to_string());
    }
    Ok(out)
}

/// Parses a list of names, one per line (`large-networks.txt`), into their folded forms.
pub(crate) fn parse_folded_names((_file, text): (&str, &str)) -> HashSet<String> {
    lines(text).map(|(_, line)| fold_value(line)).filter(|n| !n.is_empty()).collect()
}

/// Parses `registry-forms.txt`.
pub(crate) fn parse_registry_rules((file, text): (&str, &str)) -> Result<Vec<RegistryRule>> {
    let mut out = Vec::new();
    for (no, line) in lines(text) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [scheme, field, value, class, label] = parts[..] else {
            return Err(bad(file, no, format!("expected 5 columns, found {}", parts.len())));
        };
        let field = match field {
            "category" => RegistryField::Category,
            "legal_form" => RegistryField::LegalForm,
            "industry" => RegistryField::Industry,
            "industry_text" => RegistryField::IndustryText,
            other => {
                return Err(bad(
                    file,
                    no,
                    format!("field {other:?} is not category, legal_form, industry or industry_text"),
                ));
            }
        };
        let class: Class = class.parse().map_err(|e| bad(file, no, format!("{e}")))?;
        let prefix = value.ends_with('*');
        let value = match field {
            RegistryField::Industry => industry_digits(value),
            _ => fold_value(&value.trim_end_matches('*').replace('_', " ")),
        };
        if value.is_empty() {
            return Err(bad(file, no, "empty value"));
        }
        out.push(RegistryRule {
            scheme: (scheme != "*").then(|| scheme.to_string()),
            field,
            value,
            prefix,
            class,
            label: label.to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_name_file_and_line() {
        let e = parse_word_rules(("x.txt", "# c\nisp cable cable\n")).expect_err("malformed").to_string();
        assert!(e.contains("x.txt:2:"), "{e}");
        let e = parse_word_rules(("x.txt", "nonsense label: a\n")).expect_err("malformed").to_string();
        assert!(e.contains("x.txt:1:") && e.contains("unknown class"), "{e}");
        let e = parse_registry_rules(("r.txt", "\n* category X\n")).expect_err("malformed").to_string();
        assert!(e.contains("r.txt:2:"), "{e}");
        let e = parse_name_rules(("n.txt", "middle strong x: a\n")).expect_err("malformed").to_string();
        assert!(e.contains("n.txt:1:") && e.contains("middle"), "{e}");
        let e = parse_elf(("e.txt", "4QXM\tNL\n")).expect_err("malformed").to_string();
        assert!(e.contains("e.txt:1:"), "{e}");
    }
}
