//! MMDB import against the `maxminddb` reader: every MaxMind test database in
//! `data-samples/mmdb/` must import, and every network the reader yields must look up (at its
//! first and last address) to the AS number, holder name and class its record gives. The
//! expected side is decoded here with serde into this file's own struct and mapped with this
//! file's own rules (written from the MaxMind field documentation), not with
//! `ipfirm::mmdb::MmdbRecord`. A real full-size MMDB is checked the same way when present.
//! Addresses in the 6to4 (`2002::/16`) and Teredo (`2001::/32`) aliases of the IPv4 data must
//! get `maxminddb`'s answer too.
#![cfg(feature = "mmdb")]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use ipfirm::{Class, Database, DatabaseBuilder};
use ipnet::IpNet;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Record {
    autonomous_system_number: Option<u32>,
    autonomous_system_organization: Option<String>,
    /// IPinfo's `asn`: `"AS13335"`.
    asn: Option<String>,
    isp: Option<String>,
    organization: Option<String>,
    user_type: Option<String>,
    connection_type: Option<String>,
    domain: Option<String>,
    is_anonymous: Option<bool>,
    is_anonymous_vpn: Option<bool>,
    is_hosting_provider: Option<bool>,
    is_public_proxy: Option<bool>,
    is_tor_exit_node: Option<bool>,
    is_residential_proxy: Option<bool>,
    /// Only its presence matters (its integer width differs between databases).
    anonymizer_confidence: Option<serde::de::IgnoredAny>,
    country: Option<CountryField>,
    country_code: Option<String>,
    /// GeoIP2 Enterprise keeps the network's fields here.
    traits: Option<Box<Record>>,
}

/// GeoIP2 `country: {iso_code, …}`, or a plain code as some other MMDBs write it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CountryField {
    Code(String),
    Map {
        #[serde(default)]
        iso_code: Option<String>,
    },
}

/// What ipfirm must answer for a network with this record.
#[derive(Debug, PartialEq)]
struct Expected {
    asn: Option<u32>,
    class: Class,
    /// The range's country: two letters, upper case.
    country: Option<String>,
    /// The company's name, for shown classes with a holder.
    company: Option<String>,
    company_country: Option<String>,
    company_domain: Option<String>,
    /// The holder name shown as `asn_org`: the AS organisation, else the holder.
    asn_org: Option<String>,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

impl Record {
    /// A field from the top level, else from `traits`.
    fn text(&self, f: fn(&Record) -> &Option<String>) -> Option<String> {
        clean(f(self)).or_else(|| self.traits.as_deref().and_then(|t| clean(f(t))))
    }

    fn flag(&self, f: fn(&Record) -> Option<bool>) -> bool {
        f(self).or_else(|| self.traits.as_deref().and_then(f)).unwrap_or(false)
    }

