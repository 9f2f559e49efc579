//! Classification: the rules that give every range one [`Class`] and a reason code.
//!
//! Rules and their precedence live here and nowhere else (`RULES.md` beside this file documents
//! them); the word lists and legal-form tables are data files in `data/`, compiled in with
//! `include_str!` and parsed once by [`Rules::load_default`].
//!
//! ```
//! use ipfirm::compile::classify::{classify, Evidence, Rules};
//! use ipfirm::compile::IpRecord;
//! use ipfirm::Class;
//!
//! let rules = Rules::load_default()?;
//! let ip = IpRecord { org_name: Some("Deutsche Telekom AG".into()), asn: Some(3320), ..Default::default() };
//! let d = classify(&rules, &Evidence::new(&ip));
//! assert_eq!(d.class, Class::Isp);
//! assert_eq!(d.reason, "isp:known-network:deutsche-telekom");
//! # Ok::<(), ipfirm::Error>(())
//! ```

mod person;
mod rules;
mod text;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use self::rules::{NameRule, RegistryField, RegistryRule, WordRule};
use crate::class::Class;
use crate::compile::records::{IpRecord, OptOut, RegistryRecord, SourceHint};
use crate::error::Result;

/// The parsed rule data: word lists, legal-form tables and given names. Load it once and share
/// it by reference ([`Rules::load_default`] parses the bundled files on first use only).
#[derive(Debug, Clone)]
pub struct Rules {
    name_words: Vec<WordRule>,
    known: Vec<WordRule>,
    company_words: HashSet<String>,
    institution_words: HashSet<String>,
    forms: HashSet<Vec<String>>,
    max_form_words: usize,
    sole_elf: HashMap<String, String>,
    sole_names: Vec<NameRule>,
    registry: Vec<RegistryRule>,
    given: HashSet<String>,
    /// Brazilian given names (IBGE census) the general list lacks: read only by the rule for
    /// names written the Brazilian way, where `Washington` or `America` is a person's name.
    given_br: HashSet<String>,
    /// Chinese, Korean, Japanese and Vietnamese given names the general list lacks (`HaoYu`,
    /// `Minh`): read only by the rule for a whole romanised East Asian name.
    given_east_asian: HashSet<String>,
    /// Hanyu Pinyin syllables without tones (`liang`, `ma`).
    pinyin: HashSet<String>,
    /// Country names, folded (`new zealand`): a name with one is an organisation's for the
    /// weakest person rule.
    countries: HashSet<Vec<String>>,
    particles: HashSet<String>,
    /// The patterns of `name_words`, tagged with their rule's index.
    name_index: text::PatternIndex,
    /// The patterns of `known`, tagged with their rule's index.
    known_index: text::PatternIndex,
    /// Hosting-provider names from ipcat (tag 0) and holders of ipcat's ranges (tag 1).
    hosting_names: text::PatternIndex,
    /// Folded names of AS holders with many routed ranges (`large-networks.txt`).
    large_networks: HashSet<String>,
    /// Folded names of AS holders whose routed ranges hold a Tor or VPN exit (`exit-hosts.txt`).
    exit_hosts: HashSet<String>,
    /// Folded names of AS holders routing an IPv6 /32 or larger in ARIN's space (`arin-isp-sized.txt`).
    arin_isp_sized: HashSet<String>,
    /// IT and network-service words (`it-service-words.txt`).
    it_words: text::PatternIndex,
    /// Ordinary words, places and given names among large groups' names (rule 10d).
    group_common: HashSet<String>,
    /// Industries of groups whose companies rule 10d does not show: (folded text, prefix).
    group_industries: Vec<(String, bool)>,
    /// Polish trade abbreviations that open sole traders' names (`pphu`, `fhu`).
    polish_trade_abbreviations: HashSet<String>,
    /// The same trades written out (`firma`, `uslugi`).
    polish_trade_words: HashSet<String>,
}

static DEFAULT: OnceLock<std::result::Result<Rules, String>> = OnceLock::new();

impl Rules {
    /// The rule data compiled into the crate (parsed on the first call, then cloned).
    ///
    /// # Errors
    /// [`crate::Error::Config`] whose message names the data file and line when a bundled list is malformed
    /// (a bug the unit tests catch before a release).
    pub fn load_default() -> Result<Rules> {
        match DEFAULT.get_or_init(|| Rules::parse().map_err(|e| e.to_string())) {
            Ok(r) => Ok(r.clone()),
            Err(m) => {
                Err(crate::Error::Config { path: "crates/core/src/compile/classify/data".into(), message: m.clone() })
            }
        }
    }

