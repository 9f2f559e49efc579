//! The chain of evidence for one address, re-read from the sources: every IP-side source
//! record that covers the address, which one placed the database's range and why each other
//! one lost.
//!
//! A compiled database keeps only the winning record of every range (its provenance), so the
//! records that lost are found again by streaming the build config's sources through the same
//! adapters the build used ([`crate::compile::sources::read`]). The precedence is the
//! builder's: the most specific (smallest) range wins; between ranges of the same size, the
//! one inserted later wins — the later source in the config, and within a source the later
//! record.
//!
//! The sources may have changed since the build: every source's row counts (and the version
//! the config gives) are compared with the ones the database's metadata recorded, and a
//! difference becomes a warning, as does a winner that is not the record the database names.
//!
//! ```no_run
//! use ipfirm::Database;
//! use ipfirm::compile::{Config, evidence};
//!
//! let db = Database::open("ipfirm.db")?;
//! let config = Config::load("data-samples/ipfirm.toml".as_ref())?;
//! let ev = evidence::explain_sources(&config, "1.1.1.1".parse()?, &db)?;
//! for r in &ev.records {
//!     println!("{} {} {}: {:?}", r.source, r.record_key, r.range(), r.outcome);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::net::IpAddr;

use rayon::prelude::*;
use serde::Serialize;

use crate::class::Class;
use crate::compile::classify::NO_SIGNAL;
use crate::compile::config::{Config, SourceConfig};
use crate::compile::pipeline::RULE_SOURCE;
use crate::compile::records::{IpRecord, country_code_str};
use crate::compile::sources::{self, ErrorLog, ReadContext, Record};
use crate::error::Result;
use crate::lookup::Database;
use crate::metadata::{InputInfo, Metadata};
use crate::range::IpRange;

/// Why a covering record did or did not place the database's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The most specific covering record (the last such in input order): it placed the range.
    Winner,
    /// It covers more addresses than the winner.
    LessSpecific,
    /// Same size as the winner, but read earlier (an earlier source in the config, or an
    /// earlier record of the same source): the later one wins.
    EarlierInput,
}

/// One source record whose range covers the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoveringRecord {
    /// Source name from the config.
    pub source: String,
    /// The source's kind (`asn-csv`, `cidr-list` …).
    pub kind: String,
    /// Version the adapter gave the record (the config's, else one read from the file).
    pub version: String,
    /// The record's key within the source (`file:line`, RPSL object, MMDB record …).
    pub record_key: String,
    /// First address of the record's range.
    pub first: IpAddr,
    /// Last address of the record's range.
    pub last: IpAddr,
    /// The range as CIDRs.
    pub cidrs: Vec<String>,
    /// The range's size in words: `/24` for one CIDR, else `N addresses`.
    pub size: String,
    /// Autonomous system number, when the source gives one.
    pub asn: Option<u32>,
    /// The holder's organisation name as the source gives it; `None` when the source has none
    /// or names are withheld (see [`SourceEvidence::names_withheld`]).
    pub org_name: Option<String>,
    /// Country, when the source gives one.
    pub country: Option<String>,
    /// WHOIS registration country of the range (`asn-csv`'s `countries` option), when the
    /// source gives no country of its own: the join's fallback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_country: Option<String>,
    /// Class the source itself asserts for the range (provider lists, MMDB flags).
    pub hint_class: Option<Class>,
    /// The hint's evidence label.
    pub hint_label: Option<String>,
    /// RIR status (delegation file `allocated`/`assigned`, RPSL `ALLOCATED PA` …), when the
    /// source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// RPSL `org-type` (`LIR`, `OTHER` …), when the source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_type: Option<String>,
    /// Winner, or why it lost.
    pub outcome: Outcome,
    /// Position of the source in the config (the input order, with `seq`).
    #[serde(skip)]
    pub source_index: usize,
    /// Position of the record within its source.
    #[serde(skip)]
    pub seq: u64,
    /// `last - first` (addresses minus one), the builder's measure of specificity.
    #[serde(skip)]
    pub span: u128,
}

