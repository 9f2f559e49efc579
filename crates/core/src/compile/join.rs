//! Joining IP organisations to registry companies — and refusing to guess.
//!
//! A [`RegistryIndex`] holds every active registry record under its normalised names
//! ([`crate::compile::normalize::name_key`], legal and other names) and its domain. An IP
//! holder is looked up:
//!
//! 1. by **domain** when the IP data gives one (`domain`);
//! 2. by **name** (the organisation name's key; for `X trading as Y` the trade name `Y`, then
//!    `X`, then the name without a leading AS handle that only repeats it: `Crealogix-AG
//!    Crealogix AG`), keeping only candidates whose country agrees where both sides have one
//!    (`name+country` when both had a country, else `name`). Records are also indexed with
//!    German umlauts written out (`Körber` under `korber` and `koerber`), as ASCII-only IP
//!    data spells them.
//!
//! When that leaves no single company and the IP data gives no country, the **registration
//! country** of the holder's ranges (WHOIS, `asn-csv`'s `countries` option; the one most of its
//! ranges have) is tried as the holder's country (`name+registration-country`): it tells
//! `Sanofi` (FR) from a listing of that name in India and confirms a one-word name. It never
//! undoes a match by name alone, since multinationals register ranges to local subsidiaries.
//!
//! A record of a registry of **all companies** ([`RegistryRecord::all_companies`]: every size
//! and trade, no industry) matches only in the holder's own country, or, when the IP data gives
//! none, the registration country: matched by name alone, such a file finds namesakes abroad
//! (`ON.CC Limited` in Hong Kong is no `On AG`). It also steps aside for any other registry's
//! candidate that fits the holder (country, legal form), so its many same-named records never
//! make a curated match ambiguous.
//!
//! A match also needs the same **kind words** in the stripped legal forms on both sides (bank,
//! trust, fund, investment, cooperative …, `KIND_FORM_WORDS`): stripping forms leaves one
//! key for `Caterpillar, Inc.` and `Caterpillar Investment Trust`.
//!
//! Candidates are deduplicated by registry id. Records of *different* registries with the same
//! key and country (the same company in GLEIF and in its national register) count as one
//! company, the first scheme in [`SCHEME_PRIORITY`] chosen. Anything else with more than one
//! candidate — two companies of one registry, or one name in two countries while the holder's
//! country is unknown — is [`JoinOutcome::Ambiguous`]: no match. A one-word name needs a
//! confirmed country (the holder's, or one its legal form implies); a common word (`Connect LLC`,
//! `Link Ltd`) matches a registry of firms of all sizes (GLEIF, national registers) only in the
//! holder's own country.
//!
//! When the IP data gives no country and none of the holder's ranges is registered in the
//! record's country, a match by name alone needs a record of a large listed group (`Twilio Inc.`
//! in Ireland is Twilio's) or, for a name of several words, a distinctive word in it
//! (`Westpac Banking Corporation` in Australia): ordinary words find namesakes abroad (`Global
//! Link` in Bangladesh is no Belgian firm; `Orbital Ltd` in Bulgaria no Australian one).
//!
//! Last, when nothing else matched and the holder's country (own or registration) is known, the
//! name is tried **spaced otherwise** (`JP Morgan Chase` for `JPMorgan Chase`: the keys with their
//! spaces taken out), held to a one-word name's conditions (`spacing+country`).
//!
//! A holder without a match may still name a **group** ([`RegistryIndex::find_group`]): its name
//! begins with the whole name of a record marked [`RegistryRecord::group`] (a large listed
//! company) and goes on (`POSCO DX`, `Securitas Polska Sp. z o.o.`). That is no match — the holder
//! is another company — but evidence the classification weighs (rule 10d).

use std::collections::HashMap;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::compile::classify::{is_common_word, is_distinctive_name};
use crate::compile::normalize::{
    LegalForms, form_countries, name_key, name_parts, split_trading_as, umlauts_spelled_out, without_repeated_handle,
    words,
};
use crate::compile::records::RegistryRecord;

/// Which registry's record stands for a company found in several (lower index first).
pub const SCHEME_PRIORITY: &[&str] = &["LEI", "GB-CH", "FR-SIREN", "NL-KVK", "US-CIK"];

/// What an IP holder is looked up with.
#[derive(Debug, Clone, Copy, Default)]
pub struct JoinQuery<'q> {
    /// Organisation name as the IP data gives it.
    pub name: Option<&'q str>,
    /// ISO country of the holder, when known.
    pub country: Option<&'q str>,
    /// Web domain of the holder, when known.
    pub domain: Option<&'q str>,
    /// The country the holder's address space is registered in (WHOIS), when the IP data
    /// gives no `country`: a multinational's ranges are often registered to a local
    /// subsidiary, so it only decides what the name alone leaves open (one name in several
    /// countries, a one-word name).
    pub registration_country: Option<&'q str>,
    /// Every country the holder's ranges are registered in (empty when none is known).
    pub registered_in: &'q [[u8; 2]],
}

/// The result of a lookup in the [`RegistryIndex`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinOutcome {
    /// Exactly one company: its index in the records given to [`RegistryIndex::build`] and the
    /// method (`domain`, `name+country`, `name`, `trade-name+country`, `trade-name`, and
    /// `name+registration-country` / `trade-name+registration-country` when the registration
    /// country decided).
    Matched {
        /// Index of the registry record.
        index: u32,
        /// How it was found.
        method: &'static str,
    },
    /// Only records of other countries than every one the holder's ranges are registered in fit
    /// a name of ordinary words: namesakes abroad, no match is made.
    Abroad {
        /// How many records fit but for their country.
        candidates: usize,
        /// The step that found them.
        method: &'static str,
    },
    /// Several companies fit: no match is made.
    Ambiguous {
        /// How many distinct companies fit.
        candidates: usize,
        /// The step that found them.
        method: &'static str,
    },
    /// Nothing fits.
    NoMatch,
}

impl JoinOutcome {
    /// The matched record's index, if any.
    pub fn index(&self) -> Option<u32> {
        match self {
            JoinOutcome::Matched { index, .. } => Some(*index),
            _ => None,
        }
    }
}