    fn parse() -> Result<Rules> {
        let forms = rules::parse_phrases(rules::COMPANY_FORMS, "legal form")?;
        let max_form_words = forms.iter().map(Vec::len).max().unwrap_or(1);
        let particles = rules::parse_word_set(rules::PARTICLES)?;
        let mut given = rules::parse_word_set(rules::GIVEN_NAMES)?;
        let (company_words, institution_words) = rules::parse_company_words(rules::COMPANY_WORDS)?;
        // A particle is never taken for a given name ("Le", "Van").
        given.retain(|g| !particles.contains(g));
        let mut given_br = rules::parse_word_set(rules::GIVEN_NAMES_BR)?;
        given_br.retain(|g| !particles.contains(g));
        let mut given_east_asian = rules::parse_word_set(rules::GIVEN_NAMES_EAST_ASIAN)?;
        given_east_asian.retain(|g| !particles.contains(g));
        let name_words = rules::parse_word_rules(rules::NAME_WORDS)?;
        let known = rules::parse_word_rules(rules::KNOWN_NETWORKS)?;
        let tagged = |list: &[WordRule]| {
            text::PatternIndex::new(
                list.iter().enumerate().flat_map(|(i, r)| r.patterns.iter().map(move |p| (i, p.clone()))),
            )
        };
        let (name_index, known_index) = (tagged(&name_words), tagged(&known));
        // Tag 0: ipcat's provider names; tag 1: holders announcing ipcat's datacenter ranges.
        let hosting_names = text::PatternIndex::new(
            rules::parse_pattern_lines(rules::HOSTING_IPCAT)?
                .into_iter()
                .map(|p| (0, p))
                .chain(rules::parse_pattern_lines(rules::HOSTING_RANGES)?.into_iter().map(|p| (1, p))),
        );
        let it_words =
            text::PatternIndex::new(rules::parse_pattern_lines(rules::IT_SERVICE_WORDS)?.into_iter().map(|p| (0, p)));
        let group_industries = rules::lines(rules::GROUP_INDUSTRIES.1)
            .map(|(_, l)| (rules::fold_value(l.trim_end_matches('*')), l.ends_with('*')))
            .collect();
        Ok(Rules {
            group_common: rules::parse_word_set(rules::GROUP_COMMON_WORDS)?,
            group_industries,
            polish_trade_abbreviations: rules::parse_word_set(rules::POLISH_TRADE_ABBREVIATIONS)?,
            polish_trade_words: rules::parse_word_set(rules::POLISH_TRADE_WORDS)?,
            hosting_names,
            large_networks: rules::parse_folded_names(rules::LARGE_NETWORKS),
            exit_hosts: rules::parse_folded_names(rules::EXIT_HOSTS),
            arin_isp_sized: rules::parse_folded_names(rules::ARIN_ISP_SIZED),
            it_words,
            name_words,
            known,
            name_index,
            known_index,
            company_words,
            institution_words,
            forms,
            max_form_words,
            sole_elf: rules::parse_elf(rules::SOLE_ELF)?,
            sole_names: rules::parse_name_rules(rules::SOLE_NAMES)?,
            registry: rules::parse_registry_rules(rules::REGISTRY_FORMS)?,
            given,
            given_br,
            given_east_asian,
            pinyin: rules::parse_word_set(rules::PINYIN_SYLLABLES)?,
            countries: rules::parse_phrases(rules::COUNTRIES, "country name")?,
            particles,
        })
    }

    /// True when the folded words carry a company legal form: a listed form at the end or the
    /// start of the name (`… B.V.`, `… AG`, `OOO …`), or anywhere else except a lone `AS`
    /// (`GmbH & Co. KG`, `AikBank ad Beograd`, `Limited`, `Spółka Akcyjna`).
    fn has_legal_form(&self, ws: &[String]) -> bool {
        let n = ws.len();
        for len in 1..=self.max_form_words.min(n) {
            if self.forms.contains(&ws[n - len..]) || self.forms.contains(&ws[..len]) {
                return true;
            }
            for start in 0..=n - len {
                let w = &ws[start..start + len];
                // "AS" is also a word ("trading as") and an AS-number prefix: only at the ends.
                if !(len == 1 && w[0] == "as") && self.forms.contains(w) {
                    return true;
                }
            }
        }
        false
    }

    /// The first well-known network rule matching `ws`.
    fn known_rule(&self, ws: &[String]) -> Option<&WordRule> {
        self.known_index.first(ws).map(|(t, _)| &self.known[t])
    }

    /// [`Rules::known_rule`] for a holder name in rule 5: a network known by one word (`orange`,
    /// `salt`) does not name a holder whose own words make it a public body, a school or a
    /// non-profit (`Orange County Fire Authority`, `Salt Lake Community College`).
    fn known_network(&self, ws: &[String]) -> Option<&WordRule> {
        let (t, p) = self.known_index.first(ws)?;
        let one_word = !p.text.contains(' ');
        let public =
            || self.name_rules(ws).any(|r| matches!(r.class, Class::Education | Class::Government | Class::Nonprofit));
        (!(one_word && public())).then(|| &self.known[t])
    }

