//! Which records cover which: for every IP record, the source hints of the other records whose
//! ranges contain it entirely (rule 4: a provider list covering an ASN range) and the most
//! specific covering record with an RIR status (rule 10c). Both are one sweep per address family
//! over ranges sorted by start, so a build with millions of records pays a sort, not a join.

use std::collections::HashMap;
use std::net::IpAddr;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::compile::records::{IpRecord, SourceHint};

/// The covering hints of every IP record: the distinct lists once, and a list number per
/// record (4 bytes a record instead of an empty `Vec`; nothing at all without hints).
#[derive(Debug, Default)]
pub(super) struct Covering {
    /// List number per record; empty when no record carries a hint.
    ids: Vec<u32>,
    /// The distinct lists; list 0 is empty.
    lists: Vec<Vec<SourceHint>>,
}

impl Covering {
    /// The hints covering record `i`.
    pub(super) fn get(&self, i: usize) -> &[SourceHint] {
        self.ids.get(i).and_then(|&l| self.lists.get(l as usize)).map_or(&[], Vec::as_slice)
    }

    /// Number of distinct hint lists, the empty one included (tests check the deduplication).
    #[cfg(test)]
    pub(super) fn distinct_lists(&self) -> usize {
        self.lists.len()
    }
}

/// For every IP record, the hints of *other* records whose ranges cover it entirely
/// (provider lists covering an ASN range …), each hint once, in order of the covering ranges'
/// starts. One sweep per family over ranges sorted by start (in parallel: the keys are
/// unique), keeping the open hint ranges; IPv4 ranges are sorted as 12-byte keys.
pub(super) fn covering_hints(ip: &[IpRecord]) -> Covering {
    if !ip.iter().any(|r| r.hint.is_some()) {
        return Covering::default();
    }
    let mut out = Covering { ids: vec![0; ip.len()], lists: vec![Vec::new()] };
    let mut list_ids: HashMap<Vec<&SourceHint>, u32, Xxh3DefaultBuilder> = HashMap::default();
    sweep_family(ip, v4_bounds, &mut out, &mut list_ids);
    sweep_family(ip, v6_bounds, &mut out, &mut list_ids);
    out
}

/// A record's IPv4 range as numbers.
fn v4_bounds(r: &IpRecord) -> Option<(u32, u32)> {
    match r.range.map(|x| (x.first(), x.last())) {
        Some((IpAddr::V4(a), IpAddr::V4(b))) => Some((u32::from(a), u32::from(b))),
        _ => None,
    }
}

/// A record's IPv6 range as numbers.
fn v6_bounds(r: &IpRecord) -> Option<(u128, u128)> {
    match r.range.map(|x| (x.first(), x.last())) {
        Some((IpAddr::V6(a), IpAddr::V6(b))) => Some((u128::from(a), u128::from(b))),
        _ => None,
    }
}

/// `(first, last, record index)` per record, sorted.
type Ranges<K> = Vec<(K, K, u32)>;

/// The [`Ranges`] of the records `keep` selects (`None` when there are none), and of every
/// record inside their overall span that `query` selects: the only records they can cover.
fn sorted_ranges<K: Ord + Copy + Send + Sync>(
    ip: &[IpRecord],
    key: &(impl Fn(&IpRecord) -> Option<(K, K)> + Sync),
    keep: impl Fn(&IpRecord) -> bool + Sync,
    query: impl Fn(&IpRecord) -> bool + Sync,
) -> Option<(Ranges<K>, Ranges<K>)> {
    let mut hs: Ranges<K> = ip
        .par_iter()
        .enumerate()
        .filter(|(_, r)| keep(r))
        .filter_map(|(i, r)| key(r).map(|(a, b)| (a, b, i as u32)))
        .collect();
    if hs.is_empty() {
        return None;
    }
    hs.par_sort_unstable();
    let (lo, hi) = hs.iter().fold((hs[0].0, hs[0].1), |(lo, hi), &(a, b, _)| (lo.min(a), hi.max(b)));
    let mut qs: Ranges<K> = ip
        .par_iter()
        .enumerate()
        .filter(|(_, r)| query(r))
        .filter_map(|(i, r)| key(r).map(|(a, b)| (a, b, i as u32)))
        .filter(|&(a, b, _)| a >= lo && b <= hi)
        .collect();
    qs.par_sort_unstable();
    Some((hs, qs))
}

