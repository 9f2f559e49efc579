//! The bundled sample build and its `libloc` source (`data-samples/sources/libloc/`): a flagged
//! network whose AS still announces it in the bundled ASN tables answers with the flag's class
//! (rule 4 of `classify/RULES.md`), and the rest of the AS's enclosing range does not hear of
//! the flag. Rows, AS numbers and addresses are all taken from the two slice files.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn bundled() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("libloc-bundled-sample.ipfirm");
    ipfirm::compile::build(&root().join("data-samples/ipfirm.toml"), &out, &Default::default()).expect("bundled build");
    out
}

/// `(first, last, asn)` of the bundled ASN slices.
fn asn_rows() -> Vec<(IpAddr, IpAddr, u32)> {
    let mut v = Vec::new();
    for f in ["asn-ipv4.slice.csv", "asn-ipv6.slice.csv"] {
        let p = root().join("data-samples/sources/asn-csv").join(f);
        let mut rd = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&p).expect("ASN slice");
        for r in rd.records() {
            let r = r.expect("row");
            v.push((r[0].parse().expect("start"), r[1].parse().expect("end"), r[2].parse().expect("asn")));
        }
    }
    v
}

/// A flagged libloc row: network, AS, and the class and label its first flag asks for
/// (anonymous proxy, drop, anycast, satellite provider — the documented order).
struct Flagged {
    line: usize,
    net: IpNet,
    asn: u32,
    class: &'static str,
    label: &'static str,
}

fn flagged_rows() -> Vec<Flagged> {
    let text = std::fs::read_to_string(root().join("data-samples/sources/libloc/networks.flagged.slice.csv"))
        .expect("libloc slice");
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate().skip(1) {
        let c: Vec<&str> = l.split(',').collect();
        let Ok(asn) = c[2].parse::<u32>() else { continue };
        let (class, label) = if c[3] == "1" {
            ("anonymizer", "libloc:anonymous-proxy")
        } else if c[6] == "1" {
            ("hosting", "libloc:drop")
        } else if c[5] == "1" {
            ("hosting", "libloc:anycast")
        } else {
            ("isp", "libloc:satellite-provider")
        };
        out.push(Flagged { line: i + 1, net: c[0].parse().expect("network"), asn, class, label });
    }
    out
}

fn contains(first: IpAddr, last: IpAddr, a: IpAddr) -> bool {
    a.is_ipv4() == first.is_ipv4() && first <= a && a <= last
}

/// The ASes that announce `a` in the ASN slices.
fn now(asn: &[(IpAddr, IpAddr, u32)], a: IpAddr) -> Vec<u32> {
    asn.iter().filter(|&&(f, l, _)| contains(f, l, a)).map(|t| t.2).collect()
}

/// The labels that reach `a`: of every flagged row containing it whose AS announces `a` now.
fn live_labels<'r>(rows: &'r [Flagged], asn: &[(IpAddr, IpAddr, u32)], a: IpAddr) -> Vec<&'r str> {
    let now = now(asn, a);
    rows.iter().filter(|r| r.net.contains(&a) && now.contains(&r.asn)).map(|r| r.label).collect()
}