    /// Every name-word rule matching `ws`, in file order.
    fn name_rules<'r>(&'r self, ws: &[String]) -> impl Iterator<Item = &'r WordRule> + 'r {
        self.name_index.tags(ws).into_iter().map(move |t| &self.name_words[t])
    }
}

/// Everything known about one range when it is classified.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// The IP-side record that placed the range.
    pub ip: &'a IpRecord,
    /// Class hints of other sources whose ranges cover this one (provider lists, MMDB flags).
    pub covering_hints: &'a [SourceHint],
    /// The most specific record of another source that carries an RIR status (a delegation
    /// file's `allocated`/`assigned` block, an RPSL inetnum with status and org-type) and covers
    /// this range, when the range has no status of its own (ASN-table ranges): rule 10c.
    pub covering_rir: Option<&'a IpRecord>,
    /// The registry company the holder was matched to, if any.
    pub company: Option<&'a RegistryRecord>,
    /// Without a match: the records of the large group whose name the holder's name begins
    /// with ([`crate::compile::join::RegistryIndex::find_group`]; all listings of one name).
    pub group: &'a [&'a RegistryRecord],
    /// A listing of that group is in the holder's country (its own, or where its ranges are
    /// registered): then a short group name (`UBS`, `ASML`) is no namesake.
    pub group_here: bool,
    /// How the company was matched (`registry-id`, `domain`, `name+country` …).
    pub match_method: Option<&'a str>,
    /// The opt-out entry that covers the holder, if any.
    pub opt_out: Option<&'a OptOut>,
}

impl<'a> Evidence<'a> {
    /// Evidence with only the IP record.
    pub fn new(ip: &'a IpRecord) -> Self {
        Evidence {
            ip,
            covering_hints: &[],
            covering_rir: None,
            company: None,
            match_method: None,
            group: &[],
            group_here: false,
            opt_out: None,
        }
    }
}

/// The outcome of [`classify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The class.
    pub class: Class,
    /// The reason code of the winning rule, e.g. `isp:org-name:cable`.
    pub reason: String,
    /// 0–100.
    pub confidence: u8,
    /// Every rule that fired, in precedence order (the winner first), for `ipfirm explain`.
    pub fired: Vec<String>,
    /// No organisation name may be compiled in for the range: a sole-trader rule or the
    /// opt-out fired, whatever class won (a person's Tor exit is `anonymizer`, still unnamed),
    /// or no rule fired at all ([`NO_SIGNAL`]: the name may be a person's).
    pub names_withheld: bool,
}

/// Candidates collected in precedence order; the first one wins.
struct Fired(Vec<(Class, String, u8)>);

impl Fired {
    fn push(&mut self, class: Class, reason: String, confidence: u8) {
        if !self.0.iter().any(|(_, r, _)| *r == reason) {
            self.0.push((class, reason, confidence));
        }
    }
}

