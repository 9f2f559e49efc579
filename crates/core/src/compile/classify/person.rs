//! Natural persons as holders: sole-trader markers in names and the shape of a person's name.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::Rules;
use super::rules::{Position, Strength};
use super::text::words;

/// `data/dictionary-words.txt`: common words of permissively licensed word lists that occur in
/// organisation names, and `*ending`s of German organisation nouns (see `derive/dictionary_words.py`).
const DICTIONARY: &str = include_str!("data/dictionary-words.txt");

struct Dictionary {
    words: HashSet<&'static str>,
    endings: Vec<&'static str>,
}

fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(|| {
        let lines = DICTIONARY.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
        let (endings, words): (Vec<&str>, Vec<&str>) = lines.partition(|l| l.starts_with('*'));
        Dictionary {
            words: words.into_iter().collect(),
            endings: endings.into_iter().map(|e| e.trim_start_matches('*')).collect(),
        }
    })
}

/// A common dictionary word (`pension`, `clipper`, `farm`) or a German organisation noun
/// (`Stiftung`, `Wasserverband`): with one of these a name is no person's name unless a given
/// name vouches for it. Words the lists also know as names (`Baker`, `Wolf`) are not in them.
pub(crate) fn is_dictionary_word(w: &str) -> bool {
    dictionary().words.contains(w) || is_organisation_noun(w)
}

/// An organisation noun by its ending (`Stiftung`, `Wasserverband`, `Solucoes`, `Sociedad`,
/// `Hizmetleri`): no surname ends so, wherever it stands in a name (given names are checked by
/// the caller).
fn is_organisation_noun(w: &str) -> bool {
    dictionary().endings.iter().any(|e| w == *e || (w.len() >= e.len() + 4 && w.ends_with(e)))
}

/// A word of five or more letters that starts like a listed given name of five or more letters
/// and is at most two letters longer (`Timothe` like `Timothy`): a spelling variant the list
/// misses; `Kassenzahnaerztliche` is no variant of `Kassem`.
fn given_like(rules: &Rules, w: &str) -> bool {
    let head: String = w.chars().take(5).collect();
    let n = w.chars().count();
    head.chars().count() == 5 && rules.given.iter().any(|g| g.starts_with(&head) && n <= g.chars().count() + 2)
}

/// A family-name ending (Slavic, Baltic, Greek, Romanian, Turkish, Armenian, Nordic) on a word
/// of five or more letters.
fn surname_ending(t: &str) -> bool {
    const ENDINGS: [&str; 24] = [
        "ski", "cki", "dzki", "ska", "cka", "dzka", "wicz", "vich", "vych", "enko", "chuk", "czuk", "ov", "ova", "ev",
        "eva", "yan", "escu", "oglu", "poulos", "idis", "akis", "sson", "vili",
    ];
    let t = t.to_lowercase();
    t.chars().count() >= 5 && ENDINGS.iter().any(|e| t.ends_with(e))
}

/// The written form shows an organisation: an acronym (two or three capitals, or four with one
/// vowel at most: `KPMG`, not `ROME`) beside words in lower case (`Cenlar FSB`), a capital inside
/// a word (`AgCenter`, `TradePort`), or a Latin word without a vowel (`THD`, `RTRN`).
fn organisation_spelling(name: &str) -> bool {
    let tokens: Vec<&str> = name.split(|c: char| !c.is_alphabetic()).filter(|t| !t.is_empty()).collect();
    let all_caps = |t: &str| t.chars().all(|c| !c.is_lowercase());
    let mixed = tokens.iter().any(|t| !all_caps(t));
    // A surname written in capitals ("Tanguy DELMER") is longer than an acronym, and a Slavic or
    // Greek family name beside one is an owner's ("CDS Mioduszewski").
    let acronym_ok = !tokens.iter().any(|t| surname_ending(t));
    tokens.iter().any(|t| {
        let n = t.chars().count();
        let vowels = t.chars().filter(|c| "AEIOUY".contains(*c)).count();
        (acronym_ok && mixed && all_caps(t) && (n == 2 || n == 3 || (n == 4 && vowels <= 1)))
            || t.chars().skip(1).zip(t.chars()).any(|(c, prev)| c.is_uppercase() && prev.is_lowercase())
            || (acronym_ok && n >= 2 && t.is_ascii() && !t.chars().any(|c| "aeiouyAEIOUY".contains(c)))
    })
}

impl Rules {
    fn is_given(&self, w: &str) -> bool {
        self.given.contains(w)
    }

    fn is_initial(w: &str) -> bool {
        w.chars().count() == 1 && w.chars().all(char::is_alphabetic)
    }

    /// A word that shows an organisation, a sector or a well-known network.
    ///
    /// In a name of two or three words, a given name first or last that a one-word pattern also
    /// spells (`Petro`, `Nato`; `Chengpu` by `*gpu`) is no such word: `Petro Shevchenko` and
    /// `Shevchenko Petro` are persons, and a word rule that fired on the name would keep it in the
    /// file, or show it.
    fn is_org_word(&self, ws: &[String], i: usize) -> bool {
        let w = &ws[i];
        let given =
            ws.len() <= 3 && (((i == 0 || i + 1 == ws.len()) && self.is_given(w)) || self.given_east_asian.contains(w));
        let counts = |p: &super::text::Pattern| !(given && p.len() == 1);
        self.company_words.contains(w)
            || w.chars().any(|c| c.is_ascii_digit())
            || self.name_index.matches_at(ws, i).any(|(_, p)| counts(p))
            || self.known_index.matches_at(ws, i).any(|(_, p)| counts(p))
    }

    /// True when no word of `ws` is a company, sector or network word and no legal form is there.
    fn plain(&self, ws: &[String]) -> bool {
        !self.has_legal_form(ws) && (0..ws.len()).all(|i| !self.is_org_word(ws, i))
    }

    /// A family name: letters only, two or more, not a given name, company or sector word.
    fn is_family(&self, ws: &[String], i: usize) -> bool {
        let w = &ws[i];
        w.chars().count() >= 2 && w.chars().all(char::is_alphabetic) && !self.is_org_word(ws, i)
    }

    /// [`Rules::is_family`] and written as no ordinary word is: three or more letters, not in the
    /// dictionary list (`Marco Brame`, not `Informatica e Reti`).
    fn distinct_family(&self, ws: &[String], i: usize) -> bool {
        ws[i].chars().count() >= 3 && self.is_family(ws, i) && !is_dictionary_word(&ws[i])
    }

    /// `Given [Given|I.]* [particle]* Family [particle* Family]*` over all of `ws`.
    fn given_then_family(&self, ws: &[String]) -> bool {
        if ws.len() < 2 || ws.len() > 5 || !self.is_given(&ws[0]) {
            return false;
        }
        let mut i = 1;
        while i < ws.len() - 1 && (self.is_given(&ws[i]) || Self::is_initial(&ws[i])) {
            i += 1;
        }
        let mut families = 0;
        while i < ws.len() {
            if self.particles.contains(&ws[i]) && i + 1 < ws.len() {
                i += 1;
                continue;
            }
            if !self.is_family(ws, i) {
                return false;
            }
            families += 1;
            i += 1;
        }
        families >= 1
    }

