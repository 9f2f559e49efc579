//! The distinct IP holders of phase 2, **join**: millions of IP records name a few hundred
//! thousand holders (organisation name, country, domain), so each holder is numbered once,
//! looked up in the registry index once and matched against the opt-out list once. Here are
//! the holder key, the numbering, the opt-out matching and the join's counts for the report.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::build::MixBuild;
use crate::compile::join::{JoinOutcome, RegistryIndex};
use crate::compile::normalize::name_key;
use crate::compile::records::{IpRecord, OptOut, RegistryRecord};
use crate::compile::report::JoinReport;
use crate::lookup::RegistryId;

/// A distinct IP holder: what the join looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct HolderKey<'a> {
    pub(super) name: Option<&'a str>,
    pub(super) country: Option<&'a str>,
    pub(super) domain: Option<&'a str>,
}

/// The holder number of a record that names no holder.
pub(super) const NO_HOLDER: u32 = u32::MAX;

/// The record's holder, when it names one (by name or domain).
pub(super) fn holder_key(r: &IpRecord) -> Option<HolderKey<'_>> {
    let key = HolderKey {
        name: r.org_name.as_deref().map(str::trim).filter(|s| !s.is_empty()),
        country: r.country.as_deref().filter(|s| !s.is_empty()),
        domain: r.domain.as_deref().filter(|s| !s.is_empty()),
    };
    (key.name.is_some() || key.domain.is_some()).then_some(key)
}

/// The opt-out list, ready for matching.
#[derive(Debug, Default)]
pub(super) struct OptOuts<'a> {
    registry: HashMap<&'a RegistryId, &'a OptOut>,
    domains: HashMap<String, &'a OptOut>,
    names: HashMap<String, &'a OptOut>,
}

impl<'a> OptOuts<'a> {
    pub(super) fn new(list: &'a [OptOut]) -> Self {
        let mut o = OptOuts::default();
        for item in list {
            match item {
                OptOut::Registry(id) => {
                    o.registry.entry(id).or_insert(item);
                }
                OptOut::Domain(d) => {
                    o.domains.entry(d.trim().trim_start_matches("www.").to_ascii_lowercase()).or_insert(item);
                }
                OptOut::Name(n) => {
                    let k = name_key(n);
                    if !k.is_empty() {
                        o.names.entry(k).or_insert(item);
                    }
                }
            }
        }
        o
    }

    fn is_empty(&self) -> bool {
        self.registry.is_empty() && self.domains.is_empty() && self.names.is_empty()
    }

    fn domain(&self, d: &str) -> Option<&'a OptOut> {
        // The domain and its parents: an opt-out of `example.com` covers `mail.example.com`.
        let d = d.trim().to_ascii_lowercase();
        let mut rest = d.as_str();
        loop {
            if let Some(o) = self.domains.get(rest) {
                return Some(o);
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => return None,
            }
        }
    }

    /// The opt-out that covers this holder or its matched company.
    pub(super) fn find(&self, holder: &HolderKey, company: Option<&RegistryRecord>) -> Option<&'a OptOut> {
        if self.is_empty() {
            return None;
        }
        if let Some(c) = company {
            if let Some(o) = self.registry.get(&c.registry) {
                return Some(o);
            }
            if let Some(o) = c.domain.as_deref().and_then(|d| self.domain(d)) {
                return Some(o);
            }
            for n in std::iter::once(&c.legal_name).chain(&c.other_names) {
                if let Some(o) = self.names.get(&name_key(n)) {
                    return Some(o);
                }
            }
        }
        if let Some(o) = holder.domain.and_then(|d| self.domain(d)) {
            return Some(o);
        }
        holder.name.and_then(|n| self.names.get(&name_key(n)).copied())
    }
}

/// The join's result per holder.
#[derive(Debug)]
pub(super) struct HolderInfo<'a> {
    pub(super) outcome: JoinOutcome,
    pub(super) opt_out: Option<&'a OptOut>,
    /// Without a match: the group records the holder's name begins with (rule 10d).
    pub(super) group: Vec<u32>,
    /// A listing of that group is in the holder's country (its own, or where its ranges are
    /// registered).
    pub(super) group_here: bool,
    /// Where most of the holder's ranges are registered ([`holder_registration_countries`]):
    /// the country of an unmatched holder's profile when its records give none.
    pub(super) registration_country: Option<[u8; 2]>,
}

/// Shards of [`number_holders`].
const HOLDER_SHARDS: usize = 2;