/// Classifies one range. The precedence (first that fires wins) is documented in `RULES.md`:
///
/// 1. opt-out → `opted_out`
/// 2. the registry company is a sole proprietorship (legal form, category) → `sole_trader`
/// 3. the holder's name is a natural person's or a sole trader's → `sole_trader` (an
///    authoritative list's class from step 4 goes before 2–3; the names are withheld either way:
///    [`Decision::names_withheld`])
/// 4. a filtering class asserted by a source (provider lists, MMDB flags) → that class; a list
///    that is not authoritative (ipcat) only when no rule below would show the holder (4b)
/// 5. a well-known network (`data/known-networks.txt`) → its class
/// 6. words in the organisation name, netname, descr (`data/name-words.txt`) → their class
/// 7. RIR data: an LIR's allocation → `isp`
/// 8. a shown class asserted by a source; a registry category (government, nonprofit); then
///    (8b) a large routed network of a firm with IT-service words → `unknown` (not shown)
/// 9. a registry match → `business`
/// 10. an enterprise sector in the holder's name → `business` (lower confidence; a trade or
///     energy word of a holder with an ARIN IPv6 /32 → `unknown` / `isp` instead); an RIR
///     assignment to a company; a very large allocation → `isp`; (10c) a range without an RIR
///     status of its own inside an RIR allocation (the covering record's status) → `isp`;
///     (10d) a holder named after a large listed group outside the provider industries
///     (`POSCO DX`) → `business`; (10e) a company whose routed ranges hold a Tor or VPN exit
///     → `hosting`; (10f) an Indonesian company (`PT …`, `CV …`) → `isp`
/// 11. a legal form alone → `unknown`; otherwise `unknown`
pub fn classify(rules: &Rules, ev: &Evidence) -> Decision {
    let mut f = Fired(Vec::new());
    let ip = ev.ip;

    // 1. Opt-out wins over everything.
    if let Some(o) = ev.opt_out {
        let reason = match o {
            OptOut::Registry(id) => format!("opted_out:registry:{}", id.scheme),
            OptOut::Domain(_) => "opted_out:domain".to_string(),
            OptOut::Name(_) => "opted_out:name".to_string(),
        };
        f.push(Class::OptedOut, reason, 100);
    }

    // 2. Registry legal form / category of a sole proprietorship.
    if let Some(c) = ev.company
        && let Some(r) = sole_trader_reason(rules, c)
    {
        f.push(Class::SoleTrader, r, 95);
    }

    // 3. Natural persons and sole traders by name (holder, descr, registry legal name). When the
    // registry matched a legal person (a company with a legal form that is no sole
    // proprietorship), only the explicit markers count, not the shape of a name ("Bright
    // Horizons" matched to "Bright Horizons Family Solutions LLC" is that company).
    // The legal form may be on either side of the match: "BNP PARIBAS S.A." matched to the
    // listing "BNP Paribas" is that company, not a person named Paribas.
    let org_form = ip.org_name.as_deref().is_some_and(|n| rules.has_legal_form(&text::words(n)));
    // Registries that hold legal persons only (a GLEIF sole proprietor is caught by step 2) make
    // a matched company a legal person even when neither name carries a form ("Morgan Stanley",
    // "Henry Ford Health System"). Not a registry of all companies: the whole GLEIF file holds
    // sole proprietorships filed as `GENERAL` under their owner's name.
    let legal_persons_only = |c: &RegistryRecord| {
        !c.all_companies && matches!(c.registry.scheme.as_str(), "LEI" | "US-CIK" | "TICKER" | "GB-CH")
    };
    let legal_person = ev.company.is_some_and(|c| {
        sole_trader_reason(rules, c).is_none()
            && (c.legal_form.is_some()
                || org_form
                || legal_persons_only(c)
                || rules.has_legal_form(&text::words(&c.legal_name)))
    });
    let names = [ip.org_name.as_deref(), ip.descr.as_deref(), ev.company.map(|c| c.legal_name.as_str())];
    for name in names.into_iter().flatten() {
        if let Some((r, conf)) = person::sole_trader_by_name(rules, name)
            && (!legal_person || conf >= person::STRONG)
        {
            f.push(Class::SoleTrader, r, conf);
        }
    }

    // 4. Filtering classes asserted by sources (provider lists, MMDB flags): anonymisers first.
    // A list that is not authoritative (ipcat) waits for step 4b.
    let hints: Vec<&SourceHint> = ip.hint.iter().chain(ev.covering_hints.iter()).collect();
    let filtering = |authoritative: bool| {
        let order = [Class::Anonymizer, Class::Hosting, Class::Mobile, Class::Residential, Class::Isp];
        let ranked = order.into_iter().flat_map(|c| hints.iter().filter(move |h| h.class == c));
        let rest = hints.iter().filter(|h| h.class.is_filtered());
        ranked.chain(rest).filter(move |h| h.authoritative == authoritative).copied().collect::<Vec<_>>()
    };
    // What the network is used for outranks who holds it: a person's range on a Tor-exit or
    // cloud list is `anonymizer` / `hosting` (step 3's names are withheld all the same).
    let mut persons_at = f.0.iter().position(|(c, _, _)| *c == Class::SoleTrader);
    for h in filtering(true) {
        let reason = hint_reason(h);
        if f.0.iter().any(|(_, r, _)| *r == reason) {
            continue;
        }
        match persons_at.as_mut() {
            Some(at) => {
                f.0.insert(*at, (h.class, reason, 95));
                *at += 1;
            }
            None => f.0.push((h.class, reason, 95)),
        }
    }
    let weak_at = f.0.len();

    // 5. Well-known networks by organisation name.
    let org_words = ip.org_name.as_deref().map(text::words).unwrap_or_default();
    // The folded holder name, as the holder lists (`large-networks.txt`, `exit-hosts.txt`,
    // `arin-isp-sized.txt`) are keyed.
    let holder_key = org_words.join(" ");
    if let Some(r) = rules.known_network(&org_words) {
        f.push(r.class, format!("{}:known-network:{}", r.class.name(), r.label), 90);
    }

    // 5a. A hosting provider's name from a public provider list (ipcat), even where the list's
    // ranges no longer cover the address.
    // Or a holder that announces ipcat's datacenter ranges today (`hosting-providers-ranges.txt`).
    if let Some((tag, p)) = rules.hosting_names.first(&org_words) {
        let kind = if tag == 0 { "provider-name" } else { "provider-range" };
        f.push(Class::Hosting, format!("hosting:{kind}:{}", p.text.replace(' ', "-")), 85);
    }

    // 5b. The registry says the company is a provider (industry code: telecom, hosting).
    if let Some(c) = ev.company {
        for r in registry_rules(rules, c).filter(|r| r.class.is_filtered() && r.class != Class::SoleTrader) {
            f.push(r.class, format!("{}:registry-industry:{}", r.class.name(), r.label), 85);
        }
    }

    // 6. Words in the names of the IP data (business words wait for step 10; a business rule
    // placed above a matching rule in the file, `national association` above `association`,
    // keeps the later rules from firing: the first rule in the file wins).
    let fields = [
        ("org-name", ip.org_name.as_deref(), 80),
        ("netname", ip.netname.as_deref(), 70),
        ("descr", ip.descr.as_deref(), 60),
    ];
    for (field, value, conf) in fields {
        let Some(v) = value else { continue };
        let ws = text::words(v);
        // The legal-form scan only for a matching `no-form` rule (rare), not for every name.
        let no_form_blocked = |r: &&WordRule| r.without_form && rules.has_legal_form(&ws);
        for r in rules.name_rules(&ws).filter(|r| !no_form_blocked(r)).take_while(|r| r.class != Class::Business) {
            f.push(r.class, format!("{}:{field}:{}", r.class.name(), r.label), conf);
        }
    }

    // 7. RIR data: an allocation to an LIR is an access or hosting provider's pool.
    let (status, lir, assigned) = rir_status(Some(ip));
    if allocated(&status) {
        f.push(Class::Isp, "isp:rir:allocated".to_string(), 55);
    } else if lir && !assigned {
        f.push(Class::Isp, "isp:rir:org-type-lir".to_string(), 50);
    }

    // 8. Shown classes asserted by sources, then registry categories.
    for h in hints.iter().filter(|h| h.class.is_shown()) {
        f.push(h.class, hint_reason(h), 70);
    }
    if let Some(c) = ev.company {
        for r in registry_rules(rules, c).filter(|r| r.class.is_shown()) {
            f.push(r.class, format!("{}:registry-category:{}", r.class.name(), r.label), 90);
        }
    }

    // 8b. A large routed network (many ranges across the routing table) held by a firm with
    // IT-service words in its name ("Six Degrees Technology Group") is run for others until a
    // rule above says otherwise: a registry match or a sector word alone does not show it.
    if let Some(p) = large_it_network(rules, &org_words, &holder_key) {
        f.push(Class::Unknown, format!("unknown:routing:large-it-network:{}", p.replace(' ', "-")), 35);
    }

    // 9. A registry match (weaker from a registry of all companies).
    if let Some(c) = ev.company {
        let conf = match ev.match_method {
            _ if c.all_companies => 70,
            Some(m) if m.contains("name") => 80,
            _ => 90,
        };
        f.push(Class::Business, format!("business:registry:{}", c.registry.scheme.to_ascii_lowercase()), conf);
    }

    // 10. Without a registry match: an enterprise's sector in the holder name ("… Bank", "…
    // Motor Europe") makes a business. A legal form alone does not: most AS holders are network
    // operators, so "TOT Public Company Limited" stays unknown (and unshown) — see RULES.md.
    let form = rules.has_legal_form(&org_words);
    if let Some(r) = rules.name_rules(&org_words).find(|r| r.class == Class::Business && !(r.without_form && form)) {
        // A trade word alone does not show a holder that routes a provider's IPv6 allocation in
        // ARIN's space (a /32: `Fairdinkum Consulting, LLC`, `Muscatine Power and Water`, whose
        // MachLink sells broadband): a utility's is its broadband network, a consultancy's or
        // software house's most often an access or hosting business (session 15).
        if rules.arin_isp_sized.contains(&holder_key) {
            match r.label.as_str() {
                "energy" => f.push(Class::Isp, "isp:routing:isp-allocation".to_string(), 45),
                "services" => f.push(Class::Unknown, "unknown:routing:isp-allocation".to_string(), 45),
                _ => {}
            }
        }
        f.push(Class::Business, format!("business:org-name:{}", r.label), if form { 65 } else { 55 });
    }
    // 10a. An RIR assignment (ASSIGNED PA/PI, ARIN "reassigned") to an organisation that is not
    // an LIR and carries a company legal form: the end user's own network.
    if assigned && !lir && form {
        f.push(Class::Business, "business:rir:assigned-to-company".to_string(), 60);
    }
    // 10b. A very large allocation with no other sign of its holder is a provider's: enterprises
    // holding a /12 or more are matched by registry or sector before this point.
    let large = |r: &crate::range::IpRange| addresses(r) >= if r.first().is_ipv4() { LARGE_V4 } else { LARGE_V6 };
    if ip.range.as_ref().is_some_and(large) {
        f.push(Class::Isp, "isp:rir:large-allocation".to_string(), 40);
    }

    // 10c. A range with no RIR status of its own (an ASN-table range) inside an RIR block whose
    // status says allocation (a delegation file's `allocated`, RPSL `ALLOCATED PA`, an LIR's
    // non-assignment): with nothing above, a provider's pool. See MEASUREMENTS.md.
    if ip.status.is_none() && ev.covering_rir.is_some() {
        let (cover, cover_lir, cover_assigned) = rir_status(ev.covering_rir);
        if allocated(&cover) || (cover_lir && !cover_assigned) {
            f.push(Class::Isp, "isp:rir:covering-allocation".to_string(), 40);
        }
    }

    // 10d. Without a match and nothing above: a company named after a large listed group ("POSCO DX", "Securitas
    // Polska Sp. z o.o."), unless the group's industry has providers among its companies or the
    // shared name is an ordinary word ("Total Highspeed LLC" is no TotalEnergies company).
    if ev.company.is_none()
        && let Some(label) = listed_group(rules, ev.group, ev.group_here, &org_words)
    {
        f.push(Class::Business, format!("{LISTED_GROUP_REASON}:{label}"), 60);
    }

    // 10e. A company that nothing above classed and whose routed ranges hold a Tor or VPN exit
    // rents out servers (`exit-hosts.txt`). Only with a legal form: a name with no signal may
    // be a person's, and stays withheld.
    if form && rules.exit_hosts.contains(&holder_key) {
        f.push(Class::Hosting, "hosting:routing:exit-host".to_string(), 40);
    }

    // 10f. An Indonesian company (`PT …`, or `CV …` in Indonesia) that nothing above classed:
    // the holders of Indonesian AS numbers and address blocks are nearly all access and hosting
    // providers (session 17: 72 of a seeded 80 such holders; the few others, a credit guarantor
    // and a bus operator among them, were not shown either).
    if form && indonesian_company(ip) {
        f.push(Class::Isp, "isp:org-name:indonesian-operator".to_string(), 35);
    }

    if form {
        f.push(Class::Unknown, "unknown:org-name:legal-form-only".to_string(), 30);
    }

    // 4b. A filtering class from a list that is not authoritative (ipcat, compiled years ago)
    // ranks with step 4 unless the holder's own current evidence (name words, registry, sector,
    // RIR assignment) shows it: then the list's range has moved on, and it only goes on record.
    // A match in a registry of all companies is no such evidence: hosters are companies too.
    let weak_registry = |r: &str| ev.company.is_some_and(|c| c.all_companies) && r.starts_with("business:registry:");
    let shown = f.0.iter().find(|(_, r, _)| !weak_registry(r)).is_some_and(|(c, _, _)| c.is_shown());
    let mut at = weak_at;
    for h in filtering(false) {
        let reason = hint_reason(h);
        if f.0.iter().any(|(_, r, _)| *r == reason) {
            continue;
        }
        let entry = (h.class, reason, 60);
        if shown {
            f.0.push(entry);
        } else {
            f.0.insert(at, entry);
            at += 1;
        }
    }

    let fired: Vec<String> = f.0.iter().map(|(_, r, _)| r.clone()).collect();
    let names_withheld = f.0.iter().any(|(c, _, _)| c.forbids_names());
    match f.0.into_iter().next() {
        Some((class, reason, confidence)) => Decision { class, reason, confidence, fired, names_withheld },
        // No rule read anything in the name: nothing tells a person's name from an
        // organisation's, so it is not compiled in (about 3 % of such holders are persons).
        None => {
            Decision { class: Class::Unknown, reason: NO_SIGNAL.into(), confidence: 0, fired, names_withheld: true }
        }
    }
}