    /// Two to four plain words of letters, one of them a given name (`Komskov Vadim`,
    /// `Benli Zhong` is not caught: neither word is in the list).
    fn loose_person(&self, ws: &[String]) -> bool {
        self.loose_person_of(ws, 4)
    }

    /// [`Rules::loose_person`] with up to `max_words` words.
    fn loose_person_of(&self, ws: &[String], max_words: usize) -> bool {
        (2..=max_words).contains(&ws.len())
            && ws.iter().all(|w| w.chars().all(char::is_alphabetic))
            && ws.iter().filter(|w| w.chars().count() >= 2).count() >= 2
            && ws.iter().any(|w| self.is_given(w))
            && ws.iter().any(|w| !self.is_given(w) && !self.particles.contains(w))
            && self.plain(ws)
    }

    /// A word showing an institution or a firm bigger than one person.
    fn has_institution_word(&self, ws: &[String]) -> bool {
        ws.iter().any(|w| self.institution_words.contains(w))
    }
}

/// The confidence of the explicit sole-trader markers ("trading as", FOP, a patronymic …); the
/// rules that judge the shape of a name score lower.
pub(crate) const STRONG: u8 = 90;

/// True when `name` has the shape of a natural person's name (see [`super::looks_like_person`]).
pub(crate) fn looks_like_person(rules: &Rules, name: &str) -> bool {
    person_with_words(rules, name, &words(name))
}

/// [`looks_like_person`] with the name's folded words already at hand.
fn person_with_words(rules: &Rules, name: &str, ws: &[String]) -> bool {
    if rules.has_legal_form(ws) {
        return false;
    }
    // "FAMILY, Given": the part after the comma is given names (and initials) only.
    if let Some((family, given)) = name.split_once(',') {
        let fw = words(family);
        let gw = words(given);
        if !fw.is_empty()
            && !gw.is_empty()
            && rules.is_given(&gw[0])
            && gw.iter().all(|w| rules.is_given(w) || Rules::is_initial(w))
            && fw.len() <= 4
            && (0..fw.len()).all(|i| rules.particles.contains(&fw[i]) || rules.is_family(&fw, i))
            && rules.plain(&fw)
        {
            return true;
        }
    }
    rules.plain(ws) && (rules.given_then_family(ws) || rules.loose_person(ws))
}