/// Registry records indexed by normalised name and by domain.
#[derive(Debug)]
pub struct RegistryIndex<'r> {
    records: &'r [RegistryRecord],
    by_name: HashMap<String, Vec<u32>, Xxh3DefaultBuilder>,
    by_domain: HashMap<String, Vec<u32>, Xxh3DefaultBuilder>,
    /// Active group records by [`group_key`].
    by_group: HashMap<String, Vec<u32>, Xxh3DefaultBuilder>,
    /// Records by their name keys with the spaces taken out (`jpmorganchase`), for names that
    /// differ only in spacing (`JP Morgan Chase` and `JPMorgan Chase`).
    by_glued: HashMap<String, Vec<u32>, Xxh3DefaultBuilder>,
}

/// Words that end a group's name but not its companies' (`Axiata Group Berhad` → `axiata`).
const GROUP_WORDS: &[&str] = &["group", "groupe", "gruppe", "grupo", "gruppo", "grupa", "holding", "holdings", "hldgs"];

/// Legal-form words that only say "company": stripped wherever they end a group's name.
const COMPANY_FORM_WORDS: &[&str] = &[
    "company",
    "corporation",
    "corporacion",
    "compagnie",
    "companhia",
    "compania",
    "limited",
    "incorporated",
    "berhad",
];

/// The key a group is known by in its companies' names: its name's words without trailing legal
/// forms and group words (`Kirin Holdings Company, Limited` → `kirin`). Unlike [`name_key`],
/// only the last phrase may hold a longer word that is not just "company": `Bank` is a legal
/// form too, and `Deutsche Bank Aktiengesellschaft` is the group `deutsche bank`, not `deutsche`.
pub fn group_key(name: &str) -> String {
    let forms = LegalForms::get();
    let mut ws = words(name);
    if ws.len() > 1 && ws[0] == "the" {
        ws.remove(0);
    }
    let plain =
        |w: &String| w.len() <= 3 || COMPANY_FORM_WORDS.contains(&w.as_str()) || GROUP_WORDS.contains(&w.as_str());
    let mut first = true;
    'strip: while ws.len() > 1 {
        for n in (1..ws.len()).rev() {
            let tail = &ws[ws.len() - n..];
            let group_words = tail.iter().all(|w| GROUP_WORDS.contains(&w.as_str()));
            if group_words || (forms.contains(&tail.join(" ")) && (first || tail.iter().all(plain))) {
                ws.truncate(ws.len() - n);
                first = false;
                continue 'strip;
            }
        }
        break;
    }
    ws.join(" ")
}

impl<'r> RegistryIndex<'r> {
    /// Indexes the active records (name keys are computed in parallel; the index is the same
    /// whatever the thread count).
    pub fn build(records: &'r [RegistryRecord]) -> RegistryIndex<'r> {
        let keys: Vec<Vec<String>> = records
            .par_iter()
            .map(|r| {
                if !r.active {
                    return Vec::new();
                }
                let mut ks: Vec<String> = std::iter::once(&r.legal_name)
                    .chain(&r.other_names)
                    .flat_map(|n| [Some(name_key(n)), umlauts_spelled_out(n).map(|u| name_key(&u))])
                    .flatten()
                    .filter(|k| !k.is_empty())
                    .collect();
                ks.sort();
                ks.dedup();
                ks
            })
            .collect();
        let mut by_name: HashMap<String, Vec<u32>, Xxh3DefaultBuilder> =
            HashMap::with_capacity_and_hasher(records.len(), Xxh3DefaultBuilder);
        let mut by_domain: HashMap<String, Vec<u32>, Xxh3DefaultBuilder> = HashMap::default();
        let mut by_group: HashMap<String, Vec<u32>, Xxh3DefaultBuilder> = HashMap::default();
        for (i, r) in records.iter().enumerate().filter(|(_, r)| r.active && r.group) {
            let k = group_key(&r.legal_name);
            if !k.is_empty() {
                by_group.entry(k).or_default().push(i as u32);
            }
        }
        let mut by_glued: HashMap<String, Vec<u32>, Xxh3DefaultBuilder> = HashMap::default();
        for (i, (r, ks)) in records.iter().zip(keys).enumerate() {
            for k in ks {
                let glued = glued(&k);
                if glued.len() >= MIN_GLUED && by_glued.get(&glued).is_none_or(|v| v.last() != Some(&(i as u32))) {
                    by_glued.entry(glued).or_default().push(i as u32);
                }
                by_name.entry(k).or_default().push(i as u32);
            }
            if let (true, Some(d)) = (r.active, r.domain.as_deref()) {
                by_domain.entry(d.to_ascii_lowercase()).or_default().push(i as u32);
            }
        }
        RegistryIndex { records, by_name, by_domain, by_group, by_glued }
    }

    /// The group records (all listings of one group name) whose name the holder's name begins
    /// with, the longest such name first; empty when none. The holder's own key must go on
    /// after the group's (`POSCO DX`, not `POSCO`) — an equal name is [`RegistryIndex::find`]'s
    /// business — and leading legal forms are skipped (`PT Komatsu Indonesia`).
    ///
    /// With `country` (the holder's own, or where its ranges are registered), a holder named
    /// exactly as the group also finds it when a listing of the group is in that country (`UBS
    /// AG` in CH is the group `UBS Group AG`; `NordNet SA` in FR is not the Swedish `Nordnet AB`).
    pub fn find_group(&self, holder_name: &str, country: Option<&str>) -> &[u32] {
        if self.by_group.is_empty() {
            return &[];
        }
        let key = name_key(holder_name);
        let forms = LegalForms::get();
        let mut ws: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        while ws.len() > 2 && forms.contains(ws[0]) {
            ws.remove(0);
        }
        if let (Some(c), Some(found)) = (country, self.by_group.get(&ws.join(" ")))
            && self.listed_in(found, c)
        {
            return found;
        }
        for n in (1..ws.len()).rev() {
            if let Some(found) = self.by_group.get(&ws[..n].join(" ")) {
                return found;
            }
        }
        &[]
    }

    /// True when one of `group`'s records (indices into [`RegistryIndex::records`]) is in
    /// `country`.
    pub fn listed_in(&self, group: &[u32], country: &str) -> bool {
        group
            .iter()
            .any(|&i| self.records[i as usize].country.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(country)))
    }

