//! Large tables against an independent model: enough ranges that the index's top-level
//! table, fences and blocks all come into play (the property tests in `model.rs` use tens of
//! ranges), with IPv6 ranges clustered the way real allocations are, so some top-level
//! buckets hold thousands of fences. The model is a `BTreeMap` of disjoint ranges.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipfirm::{Database, DatabaseBuilder, Entry, IpRange};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Disjoint ranges `(first, last, tag)` from sorted distinct random starts, a few left as gaps.
fn disjoint(r: &mut StdRng, mut starts: Vec<u128>, max: u128) -> Vec<(u128, u128, u32)> {
    starts.sort_unstable();
    starts.dedup();
    let mut out = Vec::new();
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).map_or(max, |n| n - 1);
        if r.random_ratio(1, 5) {
            continue;
        }
        // Neighbours may get the same tag: they merge, which the model does not mind.
        out.push((s, e, r.random_range(0..50)));
    }
    out
}

fn model(ranges: &BTreeMap<u128, (u128, u32)>, x: u128) -> Option<u32> {
    let (_, &(last, tag)) = ranges.range(..=x).next_back()?;
    (x <= last).then_some(tag)
}

#[test]
fn large_tables_match_a_btreemap_model() {
    let mut r = StdRng::seed_from_u64(42);
    let s4: Vec<u128> = (0..40_000).map(|_| r.random::<u32>() as u128).collect();
    let v4 = disjoint(&mut r, s4, u32::MAX as u128);
    // IPv6: three dense clusters inside 2a00::/12-like blocks, plus a sparse spread.
    let mut s6: Vec<u128> = Vec::new();
    for cluster in [0x2a00u128, 0x2600, 0x2001] {
        let base = cluster << 112;
        s6.extend((0..15_000).map(|_| base + (r.random::<u64>() as u128) * (1 << 40)));
    }
    s6.extend((0..3_000).map(|_| (0x2000u128 << 112) + r.random_range(0..1u128 << 125)));
    let v6 = disjoint(&mut r, s6, u128::MAX);

    let mut b = DatabaseBuilder::new();
    for &(a, z, t) in &v4 {
        let range = IpRange::new(Ipv4Addr::from(a as u32).into(), Ipv4Addr::from(z as u32).into()).unwrap();
        b.insert(range, Entry { asn: Some(t + 1), ..Default::default() }).unwrap();
    }
    for &(a, z, t) in &v6 {
        let range = IpRange::new(Ipv6Addr::from(a).into(), Ipv6Addr::from(z).into()).unwrap();
        b.insert(range, Entry { asn: Some(t + 1), ..Default::default() }).unwrap();
    }
    let db = Database::from_bytes(b.finish().unwrap()).unwrap();
    let m4: BTreeMap<u128, (u128, u32)> = v4.iter().map(|&(a, z, t)| (a, (z, t))).collect();
    let m6: BTreeMap<u128, (u128, u32)> = v6.iter().map(|&(a, z, t)| (a, (z, t))).collect();

    let mut probes: Vec<IpAddr> = Vec::new();
    for &(a, z, _) in v4.iter().step_by(7) {
        for x in [a.checked_sub(1), Some(a), Some(z), z.checked_add(1).filter(|x| *x <= u32::MAX as u128)] {
            probes.extend(x.map(|x| IpAddr::V4(Ipv4Addr::from(x as u32))));
        }
    }
    for &(a, z, _) in v6.iter().step_by(7) {
        for x in [a.checked_sub(1), Some(a), Some(z), z.checked_add(1)] {
            probes.extend(x.map(|x| IpAddr::V6(Ipv6Addr::from(x))));
        }
    }
    probes.extend((0..50_000).map(|_| IpAddr::V4(Ipv4Addr::from(r.random::<u32>()))));
    probes
        .extend((0..50_000).map(|_| IpAddr::V6(Ipv6Addr::from(r.random_range(0x2000u128 << 112..0x3000u128 << 112)))));

    let batch = db.lookup_batch(&probes);
    for (ip, got_batch) in probes.iter().zip(&batch) {
        let want = match ip {
            IpAddr::V4(a) => model(&m4, u32::from(*a) as u128),
            IpAddr::V6(a) => model(&m6, u128::from(*a)),
        };
        let got = db.lookup(*ip);
        assert_eq!(got.and_then(|m| m.asn()).map(|a| a - 1), want, "lookup {ip}");
        assert_eq!(*got_batch, got, "lookup_batch {ip}");
    }
}