/// True for a common dictionary word (`connect`, `mega`, `link`): `dictionary-words.txt`.
pub(crate) fn is_common_word(w: &str) -> bool {
    person::is_dictionary_word(w)
}

/// The reason code when no rule fires (rule 12). The holder's name is withheld then: with no
/// organisation, sector or legal-form word in it, nothing tells it from a person's name.
pub const NO_SIGNAL: &str = "unknown:no-signal";

/// The reason code of rule 10d, before its `:<group>` label.
pub const LISTED_GROUP_REASON: &str = "business:listed-group";

/// Rule 10d's label for a holder whose folded name `org_words` begins with the name of the group
/// `group` (all its listings), or `None` when the rule does not hold: no listing gives an
/// industry, or one is in `group-industries.txt`; the group's name has no word of five letters
/// or more that is not an ordinary word, place, given name or common surname (`group-common-words.txt`,
/// `dictionary-words.txt`, `given-names.txt`, company words) — any length will do when a listing
/// of the group is in the holder's country (`here`: `UBS AG` in CH, `ASML Netherlands B.V.`); or
/// the holder's own words after it hold a given name (`Hanwha Kim` may be a person).
fn listed_group(rules: &Rules, group: &[&RegistryRecord], here: bool, org_words: &[String]) -> Option<String> {
    let first = group.first()?;
    let industries: Vec<String> =
        group.iter().filter_map(|c| c.industry_code.as_deref()).map(rules::fold_value).collect();
    let provider = |i: &String| {
        rules.group_industries.iter().any(|(v, prefix)| if *prefix { i.starts_with(v.as_str()) } else { i == v })
    };
    if industries.is_empty() || industries.iter().any(provider) {
        return None;
    }
    let key = crate::compile::join::group_key(&first.legal_name);
    let name: Vec<&str> = key.split(' ').collect();
    if !has_distinctive_word(rules, &key, if here { 2 } else { 5 }) {
        return None;
    }
    // The holder's words after the group's name (its leading legal forms skipped as the join does).
    let at = org_words.windows(name.len()).position(|w| w.iter().map(String::as_str).eq(name.iter().copied()))?;
    let rest = &org_words[at + name.len()..];
    // (Legal forms and two-letter words are no names here: `Co` is a given name too.)
    let named = |w: &String| w.len() > 2 && !rules.forms.contains(std::slice::from_ref(w)) && rules.given.contains(w);
    if rest.iter().any(|w| named(w) && !ordinary_besides_given(rules, w)) {
        return None;
    }
    Some(name.join("-"))
}