impl CoveringRecord {
    /// The record's range.
    pub fn range(&self) -> IpRange {
        IpRange::new(self.first, self.last).unwrap_or_else(|_| IpRange::from(ipnet::IpNet::from(self.first)))
    }

    /// The builder's precedence key: a smaller key wins (smaller span, then later input).
    fn precedence(&self) -> (u128, std::cmp::Reverse<(usize, u64)>) {
        (self.span, std::cmp::Reverse((self.source_index, self.seq)))
    }
}

/// A source record by name: what a database's provenance keeps of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordRef {
    /// Source name from the config.
    pub source: String,
    /// Record key within the source.
    pub record_key: String,
}

/// The covering RIR record whose status reached the classification of a range placed by
/// another source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoveringRir {
    /// Source name from the config.
    pub source: String,
    /// Record key within the source.
    pub record_key: String,
    /// The range as CIDRs.
    pub cidrs: Vec<String>,
    /// Its RIR status (`allocated`, `assigned`, `ALLOCATED PA` …).
    pub status: Option<String>,
    /// Its RPSL `org-type`, when given.
    pub org_type: Option<String>,
}

/// The covering record with an RIR status the build passes to the classification of the
/// winner (`records` in precedence order, the winner first): none when the winner has a status
/// of its own. Among the others the first in precedence order, as the build's sweep picks the
/// smallest range that covers the winner's whole range (the later input among equals).
pub fn covering_rir(records: &[CoveringRecord]) -> Option<CoveringRir> {
    let winner = records.first().filter(|r| r.outcome == Outcome::Winner)?;
    if winner.status.is_some() {
        return None;
    }
    let (wf, wl) = (canonical(winner.first), canonical(winner.last));
    let covers = |r: &CoveringRecord| {
        let (f, l) = (canonical(r.first), canonical(r.last));
        contains(f, l, wf) && contains(f, l, wl)
    };
    records.iter().skip(1).find(|r| r.status.is_some() && covers(r)).map(|r| CoveringRir {
        source: r.source.clone(),
        record_key: r.record_key.clone(),
        cidrs: r.cidrs.clone(),
        status: r.status.clone(),
        org_type: r.org_type.clone(),
    })
}

/// What re-reading one source found, next to what the build recorded for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCheck {
    /// Source name from the config.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Path as written in the config.
    pub path: String,
    /// Version the config gives now.
    pub version: String,
    /// Rows read now.
    pub rows: u64,
    /// Rows skipped now.
    pub skipped: u64,
    /// What the database's metadata recorded for this source (`None`: not in that build).
    pub built: Option<InputInfo>,
    /// Differences from the build, in words (empty: unchanged as far as can be told).
    pub changes: Vec<String>,
    /// The read error, when the source could not be read at all.
    pub error: Option<String>,
}

/// Every source record covering one address, with the checks against the build.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEvidence {
    /// The address as queried.
    pub address: IpAddr,
    /// The config the sources were read from.
    pub config: String,
    /// Covering records in precedence order: the winner first, then the losers from most to
    /// least specific (later input first among equals).
    pub records: Vec<CoveringRecord>,
    /// The record the database names as having placed the range, when it names one.
    pub database_record: Option<RecordRef>,
    /// When the winner has no RIR status of its own (an ASN-table range), the most specific
    /// other covering record that has one: the status rule 10c of `classify/RULES.md` reads
    /// (`isp:rir:covering-allocation`).
    pub covering_rir: Option<CoveringRir>,
    /// Every source of the config (and those the build recorded that the config lacks).
    pub sources: Vec<SourceCheck>,
    /// The class whose rule withholds organisation names from this listing (`sole_trader`,
    /// `opted_out`: the database's answer for the address names no one — also when a provider
    /// list gave a person's range another class — and neither does its explanation; `unknown`
    /// when no rule fired, so the name may be a person's).
    pub names_withheld: Option<Class>,
    /// Everything that makes this listing differ from what the build saw, in words.
    pub warnings: Vec<String>,
}

impl SourceEvidence {
    /// The winning record, if any source covers the address.
    pub fn winner(&self) -> Option<&CoveringRecord> {
        self.records.first().filter(|r| r.outcome == Outcome::Winner)
    }