/// The sole-trader rule a holder name fires, with its confidence: the markers of
/// `data/sole-trader-names.txt`, a person's whole name, or a name that starts with a person's
/// name and carries no legal form (`Hans Mueller Telekommunikation`: a German business without a
/// legal form is an Einzelunternehmen).
pub(crate) fn sole_trader_by_name(rules: &Rules, name: &str) -> Option<(String, u8)> {
    // Routing tables put the AS number or handle before the holder (`AS273249 - LUIS ALBERTO
    // ROMERO REYES`, `NETNAME-AS-AP - Name`): the holder is what follows.
    if let Some(rest) = without_as_prefix(name) {
        return sole_trader_by_name(rules, rest);
    }
    let ws = words(name);
    if ws.is_empty() {
        return None;
    }
    for r in &rules.sole_names {
        for p in &r.patterns {
            let at = match r.position {
                Position::Prefix => p.is_prefix_of(&ws).then_some(0),
                Position::Suffix => p.is_suffix_of(&ws).then(|| ws.len() - p.len()),
                Position::Any => p.find(&ws),
            };
            let Some(at) = at else { continue };
            // A patronymic is read from a word ending (`*ovich`, `*ovna`), which Czech/Slovak nouns
            // (`pojistovna`, insurer), place names (`Buratovich`) and eponyms share: not in a name
            // that ends in a company legal form (`… LTDA`, `… d.o.o.`; a leading `SE`/`PP` is a
            // Ukrainian sole entrepreneur's) or carries an institution word or a public body's words.
            if r.label == "patronymic"
                && (form_at_end(rules, &ws) || rules.has_institution_word(&ws) || public_body(rules, &ws))
            {
                continue;
            }
            if r.label == "trading-as" {
                // "<holder> trading as <name>": a sole trader unless the holder is a company.
                let holder = &ws[..at];
                if holder.is_empty() || rules.has_legal_form(holder) {
                    continue;
                }
            }
            // "PE Akhremenko Sergiy" is a person; "PE DIOSCURIA" (a private enterprise) and "IP
            // Telecom" are not. "<trade name> Given Family, Given Family s.c." names its partners;
            // "NETICO S.C." may be a Mexican sociedad civil (a legal person).
            let rest = || [&ws[..at], &ws[at + p.len()..]].concat();
            let conf = match r.strength {
                Strength::Strong => STRONG,
                // `ME`/`EPP`/`MEI` are Brazilian: the census's given names count there too.
                Strength::Persons if names_a_person(rules, &rest(), r.label == "micro-entrepreneur-form") => 85,
                Strength::Weak => {
                    let rest = rest();
                    if rest.is_empty()
                        || !rules.plain(&rest)
                        || !(rest.iter().any(|w| rules.is_given(w)) || family_and_initials(name, &rest))
                    {
                        continue;
                    }
                    75
                }
                Strength::Persons => continue,
            };
            return Some((format!("sole_trader:name:{}", r.label), conf));
        }
    }
    if person_with_words(rules, name, &ws) && !names_a_country(rules, &ws, 2) {
        return Some(("sole_trader:name:person".to_string(), 80));
    }
    if east_asian_person(rules, &ws) && !public_body(rules, &ws) {
        return Some(("sole_trader:name:east-asian-person".to_string(), 75));
    }
    if census_given_person(rules, name, &ws) {
        return Some(("sole_trader:name:census-given-person".to_string(), 75));
    }
    if particle_person(rules, name, &ws) && !public_body(rules, &ws) {
        return Some(("sole_trader:name:particle-person".to_string(), 75));
    }
    // RIPE holders often come as `<as-name> <organisation>`: `IXPlay-MAD-ES Cesar Maffini Martin`.
    // The weak person shape counts after a handle that repeats the name, or after any handle when
    // nothing in the name is a company form (`box-cloud MEYSAM SADEGHI KHOYGANI`, `Rudna-Net Mariola
    // Piatkowska`: the handle's `cloud`/`net` had shown the name as a provider's; `PT.MEDIA CIPTA
    // TRIMETIKA` is a company).
    if let Some((rest, repeats)) = after_handle_word(name)
        && (person_with_words(rules, rest, &words(rest))
            || ((repeats || !rules.has_legal_form(&ws)) && person_shape(rules, rest, &words(rest)))
            || (!repeats
                && !rules.has_legal_form(&ws)
                && !rest.contains(['\'', '"'])
                && east_asian_person(rules, &words(rest))))
        && !public_body(rules, &ws)
    {
        return Some(("sole_trader:name:person-after-handle".to_string(), 80));
    }
    if person_before_trade_name(rules, name) {
        return Some(("sole_trader:name:person-before-trade-name".to_string(), 80));
    }
    if initials_before_family(rules, name, &ws) {
        return Some(("sole_trader:name:initials-and-family-name".to_string(), 75));
    }
    if entrepreneur_after_name(rules, &ws) {
        return Some(("sole_trader:name:entrepreneur-after-name".to_string(), 85));
    }
    if polish_trade_prefix(rules, &ws) {
        return Some(("sole_trader:name:trade-prefix-and-person".to_string(), 85));
    }
    if italian_firm_of_person(rules, &ws) {
        return Some(("sole_trader:name:firm-of-person".to_string(), 80));
    }
    if spanish_firm_of_person(rules, name) {
        return Some(("sole_trader:name:firm-of-person".to_string(), 80));
    }
    if italian_partnership_of_persons(rules, &ws) || greek_partnership_of_persons(rules, &ws) {
        return Some(("sole_trader:name:partnership-of-persons".to_string(), 80));
    }
    if partners_names(rules, &ws) {
        return Some(("sole_trader:name:partners-names".to_string(), 80));
    }
    if before_taxpayer_number(rules, name) {
        return Some(("sole_trader:name:taxpayer-number".to_string(), 85));
    }
    if lusophone_person(rules, name, &ws) {
        return Some(("sole_trader:name:lusophone-person".to_string(), 75));
    }
    if dotted_initials_person(rules, name) {
        return Some(("sole_trader:name:initials-and-family-name".to_string(), 70));
    }
    // After every rule for the whole name: a person before a dash and a trade name (`PE Nikos
    // Antonakis - PRONETWORKS`): the part before it alone, by any rule but the weakest (two or three
    // capitalised words are as often a brand: `Danbury Hospital - ITG`); not when either part has a
    // company legal form. After the dash only a whole given-then-family name counts (`MINISTERSTWO
    // IT - Michal Winkler`, whose brand reads "ministry"), of words of three letters or more, no
    // common word and no country: a campus or branch there is a place (`University of Wisconsin -
    // Eau Claire`, `DOCOMO interTouch - Hong Kong`, `… - ABU DHABI Foreign Branch-USA`).
    if let Some((before, after)) = name.split_once(" - ")
        && !rules.has_legal_form(&words(before))
        && !rules.has_legal_form(&words(after))
    {
        if let Some((reason, conf)) = sole_trader_by_name(rules, before)
            && conf > 50
        {
            return Some((reason, conf));
        }
        let aw = words(after);
        if (2..=4).contains(&aw.len())
            && aw.iter().all(|w| w.chars().count() >= 3 && !is_dictionary_word(w))
            && rules.plain(&aw)
            && !names_a_country(rules, &aw, 1)
            && rules.given_then_family(&aw)
        {
            return Some(("sole_trader:name:person".to_string(), 80));
        }
    }
    if person_shape(rules, name, &ws) || middle_initial_shape(rules, name) {
        return Some(("sole_trader:name:person-shape".to_string(), 50));
    }
    // A person's name before or after the trade name, with no legal form anywhere
    // ("Jacek Pasek BRK Network Devices", "PHU Kamdex Grzegorz Sztuczka"). `PC` (a professional
    // corporation) is a form only at the end: inside a name it is a personal computer (`EURO PC
    // Piotr Kwasnik`).
    let inner_pc = |i: usize, w: &String| w == "pc" && i + 1 < ws.len();
    let form_words: Vec<String> =
        ws.iter().enumerate().filter(|(i, w)| !inner_pc(*i, w)).map(|(_, w)| w.clone()).collect();
    if ws.len() >= 3
        && !rules.has_legal_form(&form_words)
        && !rules.has_institution_word(&ws)
        && !public_body(rules, &ws)
        && !names_a_country(rules, &ws, 2)
    {
        // `Mark G. Thomas Consulting`: a middle initial before the family name.
        let middle_initial = ws.len() >= 4 && Rules::is_initial(&ws[1]) && rules.given_then_family(&ws[..3]);
        if rules.given_then_family(&ws[..2]) || middle_initial {
            return Some(("sole_trader:name:person-name-prefix".to_string(), 70));
        }
        let n = ws.len();
        let tail = if n >= 3 && rules.particles.contains(&ws[n - 2]) { &ws[n - 3..] } else { &ws[n - 2..] };
        if tail.len() < n && rules.given_then_family(tail) {
            return Some(("sole_trader:name:person-name-suffix".to_string(), 70));
        }
        // A middle name that is also a word, after a trade name whose word would keep the name in
        // the file (`Network Technology Harald Firing Karlsen`, `HOSTPRISE HACI OKKES COLAK`). The
        // given name is written capitalised (`Balai Telekomunikasi dan Informatika Perdesaan`:
        // Indonesian `dan` is "and"), and no word is a place (`Citibank NA Singapore Branch`).
        let raw: Vec<&str> = name.split_whitespace().collect();
        let capitalised = || raw.len() >= 3 && raw[raw.len() - 3].chars().next().is_some_and(char::is_uppercase);
        let trade = || (0..n - 3).any(|i| ws[i].chars().all(char::is_alphabetic) && rules.is_org_word(&ws, i));
        let t = &ws[n.saturating_sub(3)..];
        if n >= 4
            && rules.is_given(&t[0])
            && rules.is_family(t, 1)
            && rules.distinct_family(t, 2)
            && !rules.is_given(&t[2])
            && !names_a_country(rules, t, 1)
            && capitalised()
            && trade()
        {
            return Some(("sole_trader:name:person-name-suffix".to_string(), 70));
        }
    }
    None
}

/// Two or three plain capitalised words with no legal form and no company or sector word may
/// be a person whose given name is not in the list ("Miura Gaito"): filtered, so no name is
/// compiled in (a brand without a legal form loses its name too — the safe side). Not when a
/// word is a common dictionary word or the spelling is an organisation's ("Teachers Pension",
/// "Famous Worker", "TAFE Gippsland"): on the full ASN table most names of this shape were
/// organisations' names. Names of short words only keep the shape ("Soon Keat Neo": romanised
/// East Asian names are syllables that dictionaries hold too), and so do names whose first word
/// reads like a listed given name ("Timothe Ember", "Timothy"). One dictionary word counts only
/// as the last word, where English names put the head noun ("Discount Tire", "Fisher
/// Scientific"); in the middle it is as likely a surname ("Edmilson Sales Bezerra").
fn person_shape(rules: &Rules, name: &str, ws: &[String]) -> bool {
    (2..=3).contains(&ws.len())
        // No one's name starts with an article (`The Citadel`, `The Packet Hub`).
        && ws[0] != "the"
        && ws.iter().all(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        && rules.plain(ws)
        && !public_body(rules, ws)
        && name.split_whitespace().all(|t| t.chars().next().is_some_and(char::is_uppercase))
        && name.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '\'')
        && !(ws.iter().any(|w| w.chars().count() >= 5)
            && (ws.last().is_some_and(|w| is_dictionary_word(w) && !rules.is_given(w))
                || ws.iter().filter(|w| is_dictionary_word(w) && !rules.is_given(w)).count() >= 2
                || ws.iter().any(|w| is_organisation_noun(w) && !rules.is_given(w)))
            && !given_like(rules, &ws[0]))
        && !organisation_spelling(name)
        && !names_a_country(rules, ws, 1)
}