/// True when the folded name `key` holds a word of `min_len` or more letters that is no ordinary
/// word, given name, common surname or company word (`group-common-words.txt`,
/// `dictionary-words.txt`, `given-names.txt`, `company-words.txt`): `westpac`, `bechtle` and
/// `opnet` are such words; `global link`, `standard group` and `william hill` have none.
fn has_distinctive_word(rules: &Rules, key: &str, min_len: usize) -> bool {
    let ordinary = |w: &str| {
        rules.group_common.contains(w)
            || rules.given.contains(w)
            || rules.company_words.contains(w)
            || person::is_dictionary_word(w)
    };
    key.split(' ').any(|w| w.len() >= min_len && w.chars().all(|c| c.is_ascii_alphabetic()) && !ordinary(w))
}

/// [`has_distinctive_word`] with the bundled rules and words of five letters or more: the join
/// asks it of a name whose ranges are all registered abroad. True when the rules do not load
/// (the build fails on that elsewhere).
pub(crate) fn is_distinctive_name(key: &str) -> bool {
    match DEFAULT.get_or_init(|| Rules::parse().map_err(|e| e.to_string())) {
        Ok(rules) => has_distinctive_word(rules, key, 5),
        Err(_) => true,
    }
}

/// True for a word that is a given name but also an ordinary word of an organisation's name
/// (`Express`, `Victoria`): it does not make a holder a person's firm in rule 10d.
fn ordinary_besides_given(rules: &Rules, w: &str) -> bool {
    rules.company_words.contains(w) || person::is_dictionary_word(w)
}