/// Numbers the distinct holder hashes: the holder number of every record ([`NO_HOLDER`] for
/// none) and the key of every holder.
pub(super) fn number_holders<'a>(ip: &'a [IpRecord], hashes: &[Option<u128>]) -> (Vec<u32>, Vec<HolderKey<'a>>) {
    let shard_of = |h: u128| (h >> 127) as usize % HOLDER_SHARDS;
    let shards: Vec<(Vec<u32>, Vec<HolderKey<'a>>)> = (0..HOLDER_SHARDS)
        .into_par_iter()
        .map(|s| {
            let mut ids: HashMap<u128, u32, MixBuild> = HashMap::default();
            let mut keys: Vec<HolderKey<'a>> = Vec::new();
            let numbers = hashes
                .iter()
                .zip(ip)
                .map(|(h, r)| match *h {
                    Some(h) if shard_of(h) == s => match ids.entry(h) {
                        std::collections::hash_map::Entry::Occupied(o) => *o.get(),
                        std::collections::hash_map::Entry::Vacant(v) => match holder_key(r) {
                            Some(key) => {
                                keys.push(key);
                                *v.insert((keys.len() - 1) as u32)
                            }
                            None => NO_HOLDER,
                        },
                    },
                    _ => NO_HOLDER,
                })
                .collect();
            (numbers, keys)
        })
        .collect();
    let mut offsets = Vec::with_capacity(HOLDER_SHARDS);
    let mut holders = Vec::new();
    let mut numbers = Vec::new();
    for (n, keys) in shards {
        offsets.push(holders.len() as u32);
        holders.extend(keys);
        numbers.push(n);
    }
    let record_holder = (0..ip.len())
        .into_par_iter()
        .map(|i| match hashes[i] {
            Some(h) => {
                let s = shard_of(h);
                match numbers[s][i] {
                    NO_HOLDER => NO_HOLDER,
                    n => n + offsets[s],
                }
            }
            None => NO_HOLDER,
        })
        .collect();
    (record_holder, holders)
}

/// The registration country of every holder: the one most of its ranges are registered in
/// (ties: the first in alphabetical order), `None` when no range has one.
pub(super) fn holder_registration_countries(
    ip: &[IpRecord],
    record_holder: &[u32],
    holders: usize,
) -> Vec<Option<[u8; 2]>> {
    let mut pairs: Vec<(u32, [u8; 2])> = ip
        .iter()
        .zip(record_holder)
        .filter_map(|(r, &h)| Some((h, r.registration_country?)).filter(|_| h != NO_HOLDER))
        .collect();
    pairs.sort_unstable();
    let mut out = vec![None; holders];
    let (mut current, mut best) = (NO_HOLDER, 0);
    // Runs of one holder come in country order: a tie keeps the earlier country.
    for run in pairs.chunk_by(|a, b| a == b) {
        let (h, code) = run[0];
        if h != current {
            (current, best) = (h, 0);
        }
        if run.len() > best {
            out[h as usize] = Some(code);
            best = run.len();
        }
    }
    out
}

/// Every country a holder's ranges are registered in, each once, in alphabetical order.
pub(super) fn holder_registered_in(ip: &[IpRecord], record_holder: &[u32], holders: usize) -> Vec<Vec<[u8; 2]>> {
    let mut out = vec![Vec::new(); holders];
    for (r, &h) in ip.iter().zip(record_holder).filter(|(_, h)| **h != NO_HOLDER) {
        if let Some(code) = r.registration_country
            && let Err(at) = out[h as usize].binary_search(&code)
        {
            out[h as usize].insert(at, code);
        }
    }
    out
}

/// The join's counts for the build report.
pub(super) fn join_report(index: &RegistryIndex, infos: &[HolderInfo], record_holder: &[u32]) -> JoinReport {
    let mut j = JoinReport {
        registry_records: index.records().iter().filter(|r| r.active).count() as u64,
        holders: infos.len() as u64,
        ..Default::default()
    };
    for info in infos {
        match &info.outcome {
            JoinOutcome::Matched { method, .. } => {
                j.matched += 1;
                *j.by_method.entry((*method).to_string()).or_default() += 1;
            }
            JoinOutcome::Ambiguous { .. } => j.ambiguous += 1,
            JoinOutcome::Abroad { .. } => j.abroad += 1,
            JoinOutcome::NoMatch => j.unmatched += 1,
        }
    }
    j.match_rate = if j.holders == 0 { 0.0 } else { j.matched as f64 / j.holders as f64 };
    j.ip_records_matched = record_holder
        .iter()
        .filter(|&&h| h != NO_HOLDER && matches!(infos[h as usize].outcome, JoinOutcome::Matched { .. }))
        .count() as u64;
    j
}