/// A country's name of `min_words` or more words among the words. The weakest person rule takes
/// any (`Television New Zealand`, `NAV CANADA`: every one of the full table's 65 such holders the
/// person shape had hidden was an organisation); the stronger rules only two or more
/// (`Sierra Leone Internet eXchange`, `Mimecast South Africa`), because one-word names are no
/// evidence against a person there: `France`, `Chad` are given names, and `Yaman` (Yemen) or
/// `Franca` family names.
fn names_a_country(rules: &Rules, ws: &[String], min_words: usize) -> bool {
    (0..ws.len()).any(|i| (i + min_words..=ws.len()).any(|j| rules.countries.contains(&ws[i..j])))
}

/// The rest of a name after an entrepreneur's abbreviation (`PE`, `IP`) is a person's family
/// name without a listed given name: a Slavic family-name ending (`PE Rukman Besaev`), or a
/// family name and initials (`PE Kucherenko V.V.`, `PE Bondar TN`). Two to four words, none
/// quoted or hyphenated: those are trade names (`PE "PLUTON-SV"`, `PP 'Halytska … merezha'`).
fn family_and_initials(name: &str, rest: &[String]) -> bool {
    let n = rest.len();
    if name.contains(['"', '\'', '«', '»', '“', '”', '-']) {
        return false;
    }
    let letters = |w: &String| w.chars().all(char::is_alphabetic);
    // `V.V.` folds to two one-letter words; `TN` is two glued initials (no vowel).
    let initials = |ws: &[String]| match ws {
        [a, b] => Rules::is_initial(a) && Rules::is_initial(b),
        [a] => a.chars().count() == 2 && !a.chars().any(|c| "aeiouy".contains(c)),
        _ => false,
    };
    (2..=4).contains(&n)
        && rest.iter().all(letters)
        && (rest.iter().any(|w| surname_ending(w))
            || (rest[0].chars().count() >= 4 && (initials(&rest[1..]) || (n >= 3 && initials(&rest[2..]) && n == 3))))
}