/// The holder is an Indonesian company: its name begins with `PT` (a limited company) or `CV` (a
/// limited partnership), after an AS handle such as `JARATELINDO-AS-ID - ` when there is one, and
/// neither the IP data's country nor the registration country says another country. `CV` also
/// begins other names (`CV HOTSPOT, S.R.L.`), so it needs the IP data to say Indonesia. The handle
/// test is looser than `person::without_as_prefix`: IDNIC handles (`IDNIC-MWK-ID - PT …`) carry no
/// `-AS`.
fn indonesian_company(ip: &IpRecord) -> bool {
    let Some(name) = ip.org_name.as_deref() else { return false };
    let name = name.split_once(" - ").filter(|(handle, _)| !handle.trim().contains(' ')).map_or(name, |(_, rest)| rest);
    let country = ip.country.as_deref();
    let not_abroad =
        country.is_none_or(|c| c.eq_ignore_ascii_case("ID")) && ip.registration_country.is_none_or(|c| &c == b"ID");
    let in_indonesia = country.is_some_and(|c| c.eq_ignore_ascii_case("ID")) || ip.registration_country == Some(*b"ID");
    match text::words(name).first().map(String::as_str) {
        Some("pt") => not_abroad,
        Some("cv") => not_abroad && in_indonesia,
        _ => false,
    }
}