    fn expected(&self) -> Expected {
        let anonymous = [
            self.flag(|r| r.is_anonymous),
            self.flag(|r| r.is_anonymous_vpn),
            self.flag(|r| r.is_public_proxy),
            self.flag(|r| r.is_tor_exit_node),
            self.flag(|r| r.is_residential_proxy),
        ]
        .contains(&true)
            || self.anonymizer_confidence.is_some();
        // GeoIP2 user_type values (MaxMind's documentation) and connection types.
        let by_user_type = |t: &str| match t {
            "business" => Some(Class::Business),
            "cafe" | "dialup" | "residential" | "traveler" => Some(Class::Residential),
            "cellular" => Some(Class::Mobile),
            "college" | "library" | "school" => Some(Class::Education),
            "consumer_privacy_network" => Some(Class::Anonymizer),
            "content_delivery_network" | "hosting" | "search_engine_spider" => Some(Class::Hosting),
            "government" | "military" => Some(Class::Government),
            "router" => Some(Class::Isp),
            _ => None,
        };
        let by_connection = |t: &str| match t {
            "Cellular" => Some(Class::Mobile),
            "Cable/DSL" | "Dialup" | "Satellite" => Some(Class::Isp),
            "Corporate" => Some(Class::Business),
            _ => None,
        };
        let class = if anonymous {
            Class::Anonymizer
        } else if self.flag(|r| r.is_hosting_provider) {
            Class::Hosting
        } else {
            self.text(|r| &r.user_type)
                .and_then(|t| by_user_type(&t))
                .or_else(|| self.text(|r| &r.connection_type).and_then(|t| by_connection(&t)))
                .unwrap_or(Class::Unknown)
        };
        let holder = self
            .text(|r| &r.organization)
            .or_else(|| self.text(|r| &r.isp))
            .or_else(|| self.text(|r| &r.autonomous_system_organization));
        let company = holder.clone().filter(|_| class.is_shown());
        let country = match &self.country {
            Some(CountryField::Code(c)) => clean(&Some(c.clone())),
            Some(CountryField::Map { iso_code }) => clean(iso_code),
            None => None,
        }
        .or_else(|| clean(&self.country_code));
        Expected {
            asn: self
                .autonomous_system_number
                .or_else(|| self.traits.as_deref().and_then(|t| t.autonomous_system_number))
                .or_else(|| self.asn.as_deref().and_then(|a| a.strip_prefix("AS")?.parse().ok()))
                .filter(|&a| a != 0),
            class,
            country: country
                .as_deref()
                .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
                .map(str::to_ascii_uppercase),
            company_country: company.as_ref().and(country),
            company_domain: company.as_ref().and_then(|_| self.text(|r| &r.domain)),
            company,
            asn_org: self.text(|r| &r.autonomous_system_organization).or(holder),
        }
    }
}

/// What ipfirm answered, in the same shape.
fn actual(m: &ipfirm::Match<'_>) -> Expected {
    let company = m.company();
    Expected {
        asn: m.asn(),
        class: m.class(),
        country: m.country().map(String::from),
        company: company.map(|c| c.legal_name().to_string()),
        company_country: company.and_then(|c| c.country().map(String::from)),
        company_domain: company.and_then(|c| c.domain().map(String::from)),
        asn_org: m.asn_org().map(String::from),
    }
}

/// An IPv6 database keeps IPv4 at `::/96`; ipfirm stores those networks as IPv4.
fn normalise(net: IpNet) -> IpNet {
    if let IpNet::V6(v6) = net {
        let bits = u128::from(v6.network());
        if v6.prefix_len() >= 96 && bits >> 32 == 0 {
            return IpNet::new(IpAddr::V4(Ipv4Addr::from(bits as u32)), v6.prefix_len() - 96).expect("valid prefix");
        }
    }
    net
}

/// IPv4-compatible `::/96`, where an IPv6 MaxMind tree keeps its IPv4 part: ipfirm stores
/// those networks as IPv4, so addresses there are not compared address by address.
fn ipv4_compatible(a: Ipv6Addr) -> bool {
    u128::from(a) >> 32 == 0
}

/// 6to4 (`2002::/16`, the IPv4 address in bits 16–47) and Teredo (`2001::/32`, the server's
/// IPv4 address in bits 32–63) addresses of an IPv4 address, with `low` filling the other bits.
fn alias_addresses(v4: Ipv4Addr, low: u128) -> [IpAddr; 2] {
    let v4 = u128::from(u32::from(v4));
    let six_to_four = (0x2002u128 << 112) | (v4 << 80) | (low & ((1u128 << 80) - 1));
    let teredo = (0x2001u128 << 112) | (v4 << 64) | (low & ((1u128 << 64) - 1));
    [IpAddr::V6(six_to_four.into()), IpAddr::V6(teredo.into())]
}

struct Report {
    networks: usize,
    by_class: std::collections::BTreeMap<String, usize>,
    /// 6to4 / Teredo addresses compared with `maxminddb`, and how many it covers.
    alias_checked: usize,
    alias_covered: usize,
}

/// Imports `path`, then checks every network of the reader (both ends) and the presence of
/// an answer at each network's neighbours, at `random` random IPv4 addresses, and at the 6to4
/// and Teredo aliases (`2002::/16`, `2001::/32`) of IPv4 networks' ends and of `random`
/// random IPv4 addresses: there ipfirm must answer as `maxminddb`'s lookup does.
fn check(path: &Path, random: usize) -> Report {
    let mut builder = DatabaseBuilder::new();
    let stats = ipfirm::mmdb::import_mmdb(path, &mut builder, "mmdb-test")
        .unwrap_or_else(|e| panic!("{} must import: {e}", path.display()));
    let db = Database::from_bytes(builder.finish().expect("finish")).expect("valid database");
    let reader = maxminddb::Reader::open_readfile(path).expect("maxminddb opens the file");
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();

    let mut report = Report { networks: 0, by_class: Default::default(), alias_checked: 0, alias_covered: 0 };
    let mut neighbours: Vec<IpAddr> = Vec::new();
    // IPv4 network ends whose 6to4 / Teredo aliases are checked (a sample on large files).
    let mut alias_bases: Vec<Ipv4Addr> = Vec::new();
    for item in reader.networks(Default::default()).expect("networks") {
        let item = item.expect("network");
        let net = item.network().expect("network address");
        let net = normalise(IpNet::new(net.ip(), net.prefix()).expect("prefix"));
        let record: Record = item.decode().expect("record decodes").unwrap_or_default();
        let want = record.expected();
        for addr in [net.network(), net.broadcast()] {
            let m = db.lookup(addr).unwrap_or_else(|| panic!("{name}: {net} has data but {addr} is not found"));
            assert_eq!(actual(&m), want, "{name}: {net} at {addr}");
            let r = m.range();
            assert!(r.contains(net.network()) && r.contains(net.broadcast()), "{name}: {net} in {r}");
            if let IpAddr::V4(v4) = addr {
                assert_eq!(db.lookup(IpAddr::V6(v4.to_ipv6_mapped())), Some(m), "{name}: mapped {addr}");
            }
        }
        match net {
            IpNet::V4(n) => {
                if report.networks.is_multiple_of(stats.networks as usize / 20_000 + 1) {
                    alias_bases.extend([n.network(), n.broadcast()]);
                }
                let (a, b) = (u32::from(n.network()), u32::from(n.broadcast()));
                neighbours.extend(a.checked_sub(1).into_iter().chain(b.checked_add(1)).map(|x| IpAddr::V4(x.into())));
            }
            IpNet::V6(n) => {
                let (a, b) = (u128::from(n.network()), u128::from(n.broadcast()));
                neighbours.extend(
                    a.checked_sub(1)
                        .into_iter()
                        .chain(b.checked_add(1))
                        .map(Ipv6Addr::from)
                        .filter(|x| !ipv4_compatible(*x))
                        .map(IpAddr::V6),
                );
            }
        }
        report.networks += 1;
        *report.by_class.entry(want.class.to_string()).or_default() += 1;
    }
    assert_eq!(report.networks as u64, stats.networks, "{name}: ipfirm read as many networks as the reader yields");

    // Addresses outside every network get no answer; inside one, the same answer as its
    // network (checked above). Both readers must agree on "covered or not".
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ report.networks as u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let random_v4: Vec<IpAddr> = (0..random).map(|_| IpAddr::V4(Ipv4Addr::from(next() as u32))).collect();
    let agree = |addr: IpAddr| -> bool {
        let theirs = reader.lookup(addr).expect("maxminddb lookup");
        let covered = theirs.has_data();
        assert_eq!(db.lookup(addr).is_some(), covered, "{name}: {addr} covered by maxminddb: {covered}");
        if covered {
            let record: Record = theirs.decode().expect("decode").unwrap_or_default();
            assert_eq!(db.lookup(addr).map(|m| actual(&m)), Some(record.expected()), "{name}: {addr}");
        }
        covered
    };
    for &addr in neighbours.iter().chain(&random_v4) {
        agree(addr);
    }
    // 6to4 and Teredo: the aliases of stored IPv4 networks and of random IPv4 addresses.
    let random_v4: Vec<Ipv4Addr> =
        random_v4.iter().filter_map(|a| if let IpAddr::V4(v) = a { Some(*v) } else { None }).collect();
    for v4 in alias_bases.into_iter().chain(random_v4) {
        let low = (u128::from(next()) << 64) | u128::from(next());
        for addr in alias_addresses(v4, low) {
            report.alias_checked += 1;
            report.alias_covered += usize::from(agree(addr));
        }
    }
    assert_eq!(
        stats.alias_networks > 0,
        report.alias_covered > 0,
        "{name}: {} alias networks imported, {} of {} alias addresses covered",
        stats.alias_networks,
        report.alias_covered,
        report.alias_checked
    );
    report
}

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/mmdb")
}