/// A romanised East Asian name as the whole holder name (`HaoYu Deng`, `Lai BaoYuan`, `Liangyi
/// Ma`, `Minh Duc Vo`): two or three plain words, one an East Asian given name the general list
/// lacks (`given-names-east-asian.txt`: glued two-syllable Chinese and Korean names, Japanese
/// and Vietnamese names) or, in a two-word name, two Pinyin syllables glued beside a one-syllable
/// family name; the other words short (one-syllable family names: `Ma`, `Deng`, `Nguyen`) and
/// no common word, and at least one of them no given name.
fn east_asian_person(rules: &Rules, ws: &[String]) -> bool {
    let syllable = |w: &str| rules.pinyin.contains(w);
    let two_syllables = |w: &str| {
        w.len() >= 4
            && w.is_ascii()
            && !is_dictionary_word(w)
            && (1..w.len()).any(|i| syllable(&w[..i]) && syllable(&w[i..]))
    };
    // The glued given name of a two-word Pinyin name (`Liao` splits as `li`+`ao` too, but it is
    // one syllable: the family name).
    let pinyin_given = match ws {
        [a, b] if two_syllables(a) && !syllable(a) && syllable(b) => Some(0),
        [a, b] if syllable(a) && two_syllables(b) && !syllable(b) => Some(1),
        _ => None,
    };
    let east_asian = |i: usize| rules.given_east_asian.contains(&ws[i]) || pinyin_given == Some(i);
    // A one-syllable Chinese family name may be a Dutch or English word too (`Zeng`, `Long`).
    let short = |w: &String| (2..=6).contains(&w.len()) && (!is_dictionary_word(w) || syllable(w));
    (2..=3).contains(&ws.len())
        && ws.iter().all(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
        && rules.plain(ws)
        && (0..ws.len()).any(east_asian)
        && (0..ws.len()).all(|i| east_asian(i) || short(&ws[i]))
        && (0..ws.len()).any(|i| !east_asian(i) && !rules.is_given(&ws[i]))
}

/// A whole name of three to six plain words whose first is a given name of the Brazilian census
/// list (`given-names-br.txt`, which the general list lacks) and whose others are family names
/// (`FRANCINEIDE COSTA RODRIGUES BEZERRA`, `Ezequiel Salomon Campos Lopez`): no company form,
/// trade word, organisation noun or common word anywhere, so a firm's name (`Mais Fibra …`,
/// `America Movil …`) does not fit, nor partners joined by `&` (`Fernandes & Rodrigues …`).
fn census_given_person(rules: &Rules, name: &str, ws: &[String]) -> bool {
    let common = |w: &String| is_dictionary_word(w) || LUSOPHONE_COMPANY.contains(&w.as_str());
    // The same name before what the person trades in (`HELOISA SAMPAIO PINTO TELECOMUNICACOES`):
    // three to five name words, then a Portuguese trade word, and no legal form anywhere.
    let ws = match ws.iter().position(|w| LUSOPHONE_TRADE.contains(&w.as_str())) {
        Some(t) if (3..=5).contains(&t) && !rules.has_legal_form(ws) => &ws[..t],
        Some(_) => return false,
        None => ws,
    };
    (3..=6).contains(&ws.len())
        && !name.contains('&')
        && (rules.given_br.contains(&ws[0]) || rules.is_given(&ws[0]))
        && ws.iter().all(|w| w.chars().all(char::is_alphabetic) && !common(w))
        && ws[1..].iter().all(|w| rules.lusophone_family(w))
        && rules.plain(ws)
        && !rules.has_institution_word(ws)
        && !public_body(rules, ws)
}

/// A Dutch or German name with a family-name particle, whatever the given name (`Jurrian van
/// Iersel`, `Noah van der Aa`): one capitalised word that is no common word, `van`/`von`/`vom`/
/// `zu`/`zum`/`ter`/`ten` (and `der`/`den`/`de` after it), then one family name. The family name
/// may read as a legal form (`AA`). The particles are written in lower case between capitalised
/// words, as in names (`Atlas Van Lines`, `NGP VAN` are no persons). Romance particles (`de`,
/// `du`, `di`) join organisations' names too (`Etat du Valais`) and are not read here.
fn particle_person(rules: &Rules, name: &str, ws: &[String]) -> bool {
    const FIRST: [&str; 7] = ["van", "von", "vom", "zu", "zum", "ter", "ten"];
    const NEXT: [&str; 3] = ["der", "den", "de"];
    let n = ws.len();
    let tokens: Vec<&str> = name.split_whitespace().collect();
    if !(3..=4).contains(&n) || tokens.len() != n {
        return false;
    }
    let capitalised = |t: &str| t.chars().next().is_some_and(char::is_uppercase);
    let written_as_name = capitalised(tokens[0])
        && capitalised(tokens[n - 1])
        && tokens[1..n - 1].iter().all(|t| t.chars().all(char::is_lowercase));
    written_as_name
        && ws[0].chars().count() >= 3
        && ws[0].chars().all(char::is_alphabetic)
        && !is_dictionary_word(&ws[0])
        && FIRST.contains(&ws[1].as_str())
        && (n == 3 || NEXT.contains(&ws[2].as_str()))
        && ws[n - 1].chars().count() >= 2
        && ws[n - 1].chars().all(char::is_alphabetic)
        && !rules.has_legal_form(&ws[..n - 1])
        && (0..n).all(|i| i == n - 1 || !rules.is_org_word(ws, i))
        && rules.is_family(ws, n - 1)
}

/// One to three initials written with dots, then one or two family names and nothing else
/// (`E. M. Fernandes`, `C. D. FERREIRA`, `J. MORBY`): a person. No legal form, organisation,
/// sector or common word, so `J. Crew Group` or `A. O. Smith Corporation` does not fit; dotted
/// acronyms of four or more letters (`S.U.O.T.S.`) are no initials. A firm named so with no other
/// word (`T. Rowe Price`, `I.D. Logique`) is hidden with them: such holders were unknown, not shown.
fn dotted_initials_person(rules: &Rules, name: &str) -> bool {
    let tokens: Vec<&str> = name.split_whitespace().collect();
    let dotted = |t: &str| {
        let parts: Vec<&str> = t.split_terminator('.').collect();
        t.ends_with('.')
            && (1..=2).contains(&parts.len())
            && parts.iter().all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
    };
    let k = tokens.iter().take_while(|t| dotted(t)).count();
    let letters: usize = tokens[..k].iter().map(|t| t.matches('.').count()).sum();
    let rest = &tokens[k..];
    if !(1..=3).contains(&letters) || !(1..=2).contains(&rest.len()) {
        return false;
    }
    let ws = words(&rest.join(" "));
    ws.len() == rest.len()
        && (0..ws.len()).all(|i| rules.distinct_family(&ws, i) && !rules.particles.contains(&ws[i]))
        && rules.plain(&words(name))
        && !public_body(rules, &ws)
}

/// [`person_shape`] with a middle initial (`Ellad G. Yatsko`, `KEIRAN S CHIPPENDALE`): three tokens,
/// the middle one a letter with a dot, or a consonant (a lone vowel, `y`, `w` or `z` is a
/// conjunction: `SPACENET E INFORMATICA`, `VODOSNABDIAWANE I KANALIZACIA`), and the two names
/// around it of the person shape.
fn middle_initial_shape(rules: &Rules, name: &str) -> bool {
    let tokens: Vec<&str> = name.split_whitespace().collect();
    let [first, middle, last] = tokens[..] else { return false };
    let letter = middle.trim_end_matches('.');
    let dotted = letter.len() < middle.len();
    let is_letter = letter.chars().count() == 1 && letter.chars().all(|c| c.is_ascii_alphabetic());
    let conjunction = letter.len() == 1 && "aeiouywzAEIOUYWZ".contains(letter);
    if !is_letter || (!dotted && conjunction) {
        return false;
    }
    let outer = format!("{first} {last}");
    person_shape(rules, &outer, &words(&outer))
}

/// The name ends in a company legal form (one to `max_form_words` words).
fn form_at_end(rules: &Rules, ws: &[String]) -> bool {
    let n = ws.len();
    (1..=rules.max_form_words.min(n)).any(|len| rules.forms.contains(&ws[n - len..]))
}

/// The name starts with a company legal form (one to `max_form_words` words).
fn form_at_start(rules: &Rules, ws: &[String]) -> bool {
    (1..=rules.max_form_words.min(ws.len())).any(|len| rules.forms.contains(&ws[..len]))
}

/// A person written the Brazilian way, initials and a family name after `da`/`de`/`dos`/`do`/`das`,
/// at the start of the name (`M A M DA SILVA MULTIMIDIA`, `J.R.DA SILVA TELECOM`, `MIGUEL A. DOS
/// SANTOS TELECOMUNICACOES`): an empresario individual trades under their own name. Not with a
/// company form of those registries (`LTDA`, `EIRELI`, `& CIA`, `S/A`: a legal person named after
/// its owner) or an institution or public body's word (`C.E.L.Da Cooperativa Electrica …`).
fn initials_before_family(rules: &Rules, name: &str, ws: &[String]) -> bool {
    if ws.iter().any(|w| LUSOPHONE_COMPANY.contains(&w.as_str()))
        || rules.has_institution_word(ws)
        || public_body(rules, ws)
    {
        return false;
    }
    let tokens: Vec<&str> = name.split(|c: char| c.is_whitespace() || c == '.').filter(|t| !t.is_empty()).collect();
    let initial = |t: &str| t.chars().count() == 1 && t.chars().all(|c| c.is_ascii_alphabetic());
    let particle = |t: &str| lusophone_particle(&t.to_lowercase());
    let family = |t: &str| {
        let w = words(t);
        w.len() == 1 && w[0].chars().count() >= 3 && rules.is_family(&w, 0)
    };
    // `M A M DA SILVA`: one to three initials, a particle, a family name.
    let run = tokens.iter().take_while(|t| initial(t)).count();
    let by_initials = (1..=3).contains(&run)
        && tokens.get(run).is_some_and(|t| particle(t))
        && tokens.get(run + 1).is_some_and(|t| family(t));
    // `MIGUEL A. DOS SANTOS`: a given name, one initial, a particle, a family name.
    let by_given = tokens.len() >= 4
        && rules.is_given(&words(tokens[0]).concat())
        && initial(tokens[1])
        && particle(tokens[2])
        && family(tokens[3]);
    by_initials || by_given
}

/// Words of Brazilian and Portuguese company names that make a legal person of the name before
/// them (`LTDA`, `EIRELI`, `& CIA`, `S/A`, cooperatives): a firm named after its owner.
const LUSOPHONE_COMPANY: [&str; 10] =
    ["ltda", "ldta", "limitada", "eireli", "eirele", "eirelli", "cia", "sa", "coop", "cooperativa"];

/// The particles of Portuguese family names (`da`, `de`, `do`, `dos`, `das`; a folded word).
fn lusophone_particle(t: &str) -> bool {
    matches!(t, "da" | "de" | "do" | "dos" | "das")
}

/// Portuguese words that say what a Brazilian empresario individual trades in, after their name
/// (`D. S. ALVES SERVICOS DE INTERNET`, `J BARBOSA SERVICOS DE COMUNICACAO`).
const LUSOPHONE_TRADE: [&str; 16] = [
    "produtos",
    "tecnologia",
    "servicos",
    "servico",
    "serv",
    "provedor",
    "provedores",
    "comunicacao",
    "comunicacoes",
    "telecomunicacoes",
    "multimidia",
    "midia",
    "informatica",
    "comercio",
    "internet",
    "telecom",
];

/// A Serbian preduzetnik's registered name: the person's name, `PR`, then the trade and the seat
/// (`Aleksandr Shmalko PR Obrada Podataka, Hosting Novi Sad`, `ALEKSEI FEDOROV PR KRUSEVAC`).
/// Only right after a two- or three-word person at the start: elsewhere `P.R.` is a People's
/// Republic or a cut-off word.
fn entrepreneur_after_name(rules: &Rules, ws: &[String]) -> bool {
    (2..=3).any(|i| {
        ws.get(i).is_some_and(|w| w == "pr")
            && (rules.given_then_family(&ws[..i]) || rules.loose_person(&ws[..i]))
            && !rules.has_institution_word(ws)
    })
}

/// A Polish sole trader's registered name: a trade abbreviation first (or the trade written out
/// among the first words: `F.H.U.` as `Firma Usługowo-Handlowa`), a trade name, and the
/// owner's given and family name last, in either order (`F.H.U. "Global-Net" Witold Rogala`,
/// `PPHU Multicom Kumor Pawel`) or an initial and a family name, with no company legal form at the end (`PHU Classcom Sp. z o.o.`
/// is a company). The trade name may hold any word (`PPHU 'VOIP PARTNERS' Tomasz Filak`): the other
/// person rules stop at company words such as `partners`, and at network words the name would
/// then be kept as a provider's.
fn polish_trade_prefix(rules: &Rules, ws: &[String]) -> bool {
    let n = ws.len();
    if n < 3 || form_at_end(rules, ws) {
        return false;
    }
    // Written out, the trade words also name schools and public firms (`Szkoła Główna Handlowa`,
    // `Miejskie Przedsiębiorstwo Komunikacyjne`); the abbreviations do not.
    let abbreviated = rules.polish_trade_abbreviations.contains(&ws[0]);
    let written = ws.iter().take(3).any(|w| rules.polish_trade_words.contains(w))
        && !rules.has_institution_word(ws)
        && !public_body(rules, ws);
    if !abbreviated && !written {
        return false;
    }
    let family = |i: usize| ws[i].chars().count() >= 3 && rules.is_family(ws, i) && !rules.is_given(&ws[i]);
    let given_family = rules.is_given(&ws[n - 2]) && family(n - 1);
    let family_given = rules.is_given(&ws[n - 1]) && family(n - 2);
    // Partners of a spółka jawna by initial and family name (`P.P.H.U. "BMJ" Sp.J. W.Baran
    // J.Pogonowski`).
    // (`w`, `z`, `i`, `u`, `o`, `a` are prepositions and conjunctions: `… SA w Krakowie`.)
    let initial = Rules::is_initial(&ws[n - 2]) && !matches!(ws[n - 2].as_str(), "w" | "z" | "i" | "u" | "o" | "a");
    let initial_family = initial && family(n - 1) && n >= 4;
    given_family || family_given || initial_family
}

/// Two or more people's names at the end of a holder's name, each a listed given name and then a
/// family name (`dobrafirma.pl Michal Mocek Krzysztof Kafka Gabriel Grzenia`): the partners of a
/// firm of natural persons, whatever form-like word the trade name holds (`pl`). No company form
/// at the end, no word of a common dictionary among the names, no institution.
fn partners_names(rules: &Rules, ws: &[String]) -> bool {
    let n = ws.len();
    let name_word = |w: &String| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic) && !is_dictionary_word(w);
    let pair = |i: usize| {
        rules.is_given(&ws[i])
            && name_word(&ws[i])
            && name_word(&ws[i + 1])
            && rules.is_family(ws, i + 1)
            && !rules.is_given(&ws[i + 1])
    };
    n >= 5
        && pair(n - 2)
        && pair(n - 4)
        && !form_at_end(rules, ws)
        && !rules.has_institution_word(ws)
        && !public_body(rules, ws)
}