/// [`covering_hints`] for the ranges `key` gives (one family).
fn sweep_family<'a, K: Ord + Copy + Send + Sync>(
    ip: &'a [IpRecord],
    key: impl Fn(&IpRecord) -> Option<(K, K)> + Sync,
    out: &mut Covering,
    list_ids: &mut HashMap<Vec<&'a SourceHint>, u32, Xxh3DefaultBuilder>,
) {
    let Some((hs, qs)) = sorted_ranges(ip, &key, |r| r.hint.is_some(), |_| true) else {
        return;
    };
    let mut found: Vec<&SourceHint> = Vec::new();
    let mut open: Vec<(K, u32)> = Vec::new(); // (last, record index)
    let mut next = 0;
    for &(a, b, qi) in &qs {
        while next < hs.len() && hs[next].0 <= a {
            open.push((hs[next].1, hs[next].2));
            next += 1;
        }
        open.retain(|&(last, _)| last >= a);
        found.clear();
        for &(last, hi) in &open {
            if last < b || hi == qi {
                continue;
            }
            if let Some(h) = &ip[hi as usize].hint
                && !found.contains(&h)
            {
                found.push(h);
            }
        }
        if !found.is_empty() {
            let id = match list_ids.get(found.as_slice()) {
                Some(&id) => id,
                None => {
                    let id = out.lists.len() as u32;
                    out.lists.push(found.iter().map(|&h| h.clone()).collect());
                    list_ids.insert(found.clone(), id);
                    id
                }
            };
            out.ids[qi as usize] = id;
        }
    }
}

/// For every IP record without an RIR status of its own (an ASN-table range …), the most
/// specific *other* record that has one (a delegation-file block, an RPSL inetnum) and covers
/// it entirely: the builder's precedence, smaller range first, then the later input. Rule 10c
/// of `classify/RULES.md` reads its status.
#[derive(Debug, Default)]
pub(super) struct CoveringRir {
    /// Index of the covering record per record ([`NO_COVER`]: none); empty when no record has
    /// a status.
    of: Vec<u32>,
}

const NO_COVER: u32 = u32::MAX;

impl CoveringRir {
    /// The covering RIR record of record `i`, if any.
    pub(super) fn get<'a>(&self, ip: &'a [IpRecord], i: usize) -> Option<&'a IpRecord> {
        self.of.get(i).filter(|&&c| c != NO_COVER).and_then(|&c| ip.get(c as usize))
    }
}

/// [`CoveringRir`] for every record: one sweep per family over ranges sorted by start.
pub(super) fn covering_rir(ip: &[IpRecord]) -> CoveringRir {
    if !ip.iter().any(|r| r.status.is_some()) {
        return CoveringRir::default();
    }
    let mut out = CoveringRir { of: vec![NO_COVER; ip.len()] };
    sweep_rir(ip, v4_bounds, &mut out.of);
    sweep_rir(ip, v6_bounds, &mut out.of);
    out
}

/// [`covering_rir`] for the ranges `key` gives (one family).
fn sweep_rir<K: Ord + Copy + Send + Sync + std::ops::Sub<Output = K>>(
    ip: &[IpRecord],
    key: impl Fn(&IpRecord) -> Option<(K, K)> + Sync,
    of: &mut [u32],
) {
    let Some((ss, qs)) = sorted_ranges(ip, &key, |r| r.status.is_some(), |r| r.status.is_none()) else {
        return;
    };
    let mut open: Vec<(K, K, u32)> = Vec::new(); // (first, last, record index)
    let mut next = 0;
    for &(a, b, qi) in &qs {
        while next < ss.len() && ss[next].0 <= a {
            open.push(ss[next]);
            next += 1;
        }
        open.retain(|&(_, last, _)| last >= a);
        // Smallest span wins; among equals the later input (higher index).
        let best = open
            .iter()
            .filter(|&&(_, last, _)| last >= b)
            .min_by_key(|&&(first, last, i)| (last - first, std::cmp::Reverse(i)));
        if let Some(&(_, _, i)) = best {
            of[qi as usize] = i;
        }
    }
}
