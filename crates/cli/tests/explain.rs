//! `ipfirm explain`: every source record covering an address, the winner and why the others
//! lost — checked against a naive model over the bundled sources (read with the build's own
//! adapters) and against the database the build wrote.
#![allow(clippy::unwrap_used)]

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use ipfirm::compile::Config;
use ipfirm::compile::sources::{self, ErrorLog, ReadContext, Record};
use serde_json::Value;

mod common;
use common::{ipfirm, repo};

fn ok(o: Output) -> String {
    assert!(o.status.success(), "ipfirm failed: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

struct Built {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

/// The bundled database, built once by `ipfirm build` without a config.
fn bundled() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("sample.db");
        ok(ipfirm().args(["build", "-q", "--out"]).arg(&db).output().unwrap());
        Built { _dir: dir, db }
    })
}

/// One IP record of the model: where it sits in the input order and what it covers.
#[derive(Debug, Clone)]
struct ModelRecord {
    source: String,
    key: String,
    kind: String,
    /// The holder's name as the source gives it.
    org: Option<String>,
    first: IpAddr,
    last: IpAddr,
    /// Addresses minus one.
    span: u128,
    /// (source position in the config, record position in the source): later wins ties.
    order: (usize, u64),
}

fn covers(r: &ModelRecord, x: IpAddr) -> bool {
    match (r.first, r.last, x) {
        (IpAddr::V4(a), IpAddr::V4(b), IpAddr::V4(x)) => a <= x && x <= b,
        (IpAddr::V6(a), IpAddr::V6(b), IpAddr::V6(x)) => a <= x && x <= b,
        _ => false,
    }
}

/// Every IP record of the bundled config, read with the adapters the build uses.
fn all_records() -> &'static [ModelRecord] {
    static R: OnceLock<Vec<ModelRecord>> = OnceLock::new();
    R.get_or_init(|| {
        let cfg = Config::load(&repo().join("data-samples/ipfirm.toml")).unwrap();
        let mut out = Vec::new();
        for (i, s) in cfg.sources.iter().enumerate() {
            let mut log = ErrorLog::default();
            let mut ctx = ReadContext { source: &s.name, version: &s.version, strict: false, errors: &mut log };
            let mut seq = 0u64;
            sources::read(&s.kind, &s.path, &mut ctx, &mut |r| {
                if let Record::Ip(r) = r {
                    seq += 1;
                    let Some(range) = r.range else { return };
                    let span = match (range.first(), range.last()) {
                        (IpAddr::V4(a), IpAddr::V4(b)) => u128::from(u32::from(b) - u32::from(a)),
                        (IpAddr::V6(a), IpAddr::V6(b)) => u128::from(b) - u128::from(a),
                        _ => return,
                    };
                    out.push(ModelRecord {
                        source: r.origin.source,
                        key: r.origin.record_key,
                        kind: s.kind.name().to_string(),
                        org: r.org_name,
                        first: range.first(),
                        last: range.last(),
                        span,
                        order: (i, seq),
                    });
                }
            })
            .unwrap();
        }
        out
    })
}

/// The model's answer: covering records, most specific first, later input first among equals.
fn model(x: IpAddr) -> Vec<ModelRecord> {
    let mut v: Vec<ModelRecord> = all_records().iter().filter(|r| covers(r, x)).cloned().collect();
    v.sort_by(|a, b| a.span.cmp(&b.span).then(b.order.cmp(&a.order)));
    v
}

fn explain_json(db: &Path, ip: &str, extra: &[&str]) -> Value {
    let out = ok(ipfirm().arg("explain").arg("--db").arg(db).args(extra).arg("--json").arg(ip).output().unwrap());
    serde_json::from_str(&out).expect("one JSON object")
}

/// Checks explain's listing for `x` against the model and the database's own answer.
fn check_against_model(x: IpAddr) -> Value {
    let b = bundled();
    let v = explain_json(&b.db, &x.to_string(), &[]);
    let expected = model(x);
    let got = v["sources"]["records"].as_array().expect("records listed (the bundled config is found)");
    assert_eq!(got.len(), expected.len(), "covering records of {x}: {v:#}");
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g["source"], e.source.as_str(), "record {i} of {x}");
        assert_eq!(g["record_key"], e.key.as_str(), "record {i} of {x}");
        assert_eq!(g["first"], e.first.to_string());
        assert_eq!(g["last"], e.last.to_string());
        let outcome = if i == 0 {
            "winner"
        } else if e.span > expected[0].span {
            "less_specific"
        } else {
            "earlier_input"
        };
        assert_eq!(g["outcome"], outcome, "record {i} of {x}");
    }
    // The database's own provenance names the model's winner.
    let placed = v["match"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| !s["source"].as_str().unwrap().starts_with("ipfirm:"))
        .expect("the range's source record")
        .clone();
    assert_eq!(placed["source"], expected[0].source.as_str());
    assert_eq!(placed["record"], expected[0].key.as_str());
    assert_eq!(v["sources"]["database_record"]["source"], expected[0].source.as_str());
    assert_eq!(v["sources"]["database_record"]["record_key"], expected[0].key.as_str());
    assert_eq!(v["sources"]["warnings"], serde_json::json!([]), "the bundled sources are unchanged");
    v
}