/// An Italian ditta individuale's name: the trade, `di`, and the owner's given and family name
/// (`Wi-Fi System di GianCarlo Forno`), with no company form at the end and no institution's word
/// (`Universita di …`, `Fondazione di …`).
fn italian_firm_of_person(rules: &Rules, ws: &[String]) -> bool {
    let n = ws.len();
    n >= 4
        && ws[n - 3] == "di"
        && rules.is_given(&ws[n - 2])
        && ws[n - 1].chars().count() >= 3
        && rules.is_family(ws, n - 1)
        && !form_at_end(rules, ws)
        && !rules.has_institution_word(ws)
        && !public_body(rules, ws)
}

/// A Latin American firm written as its trade name, a comma, `de` and the owner's name, family
/// name first (`HOSTCLICK, de DUCA GRACIELA MIRTA`): two to four plain words with a listed given
/// name (the general or the Brazilian census list), no legal form and no organisation's word.
fn spanish_firm_of_person(rules: &Rules, name: &str) -> bool {
    let lower = name.to_lowercase();
    let Some(at) = lower.find(", de ") else { return false };
    let person = words(&name[at + 5..]);
    (2..=4).contains(&person.len())
        && person.iter().all(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        && person.iter().any(|w| rules.is_given(w) || rules.given_br.contains(w))
        && rules.plain(&person)
        && !rules.has_institution_word(&person)
        && !public_body(rules, &person)
}

/// An Italian partnership (`s.n.c.`, `s.a.s.`: a societa di persone, whose partners answer with
/// their own assets, like the Polish `sp.j.`) named after its partners: `di`, then one partner's
/// given and family name in either order, two partners' family names, or a family name the trade
/// name repeats, and `& C.` for the others; the form before `di` or at the end (`Seflow S.N.C. Di
/// Marco Brame' & C.`, `CO.GESTI SAS DI PIETRAVALLE MICHELE`, `PROTEC di Rinaldo Silvano & C. Snc`,
/// `FOSCHI IMPIANTI S.N.C. DI FOSCHI EURO E C.`). `SAS di` is Italian only: a French SAS is a company.
fn italian_partnership_of_persons(rules: &Rules, ws: &[String]) -> bool {
    let form = |w: &String| matches!(w.as_str(), "snc" | "sas");
    let (k, mut rest) = if let Some(k) = ws.windows(2).position(|w| form(&w[0]) && w[1] == "di") {
        (k, &ws[k + 2..])
    } else if ws.last().is_some_and(form)
        && let Some(k) = ws.iter().rposition(|w| w == "di")
    {
        (k, &ws[k + 1..ws.len() - 1])
    } else {
        return false;
    };
    // `& C.` or `e C.` ("and partners"; `E C.` folds to `ec`).
    if let [head @ .., last] = rest
        && matches!(last.as_str(), "c" | "ec")
    {
        rest = head;
    }
    if let [head @ .., last] = rest
        && last == "e"
    {
        rest = head;
    }
    let family = |i: usize| rules.distinct_family(rest, i);
    let repeated = |i: usize| rest[i].chars().count() >= 4 && ws[..k].contains(&rest[i]);
    let letters = |i: usize| rest[i].chars().all(char::is_alphabetic);
    let person = match rest {
        [a, b] => {
            (rules.is_given(a) && family(1))
                || (rules.is_given(b) && family(0))
                || (family(0) && family(1))
                || (repeated(0) && letters(1))
                || (repeated(1) && letters(0))
        }
        [_, e, _] if e == "e" => family(0) && family(2),
        _ => false,
    };
    person && !rules.has_institution_word(ws) && !public_body(rules, ws)
}

/// A Greek partnership (`O.E.`, `E.E.`, whose general partners answer with their own assets) named
/// after a partner: a family name and a given name or an initial, then `KAI SIA` ("and partners"):
/// `VASILEIOY GEORGIOS KAI SIA E.E. ERMISWISP`, `… KARATZAS A. KAI SIA OE`.
fn greek_partnership_of_persons(rules: &Rules, ws: &[String]) -> bool {
    let Some(k) = ws.windows(2).position(|w| w[0] == "kai" && w[1] == "sia") else { return false };
    if k < 2 {
        return false;
    }
    let (a, b) = (k - 2, k - 1);
    let family = |i: usize| rules.distinct_family(ws, i);
    let person =
        (family(a) && (rules.is_given(&ws[b]) || Rules::is_initial(&ws[b]))) || (rules.is_given(&ws[a]) && family(b));
    person && !rules.has_institution_word(ws) && !public_body(rules, ws)
}

/// A Brazilian micro-entrepreneur's registered name: the person's name and then their 10- or
/// 11-digit taxpayer number (CPF), as `OZIEL AUGUSTO DA SILVA 3577327685`. The part before it is
/// two to six plain words of letters; a company (`DBOLICAL PTY LTD ACN122053276`) has a legal
/// form or an organisation's word there.
fn before_taxpayer_number(rules: &Rules, name: &str) -> bool {
    let Some((person, number)) = name.trim_end().rsplit_once(' ') else { return false };
    let ws = words(person);
    (10..=11).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && (2..=6).contains(&ws.len())
        && ws.iter().all(|w| w.chars().all(char::is_alphabetic))
        && rules.plain(&ws)
        && !rules.has_institution_word(&ws)
        && !public_body(rules, &ws)
}

/// A person's name written the Brazilian way at the start of the name or of a part after ` - `,
/// with given names the general list lacks (the IBGE census list, `given-names-br.txt`):
/// `EWERTON DA SILVA LOPES TELECOMUNICACOES`, `Leilane de Vasconcelos Pereira`,
/// `NETMANIA - W J DOS SANTOS INTERNET`, `C V DE C CUNHA PROVEDOR DE INTERNET`. The person is a
/// given name or initials (`RL`, `Jf`: two consonants that are no legal form are glued
/// initials), then given names, initials and family names, with a `da`/`de`/`do`/`dos`/`das`
/// before a family name; or initials and a family name right before a Portuguese trade word
/// (`P C OLIVEIRA SERVICOS DE TELECOMUNICACOES`). Not with a company legal form among the words
/// (`PT`, `LLC`, `LTDA`, `EIRELI`, `S/A`), an institution or a public body's word. Initials are read
/// from the raw tokens: folded words glue them (`P C` is `pc`, a legal form elsewhere).
fn lusophone_person(rules: &Rules, name: &str, ws: &[String]) -> bool {
    let all = name_tokens(name);
    let one_word_form = |t: &String| rules.forms.contains(std::slice::from_ref(t));
    // `S. A.` after the first word is a sociedade anonima (`FRAPORT BRASIL S.A. AEROPORTO …`).
    let sa = all.windows(2).skip(1).any(|w| w[0] == "s" && w[1] == "a");
    if all
        .iter()
        .chain(ws)
        .any(|t| LUSOPHONE_COMPANY.contains(&t.as_str()) || (t.chars().count() >= 3 && one_word_form(t)))
        || sa
        || form_at_end(rules, ws)
        || rules.has_institution_word(ws)
        || public_body(rules, ws)
    {
        return false;
    }
    name.split(" - ").any(|part| lusophone_person_start(rules, &name_tokens(part)))
        || initials_before_trade(rules, &all)
}

/// The folded words of `name`, one per raw token (split at spaces and dots, and at hyphens after
/// a word of three or more letters: `DA SILVA-INFORMATICA-ME`; a lone `-` is skipped): a token
/// that is not letters only (`R&R`, `U-MAX`) becomes empty, matching nothing.
fn name_tokens(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == '.')
        .flat_map(|t| {
            let glued = t.split_once('-').is_some_and(|(head, _)| head.chars().count() < 3);
            if glued { vec![t] } else { t.split('-').collect() }
        })
        .map(|t| t.trim_matches(|c: char| c == ',' || c == ';'))
        .filter(|t| !t.is_empty() && *t != "-")
        .map(|t| {
            let w = words(t);
            if w.len() == 1 && t.chars().all(char::is_alphabetic) { w[0].clone() } else { String::new() }
        })
        .collect()
}

