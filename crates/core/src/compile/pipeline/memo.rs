//! The classification memo key of phase 3: classification depends on what a record says, not
//! on where it sits, so records with equal evidence (one holder's many ranges in an ASN table)
//! are classified once. [`ClassKey`] is everything classification reads of a record,
//! [`SizeClass`] the only part of its range that matters, and [`hash128`] the 128-bit hash that
//! stands for a key (also for the holder keys of the join).

use std::hash::Hash;
use std::net::IpAddr;

use crate::compile::records::{IpRecord, SourceHint};
use crate::range::IpRange;

/// Everything [`classify::classify`](crate::compile::classify::classify) can see of a record,
/// minus its exact place: two records with equal keys get equal decisions.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct ClassKey<'a> {
    source: &'a str,
    size: SizeClass,
    asn: Option<u32>,
    org_name: Option<&'a str>,
    netname: Option<&'a str>,
    descr: Option<&'a str>,
    country: Option<&'a str>,
    status: Option<&'a str>,
    org_type: Option<&'a str>,
    org_handle: Option<&'a str>,
    domain: Option<&'a str>,
    address: Option<&'a str>,
    hint: Option<&'a SourceHint>,
    covering: &'a [SourceHint],
    /// Status and org-type of the covering RIR record (rule 10c).
    covering_rir: Option<(Option<&'a str>, Option<&'a str>)>,
}

/// What classification reads of a range: its family and whether it is a "large allocation"
/// (rule 10b of `classify/RULES.md`: at least 2^20 IPv4 or 2^104 IPv6 addresses). Every other
/// size gives the same decision, so one holder's ranges of many sizes are classified once or
/// twice, not once per power of two. `size_class_separates_every_decision` (below) classifies
/// evidence at every power of two ± 1 in both families and fails if a rule reads the size in
/// any other way: then this function must learn the new threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SizeClass {
    None,
    V4 { large: bool },
    V6 { large: bool },
}

/// The [`SizeClass`] of a record's range.
fn size_class(range: Option<&IpRange>) -> SizeClass {
    const LARGE_V4: u64 = 1 << 20;
    const LARGE_V6: u128 = 1 << 104;
    match range.map(|x| (x.first(), x.last())) {
        Some((IpAddr::V4(a), IpAddr::V4(b))) => {
            SizeClass::V4 { large: u64::from(u32::from(b) - u32::from(a)) + 1 >= LARGE_V4 }
        }
        Some((IpAddr::V6(a), IpAddr::V6(b))) => {
            // The whole space (count 2^128) overflows: large.
            SizeClass::V6 { large: (u128::from(b) - u128::from(a)).checked_add(1).is_none_or(|n| n >= LARGE_V6) }
        }
        _ => SizeClass::None,
    }
}

impl<'a> ClassKey<'a> {
    pub(super) fn new(r: &'a IpRecord, covering: &'a [SourceHint], covering_rir: Option<&'a IpRecord>) -> Self {
        ClassKey {
            source: &r.origin.source,
            size: size_class(r.range.as_ref()),
            asn: r.asn,
            org_name: r.org_name.as_deref(),
            netname: r.netname.as_deref(),
            descr: r.descr.as_deref(),
            country: r.country.as_deref(),
            status: r.status.as_deref(),
            org_type: r.org_type.as_deref(),
            org_handle: r.org_handle.as_deref(),
            domain: r.domain.as_deref(),
            address: r.address.as_deref(),
            hint: r.hint.as_ref(),
            covering,
            covering_rir: covering_rir.map(|c| (c.status.as_deref(), c.org_type.as_deref())),
        }
    }
}