/// A record's folded RIR status, whether its org-type is `LIR`, and whether the status is an
/// assignment (`ASSIGNED PA/PI`, `assigned`, ARIN `reassigned`).
fn rir_status(r: Option<&IpRecord>) -> (String, bool, bool) {
    let status = r.and_then(|r| r.status.as_deref()).map(rules::fold_value).unwrap_or_default();
    let lir = r.and_then(|r| r.org_type.as_deref()).is_some_and(|t| t.trim().eq_ignore_ascii_case("LIR"));
    let assigned = status.contains("assigned");
    (status, lir, assigned)
}

/// True for an allocation status: `ALLOCATED …`, `allocated`, `reallocated`, `SUB-ALLOCATED PA`.
fn allocated(status: &str) -> bool {
    ["allocated", "reallocated", "sub allocated"].iter().any(|p| status.starts_with(p))
}

/// The IT-service word of a holder name that is also a large routed network
/// (`large-networks.txt`), or `None`.
fn large_it_network(rules: &Rules, org_words: &[String], holder_key: &str) -> Option<String> {
    if org_words.is_empty() || !rules.large_networks.contains(holder_key) {
        return None;
    }
    rules.it_words.first(org_words).map(|(_, p)| p.text.trim_matches('*').to_string())
}

/// The reason code of a source's hint: `<class>:<label>` (a label that already starts with the
/// class name is not repeated).
fn hint_reason(h: &SourceHint) -> String {
    let class = h.class.name();
    match h.label.strip_prefix(class).and_then(|rest| rest.strip_prefix(':')) {
        Some(_) => h.label.clone(),
        None => format!("{class}:{}", h.label),
    }
}

/// An IPv4 /12 and an IPv6 /24: allocations this large go to providers.
const LARGE_V4: u128 = 1 << 20;
const LARGE_V6: u128 = 1 << 104;

/// The number of addresses in a range.
fn addresses(r: &crate::range::IpRange) -> u128 {
    let n = |a: std::net::IpAddr| match a {
        std::net::IpAddr::V4(v) => u128::from(u32::from(v)),
        std::net::IpAddr::V6(v) => u128::from(v),
    };
    n(r.last()).saturating_sub(n(r.first())).saturating_add(1)
}

/// Every `registry-forms.txt` rule that matches the company, in file order.
fn registry_rules<'r>(rules: &'r Rules, c: &RegistryRecord) -> impl Iterator<Item = &'r RegistryRule> {
    let category = c.category.as_deref().map(rules::fold_value);
    let form = c.legal_form.as_deref().map(rules::fold_value);
    let industry = c.industry_code.as_deref().map(rules::industry_digits).filter(|d| !d.is_empty());
    let industry_text = c.industry_code.as_deref().map(rules::fold_value);
    let scheme = c.registry.scheme.clone();
    rules.registry.iter().filter(move |r| {
        if r.scheme.as_deref().is_some_and(|s| !s.eq_ignore_ascii_case(&scheme)) {
            return false;
        }
        let value = match r.field {
            RegistryField::Category => category.as_deref(),
            RegistryField::LegalForm => form.as_deref(),
            RegistryField::Industry => industry.as_deref(),
            RegistryField::IndustryText => industry_text.as_deref(),
        };
        value.is_some_and(|v| {
            if r.prefix || r.field == RegistryField::Industry { v.starts_with(r.value.as_str()) } else { v == r.value }
        })
    })
}

/// Why `company` is a sole proprietorship (a reason code such as
/// `sole_trader:legal-form:gleif-SOLE_PROPRIETOR` or `sole_trader:legal-form:elf-4QXM`), or
/// `None` when nothing in its registry data says so. Names are judged by [`looks_like_person`]
/// and the sole-trader name rules in [`classify`], not here.
pub fn sole_trader_reason(rules: &Rules, company: &RegistryRecord) -> Option<String> {
    if let Some(form) = company.legal_form.as_deref() {
        let code = form.trim().to_ascii_uppercase();
        if rules.sole_elf.contains_key(&code) {
            return Some(format!("sole_trader:legal-form:elf-{code}"));
        }
    }
    registry_rules(rules, company)
        .find(|r| r.class == Class::SoleTrader)
        .map(|r| format!("sole_trader:legal-form:{}", r.label))
}

/// Why `name` looks like a natural person's name (a reason code such as
/// `sole_trader:name:person`), or `None`. A person's name is a given name from the bundled
/// list followed by a family name (`Jan de Vries`) or `FAMILY, Given` (`VAN DER KELEN, DIRK`),
/// with no legal form and no company or sector word: `Philips` or `Siemens AG` are not persons.
pub fn looks_like_person(rules: &Rules, name: &str) -> Option<String> {
    person::looks_like_person(rules, name).then(|| "sole_trader:name:person".to_string())
}

#[cfg(test)]
mod tests;
