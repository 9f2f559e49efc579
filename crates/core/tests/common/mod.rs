//! The small real database shared by the corrupt-input tests, the files in
//! `data-samples/bad/` and the fuzz seed corpus.
//!
//! The ranges, AS numbers and holder names are rows of `ip-location-db` `asn-ipv4.csv` /
//! `asn-ipv6.csv` (npm `@ip-location-db/asn@2.3.2026061719`, CC BY 4.0: RouteViews, NRO and
//! DB-IP "IP to ASN Lite"); the line numbers are those of the slices in
//! `../shared/data-raw/ip-location-db-asn/`. The classes are the ones a reader would give
//! these holders (a CDN, two access providers, a bank).
#![allow(dead_code)]

use std::net::IpAddr;

use ipfirm::{Class, Company, DatabaseBuilder, Entry, IpRange, Provenance};

/// `(first, last, asn, holder, class, source file, line)`.
pub const ROWS: &[(&str, &str, u32, &str, Class, &str, u32)] = &[
    ("1.0.0.0", "1.0.0.255", 13335, "Cloudflare, Inc.", Class::Hosting, "asn-ipv4.csv", 1),
    ("1.0.4.0", "1.0.7.255", 38803, "Gtelecom Pty Ltd", Class::Isp, "asn-ipv4.csv", 2),
    ("1.0.16.0", "1.0.16.255", 2519, "ARTERIA Networks Corporation", Class::Isp, "asn-ipv4.csv", 3),
    ("92.45.68.0", "92.45.68.255", 42701, "Deutsche Bank - TR", Class::Business, "asn-ipv4.csv", 36553),
    ("2a00::", "2a00:3ff:ffff:ffff:ffff:ffff:ffff:ffff", 3209, "Vodafone GmbH", Class::Isp, "asn-ipv6.csv", 1),
    (
        "2a00:c00:34ff::",
        "2a00:c00:34ff:ffff:ffff:ffff:ffff:ffff",
        199104,
        "Deutsche Bank AG",
        Class::Business,
        "asn-ipv6.csv",
        3,
    ),
    (
        "2a00:c00:f050::",
        "2a00:c00:f053:ffff:ffff:ffff:ffff:ffff",
        8373,
        "Deutsche Bank AG",
        Class::Business,
        "asn-ipv6.csv",
        5,
    ),
];

/// A builder holding [`ROWS`]: the bank's ranges carry the company "Deutsche Bank AG" (DE),
/// every row one provenance record.
pub fn sample_builder() -> DatabaseBuilder {
    let mut b = DatabaseBuilder::new();
    let bank = b.add_company(Company {
        legal_name: "Deutsche Bank AG".into(),
        country: Some("DE".into()),
        ..Default::default()
    });
    for &(first, last, asn, holder, class, file, line) in ROWS {
        let prov = b.add_provenance(Provenance {
            source: "ip-location-db-asn".into(),
            version: "2.3.2026061719".into(),
            record_key: format!("{file}:{line}"),
        });
        let range = IpRange::new(ip(first), ip(last)).expect("valid fixture range");
        let entry = Entry {
            class,
            reason: format!("{class}:fixture"),
            confidence: 70,
            company: (class == Class::Business).then_some(bank),
            asn: Some(asn),
            asn_org: Some(holder.into()),
            provenance: vec![prov],
            ..Default::default()
        };
        b.insert(range, entry).expect("fixture insert");
    }
    b
}

/// The sample database's bytes.
pub fn sample_db() -> Vec<u8> {
    sample_builder().finish().expect("fixture builds")
}

pub fn ip(s: &str) -> IpAddr {
    s.parse().expect("fixture address")
}

/// Addresses to look up in a (possibly damaged) database: every row's ends and neighbours,
/// IPv4-mapped forms, and the extremes of both families.
pub fn probes() -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> =
        ["0.0.0.0", "255.255.255.255", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::ffff:1.0.0.7"]
            .iter()
            .map(|s| ip(s))
            .collect();
    for &(first, last, ..) in ROWS {
        for a in [ip(first), ip(last)] {
            out.push(a);
            match a {
                IpAddr::V4(v4) => {
                    let n = u32::from(v4);
                    out.extend([n.wrapping_sub(1), n.wrapping_add(1)].map(|x| IpAddr::V4(x.into())));
                    out.push(IpAddr::V6(v4.to_ipv6_mapped()));
                }
                IpAddr::V6(v6) => {
                    let n = u128::from(v6);
                    out.extend([n.wrapping_sub(1), n.wrapping_add(1)].map(|x| IpAddr::V6(x.into())));
                }
            }
        }
    }
    out
}

/// Runs every read operation on `db` and returns a digest of what it saw, so that the work is
/// not optimised away and two databases can be compared. Must never panic, whatever `db` holds.
/// `verify` adds the full check (costly in debug builds) as the last item.
pub fn exercise(db: &ipfirm::Database, verify: bool) -> Vec<String> {
    let mut seen = Vec::new();
    let probes = probes();
    for &a in &probes {
        seen.push(format!("{:?}", db.lookup(a).map(|m| m.to_record())));
    }
    let batch = db.lookup_batch(&probes);
    for (a, m) in probes.iter().zip(&batch) {
        assert_eq!(*m, db.lookup(*a), "lookup_batch differs from lookup");
    }
    for m in db.iter().take(10_000) {
        seen.push(format!("{:?} {:?}", m.range(), m.to_record()));
        let _ = m.cidrs();
        let _ = m.provenance().count();
    }
    for c in db.companies().take(1_000) {
        seen.push(format!("{:?}", c.to_record()));
        seen.push(format!("{}", db.ranges_of(c).take(10_000).count()));
    }
    let _ = db.find_company("Deutsche Bank AG");
    let _ = db.find_company("DE:nothing");
    let _ = db.metadata();
    if verify {
        seen.push(format!("{:?}", db.verify().map_err(|e| e.to_string())));
    }
    seen
}

/// The name of an error's variant, for tests that check which error a file gives.
pub fn variant(e: &ipfirm::Error) -> &'static str {
    match e {
        ipfirm::Error::Io { .. } => "Io",
        ipfirm::Error::NotADatabase { .. } => "NotADatabase",
        ipfirm::Error::UnsupportedVersion { .. } => "UnsupportedVersion",
        ipfirm::Error::Corrupt { .. } => "Corrupt",
        ipfirm::Error::InvalidInput(_) => "InvalidInput",
        ipfirm::Error::Source { .. } => "Source",
        ipfirm::Error::Config { .. } => "Config",
        ipfirm::Error::Mmdb { .. } => "Mmdb",
        _ => "other",
    }
}

/// Rewrites the header of `bytes` so that its section lengths (`body_len` body bytes, the
/// rest metadata) and checksum agree with the contents: damage behind the header then gets
/// past the constant-time checks and reaches the structural checks and the lookups.
pub fn reseal(bytes: &mut [u8], body_len: u64) {
    use ipfirm::format::{FORMAT_VERSION, HEADER_LEN, Header, RKYV_FORMAT, checksum};
    let header = Header {
        version: FORMAT_VERSION,
        flags: 0,
        body_len,
        meta_len: (bytes.len() - HEADER_LEN) as u64 - body_len,
        checksum: checksum(&bytes[HEADER_LEN..]),
        rkyv_format: RKYV_FORMAT,
    };
    bytes[..HEADER_LEN].copy_from_slice(&header.encode());
}
