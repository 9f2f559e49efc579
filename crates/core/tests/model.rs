//! Property tests: the database against a naive model (a list of input ranges scanned at
//! query time), plus batch == single, iteration, determinism.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipfirm::{Class, Database, DatabaseBuilder, Entry, IpRange};
use proptest::prelude::*;

/// The model's answer: the smallest input range containing `x`, later insert winning ties.
fn model<K: Copy + Ord + Into<u128>>(inputs: &[(K, K, u32)], x: K) -> Option<u32> {
    let mut best: Option<(u128, usize)> = None;
    for (i, &(a, b, _)) in inputs.iter().enumerate() {
        if a <= x && x <= b {
            let span = b.into() - a.into();
            if best.is_none_or(|(s, _)| span <= s) {
                best = Some((span, i));
            }
        }
    }
    best.map(|(_, i)| inputs[i].2)
}

fn entry(tag: u32) -> Entry {
    Entry {
        class: Class::ALL[(tag % 12) as usize],
        reason: format!("test:{tag}"),
        confidence: (tag % 101) as u8,
        asn: Some(tag + 1),
        ..Default::default()
    }
}

/// The tag stored by `entry` (asn - 1), read back from a match.
fn tag_of(db: &Database, ip: IpAddr) -> Option<u32> {
    db.lookup(ip).map(|m| m.asn().expect("test data") - 1)
}

fn v4_inputs() -> impl Strategy<Value = Vec<(u32, u32, u32)>> {
    // Small address space so that overlaps and adjacency are frequent, plus the edges.
    let addr = prop_oneof![0u32..2000, Just(0u32), Just(u32::MAX), (u32::MAX - 2000)..=u32::MAX, any::<u32>()];
    prop::collection::vec((addr.clone(), addr, 0u32..6), 0..40)
        .prop_map(|v| v.into_iter().map(|(a, b, t)| (a.min(b), a.max(b), t)).collect())
}

fn v6_inputs() -> impl Strategy<Value = Vec<(u128, u128, u32)>> {
    let addr =
        prop_oneof![0u128..2000, Just(u128::MAX), any::<u128>(), (0x2a00u128 << 112)..((0x2a00u128 << 112) + 5000)];
    prop::collection::vec((addr.clone(), addr, 0u32..6), 0..40)
        .prop_map(|v| v.into_iter().map(|(a, b, t)| (a.min(b), a.max(b), t)).collect())
}

fn build(v4: &[(u32, u32, u32)], v6: &[(u128, u128, u32)]) -> Vec<u8> {
    let mut b = DatabaseBuilder::new();
    for &(a, z, t) in v4 {
        let r = IpRange::new(Ipv4Addr::from(a).into(), Ipv4Addr::from(z).into()).expect("test data");
        b.insert(r, entry(t)).expect("test data");
    }
    for &(a, z, t) in v6 {
        let r = IpRange::new(Ipv6Addr::from(a).into(), Ipv6Addr::from(z).into()).expect("test data");
        b.insert(r, entry(t)).expect("test data");
    }
    b.finish().expect("test data")
}

fn probes<K: Copy + Into<u128>>(inputs: &[(K, K, u32)], extra: &[K], widen: impl Fn(u128) -> Option<K>) -> Vec<K> {
    let mut out: Vec<K> = extra.to_vec();
    for &(a, b, _) in inputs {
        for x in
            [a.into().checked_sub(1), Some(a.into()), Some(b.into()), b.into().checked_add(1)].into_iter().flatten()
        {
            if let Some(k) = widen(x) {
                out.push(k);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn lookups_match_the_model(v4 in v4_inputs(), v6 in v6_inputs(), r4 in prop::collection::vec(any::<u32>(), 20), r6 in prop::collection::vec(any::<u128>(), 20)) {
        let bytes = build(&v4, &v6);
        let db = Database::from_bytes(&bytes).expect("test data");
        let p4 = probes(&v4, &r4, |x| u32::try_from(x).ok());
        let p6 = probes(&v6, &r6, Some);
        let mut all: Vec<IpAddr> = Vec::new();
        for &x in &p4 {
            let ip = IpAddr::V4(x.into());
            prop_assert_eq!(tag_of(&db, ip), model(&v4, x), "v4 {}", ip);
            // IPv4-mapped IPv6 looks up in the IPv4 index.
            let mapped = IpAddr::V6(Ipv4Addr::from(x).to_ipv6_mapped());
            prop_assert_eq!(tag_of(&db, mapped), model(&v4, x));
            all.push(ip);
            all.push(mapped);
        }
        for &x in &p6 {
            let ip = IpAddr::V6(x.into());
            if Ipv6Addr::from(x).to_ipv4_mapped().is_none() {
                prop_assert_eq!(tag_of(&db, ip), model(&v6, x), "v6 {}", ip);
            }
            all.push(ip);
        }
        // Batch gives exactly the single-lookup answers.
        let batch = db.lookup_batch(&all);
        for (ip, got) in all.iter().zip(&batch) {
            prop_assert_eq!(*got, db.lookup(*ip));
        }
        // The columnar form agrees too.
        let (mut classes, mut companies) = (Vec::new(), Vec::new());
        db.lookup_codes_into(&all, &mut classes, &mut companies);
        prop_assert_eq!(classes.len(), all.len());
        for ((ip, class), company) in all.iter().zip(&classes).zip(&companies) {
            let m = db.lookup(*ip);
            prop_assert_eq!(*class, m.map_or(ipfirm::NO_MATCH, |m| m.class().code()));
            let want = m.and_then(|m| m.company()).map_or(ipfirm::NO_COMPANY, |c| c.index() as u32);
            prop_assert_eq!(*company, want);
        }
        // Iteration yields disjoint sorted ranges, each agreeing with lookup at both ends,
        // and neighbouring ranges never carry identical entries (they would have merged).
        let ranges: Vec<_> = db.iter().collect();
        for w in ranges.windows(2) {
            let (a, b) = (w[0].range(), w[1].range());
            if a.first().is_ipv4() == b.first().is_ipv4() {
                prop_assert!(a.last() < b.first());
            }
        }
        for m in &ranges {
            prop_assert_eq!(db.lookup(m.range().first()), Some(*m));
            prop_assert_eq!(db.lookup(m.range().last()), Some(*m));
        }
        // Deterministic: the same input, byte for byte the same file.
        prop_assert_eq!(build(&v4, &v6), bytes);
    }
}

#[test]
fn empty_database_finds_nothing() {
    let db = Database::from_bytes(DatabaseBuilder::new().finish().expect("test data")).expect("test data");
    assert!(db.lookup("1.2.3.4".parse().expect("test data")).is_none());
    assert!(db.lookup("2a00::1".parse().expect("test data")).is_none());
    assert_eq!(db.iter().count(), 0);
}