    /// Number of distinct name keys.
    pub fn name_keys(&self) -> usize {
        self.by_name.len()
    }

    /// The records the index was built over.
    pub fn records(&self) -> &'r [RegistryRecord] {
        self.records
    }

    /// Finds the one company that `q` names, or says why not.
    pub fn find(&self, q: &JoinQuery) -> JoinOutcome {
        let outcome = self.find_with_country(q, false);
        if let JoinOutcome::Matched { .. } = outcome {
            return outcome;
        }
        let reg = q.registration_country.filter(|_| q.country.is_none());
        if let Some(reg) = reg
            && let JoinOutcome::Matched { index, method } =
                self.find_with_country(&JoinQuery { country: Some(reg), ..*q }, false)
        {
            let method = match method {
                "name+country" => "name+registration-country",
                "trade-name+country" => "trade-name+registration-country",
                other => other,
            };
            return JoinOutcome::Matched { index, method };
        }
        // Last, the name spaced otherwise, only in a known country.
        if let Some(country) = q.country.or(reg)
            && let JoinOutcome::Matched { index, method } =
                self.find_with_country(&JoinQuery { country: Some(country), ..*q }, true)
        {
            let method = if q.country.is_some() { method } else { "spacing+registration-country" };
            return JoinOutcome::Matched { index, method };
        }
        outcome
    }

    /// One try of [`RegistryIndex::find`] with `q.country` as the holder's country: by domain
    /// and name, or (`spacing`) by the name's words glued together.
    fn find_with_country(&self, q: &JoinQuery, spacing: bool) -> JoinOutcome {
        if let Some(d) = q.domain.filter(|_| !spacing).map(|d| d.trim().to_ascii_lowercase()).filter(|d| !d.is_empty())
        {
            let mut cands: Vec<u32> = self.by_domain.get(&d).cloned().unwrap_or_default();
            if cands.is_empty() {
                // `mail.example.com` → `example.com` (one level only: never a public suffix).
                if let Some((_, parent)) = d.split_once('.').filter(|(_, p)| p.contains('.')) {
                    cands = self.by_domain.get(parent).cloned().unwrap_or_default();
                }
            }
            match self.decide(cands, q.country, &Guard::default(), "domain") {
                JoinOutcome::NoMatch => {}
                found => return found,
            }
        }
        let Some(name) = q.name.map(str::trim).filter(|n| !n.is_empty()) else {
            return JoinOutcome::NoMatch;
        };
        let both = |m1: &'static str, m2: &'static str, cands: &[u32]| -> &'static str {
            let has = q.country.is_some() && cands.iter().any(|&i| self.records[i as usize].country.is_some());
            if has { m1 } else { m2 }
        };
        let mut tries: Vec<(String, bool)> = Vec::with_capacity(3);
        match split_trading_as(name) {
            Some((holder, trade)) => {
                tries.push((trade, true));
                tries.push((holder, false));
            }
            None => tries.push((name.to_string(), false)),
        }
        if let Some(rest) = without_repeated_handle(name) {
            tries.push((rest.to_string(), false));
        }
        for (n, trade) in tries {
            let (key, forms) = name_parts(&n);
            if key.is_empty() {
                continue;
            }
            let guard = Guard {
                form_countries: form_countries(&forms),
                registered_in: q.registered_in,
                key: &key,
                single_word: !key.contains(' '),
                common_word: !key.contains(' ') && is_common_word(&key),
                forms: forms.clone(),
            };
            let exact = self.by_name.get(&key);
            let found = if !spacing {
                let cands = exact.cloned().unwrap_or_default();
                let method = if trade {
                    both("trade-name+country", "trade-name", &cands)
                } else {
                    both("name+country", "name", &cands)
                };
                self.decide(cands, q.country, &guard, method)
            } else {
                // `JP Morgan Chase` is `JPMorgan Chase`. The glued key is one word, so a match
                // needs a confirmed country; and a name glued to a network word (`CityOnline`,
                // an ISP listed as a hardware firm) is left to the name rules.
                let glued_key = glued(&key);
                let cands: Vec<u32> = self
                    .by_glued
                    .get(&glued_key)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&i| !exact.is_some_and(|e| e.contains(&i)))
                    .collect();
                let network_word = |k: &str| k.split(' ').any(|w| NETWORK_ENDINGS.iter().any(|e| w.ends_with(e)));
                if glued_key.len() < MIN_GLUED
                    || network_word(&key)
                    || cands.iter().any(|&i| network_word(&name_key(&self.records[i as usize].legal_name)))
                {
                    continue;
                }
                let guard =
                    Guard { key: &glued_key, single_word: true, common_word: is_common_word(&glued_key), ..guard };
                self.decide(cands, q.country, &guard, "spacing+country")
            };
            if found != JoinOutcome::NoMatch {
                return found;
            }
        }
        JoinOutcome::NoMatch
    }

    fn decide(
        &self,
        mut cands: Vec<u32>,
        country: Option<&str>,
        guard: &Guard<'_>,
        method: &'static str,
    ) -> JoinOutcome {
        let recs = self.records;
        // A registry of all companies names namesakes everywhere: its records take part only in
        // the holder's own country (or, on the second try, where its ranges are registered), and
        // only where no other registry's record fits the holder (below: `BancFirst`, listed, is
        // not made ambiguous by the bank's and the holding's LEIs).
        cands.retain(|&i| {
            let r = &recs[i as usize];
            !r.all_companies || country.zip(r.country.as_deref()).is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        });
        let implied = &guard.form_countries;
        let has = |set: &[String], c: &str| set.iter().any(|x| x.eq_ignore_ascii_case(c));
        // A common word (`Connect LLC`, `Link Ltd`, `Mega Ltd`) names countless small firms: a
        // registry of all sizes (GLEIF, national registers) matches it only in the holder's own
        // country; listings and SEC filers are large companies, where a legal form's countries do.
        // Such a record still makes the name ambiguous: a listing named `Connect` is no more the
        // holder than the small firms are.
        let unsure_common = |r: &RegistryRecord| {
            guard.common_word && country.is_none() && !matches!(r.registry.scheme.as_str(), "TICKER" | "US-CIK")
        };
        let unsure = cands.iter().filter(|&&i| unsure_common(&recs[i as usize])).count();
        let mut abroad_only = 0;
        cands.retain(|&i| {
            let r = &recs[i as usize];
            let rc = r.country.as_deref();
            let country_ok = match (country, rc) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                // The holder's legal form says where it was formed (`GmbH`: not GB).
                (None, Some(b)) if !implied.is_empty() => has(implied, b),
                _ => true,
            };
            if !country_ok {
                return false;
            }
            if method != "domain" {
                let theirs = name_parts(&r.legal_name).1;
                let countries = form_countries(&theirs);
                // A listing's name is often an English rendering (`Nokia Corp.` for Nokia Oyj):
                // its own country, where the holder's form points, speaks for it.
                let listed_there = r.registry.scheme == "TICKER" && rc.is_some_and(|c| has(implied, c));
                if !implied.is_empty()
                    && !countries.is_empty()
                    && !countries.iter().any(|c| has(implied, c))
                    && !listed_there
                {
                    return false; // `… GmbH` is not `… Limited`
                }
                if kind_words(&theirs) != kind_words(&guard.forms) {
                    return false; // `Premier, Inc.` is not `Premier Commercial Bank`
                }
            }
            // A one-word name (`Online`, `Silver`) only matches with a confirmed country.
            if unsure_common(r) {
                return false;
            }
            // Where none of the holder's ranges is registered in the record's country, a name
            // alone finds namesakes abroad (`Global Link` in Bangladesh is no Belgian firm;
            // `Orbital Ltd` in Bulgaria no Australian one: its `Ltd` was an English rendering).
            // A large listed group's subsidiaries register ranges anywhere (`Twilio Inc.` in
            // IE), and a name with a distinctive word (`Westpac Banking Corporation`) is itself.
            let abroad = country.is_none()
                && !guard.registered_in.is_empty()
                && rc.is_some_and(|rc| !guard.registered_in.iter().any(|c| rc.as_bytes().eq_ignore_ascii_case(c)));
            let distinctive = || !guard.single_word && is_distinctive_name(guard.key);
            if abroad && !distinctive() && !self.by_group.contains_key(&group_key(&r.legal_name)) {
                abroad_only += 1;
                return false;
            }
            // A one-word name needs a confirmed country: the holder's, or one its legal form
            // points to.
            !guard.single_word || (rc.is_some() && (country.is_some() || !implied.is_empty()))
        });
        // A curated record that fits as well wins over the all-companies ones (one that the
        // country or form rules out does not: `Medicover AB`, listed in SE, leaves the Polish
        // `Medicover Sp. z o.o.` its LEI).
        if cands.iter().any(|&i| !recs[i as usize].all_companies) {
            cands.retain(|&i| !recs[i as usize].all_companies);
        }
        if cands.is_empty() {
            return if abroad_only > 0 {
                JoinOutcome::Abroad { candidates: abroad_only, method }
            } else {
                JoinOutcome::NoMatch
            };
        }
        if unsure > 0 {
            return JoinOutcome::Ambiguous { candidates: cands.len() + unsure, method };
        }
        // One company per registry id.
        cands.sort_by(|&a, &b| {
            let (ra, rb) = (&recs[a as usize], &recs[b as usize]);
            scheme_rank(&ra.registry.scheme)
                .cmp(&scheme_rank(&rb.registry.scheme))
                .then_with(|| ra.registry.cmp(&rb.registry))
                .then(a.cmp(&b))
        });
        cands.dedup_by(|a, b| recs[*a as usize].registry == recs[*b as usize].registry);
        // One company listed on several exchanges: a ticker names a listing, not a company, so
        // tickers of one name and country are one company; in other registries the same name,
        // country and web domain are.
        let listing = |i: u32| {
            let r = &recs[i as usize];
            let ticker = r.registry.scheme == "TICKER";
            (ticker || r.domain.is_some()).then(|| {
                let domain = if ticker { None } else { r.domain.as_deref() };
                // `Österreichische` and `Oesterreichische` name one listing.
                let name = umlauts_spelled_out(&r.legal_name).unwrap_or_else(|| r.legal_name.clone());
                (r.registry.scheme.as_str(), name_key(&name), r.country.as_deref(), domain)
            })
        };
        let mut seen = Vec::new();
        cands.retain(|&i| match listing(i) {
            Some(k) if seen.contains(&k) => false,
            Some(k) => {
                seen.push(k);
                true
            }
            None => true,
        });
        if cands.len() == 1 {
            return JoinOutcome::Matched { index: cands[0], method };
        }
        // Several registries naming one company: same country (or none), one record per scheme.
        let countries: Vec<&str> = cands.iter().filter_map(|&i| recs[i as usize].country.as_deref()).collect();
        let one_country = countries.windows(2).all(|w| w[0].eq_ignore_ascii_case(w[1]));
        let mut schemes: Vec<&str> = cands.iter().map(|&i| recs[i as usize].registry.scheme.as_str()).collect();
        let n = schemes.len();
        schemes.sort_unstable();
        schemes.dedup();
        if one_country && schemes.len() == n {
            return JoinOutcome::Matched { index: cands[0], method };
        }
        // The holder's own legal form picks one of several: "Allianz Technology SE" is the SE,
        // not "Allianz Technology SAS" or "… GmbH" of the same group.
        if !guard.forms.is_empty() {
            let same: Vec<u32> =
                cands.iter().copied().filter(|&i| name_parts(&recs[i as usize].legal_name).1 == guard.forms).collect();
            if let [one] = same[..] {
                return JoinOutcome::Matched { index: one, method };
            }
        }
        JoinOutcome::Ambiguous { candidates: cands.len(), method }
    }
}