    /// True when the winner re-read from the sources is the record the database names.
    pub fn winner_agrees(&self) -> bool {
        match (self.winner(), &self.database_record) {
            (Some(w), Some(d)) => w.source == d.source && w.record_key == d.record_key,
            (None, None) => true,
            _ => false,
        }
    }
}

/// The address as the builder indexes it: IPv4-mapped IPv6 as IPv4.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) if v6.segments()[..6] == [0, 0, 0, 0, 0, 0xffff] => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        a => a,
    }
}

/// `(first, last)` as the builder indexes them, or `None` for a range that mixes families.
fn canonical_range(r: IpRange) -> Option<(IpAddr, IpAddr, u128)> {
    match (canonical(r.first()), canonical(r.last())) {
        (IpAddr::V4(a), IpAddr::V4(b)) => Some((a.into(), b.into(), u128::from(u32::from(b) - u32::from(a)))),
        (IpAddr::V6(a), IpAddr::V6(b)) => Some((a.into(), b.into(), u128::from(b) - u128::from(a))),
        _ => None,
    }
}

fn contains(first: IpAddr, last: IpAddr, x: IpAddr) -> bool {
    match (first, last, x) {
        (IpAddr::V4(a), IpAddr::V4(b), IpAddr::V4(x)) => a <= x && x <= b,
        (IpAddr::V6(a), IpAddr::V6(b), IpAddr::V6(x)) => a <= x && x <= b,
        _ => false,
    }
}

/// `/24` for a range that is one CIDR, else the number of addresses.
fn size_words(first: IpAddr, last: IpAddr, span: u128) -> String {
    if let Ok(r) = IpRange::new(first, last)
        && let [net] = r.cidrs().as_slice()
    {
        return format!("/{}", net.prefix_len());
    }
    match span.checked_add(1) {
        Some(n) => format!("{n} addresses"),
        None => "2^128 addresses".to_string(),
    }
}

fn covering_record(s: &SourceConfig, source_index: usize, seq: u64, r: IpRecord, x: IpAddr) -> Option<CoveringRecord> {
    let range = r.range?;
    let (first, last, span) = canonical_range(range)?;
    if !contains(first, last, x) {
        return None;
    }
    let cidrs = range.cidrs().iter().map(ToString::to_string).collect();
    Some(CoveringRecord {
        source: r.origin.source,
        kind: s.kind.name().to_string(),
        version: r.origin.version,
        record_key: r.origin.record_key,
        first: range.first(),
        last: range.last(),
        cidrs,
        size: size_words(first, last, span),
        asn: r.asn,
        org_name: r.org_name,
        country: r.country,
        registration_country: r.registration_country.as_ref().and_then(country_code_str).map(str::to_string),
        hint_class: r.hint.as_ref().map(|h| h.class),
        hint_label: r.hint.map(|h| h.label),
        status: r.status,
        org_type: r.org_type,
        outcome: Outcome::LessSpecific,
        source_index,
        seq,
        span,
    })
}

/// Streams every source of `config` (in parallel, leniently: bad rows are counted, not fatal)
/// and returns the IP records covering `addr` in precedence order with their outcomes, and one
/// check per source (rows now; `built` and `changes` are left empty).
///
/// A source that cannot be read at all (missing file, not in its format) is reported in its
/// [`SourceCheck::error`]; the others are still read.
pub fn covering_records(config: &Config, addr: IpAddr) -> (Vec<CoveringRecord>, Vec<SourceCheck>) {
    let x = canonical(addr);
    let per_source: Vec<(Vec<CoveringRecord>, SourceCheck)> = config
        .sources
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let mut log = ErrorLog::default();
            let mut found = Vec::new();
            let mut seq = 0u64;
            let result = {
                let mut ctx = ReadContext { source: &s.name, version: &s.version, strict: false, errors: &mut log };
                sources::read(&s.kind, &s.path, &mut ctx, &mut |rec| {
                    if let Record::Ip(r) = rec {
                        seq += 1;
                        found.extend(covering_record(s, i, seq, r, x));
                    }
                })
            };
            let (rows, error) = match result {
                Ok(n) => (n, None),
                Err(e) => (0, Some(e.to_string())),
            };
            let check = SourceCheck {
                name: s.name.clone(),
                kind: s.kind.name().to_string(),
                path: s.path_as_written.clone(),
                version: s.version.clone(),
                rows,
                skipped: log.skipped(),
                built: None,
                changes: Vec::new(),
                error,
            };
            (found, check)
        })
        .collect();
    let mut records = Vec::new();
    let mut checks = Vec::with_capacity(per_source.len());
    for (r, c) in per_source {
        records.extend(r);
        checks.push(c);
    }
    records.sort_by_key(CoveringRecord::precedence);
    if let Some(w) = records.first_mut() {
        w.outcome = Outcome::Winner;
    }
    if let Some(win_span) = records.first().map(|w| w.span) {
        for r in records.iter_mut().skip(1) {
            r.outcome = if r.span > win_span { Outcome::LessSpecific } else { Outcome::EarlierInput };
        }
    }
    (records, checks)
}