impl Rules {
    /// An initial, or two consonants written together that are no legal form (`RL QUEIROZ`,
    /// `Jf Ferreira`; not `PT`, `PC`, `PP`).
    fn lusophone_initial(&self, t: &str) -> bool {
        let n = t.chars().count();
        t.chars().all(|c| c.is_ascii_alphabetic())
            && (n == 1
                || (n == 2
                    && !t.chars().any(|c| "aeiouy".contains(c))
                    && !self.forms.contains(std::slice::from_ref(&t.to_string()))))
    }

    /// A family name in a Brazilian holder name: three or more letters, no organisation, sector
    /// or network word, no organisation noun by its ending (`Tecnologia`, `Informacao`), no trade
    /// word.
    fn lusophone_family(&self, t: &str) -> bool {
        t.chars().count() >= 3
            && t.chars().all(char::is_alphabetic)
            && !self.is_org_word(std::slice::from_ref(&t.to_string()), 0)
            && !is_organisation_noun(t)
            && !LUSOPHONE_TRADE.contains(&t)
    }
}

/// [`lusophone_person`] for one part of the name: does it start with the person?
fn lusophone_person_start(rules: &Rules, tokens: &[String]) -> bool {
    let given = |t: &str| rules.given.contains(t) || rules.given_br.contains(t);
    let particle = lusophone_particle;
    let name_word = |t: &str| given(t) || rules.lusophone_initial(t) || particle(t) || rules.lusophone_family(t);
    let run = tokens.iter().take_while(|t| name_word(t)).count();
    let person = &tokens[..run];
    let Some(first) = person.first() else { return false };
    // A given name or initials first; or an unlisted first name before a listed one
    // (`iderson rafael pereira da silva`).
    let listed_start = given(first)
        || rules.lusophone_initial(first)
        || (person.len() > 1 && rules.lusophone_family(first) && person[1].len() >= 3 && given(&person[1]));
    // A particle after a name word, then initials and a family name (`DE C CUNHA`).
    listed_start
        && (1..run).any(|i| {
            particle(&person[i])
                && !particle(&person[i - 1])
                && person[i + 1..]
                    .iter()
                    .find(|t| !rules.lusophone_initial(t))
                    .is_some_and(|t| rules.lusophone_family(t))
        })
}

/// One to three initials and one or two family names (four or more letters, no dictionary
/// word: `SH TURBO INTERNET` is a brand) right before a Portuguese trade word (`P C OLIVEIRA
/// SERVICOS DE TELECOMUNICACOES`, `B Q LEITE - SERVICOS DE COMUNICACAO`).
fn initials_before_trade(rules: &Rules, tokens: &[String]) -> bool {
    let initials = tokens.iter().take_while(|t| rules.lusophone_initial(t)).count();
    let family = |t: &String| t.chars().count() >= 4 && rules.lusophone_family(t) && !is_dictionary_word(t);
    let families = tokens[initials..].iter().take_while(|t| family(t)).count();
    (1..=3).contains(&initials)
        && (1..=2).contains(&families)
        && tokens.get(initials + families).is_some_and(|t| LUSOPHONE_TRADE.contains(&t.as_str()))
}