#[test]
fn bundled_build_classifies_flagged_ranges_as_the_flag_says() {
    let db = ipfirm::Database::open(bundled()).expect("open the bundled build");
    let asn = asn_rows();
    let rows = flagged_rows();
    let mut per_label: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut stale = 0;
    for row in &rows {
        let a = row.net.network();
        let now = now(&asn, a);
        let m = db.lookup(a).expect("a flagged address of the ASN slice is covered");
        let rules: Vec<String> =
            m.provenance().filter(|p| p.source == "ipfirm:rule").map(|p| p.record_key.to_string()).collect();
        let fired = rules.iter().any(|r| r.contains(row.label));
        if !now.contains(&row.asn) {
            // Stale (the AS no longer announces it): the flag does not count here, unless
            // another row with the same flag and today's AS covers the address.
            if !now.is_empty() && !live_labels(&rows, &asn, a).contains(&row.label) {
                stale += 1;
                assert!(!fired, "line {}: {a} is AS{now:?} now, not AS{}: {rules:?}", row.line, row.asn);
            }
            continue;
        }
        assert!(fired, "line {}: {a} (AS{}) did not hear its flag {}: {rules:?}", row.line, row.asn, row.label);
        let e = per_label.entry(row.label).or_default();
        e.0 += 1;
        // The flag's class wins unless a rule ranked above rule 4 decided (a sole trader, an
        // opt-out) or a class ranked earlier in rule 4 is asserted too (anonymizer).
        let class = m.class().name();
        if class == row.class {
            e.1 += 1;
            assert!(m.reason().starts_with(row.class), "line {}: {a}: {}", row.line, m.reason());
        } else {
            assert!(
                ["sole_trader", "opted_out", "anonymizer"].contains(&class),
                "line {}: {a} is {class} ({}), flag says {}",
                row.line,
                m.reason(),
                row.class
            );
        }
    }
    eprintln!("libloc rows kept / with the flag's class, per flag: {per_label:?}; stale rows dropped: {stale}");
    assert!(stale > 0, "the 2022 slice has rows reassigned since");
    for label in ["libloc:anonymous-proxy", "libloc:drop", "libloc:anycast", "libloc:satellite-provider"] {
        let (kept, right) = per_label.get(label).copied().unwrap_or_default();
        assert!(kept > 0 && right > 0, "{label}: {kept} kept, {right} with its class");
    }
}

#[test]
fn a_flag_does_not_reach_the_enclosing_range() {
    let db = ipfirm::Database::open(bundled()).expect("open the bundled build");
    let asn = asn_rows();
    let rows = flagged_rows();
    let step = |a: IpAddr, up: bool| -> Option<IpAddr> {
        match a {
            IpAddr::V4(v) => {
                let n = u32::from(v);
                (if up { n.checked_add(1) } else { n.checked_sub(1) }).map(|n| IpAddr::V4(n.into()))
            }
            IpAddr::V6(v) => {
                let n = u128::from(v);
                (if up { n.checked_add(1) } else { n.checked_sub(1) }).map(|n| IpAddr::V6(n.into()))
            }
        }
    };
    let mut checked = 0;
    for row in &rows {
        // An ASN range of the row's AS strictly enclosing the flagged network, and an address of
        // it next to the network (or at its ends) that no live flag reaches.
        let (a, b) = (row.net.network(), row.net.broadcast());
        let Some(&(f, l, _)) =
            asn.iter().find(|&&(f, l, n)| n == row.asn && contains(f, l, a) && contains(f, l, b) && (f, l) != (a, b))
        else {
            continue;
        };
        let candidates = [step(a, false), step(b, true), Some(f), Some(l)];
        let Some(outside) = candidates
            .into_iter()
            .flatten()
            .find(|&x| contains(f, l, x) && !row.net.contains(&x) && live_labels(&rows, &asn, x).is_empty())
        else {
            continue;
        };
        let m = db.lookup(outside).expect("covered by its ASN range");
        let rules: Vec<&str> = m.provenance().filter(|p| p.source == "ipfirm:rule").map(|p| p.record_key).collect();
        assert!(
            !rules.iter().any(|r| r.contains("libloc:")),
            "line {}: {outside} lies outside {} but heard a libloc flag: {rules:?}",
            row.line,
            row.net
        );
        // ... while the flagged network itself did.
        let inside = db.lookup(a).expect("flagged network covered");
        assert!(
            inside.provenance().any(|p| p.source == "ipfirm:rule" && p.record_key.contains(row.label)),
            "line {}: {a}",
            row.line
        );
        checked += 1;
    }
    eprintln!("enclosing ranges checked: {checked}");
    assert!(checked > 0, "the slices have a flagged network inside a larger range of its AS");
}