/// An address inside a provider-list range that an allocation source (ASN table, RIR
/// delegation, RPSL, MMDB — in that preference) covers with a larger range, with the winning
/// provider record and the less specific one.
fn cloud_inside_allocation() -> &'static (IpAddr, ModelRecord, ModelRecord) {
    static C: OnceLock<(IpAddr, ModelRecord, ModelRecord)> = OnceLock::new();
    C.get_or_init(|| {
        let mut best: Option<(usize, (IpAddr, ModelRecord, ModelRecord))> = None;
        for r in all_records().iter().filter(|r| r.kind == "cidr-list" && r.first.is_ipv4()) {
            let cover = model(r.first);
            let Some(w) = cover.first().filter(|w| w.kind == "cidr-list") else { continue };
            for c in cover.iter().filter(|c| c.span > w.span) {
                let Some(rank) = ["asn-csv", "rir-delegated", "rpsl", "mmdb"].iter().position(|k| *k == c.kind) else {
                    continue;
                };
                if best.as_ref().is_none_or(|(b, _)| rank < *b) {
                    best = Some((rank, (r.first, w.clone(), c.clone())));
                }
            }
            if best.as_ref().is_some_and(|(b, _)| *b == 0) {
                break;
            }
        }
        let found = best.expect("the bundled sources have a provider range inside an allocation range").1;
        println!(
            "provider range inside an allocation range: {} ({} in {} {})",
            found.0, found.1.key, found.2.source, found.2.key
        );
        found
    })
}

#[test]
fn cloud_range_inside_allocation_range() {
    let (x, winner, asn) = cloud_inside_allocation().clone();
    let v = check_against_model(x);
    let recs = v["sources"]["records"].as_array().unwrap();
    assert!(recs.iter().any(|r| r["source"] == asn.source.as_str() && r["outcome"] == "less_specific"));
    // The text says the same in words.
    let text = ok(ipfirm().arg("explain").arg("--db").arg(&bundled().db).arg(x.to_string()).output().unwrap());
    let won = text.lines().find(|l| l.contains("WON")).expect("a winner line");
    assert!(won.contains(&winner.key), "{text}");
    let lost = text.lines().find(|l| l.contains(&asn.key)).expect("the ASN record's line");
    assert!(lost.contains("less specific"), "{text}");
}

#[test]
fn same_size_earlier_input_loses() {
    // A provider range exactly as large as an ASN-table range (the provider list comes later).
    let x = all_records()
        .iter()
        .filter(|r| r.kind == "cidr-list")
        .map(|r| r.first)
        .find(|&x| {
            let m = model(x);
            m.len() >= 2 && m[0].span == m[1].span && m[0].source != m[1].source
        })
        .expect("the bundled sources have two equally specific records of different sources");
    let v = check_against_model(x);
    assert_eq!(v["sources"]["records"][1]["outcome"], "earlier_input");
}

#[test]
fn several_addresses_agree_with_the_model() {
    // The first address of 24 records spread over the input: all kinds of sources, both families.
    let all = all_records();
    for r in all.iter().step_by(all.len() / 24 + 1) {
        check_against_model(r.first);
    }
}