/// A name key without its spaces.
fn glued(key: &str) -> String {
    key.chars().filter(|c| *c != ' ').collect()
}

/// Glued keys shorter than this are not looked up: short names spaced otherwise are other
/// names (`A B C` is not `ABC`).
const MIN_GLUED: usize = 8;

/// Word endings of network and access services: a name spaced otherwise with such a word is
/// not joined by its glued key.
const NETWORK_ENDINGS: &[&str] = &[
    "online",
    "net",
    "tel",
    "telecom",
    "link",
    "wifi",
    "fiber",
    "fibre",
    "host",
    "hosting",
    "web",
    "cloud",
    "lan",
    "wave",
    "connect",
    "network",
    "networks",
    "broadband",
    "cable",
    "isp",
    "sat",
];

/// Extra conditions of a name match.
#[derive(Debug, Default)]
struct Guard<'a> {
    /// Countries the holder's legal form points to.
    form_countries: Vec<String>,
    /// Every country the holder's ranges are registered in ([`JoinQuery::registered_in`]).
    registered_in: &'a [[u8; 2]],
    /// The name key looked up; whether it has a distinctive word (`is_distinctive_name`) is
    /// asked only of a record abroad.
    key: &'a str,
    /// The name key is one word.
    single_word: bool,
    /// That one word is a common dictionary word.
    common_word: bool,
    /// The legal-form phrases stripped from the holder's name.
    forms: Vec<String>,
}