#[test]
fn every_maxmind_test_database_imports_and_agrees_with_maxminddb() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(sample_dir())
        .expect("data-samples/mmdb")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mmdb"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "the MaxMind test databases are in data-samples/mmdb: {files:?}");
    let mut classes_seen = std::collections::BTreeSet::new();
    let mut alias_covered = 0;
    for path in &files {
        let r = check(path, 2000);
        println!(
            "{}: {} networks, {:?}; 6to4/Teredo: {} of {} sampled addresses covered, as maxminddb",
            path.display(),
            r.networks,
            r.by_class,
            r.alias_covered,
            r.alias_checked
        );
        assert!(r.networks > 0, "{}: no networks", path.display());
        classes_seen.extend(r.by_class.into_keys());
        alias_covered += r.alias_covered;
    }
    // MaxMind's test databases are IPv6 trees with the 6to4 and Teredo aliases: some of the
    // sampled alias addresses must have been answered (by both readers).
    assert!(alias_covered > 0, "no 6to4 or Teredo address was covered in any test database");
    // The test data exercises every class the MMDB fields can give (it has no college,
    // library or school user_type, so no education).
    for c in ["anonymizer", "business", "government", "hosting", "isp", "mobile", "residential", "unknown"] {
        assert!(classes_seen.contains(c), "no network of class {c}: {classes_seen:?}");
    }
}