/// The config file name the build recorded in the database's metadata (the build report's
/// `config`, stored relative so the file is the same in every checkout), if any.
pub fn recorded_config(metadata: &Metadata) -> Option<String> {
    metadata
        .extra
        .get("build_report")
        .and_then(|r| r.get("config"))
        .and_then(serde_json::Value::as_str)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// True when `config` lists the same sources (names, kinds and paths as written, in order) as
/// the build recorded in `metadata`: the config the database was built from, as far as the
/// file can tell.
pub fn config_matches(config: &Config, metadata: &Metadata) -> bool {
    config.sources.len() == metadata.inputs.len()
        && config
            .sources
            .iter()
            .zip(&metadata.inputs)
            .all(|(s, i)| s.name == i.name && s.kind.name() == i.kind && s.path_as_written == i.path)
}

/// Compares the re-read sources with the inputs the build recorded; fills `built` and
/// `changes` and returns the warnings (including inputs of the build missing from the config).
fn compare_with_build(checks: &mut Vec<SourceCheck>, metadata: &Metadata) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut new_sources = Vec::new();
    for c in checks.iter_mut() {
        if let Some(e) = &c.error {
            warnings.push(format!("source `{}` could not be read ({e}): its records are missing here", c.name));
        }
        let Some(b) = metadata.inputs.iter().find(|i| i.name == c.name) else {
            c.changes.push("not an input of this database's build".into());
            new_sources.push(c.name.clone());
            continue;
        };
        if b.kind != c.kind {
            c.changes.push(format!("kind {} at build, {} now", b.kind, c.kind));
        }
        if b.path != c.path {
            c.changes.push(format!("path {} at build, {} now", b.path, c.path));
        }
        if b.version != c.version {
            c.changes.push(format!("version `{}` at build, `{}` now", b.version, c.version));
        }
        if c.error.is_none() && (b.rows != c.rows || b.skipped != c.skipped) {
            c.changes.push(format!(
                "{} rows ({} skipped) at build, {} rows ({} skipped) now",
                b.rows, b.skipped, c.rows, c.skipped
            ));
        }
        if !c.changes.is_empty() {
            warnings.push(format!("source `{}` changed since the build: {}", c.name, c.changes.join("; ")));
        }
        c.built = Some(b.clone());
    }
    let mut gone = Vec::new();
    for b in &metadata.inputs {
        if !checks.iter().any(|c| c.name == b.name) {
            gone.push(b.name.clone());
            checks.push(SourceCheck {
                name: b.name.clone(),
                kind: b.kind.clone(),
                path: b.path.clone(),
                version: String::new(),
                rows: 0,
                skipped: 0,
                built: Some(b.clone()),
                changes: vec!["not in this config".into()],
                error: None,
            });
        }
    }
    if !new_sources.is_empty() {
        warnings.push(format!(
            "{} in the config but not an input of this database's build: {}",
            plural(new_sources.len(), "source is", "sources are"),
            names(&new_sources)
        ));
    }
    if !gone.is_empty() {
        warnings.push(format!(
            "{} of the build not in this config: {}",
            plural(gone.len(), "input", "inputs"),
            names(&gone)
        ));
    }
    warnings
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// `a`, `b`, `c` and 7 more.
fn names(list: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s: Vec<String> = list.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    if list.len() > SHOWN {
        s.push(format!("and {} more", list.len() - SHOWN));
    }
    s.join(", ")
}

/// Every source record of `config` covering `addr`, which one won and why, checked against
/// what `db` says about the address and about its build.
///
/// Organisation names are withheld from the records when the database's class for the
/// address is `sole_trader` or `opted_out`, a sole-trader or opt-out rule fired for it, or no
/// rule fired at all (`unknown:no-signal`; see
/// [`SourceEvidence::names_withheld`]).
///
/// # Errors
/// None today (an unreadable source becomes a warning); the `Result` leaves room for checks
/// that must stop the listing.
pub fn explain_sources(config: &Config, addr: IpAddr, db: &Database) -> Result<SourceEvidence> {
    let (mut records, mut sources) = covering_records(config, addr);
    let mut warnings = compare_with_build(&mut sources, db.metadata());
    let found = db.lookup(addr);
    let database_record = found.as_ref().and_then(|m| {
        m.provenance()
            .find(|p| !p.source.starts_with("ipfirm:"))
            .map(|p| RecordRef { source: p.source.to_string(), record_key: p.record_key.to_string() })
    });
    // Withheld when the class forbids names, when no rule fired (the name may be a person's), or
    // when a sole-trader or opt-out rule fired and lost only on the class (a person's range on a
    // provider list): the rule chain says so.
    let names_withheld = found.as_ref().and_then(|m| {
        let class = m.class();
        if class.forbids_names() {
            return Some(class);
        }
        let chain = m.provenance().find(|p| p.source == RULE_SOURCE).map(|p| p.record_key.to_string())?;
        if chain == NO_SIGNAL {
            return Some(Class::Unknown);
        }
        chain.split(" > ").find_map(|r| {
            [Class::SoleTrader, Class::OptedOut].into_iter().find(|c| r.starts_with(&format!("{}:", c.name())))
        })
    });
    if names_withheld.is_some() {
        for r in &mut records {
            r.org_name = None;
        }
    }
    let covering_rir = covering_rir(&records);
    let mut ev = SourceEvidence {
        address: addr,
        config: config.path.display().to_string(),
        records,
        database_record,
        covering_rir,
        sources,
        names_withheld,
        warnings: Vec::new(),
    };
    if !ev.winner_agrees() {
        let text = match (ev.winner(), &ev.database_record) {
            (Some(w), Some(RecordRef { source: s, record_key: k })) => Some(format!(
                "the database's range was placed by `{s}` record {k}, but the sources now give `{}` record {}: \
                 the sources changed since the build, or this is not its config",
                w.source, w.record_key
            )),
            (None, Some(RecordRef { source: s, record_key: k })) => Some(format!(
                "the database's range was placed by `{s}` record {k}, but no source of this config covers the \
                 address now"
            )),
            (Some(w), None) => Some(format!(
                "`{}` record {} covers the address now, but the database has nothing for it: the sources changed \
                 since the build, or this is not its config",
                w.source, w.record_key
            )),
            (None, None) => None,
        };
        warnings.extend(text);
    }
    ev.warnings = warnings;
    Ok(ev)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_words() {
        let a = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(size_words(a("10.0.0.0"), a("10.0.0.255"), 255), "/24");
        assert_eq!(size_words(a("10.0.0.1"), a("10.0.0.6"), 5), "6 addresses");
        assert_eq!(size_words(a("::"), a("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), u128::MAX), "/0");
    }

    #[test]
    fn mapped_addresses_are_indexed_as_ipv4() {
        let x = canonical("::ffff:192.0.2.7".parse().unwrap());
        assert_eq!(x, "192.0.2.7".parse::<IpAddr>().unwrap());
        let r = IpRange::new("::ffff:192.0.2.0".parse().unwrap(), "::ffff:192.0.2.255".parse().unwrap()).unwrap();
        let (f, l, span) = canonical_range(r).unwrap();
        assert!(contains(f, l, x));
        assert_eq!(span, 255);
    }
}