/// Words of legal-form phrases that say what kind of body a name is, not only that it is a
/// company. Stripped, they leave one key for `Caterpillar, Inc.` and `Caterpillar Investment
/// Trust`, `Webster Bank` and `Webster Development Corporation`, `Meridian Cooperative, Inc.`
/// and `Meridian Corp`: a match needs the same such words on both sides. (`Association` is not
/// one: US national banks are `…, National Association`.)
const KIND_FORM_WORDS: &[&str] = &[
    "bank",
    "banca",
    "banco",
    "commercial",
    "cooperative",
    "cooperativa",
    "cooperatie",
    "genossenschaft",
    "trust",
    "fund",
    "fonds",
    "investment",
    "mutual",
    "credit",
    "foundation",
    "stiftung",
    "fundacion",
    "partnership",
    "partners",
];

/// The [`KIND_FORM_WORDS`] in stripped legal-form phrases, sorted, each once.
fn kind_words(forms: &[String]) -> Vec<&str> {
    let mut ws: Vec<&str> = forms
        .iter()
        .flat_map(|f| f.split(' '))
        .map(|w| if w == "coop" { "cooperative" } else { w })
        .filter(|w| KIND_FORM_WORDS.contains(w))
        .collect();
    ws.sort_unstable();
    ws.dedup();
    ws
}