/// The Enterprise database keeps its fields under `traits`: they must be read there.
#[test]
fn enterprise_fields_come_from_traits() {
    let path = sample_dir().join("GeoIP2-Enterprise-Test.mmdb");
    let reader = maxminddb::Reader::open_readfile(&path).expect("open");
    let mut with_org = 0;
    for item in reader.networks(Default::default()).expect("networks") {
        let record: Record = item.expect("item").decode().expect("decode").unwrap_or_default();
        if record.traits.as_ref().is_some_and(|t| t.organization.is_some() || t.isp.is_some()) {
            assert!(record.organization.is_none() && record.isp.is_none());
            assert!(record.expected().asn_org.is_some());
            with_org += 1;
        }
    }
    assert!(with_org > 0, "the Enterprise test data has holders under traits");
    check(&path, 0);
}

#[test]
fn a_file_that_is_not_an_mmdb_gives_an_mmdb_error() {
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/bad/csv-text.ipfirm");
    let mut b = DatabaseBuilder::new();
    match ipfirm::mmdb::import_mmdb(&bad, &mut b, "x") {
        Err(ipfirm::Error::Mmdb { path, .. }) => assert_eq!(path, bad),
        other => panic!("expected Error::Mmdb, got {other:?}"),
    }
    match ipfirm::mmdb::import_mmdb(sample_dir().join("missing.mmdb"), &mut b, "x") {
        Err(ipfirm::Error::Mmdb { path, message }) => {
            assert!(path.ends_with("missing.mmdb"), "{message}");
        }
        other => panic!("expected Error::Mmdb, got {other:?}"),
    }
}

/// A real full-size MMDB: `IPFIRM_FULL_MMDB=<file>`, else any `.mmdb` the bench setup put in
/// `bench-data/` (`npm pack @ip-location-db/geo-whois-asn-country-mmdb`, see `benches/`).
#[test]
fn full_size_mmdb_when_present() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<PathBuf> = match std::env::var_os("IPFIRM_FULL_MMDB") {
        Some(p) => vec![PathBuf::from(p)],
        None => std::fs::read_dir(root.join("bench-data"))
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "mmdb"))
                    .collect()
            })
            .unwrap_or_default(),
    };
    files.sort();
    // One file is enough for a debug-build test run: the largest.
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)));
    let Some(path) = files.first() else {
        println!(
            "SKIPPED: full-size MMDB test: no IPFIRM_FULL_MMDB and no bench-data/*.mmdb \
             (fetch one with `npm pack @ip-location-db/geo-whois-asn-country-mmdb`, see benches/)"
        );
        return;
    };
    let r = check(path, 100_000);
    println!(
        "{}: {} networks agree, {:?}; 6to4/Teredo: {} of {} sampled addresses covered, as maxminddb",
        path.display(),
        r.networks,
        r.by_class,
        r.alias_covered,
        r.alias_checked
    );
    assert!(r.networks > 10_000, "a full-size MMDB has many networks");
}