#[test]
fn changed_sources_are_warned_about() {
    // Build from a copy, then change one provider list: a more specific network appears.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data-samples"), dir.path());
    let config = dir.path().join("ipfirm.toml");
    let db = dir.path().join("copy.db");
    ok(ipfirm().args(["build", "-q", "--config"]).arg(&config).arg("--out").arg(&db).output().unwrap());
    let (x, _, _) = cloud_inside_allocation().clone();
    let before = explain_json(&db, &x.to_string(), &["--config", config.to_str().unwrap()]);
    assert_eq!(before["sources"]["warnings"], serde_json::json!([]));

    let list = dir.path().join("sources/cidr-list/protonvpn-ipv4.txt");
    let mut text = std::fs::read_to_string(&list).unwrap();
    text.push_str(&format!("{x}/32\n"));
    std::fs::write(&list, text).unwrap();
    let after = explain_json(&db, &x.to_string(), &["--config", config.to_str().unwrap()]);
    let warnings: Vec<&str> =
        after["sources"]["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(warnings.iter().any(|w| w.contains("`protonvpn` changed since the build")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("the sources now give `protonvpn`")), "{warnings:?}");
    assert_eq!(after["sources"]["records"][0]["source"], "protonvpn");
}

#[test]
fn without_the_config_only_the_winner_is_known() {
    // Built from a config under another name, which is then gone.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data-samples"), dir.path());
    let config = dir.path().join("renamed.toml");
    std::fs::rename(dir.path().join("ipfirm.toml"), &config).unwrap();
    let db = dir.path().join("copy.db");
    ok(ipfirm().args(["build", "-q", "--config"]).arg(&config).arg("--out").arg(&db).output().unwrap());
    std::fs::remove_file(&config).unwrap();
    let (x, winner, _) = cloud_inside_allocation().clone();
    let text = ok(ipfirm().arg("explain").arg("--db").arg(&db).arg(x.to_string()).output().unwrap());
    assert!(text.contains(&winner.key), "the stored winner is still explained: {text}");
    let line = text.lines().find(|l| l.starts_with("Other source records: unknown")).expect(&text);
    assert!(line.contains("renamed.toml") && line.contains("--config"), "{line}");
    let v = explain_json(&db, &x.to_string(), &[]);
    assert!(v["sources"].is_null());
    assert!(v["sources_unavailable"].as_str().unwrap().contains("--config"));
}

#[test]
fn no_names_for_sole_traders_and_opt_outs() {
    // The golden lookups name addresses of both classes; the sources name their holders.
    let golden = std::fs::read_to_string(repo().join("data-samples/golden/lookups.jsonl")).unwrap();
    let mut checked = 0;
    for line in golden.lines().filter(|l| !l.trim().is_empty()) {
        let g: Value = serde_json::from_str(line).unwrap();
        let class = g["class"].as_str().unwrap_or("");
        if class != "sole_trader" && class != "opted_out" {
            continue;
        }
        let ip = g["ip"].as_str().unwrap();
        let names: Vec<String> = model(ip.parse().unwrap()).into_iter().filter_map(|r| r.org).collect();
        let v = explain_json(&bundled().db, ip, &[]);
        assert_eq!(v["sources"]["names_withheld"], class, "{ip}");
        let recs = v["sources"]["records"].as_array().unwrap();
        assert!(!recs.is_empty() && recs.iter().all(|r| r["org_name"].is_null()), "{ip}: {v:#}");
        let text = ok(ipfirm().arg("explain").arg("--db").arg(&bundled().db).arg(ip).output().unwrap());
        for n in &names {
            assert!(!text.contains(n.as_str()), "{ip}: the holder's name {n:?} is printed:\n{text}");
        }
        checked += usize::from(!names.is_empty());
    }
    assert!(checked > 0, "no sole trader or opted-out address with a named holder in the golden lookups");
}

#[test]
fn no_names_for_holders_no_rule_reads() {
    // The bundled persons' rows (`persons.slice.csv`); those that end `unknown:no-signal` keep no
    // name in the database, and `explain` prints none from the sources either.
    let slice = std::fs::read_to_string(repo().join("data-samples/sources/asn-csv/persons.slice.csv")).unwrap();
    let mut checked = 0;
    for row in slice.lines().filter(|l| !l.trim().is_empty()) {
        let ip = row.split(',').next().unwrap();
        let v = explain_json(&bundled().db, ip, &[]);
        if v["match"]["reason"] != "unknown:no-signal" {
            continue;
        }
        assert!(v["match"]["asn_org"].is_null(), "{ip}: {v:#}");
        assert_eq!(v["sources"]["names_withheld"], "unknown", "{ip}");
        let names: Vec<String> = model(ip.parse().unwrap()).into_iter().filter_map(|r| r.org).collect();
        let text = ok(ipfirm().arg("explain").arg("--db").arg(&bundled().db).arg(ip).output().unwrap());
        assert!(text.contains("may be a person's") && text.contains("Class: unknown (not shown:"), "{text}");
        for n in &names {
            assert!(!text.contains(n.as_str()), "{ip}: the holder's name {n:?} is printed:\n{text}");
        }
        checked += usize::from(!names.is_empty());
    }
    assert!(checked >= 3, "only {checked} no-signal persons with a named holder in persons.slice.csv");
}

#[test]
fn a_match_by_registration_country_shows_where_the_range_is_registered() {
    // AS36291 `Sanofi` (155.65.0.0/16): one word, listed in several countries; the bundled
    // geo-whois slice registers the range in the US, where the SEC lists Sanofi.
    let v = explain_json(&bundled().db, "155.65.0.1", &[]);
    assert_eq!(v["match"]["class"], "business", "{v:#}");
    let winner = &v["sources"]["records"][0];
    assert_eq!((winner["source"].as_str(), winner["registration_country"].as_str()), (Some("asn-v4"), Some("US")));
    let text = ok(ipfirm().arg("explain").arg("--db").arg(&bundled().db).arg("155.65.0.1").output().unwrap());
    assert!(
        text.contains("by name+registration-country") && text.contains("AS36291 Sanofi, registered in US"),
        "{text}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