/// The part after a leading AS name that routing tables glue to the holder: one token written
/// as no word is (a hyphen, dot or digit inside, or a capital after a small letter:
/// `IXPlay-MAD-ES`, `Netdrive.pl`, `GrupoRojasSilva`) or one that repeats a word of four or more
/// letters of the rest (`mhjafarzadeh Mohammadhasan Jafarzadeh`), then two or more words; and
/// whether it repeats one (individuals name their AS after themselves). Not a house number or
/// floor (`116 MADHAV DARSHAN`, `51/A …`, `4th Floor …`): a handle has two letters.
fn after_handle_word(name: &str) -> Option<(&str, bool)> {
    let (head, rest) = name.trim().split_once(' ')?;
    let inner = head.trim_end_matches(['.', ',', ':']);
    let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
    let lower = inner.to_lowercase();
    let ordinal = ["st", "nd", "rd", "th"]
        .iter()
        .any(|o| lower.strip_suffix(o).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())));
    if letters < 2 || ordinal {
        return None;
    }
    let rest = rest.trim();
    let glued: String = words(inner).concat();
    let repeats = words(rest).iter().any(|w| w.chars().count() >= 4 && glued.contains(w.as_str()));
    let handle = inner.contains(['-', '.', '_'])
        || inner.chars().any(|c| c.is_ascii_digit())
        || inner.chars().zip(inner.chars().skip(1)).any(|(a, b)| a.is_lowercase() && b.is_uppercase())
        || repeats;
    (handle && rest.split_whitespace().count() >= 2).then_some((rest, repeats))
}

/// The part after a leading `AS<number> - ` or `<HANDLE>-AS[-XX] - ` (one token, then ` - `).
fn without_as_prefix(name: &str) -> Option<&str> {
    let (head, rest) = name.split_once(" - ")?;
    let head = head.trim();
    let upper = head.to_ascii_uppercase();
    let as_number = upper.strip_prefix("AS").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let handle = !head.contains(' ') && (upper.ends_with("-AS") || upper.contains("-AS-"));
    let rest = rest.trim();
    ((as_number || handle) && !rest.is_empty()).then_some(rest)
}

/// A natural person's full name before a trade name in parentheses, as Latin American sole
/// traders hold resources (`GUERRA LIDIA ROXANA (FULLNET COMUNICACIONES)`, `BUSAJM MARIANA (RACK
/// DIGITAL)`): whatever the trade name says (a provider word, a brand), the part before it is two
/// to five plain words with a given name and a family-like word, in either order (family names
/// first is the common order there). Not when that part carries a legal form, a company,
/// institution or public body's word (`Nynas AB (publ)`, `Ote SA (…)`, `Des Moines Regional Transit
/// Authority (DART)`), nor when the parentheses hold a legal form (`Ariana Gostar Spadana (PJSC)`).
fn person_before_trade_name(rules: &Rules, name: &str) -> bool {
    let name = name.trim_end();
    let Some(inner) = name.strip_suffix(')') else { return false };
    let Some((before, trade)) = inner.split_once('(') else { return false };
    // A legal form ends a company's name; one inside the trade name is as often initials
    // (`PEDRO ABRAHAM AMARILLA PAREDES (P.A. NETWORKS)`).
    let trade_words = words(trade);
    if trade.trim().is_empty() || trade.contains('(') || form_at_end(rules, &trade_words) {
        return false;
    }
    // Up to five words: two family names and up to three given names.
    let ws = words(before);
    rules.loose_person_of(&ws, 5) && !rules.has_institution_word(&ws) && !public_body(rules, &ws)
}

/// Education, government and non-profit words: "Max Planck Institut" is not a sole trader.
fn public_body(rules: &Rules, ws: &[String]) -> bool {
    use crate::class::Class;
    rules.name_rules(ws).any(|r| matches!(r.class, Class::Education | Class::Government | Class::Nonprofit))
        || rules.known_rule(ws).is_some()
}

/// The rest of a name beside a form of natural persons (`persons` lines of
/// `sole-trader-names.txt`) names a person: a given name next to a family-like word of three or
/// more letters (`Given Family`, Hungarian `Family Given`), or an initial before one
/// (`A. Nowak, R. Nowak s.c.`); and the rest carries no company legal form at its ends, no
/// institution word or public body (`City of Rock Hill SC` is a city in South Carolina).
fn names_a_person(rules: &Rules, rest: &[String], brazilian: bool) -> bool {
    // A company form at either end of the rest (`Pension Managers (PFA) Ltd`); inside it a
    // form-like word may be a partner's trade (`Obsluga PC P. Nowak … s.c.`).
    let n = rest.len();
    if n == 0
        || form_at_end(rules, rest)
        || form_at_start(rules, rest)
        || rules.has_institution_word(rest)
        || public_body(rules, rest)
    {
        return false;
    }
    let family =
        |i: usize| rest[i].chars().count() >= 3 && rules.is_family(rest, i) && !rules.particles.contains(&rest[i]);
    let given = |w: &str| rules.is_given(w) || (brazilian && rules.given_br.contains(w));
    let given_pair = (0..n).any(|i| given(&rest[i]) && ((i + 1 < n && family(i + 1)) || (i > 0 && family(i - 1))));
    // An initial before a family name (`P. Nowak`); one-letter conjunctions and prepositions
    // (`e`, `y`, `i`, `w`, `z` …) are no initials: `Emp. Pesq. Agrop. e Ext. Rural de SC`. Nothing
    // joins at the start of a name, so there only the articles `a`/`o` are no initials (`E MAIER
    // CAMPOS ME` is E. Maier Campos; `A Fazenda` is the farm).
    let initial = |i: usize| {
        let w = rest[i].as_str();
        Rules::is_initial(w) && !matches!(w, "a" | "o") && (i == 0 || !matches!(w, "e" | "i" | "u" | "y" | "w" | "z"))
    };
    // Brazilian initials may be glued (`C F` folds to `cf`) and stand before `de`/`da` and the
    // family name (`THARDELY C F DE ALMEIDA ME`).
    let glued = |i: usize| brazilian && rest[i].chars().count() == 2 && rules.lusophone_initial(&rest[i]);
    let br_family = |i: usize| family(i) && rules.lusophone_family(&rest[i]);
    let particle_family = |i: usize| i + 1 < n && lusophone_particle(&rest[i]) && br_family(i + 1);
    given_pair
        || (0..n.saturating_sub(1)).any(|i| {
            (initial(i) && family(i + 1))
                // `JULIANA DA COSTA DOS SANTOS - EPP`: a given name, then `da`/`de` and the family name.
                || (brazilian && given(&rest[i]) && particle_family(i + 1))
                || (brazilian && (initial(i) || glued(i)) && (br_family(i + 1) || particle_family(i + 1)))
        })
}