/// The 128-bit xxh3 of what `value` feeds a [`Hasher`](std::hash::Hasher), gathered in `buf`
/// first: one pass over a few hundred bytes instead of a streaming update per field.
pub(super) fn hash128(value: &impl Hash, buf: &mut Vec<u8>) -> u128 {
    /// Collects the bytes a `Hash` implementation writes (strings end in 0xff, slices start
    /// with their length, so distinct values give distinct byte strings).
    struct Bytes<'b>(&'b mut Vec<u8>);
    impl std::hash::Hasher for Bytes<'_> {
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
        fn finish(&self) -> u64 {
            0
        }
    }
    buf.clear();
    value.hash(&mut Bytes(buf));
    xxhash_rust::xxh3::xxh3_128(buf)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::class::Class;
    use crate::compile::classify::{self, Evidence, Rules};
    use crate::compile::pipeline::tests::{ip, sample_inputs};

    /// A range of `count` addresses starting at 0 (IPv4 when `count` ≤ 2^32).
    fn range_of(count: u128, v6: bool) -> IpRange {
        let last = count - 1;
        if v6 {
            IpRange::new(IpAddr::V6(0u128.into()), IpAddr::V6(last.into())).unwrap()
        } else {
            IpRange::new(IpAddr::V4(0u32.into()), IpAddr::V4((last as u32).into())).unwrap()
        }
    }

    #[test]
    fn size_class_separates_every_decision() {
        // Evidence that fires every kind of rule: the first sample record that fires it, plus
        // RIR statuses and a hint. Each is classified at every power of two ± 1 of both
        // families; decisions may differ only between size classes.
        let rules = Rules::load_default().unwrap();
        let mut seen = std::collections::HashSet::new();
        let mut recs: Vec<IpRecord> = sample_inputs()
            .ip
            .into_iter()
            .filter(|r| {
                // Rule kinds (`isp:known-network`), not labels: the first record firing each.
                let fired = classify::classify(&rules, &Evidence::new(r)).fired;
                let kinds: Vec<String> =
                    fired.iter().map(|f| f.split(':').take(2).collect::<Vec<_>>().join(":")).collect();
                let fresh = kinds.is_empty() && seen.insert(String::new());
                kinds.into_iter().fold(fresh, |any, k| seen.insert(k) || any)
            })
            .collect();
        for (status, org_type) in [("ALLOCATED PA", None), ("ASSIGNED PA", Some("OTHER")), ("", Some("LIR"))] {
            let mut r = ip("10.0.0.0/8", "Acme Widgets B.V.", Some("NL"), None);
            r.status = Some(status.into());
            r.org_type = org_type.map(Into::into);
            recs.push(r);
        }
        recs.push(ip("10.0.0.0/8", "", None, Some(Class::Hosting)));
        assert!(recs.len() > 10, "too few distinct decisions in the sample: {}", recs.len());
        eprintln!("{} records", recs.len());
        let mut counts: Vec<(u128, bool)> = Vec::new();
        for (bits, v6) in (0..=32u32).map(|b| (b, false)).chain((0..=128u32).map(|b| (b, true))) {
            let p = if bits == 128 { u128::MAX } else { 1u128 << bits };
            let max = if v6 { u128::MAX } else { 1u128 << 32 };
            for c in [p.saturating_sub(1), p, p.saturating_add(1)] {
                if c >= 1 && c <= max {
                    counts.push((c, v6));
                }
            }
        }
        // 2^128 addresses: the whole IPv6 space.
        let whole = IpRange::new(IpAddr::V6(0u128.into()), IpAddr::V6(u128::MAX.into())).unwrap();
        for r in &recs {
            let mut by_class: HashMap<SizeClass, (IpRange, classify::Decision)> = HashMap::new();
            let ranges = counts.iter().map(|&(c, v6)| range_of(c, v6)).chain([whole]);
            for range in ranges {
                let rec = IpRecord { range: Some(range), ..r.clone() };
                let d = classify::classify(&rules, &Evidence::new(&rec));
                let (first_range, first) = by_class.entry(size_class(Some(&range))).or_insert((range, d.clone()));
                assert_eq!(
                    *first, d,
                    "{:?}: {first_range} and {range} share a size class but not a decision: teach size_class \
                     the new size rule",
                    r.org_name
                );
            }
        }
    }
}