fn scheme_rank(s: &str) -> usize {
    SCHEME_PRIORITY.iter().position(|p| *p == s).unwrap_or(SCHEME_PRIORITY.len())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::lookup::RegistryId;

    fn rec(scheme: &str, id: &str, name: &str, country: Option<&str>, domain: Option<&str>) -> RegistryRecord {
        RegistryRecord {
            registry: RegistryId { scheme: scheme.into(), id: id.into() },
            legal_name: name.into(),
            country: country.map(Into::into),
            domain: domain.map(Into::into),
            active: true,
            ..Default::default()
        }
    }

    fn q<'a>(name: &'a str, country: Option<&'a str>) -> JoinQuery<'a> {
        JoinQuery { name: Some(name), country, ..Default::default() }
    }

    #[test]
    fn names_spaced_otherwise_join_in_a_known_country_only() {
        // Names of the full table's holders and of their SEC and listing records.
        let recs = vec![
            rec("US-CIK", "19617", "JPMORGAN CHASE & CO", Some("US"), None),
            rec("TICKER", "CITYONLINE.BO", "City Online Services Limited", Some("IN"), None),
            rec("US-CIK", "1002590", "STAR GROUP, L.P.", Some("US"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        let reg =
            |name, country| JoinQuery { name: Some(name), registration_country: Some(country), ..Default::default() };
        assert_eq!(
            ix.find(&q("JP Morgan Chase & Co.", Some("US"))),
            JoinOutcome::Matched { index: 0, method: "spacing+country" }
        );
        assert_eq!(
            ix.find(&reg("JP Morgan Chase & Co.", "US")),
            JoinOutcome::Matched { index: 0, method: "spacing+registration-country" }
        );
        // Elsewhere, or with no country at all, it is another firm's name.
        assert_eq!(ix.find(&reg("JP Morgan Chase & Co.", "SG")), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("JP Morgan Chase & Co.", None)), JoinOutcome::NoMatch);
        // `LLC` points to the US, but the holder's ranges are registered in Ukraine.
        assert_eq!(ix.find(&reg("Stargroup LLC", "UA")), JoinOutcome::NoMatch);
        // A network word glued on: an ISP whose listing says hardware is left to the name rules.
        assert_eq!(ix.find(&q("CityOnline Services Ltd", Some("IN"))), JoinOutcome::NoMatch);
        // The exact spelling still matches as before.
        assert_eq!(ix.find(&q("JPMorgan Chase & Co.", Some("US"))).index(), Some(0));
    }

    #[test]
    fn name_and_country_must_agree() {
        let recs = vec![
            rec("NL-KVK", "1", "Acme Widgets B.V.", Some("NL"), None),
            rec("GB-CH", "2", "ACME WIDGETS LIMITED", Some("GB"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        assert_eq!(
            ix.find(&q("ACME WIDGETS BV", Some("NL"))),
            JoinOutcome::Matched { index: 0, method: "name+country" }
        );
        assert_eq!(
            ix.find(&q("Acme Widgets Ltd", Some("GB"))),
            JoinOutcome::Matched { index: 1, method: "name+country" }
        );
        assert_eq!(ix.find(&q("Acme Widgets", Some("DE"))), JoinOutcome::NoMatch);
        // No country on the IP side and two countries in the registries: never guess.
        assert!(matches!(ix.find(&q("Acme Widgets", None)), JoinOutcome::Ambiguous { candidates: 2, .. }));
    }

    #[test]
    fn same_company_in_two_registries_is_one_match() {
        let recs = vec![
            rec("US-CIK", "1", "Cloudflare, Inc.", Some("US"), None),
            rec("LEI", "X", "CLOUDFLARE INC", Some("US"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        assert_eq!(ix.find(&q("Cloudflare Inc", None)), JoinOutcome::Matched { index: 1, method: "name" });
    }

    #[test]
    fn ascii_spellings_of_umlauts_and_repeated_handles_still_match() {
        let recs = vec![
            rec("LEI", "1", "Körber Pharma Software GmbH", Some("DE"), None),
            rec("LEI", "2", "Crealogix AG", Some("CH"), None),
            rec("TICKER", "POST.VI", "Österreichische Post AG", Some("AT"), None),
            rec("TICKER", "O3P.DE", "Oesterreichische Post AG", Some("AT"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        // RIPE objects and AS names are ASCII: `ö` is written `oe`.
        assert_eq!(ix.find(&q("Koerber Pharma Software GmbH", None)).index(), Some(0));
        assert_eq!(ix.find(&q("Korber Pharma Software GmbH", None)).index(), Some(0));
        // An AS handle glued before the organisation's name.
        assert_eq!(ix.find(&q("Crealogix-AG Crealogix AG", None)).index(), Some(1));
        assert_eq!(ix.find(&q("CREALOGIX - Crealogix AG", None)).index(), Some(1));
        // One company listed under both spellings is one match, not two candidates.
        assert!(matches!(ix.find(&q("Oesterreichische Post AG", None)), JoinOutcome::Matched { .. }));
        // The handle must repeat the name: another word before it is part of the name.
        assert_eq!(ix.find(&q("Swiss Crealogix AG", None)), JoinOutcome::NoMatch);
    }

    #[test]
    fn a_registry_of_all_companies_matches_only_in_the_holders_country_and_only_alone() {
        let all = |id: &str, name: &str, c: &str| RegistryRecord {
            all_companies: true,
            ..rec("LEI", id, name, Some(c), None)
        };
        let recs = vec![
            all("A", "Astrix Limited", "GI"),
            all("B", "Spotex LLC", "US"),
            rec("US-CIK", "1", "BancFirst Corp", Some("US"), None),
            all("C", "BANCFIRST CORPORATION", "US"),
            all("D", "BancFirst", "US"),
            rec("TICKER", "MCOV-B.ST", "Medicover AB (publ)", Some("SE"), None),
            all("E", "MEDICOVER SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", "PL"),
        ];
        let ix = RegistryIndex::build(&recs);
        let reg = |name, c| JoinQuery { name: Some(name), registration_country: Some(c), ..Default::default() };
        // By name alone, a namesake abroad: no match (`Astrix Co., Ltd.` registered in Japan).
        assert_eq!(ix.find(&q("Astrix Co., Ltd.", None)), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&reg("Astrix Co., Ltd.", "JP")), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("Spotex", Some("DE"))), JoinOutcome::NoMatch);
        // In the holder's own or registration country it matches.
        assert_eq!(ix.find(&q("Spotex", Some("US"))), JoinOutcome::Matched { index: 1, method: "name+country" });
        assert_eq!(
            ix.find(&reg("Spotex", "US")),
            JoinOutcome::Matched { index: 1, method: "name+registration-country" }
        );
        // Another registry's record wins, and the two LEIs of bank and holding do not make it
        // ambiguous.
        assert_eq!(ix.find(&reg("BancFirst", "US")).index(), Some(2));
        // But only a record that fits the holder: the Swedish listing does not take the Polish
        // company's own LEI away.
        assert_eq!(ix.find(&reg("Medicover Sp. z o.o.", "PL")).index(), Some(6));
    }

    #[test]
    fn the_registration_country_only_settles_what_the_name_leaves_open() {
        let recs = vec![
            rec("TICKER", "SAN.PA", "Sanofi", Some("FR"), None),
            rec("TICKER", "SANOFI.BO", "Sanofi", Some("IN"), None),
            rec("US-CIK", "1", "Twilio Inc.", Some("US"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        let reg = |name, c| JoinQuery { name: Some(name), registration_country: Some(c), ..Default::default() };
        // One word in two countries: no match by name, settled by where the ranges are registered.
        assert_eq!(ix.find(&q("Sanofi", None)).index(), None);
        assert_eq!(
            ix.find(&reg("Sanofi", "FR")),
            JoinOutcome::Matched { index: 0, method: "name+registration-country" }
        );
        assert_eq!(ix.find(&reg("Sanofi", "DE")).index(), None);
        // A name that matches alone keeps its match wherever a subsidiary registered the ranges.
        assert_eq!(ix.find(&reg("Twilio Inc.", "IE")), JoinOutcome::Matched { index: 2, method: "name" });
        // The holder's own country (from the IP data) still rules.
        let own = JoinQuery {
            name: Some("Sanofi"),
            country: Some("DE"),
            registration_country: Some("FR"),
            ..Default::default()
        };
        assert_eq!(ix.find(&own), JoinOutcome::NoMatch);
    }

    #[test]
    fn a_bank_a_trust_or_a_fund_is_not_the_company_of_the_same_name() {
        let recs = vec![
            rec("LEI", "1", "CATERPILLAR INVESTMENT TRUST", Some("US"), None),
            rec("LEI", "2", "WEBSTER DEVELOPMENT CORPORATION", Some("US"), None),
            rec("US-CIK", "3", "DOW INC.", Some("US"), None),
            rec("LEI", "4", "BASIN ELECTRIC POWER COOPERATIVE", Some("US"), None),
            rec("TICKER", "SCB.BK", "The Siam Commercial Bank Public Company Limited", Some("TH"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        // Stripped of their forms these share a key; what kind of body each is differs.
        assert_eq!(ix.find(&q("Caterpillar, Inc.", None)), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("Webster Bank", None)), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("Dow Credit Union", None)), JoinOutcome::NoMatch);
        // The same kind, however written, still matches.
        assert_eq!(ix.find(&q("Basin Electric Power Coop", None)).index(), Some(3));
        assert_eq!(ix.find(&q("Siam Commercial Bank", Some("TH"))).index(), Some(4));
    }

    #[test]
    fn a_listing_in_the_country_of_the_holders_form_may_render_its_name_in_english() {
        let recs = vec![
            rec("TICKER", "NOA3.BE", "Nokia Corp.", Some("FI"), None),
            rec("LEI", "1", "Acme Corp.", Some("US"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        // `Oyj` points to Finland, where the listing is, whatever its name's form.
        assert_eq!(ix.find(&q("Nokia Oyj", None)).index(), Some(0));
        // A registry record's own form still counts: `Acme Oy` is not the US `Acme Corp.`.
        assert_eq!(ix.find(&q("Acme Oy", None)), JoinOutcome::NoMatch);
    }

    #[test]
    fn two_companies_of_one_registry_are_ambiguous() {
        let recs = vec![
            rec("GB-CH", "1", "Smith Ltd", Some("GB"), None),
            rec("GB-CH", "2", "SMITH LIMITED", Some("GB"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        assert!(matches!(ix.find(&q("Smith", Some("GB"))), JoinOutcome::Ambiguous { .. }));
    }

    #[test]
    fn legal_forms_and_one_word_names_guard_the_match() {
        let recs = vec![
            rec("LEI", "1", "HUGHES NETWORK SYSTEMS LIMITED", Some("GB"), None),
            rec("LEI", "2", "ONLINE", Some("BE"), None),
            rec("LEI", "3", "OCADO RETAIL LIMITED", Some("GB"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        assert_eq!(ix.find(&q("Hughes Network Systems GmbH", None)), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("ONLINE LLC", None)), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("Online", None)), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("Online", Some("BE"))), JoinOutcome::Matched { index: 1, method: "name+country" });
        assert_eq!(ix.find(&q("Ocado Retail Ltd", None)), JoinOutcome::Matched { index: 2, method: "name" });
    }

    #[test]
    fn a_name_of_ordinary_words_whose_ranges_are_all_registered_abroad_is_a_namesake() {
        // Full-table holders that had taken a record of another country by their name alone:
        // `Orbital Ltd` (ranges in BG) is no Australian `Orbital Corporation Limited`, `Cactus
        // Ltd.` (RU) no US `Cactus, Inc.`, `Global Link` (BD) no Belgian firm. A large listed
        // group's subsidiaries register ranges anywhere (`Twilio Inc.` in IE), and a name of
        // several words with a distinctive one is itself (`Westpac Banking Corporation` in AU).
        let mut twilio = rec("US-CIK", "3", "TWILIO INC", Some("US"), None);
        let recs = vec![
            rec("TICKER", "1", "Orbital Corporation Limited", Some("AU"), None),
            rec("US-CIK", "2", "Cactus, Inc.", Some("US"), None),
            rec("LEI", "4", "GLOBAL LINK", Some("BE"), None),
            rec("US-CIK", "5", "WESTPAC BANKING CORP", Some("US"), None),
            rec("US-CIK", "6", "COMPUGEN LTD", Some("US"), None),
            twilio.clone(),
            {
                twilio.registry = RegistryId { scheme: "TICKER".into(), id: "TWLO".into() };
                twilio.legal_name = "Twilio Inc.".into();
                twilio.group = true;
                twilio
            },
        ];
        let ix = RegistryIndex::build(&recs);
        let find = |name, registered_in: &[[u8; 2]]| {
            ix.find(&JoinQuery { name: Some(name), registered_in, ..Default::default() }).index()
        };
        assert_eq!(
            ix.find(&JoinQuery { name: Some("Orbital Ltd"), registered_in: &[*b"BG"], ..Default::default() }),
            JoinOutcome::Abroad { candidates: 1, method: "name" }
        );
        assert_eq!(find("Cactus Ltd.", &[*b"RU"]), None);
        // One range in the record's country is enough; no known registration is no evidence.
        assert_eq!(find("Orbital Ltd", &[*b"AU", *b"NZ"]), Some(0));
        assert_eq!(find("Orbital Ltd", &[]), Some(0));
        assert!(find("Twilio Inc.", &[*b"IE"]).is_some());
        assert_eq!(find("Global Link", &[*b"BD"]), None);
        assert_eq!(find("Global Link", &[*b"BE"]), Some(2));
        assert_eq!(find("Westpac Banking Corporation", &[*b"AU"]), Some(3));
        assert_eq!(find("Cactus Ltd.", &[*b"US"]), Some(1));
        // A one-word name needs more than a distinctive word: `COMPUGEN INC` in CA is no Israeli
        // `Compugen Ltd`.
        assert_eq!(find("COMPUGEN INC", &[*b"CA"]), None);
        assert_eq!(find("COMPUGEN INC", &[*b"US"]), Some(4));
    }

    #[test]
    fn a_common_word_matches_a_registry_of_small_firms_only_in_the_holders_country() {
        // Full-table holders that had taken the LEI of a namesake: `Connect LLC`, `Link Ltd`.
        let recs =
            vec![rec("LEI", "1", "CONNECT LLC", Some("US"), None), rec("LEI", "2", "LINK LTD", Some("GB"), None)];
        let ix = RegistryIndex::build(&recs);
        assert_eq!(ix.find(&q("Connect LLC", None)), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("Link Ltd", None)), JoinOutcome::NoMatch);
        assert_eq!(ix.find(&q("Connect LLC", Some("US"))), JoinOutcome::Matched { index: 0, method: "name+country" });
        // A listing is a large company: the legal form's countries are enough (`Intuit Ltd.`) …
        let recs = vec![rec("US-CIK", "0000896878", "INTUIT INC", Some("US"), None)];
        assert!(matches!(RegistryIndex::build(&recs).find(&q("Intuit Inc.", None)), JoinOutcome::Matched { .. }));
        // … unless small firms share the name: then the holder could be any of them.
        let recs = vec![
            rec("TICKER", "X", "Connect Limited", Some("GB"), None),
            rec("LEI", "2", "CONNECT LTD", Some("GB"), None),
        ];
        assert!(matches!(RegistryIndex::build(&recs).find(&q("Connect Ltd.", None)), JoinOutcome::Ambiguous { .. }));
    }

    #[test]
    fn one_company_listed_on_several_exchanges_is_one_match() {
        // Coloplast A/S as FinanceDatabase lists it in Copenhagen and on XETRA (real rows).
        let a = rec("TICKER", "COLO-B.CO", "Coloplast A/S", Some("DK"), Some("coloplast.com"));
        let b = rec("TICKER", "CBHD.DE", "Coloplast A/S", Some("DK"), Some("coloplast.com"));
        let recs = [a, b];
        let ix = RegistryIndex::build(&recs);
        assert!(matches!(ix.find(&q("Coloplast A/S", None)), JoinOutcome::Matched { .. }));
        // A listing without a web site is the same company too ("Goldman Sachs Group, Inc." on
        // the Düsseldorf exchange), and the registrar's record of it counts once more.
        let c = rec("TICKER", "GOS.DU", "Goldman Sachs Group, Inc.", Some("US"), None);
        let d = rec("TICKER", "GOS.DE", "The Goldman Sachs Group, Inc.", Some("US"), Some("goldmansachs.com"));
        let e = rec("US-CIK", "0000886982", "GOLDMAN SACHS GROUP INC", Some("US"), None);
        let recs = [c, d, e];
        let ix = RegistryIndex::build(&recs);
        assert!(matches!(ix.find(&q("The Goldman Sachs Group, Inc.", None)), JoinOutcome::Matched { .. }));
        // Two GLEIF entities of one name and country with different web sites stay ambiguous.
        let f = rec("LEI", "1", "Acme Widgets B.V.", Some("NL"), Some("acme.nl"));
        let g = rec("LEI", "2", "Acme Widgets B.V.", Some("NL"), Some("example.com"));
        let recs = [f, g];
        let ix = RegistryIndex::build(&recs);
        assert!(matches!(ix.find(&q("Acme Widgets B.V.", None)), JoinOutcome::Ambiguous { .. }));
    }

    #[test]
    fn the_holders_legal_form_picks_one_of_a_groups_companies() {
        // GLEIF: Allianz Technology SE (DE), SAS (FR), GmbH (AT) — the AS holder is the SE.
        let recs = [
            rec("LEI", "529900D4X8B3UWGFCX06", "Allianz Technology SE", Some("DE"), None),
            rec("LEI", "5299007NQRNTW1EYYN89", "Allianz Technology SAS", Some("FR"), None),
            rec("LEI", "529900CSUO99FBUCN734", "Allianz Technology GmbH", Some("AT"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        assert_eq!(ix.find(&q("Allianz Technology SE", None)), JoinOutcome::Matched { index: 0, method: "name" });
        // Without a legal form nothing picks one.
        assert!(matches!(ix.find(&q("Allianz Technology", None)), JoinOutcome::Ambiguous { .. }));
    }

    #[test]
    fn domain_first_and_inactive_ignored() {
        let mut dead = rec("GB-CH", "9", "Example Ltd", Some("GB"), None);
        dead.active = false;
        let recs = vec![rec("LEI", "A", "Example Holdings", Some("GB"), Some("example.com")), dead];
        let ix = RegistryIndex::build(&recs);
        let query = JoinQuery {
            name: Some("Example Ltd"),
            country: Some("GB"),
            domain: Some("mail.example.com"),
            ..Default::default()
        };
        assert_eq!(ix.find(&query), JoinOutcome::Matched { index: 0, method: "domain" });
        assert_eq!(ix.find(&q("Example Ltd", Some("GB"))), JoinOutcome::NoMatch);
    }

    #[test]
    fn trading_as_uses_the_trade_name() {
        let recs = vec![rec("GB-CH", "7", "Quick Cabs Ltd", Some("GB"), None)];
        let ix = RegistryIndex::build(&recs);
        assert_eq!(
            ix.find(&q("A Smith t/a Quick Cabs", Some("GB"))),
            JoinOutcome::Matched { index: 0, method: "trade-name+country" }
        );
    }

    #[test]
    fn group_keys_drop_forms_and_group_words_but_not_trade_words() {
        // Names of FinanceDatabase listings (Mid Cap or more).
        let cases = [
            ("Hanwha Corporation", "hanwha"),
            ("POSCO", "posco"),
            ("Axiata Group Berhad", "axiata"),
            ("Kirin Holdings Company, Limited", "kirin"),
            ("Shinhan Financial Group Co., Ltd.", "shinhan financial"),
            ("Daifuku Co., Ltd.", "daifuku"),
            // `Bank` is an ELF legal form too; it is the group's trade here.
            ("Deutsche Bank Aktiengesellschaft", "deutsche bank"),
            ("Red Electrica Corporacion, S.A.", "red electrica"),
        ];
        for (name, key) in cases {
            assert_eq!(group_key(name), key, "{name}");
        }
    }

    #[test]
    fn groups_are_found_by_the_leading_words_of_a_longer_name() {
        let group = |id: &str, name: &str, active: bool| RegistryRecord {
            group: true,
            active,
            ..rec("TICKER", id, name, Some("KR"), None)
        };
        let recs = vec![
            group("005490.KS", "POSCO", true),
            group("003670.KS", "POSCO", true),
            group("000880.KS", "Hanwha Corporation", true),
            group("X", "Hanwha Ocean Co., Ltd.", true),
            group("DEAD", "Securitas AB", false),
            // Not a group: an exact name only.
            rec("TICKER", "030520.KQ", "Hancom Inc.", Some("KR"), None),
        ];
        let ix = RegistryIndex::build(&recs);
        assert_eq!(ix.find_group("POSCO DX", None), &[0, 1]);
        assert_eq!(ix.find_group("PT POSCO Indonesia Jakarta", None), &[0, 1], "a leading legal form is skipped");
        // The longest group name wins; the holder's own legal form is no part of its name.
        assert_eq!(ix.find_group("Hanwha Ocean Europe GmbH", None), &[3]);
        assert_eq!(ix.find_group("HANWHA Corp. Information Service div.", None), &[2]);
        // The group itself is no company of the group (the join matches it by name), and the
        // words must follow the group's name from the start.
        assert!(ix.find_group("POSCO", None).is_empty() && ix.find_group("POSCO Co., Ltd.", None).is_empty());
        assert!(ix.find_group("Daewoo POSCO Trading", None).is_empty());
        assert!(ix.find_group("Securitas Polska Sp. z o.o.", None).is_empty(), "inactive listings are no groups");
        assert!(ix.find_group("Hancom WITH", None).is_empty(), "only records marked as groups");
        // Named exactly as the group: found only where a listing of the group is.
        assert_eq!(ix.find_group("POSCO Co., Ltd.", Some("KR")), &[0, 1]);
        assert!(ix.find_group("POSCO Co., Ltd.", Some("DE")).is_empty());
    }
}