/// The build pipeline's MMDB source answers 6to4 and Teredo addresses as `maxminddb` does:
/// for every MMDB in `data-samples/sources/mmdb/`, a one-source build is looked up at the
/// aliases of every IPv4 network's ends and of random IPv4 addresses. Covered or not must
/// match `maxminddb`'s lookup; where covered, the AS number must be its record's, and the
/// answer must equal `import_mmdb`'s in what the pipeline's classification does not decide
/// (AS number, and the MMDB record key, which names the alias). The pipeline keeps no
/// per-range country, so that is compared in `import_mmdb`'s own test above.
#[cfg(feature = "compile")]
#[test]
fn pipeline_build_answers_6to4_and_teredo_as_maxminddb_and_import() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/sources/mmdb");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("data-samples/sources/mmdb")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mmdb"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "sample MMDBs in {}", dir.display());
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut total_covered = 0;
    for path in &files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let config = tmp.path().join("one.toml");
        let text = format!("[[source]]\nname = \"m\"\nkind = \"mmdb\"\npath = {:?}\n", path.display().to_string());
        std::fs::write(&config, text).expect("write config");
        let out = tmp.path().join("one.db");
        ipfirm::compile::build(&config, &out, &Default::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let built = Database::open(&out).expect("pipeline database opens");
        let mut builder = DatabaseBuilder::new();
        ipfirm::mmdb::import_mmdb(path, &mut builder, "m").expect("import");
        let imported = Database::from_bytes(builder.finish().expect("finish")).expect("valid database");
        let reader = maxminddb::Reader::open_readfile(path).expect("maxminddb opens the file");

        let mut bases: Vec<Ipv4Addr> = Vec::new();
        for item in reader.networks(Default::default()).expect("networks") {
            let net = item.expect("network").network().expect("network address");
            if let IpNet::V4(n) = normalise(IpNet::new(net.ip(), net.prefix()).expect("prefix")) {
                bases.extend([n.network(), n.broadcast()]);
            }
        }
        let mut state = 0x2545_f491_4f6c_dd1du64 ^ bases.len() as u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        bases.extend((0..500).map(|_| Ipv4Addr::from(next() as u32)));
        let (mut checked, mut covered) = (0, 0);
        for v4 in bases {
            let low = (u128::from(next()) << 64) | u128::from(next());
            for addr in alias_addresses(v4, low) {
                checked += 1;
                let theirs = reader.lookup(addr).expect("maxminddb lookup");
                let b = built.lookup(addr);
                assert_eq!(
                    b.is_some(),
                    theirs.has_data(),
                    "{name}: {addr} covered by maxminddb: {}",
                    theirs.has_data()
                );
                assert_eq!(imported.lookup(addr).is_some(), theirs.has_data(), "{name}: {addr} (import_mmdb)");
                let Some(b) = b else { continue };
                covered += 1;
                let want = theirs.decode::<Record>().expect("decode").unwrap_or_default().expected();
                assert_eq!(b.asn(), want.asn, "{name}: {addr}");
                let i = imported.lookup(addr).expect("covered");
                let key = |m: &ipfirm::Match<'_>| m.provenance().next().map(|p| p.record_key.to_string());
                assert_eq!((b.asn(), key(&b)), (i.asn(), key(&i)), "{name}: {addr}");
                let k = key(&b).unwrap_or_default();
                let IpAddr::V6(a) = addr else { continue };
                let kind = if a.segments()[0] == 0x2002 { "6to4" } else { "teredo" };
                assert!(
                    k.starts_with(&format!("{name}@")) && k.ends_with(&format!("#{kind}-alias")),
                    "{name}: {addr} record key {k}"
                );
            }
        }
        println!("{name}: pipeline build, 6to4/Teredo: {covered} of {checked} sampled addresses covered, as maxminddb");
        total_covered += covered;
    }
    assert!(total_covered > 0, "no 6to4 or Teredo address was covered in any sample MMDB");
}
