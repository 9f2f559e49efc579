//! Integration tests: the real `ipfirm` binary on the bundled data (`data-samples/ipfirm.toml`).
//!
//! The golden file `data-samples/golden/lookups.jsonl` holds one JSON object per line: `ip` and
//! the expected `class`, `company` ({`name`, `registry`} or null) and `asn`. Regenerate it after a
//! deliberate change with `IPFIRM_BLESS=1 cargo test -p ipfirm-cli --test cli golden`, then review
//! the diff (`git diff data-samples/golden`) line by line before committing.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::{Value, json};

mod common;
use common::{ipfirm, repo};

fn run(c: &mut Command) -> Output {
    c.output().expect("run ipfirm")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

struct Built {
    _dir: tempfile::TempDir,
    db: PathBuf,
    report: PathBuf,
    printed: String,
}

/// The bundled database, built once per test run by `ipfirm build` without a config.
fn bundled() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("sample.db");
        let report = dir.path().join("report.json");
        let o = run(ipfirm().args(["build", "--out"]).arg(&db).arg("--report").arg(&report));
        assert!(o.status.success(), "build failed: {}", stderr(&o));
        Built { printed: stdout(&o), _dir: dir, db, report }
    })
}

fn lookup(db: &Path, ips: &[&str]) -> Vec<Value> {
    let o = run(ipfirm().arg("lookup").arg("--db").arg(db).args(ips));
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

/// The fields the golden file pins down.
fn golden_view(v: &Value) -> Value {
    let company = match &v["company"] {
        Value::Null => Value::Null,
        c => json!({ "name": c["name"], "registry": c["registry"] }),
    };
    json!({ "ip": v["ip"], "class": v["class"], "company": company, "asn": v["asn"] })
}

#[test]
fn golden_lookups() {
    let path = repo().join("data-samples/golden/lookups.jsonl");
    let text = std::fs::read_to_string(&path).expect("golden file");
    let expected: Vec<Value> =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    let ips: Vec<String> = expected.iter().map(|e| e["ip"].as_str().expect("ip").to_string()).collect();
    let refs: Vec<&str> = ips.iter().map(String::as_str).collect();
    let got: Vec<Value> = lookup(&bundled().db, &refs).iter().map(golden_view).collect();
    if std::env::var_os("IPFIRM_BLESS").is_some() {
        let mut out = String::new();
        for g in &got {
            out.push_str(&serde_json::to_string(g).unwrap());
            out.push('\n');
        }
        std::fs::write(&path, out).unwrap();
        eprintln!("BLESSED {} — review `git diff data-samples/golden` before committing", path.display());
        return;
    }
    assert_eq!(got.len(), expected.len());
    let mut bad = Vec::new();
    for (g, e) in got.iter().zip(&expected) {
        if g != e {
            bad.push(format!("expected {e}\n     got {g}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} golden lookups differ (IPFIRM_BLESS=1 to regenerate, then review):\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn golden_covers_every_class_the_issue_names() {
    let text = std::fs::read_to_string(repo().join("data-samples/golden/lookups.jsonl")).unwrap();
    let rows: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let has = |f: &dyn Fn(&Value) -> bool| rows.iter().any(f);
    assert!(has(&|r| r["class"] == "business" && !r["company"]["registry"].is_null()), "a company found in a registry");
    for class in ["isp", "hosting", "sole_trader", "opted_out"] {
        assert!(has(&|r| r["class"] == class), "no golden line of class {class}");
    }
    // Filtered classes never carry a company.
    for r in &rows {
        if ["isp", "hosting", "sole_trader", "opted_out", "mobile", "residential", "anonymizer"]
            .contains(&r["class"].as_str().unwrap_or(""))
        {
            assert!(r["company"].is_null(), "{r}");
        }
    }
}

#[test]
fn build_report_is_printed_and_written() {
    let b = bundled();
    assert!(b.printed.contains("build report") && b.printed.contains("phases:"), "{}", b.printed);
    let r: Value = serde_json::from_slice(&std::fs::read(&b.report).unwrap()).unwrap();
    let sources = r["sources"].as_array().unwrap();
    assert!(sources.len() > 10);
    assert!(sources.iter().all(|s| s["rows"].as_u64().is_some() && s["skipped"].as_u64().is_some()));
    assert!(r["join"]["matched"].as_u64().unwrap() > 0);
    assert!(r["phases"].as_array().unwrap().iter().any(|p| p["name"] == "read"));
    // The report is also in the database metadata.
    let o = run(ipfirm().arg("info").arg("--db").arg(&b.db).arg("--json"));
    assert!(o.status.success());
    let m: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(m["extra"]["build_report"]["join"]["matched"], r["join"]["matched"]);
    assert_eq!(m["inputs"].as_array().unwrap().len(), sources.len());
}

#[test]
fn lookup_shapes_invalid_and_uncovered_addresses() {
    let b = bundled();
    let rows = lookup(&b.db, &["not-an-ip", "1.0.0.1", "0.0.0.1"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["ip"], "not-an-ip");
    assert!(rows[0]["error"].is_string());
    let r = &rows[1];
    for k in ["network", "class", "reason", "confidence", "company", "asn", "asn_org", "sources"] {
        assert!(r.get(k).is_some(), "missing {k}: {r}");
    }
    assert!(r["network"]["cidrs"].as_array().is_some_and(|c| !c.is_empty()));
    assert!(rows[2]["class"].is_null() && rows[2]["company"].is_null());

    // Addresses on stdin, and the table format.
    let mut child = ipfirm()
        .args(["lookup", "--format", "table", "--db"])
        .arg(&b.db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"1.0.0.1\nbogus\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("hosting") && text.contains("error"), "{text}");
}

/// `ipfirm lookup … | head -1` and `ipfirm eval … | head`: the reader goes away before the
/// command writes, which ends it quietly (exit 0), with no panic and no error line.
#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let b = bundled();
    let labels = repo().join("data-samples/eval/labels.csv");
    let runs: [Vec<std::ffi::OsString>; 3] = [
        vec!["lookup".into(), "--db".into(), b.db.clone().into(), "1.0.0.1".into(), "8.8.8.8".into()],
        vec!["eval".into(), "--db".into(), b.db.clone().into(), "--labels".into(), labels.clone().into()],
        vec!["eval".into(), "--json".into(), "--db".into(), b.db.clone().into(), "--labels".into(), labels.into()],
    ];
    for args in runs {
        let mut child = ipfirm().args(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(
            o.status.success() && !err.contains("panicked") && !err.contains("error"),
            "{args:?}: {:?} {err}",
            o.status
        );
    }
}

#[test]
fn explain_tells_the_chain_of_evidence() {
    let b = bundled();
    // The first golden line with a registry company.
    let text = std::fs::read_to_string(repo().join("data-samples/golden/lookups.jsonl")).unwrap();
    let row: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| !r["company"]["registry"].is_null())
        .expect("a golden line with a registry company");
    let o = run(ipfirm().arg("explain").arg("--db").arg(&b.db).arg(row["ip"].as_str().unwrap()));
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    let id = row["company"]["registry"]["id"].as_str().unwrap();
    assert!(t.contains("Range placed by source"), "{t}");
    assert!(t.contains("Company identified by source"), "{t}");
    assert!(t.contains("Holder matched to registry company") && t.contains(id), "{t}");
    assert!(t.contains("rules that fired"), "{t}");
    let o = run(ipfirm().arg("explain").arg("--db").arg(&b.db).arg("nonsense"));
    assert!(!o.status.success() && stderr(&o).contains("not an IPv4 or IPv6 address"));
}

#[test]
fn info_verify_and_diff() {
    let b = bundled();
    let o = run(ipfirm().arg("info").arg("--db").arg(&b.db));
    assert!(o.status.success());
    assert!(stdout(&o).contains("inputs:") && stdout(&o).contains("asn-v4"));
    // The inputs table stays aligned whatever the longest source name (`maxmind-enterprise-test`).
    let out = stdout(&o);
    let columns: std::collections::BTreeSet<usize> =
        out.lines().filter(|l| l.contains(" rows ")).filter_map(|l| l.find(" rows ")).collect();
    assert_eq!(columns.len(), 1, "inputs table not aligned:\n{out}");
    let o = run(ipfirm().arg("verify").arg("--db").arg(&b.db));
    assert!(o.status.success() && stdout(&o).starts_with("ok:"), "{}", stderr(&o));

    // Diff against itself: nothing changed. Against a one-source build: the rest was added.
    let o = run(ipfirm().arg("diff").arg(&b.db).arg(&b.db).arg("--json"));
    let d: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(d["changes"].as_array().unwrap().len(), 0);
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("one.toml");
    let asn = repo().join("data-samples/sources/asn-csv/asn-ipv4.slice.csv");
    std::fs::write(
        &cfg,
        format!("[[source]]\nkind = \"asn-csv\"\nname = \"asn-v4\"\npath = {:?}\n", asn.display().to_string()),
    )
    .unwrap();
    let small = dir.path().join("small.db");
    let o = run(ipfirm().arg("build").arg("-q").arg("--config").arg(&cfg).arg("--out").arg(&small));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(ipfirm().arg("diff").arg(&small).arg(&b.db).arg("--json"));
    let d: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(d["summary"]["added"]["ranges"].as_u64().unwrap() > 0, "{}", d["summary"]);
    assert!(d["summary"]["class_changed"]["ranges"].as_u64().unwrap() > 0, "{}", d["summary"]);
    let o = run(ipfirm().arg("diff").arg(&b.db).arg(&small));
    assert!(stdout(&o).contains("removed"));
}

#[test]
fn a_missing_or_foreign_database_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.db");
    let o = run(ipfirm().arg("info").arg("--db").arg(&missing));
    assert!(!o.status.success());
    let e = stderr(&o);
    // The OS's reason once, after the path (the core's error prints its source itself).
    assert_eq!(e.trim_end().lines().count(), 1, "{e}");
    let os_reason = std::fs::File::open(&missing).unwrap_err().to_string();
    assert_eq!(e.matches(&os_reason).count(), 1, "reason missing or repeated: {e}");
    assert!(e.contains(&format!("nope.db: {os_reason}")), "{e}");

    let o = run(ipfirm().arg("lookup").arg("--db").arg(repo().join("Cargo.toml")).arg("192.0.2.1"));
    let e = stderr(&o);
    assert!(!o.status.success() && e.contains("not an ipfirm database") && e.contains("Cargo.toml"), "{e}");
    assert!(!e.contains("192.0.2.1"), "the looked-up address must not appear in an error: {e}");
}

#[test]
fn config_errors_are_clear_and_immediate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.db");
    let cases = [
        ("[[source]]\nkind = \"nope\"\npath = \"a\"\n", "unknown kind `nope`"),
        ("[[source]]\nkind = \"asn-csv\"\npath = \"missing.csv\"\n", "file not found: missing.csv"),
        ("[[source]]\nkind = \"cidr-list\"\npath = \"a.txt\"\nformat = \"bogus\"\n", "cidr-list"),
    ];
    std::fs::write(dir.path().join("a.txt"), "10.0.0.0/8\n").unwrap();
    for (i, (cfg, needle)) in cases.iter().enumerate() {
        let p = dir.path().join(format!("c{i}.toml"));
        std::fs::write(&p, cfg).unwrap();
        let o = run(ipfirm().arg("build").arg("--config").arg(&p).arg("--out").arg(&out));
        assert!(!o.status.success());
        let e = stderr(&o);
        assert!(e.contains(needle) && e.contains(&format!("c{i}.toml")), "{e}");
    }
    assert!(!out.exists(), "no output on failure");
}

#[test]
fn strict_fails_on_the_first_bad_row_lenient_skips_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("asn.csv"),
        "1.0.0.0,1.0.0.255,13335,Cloudflare\nnot,a,row\n2.0.0.0,2.0.0.255,3215,Orange S.A.\n",
    )
    .unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "[[source]]\nkind = \"asn-csv\"\npath = \"asn.csv\"\n").unwrap();
    let out = dir.path().join("x.db");
    let report = dir.path().join("r.json");
    let o = run(ipfirm().arg("build").arg("--config").arg(&cfg).arg("--out").arg(&out).arg("--report").arg(&report));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("asn.csv:2"), "{}", stdout(&o));
    let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["sources"][0]["skipped"], 1);
    assert_eq!(r["sources"][0]["records"], 2);

    let out2 = dir.path().join("y.db");
    let o = run(ipfirm().arg("build").arg("--strict").arg("--config").arg(&cfg).arg("--out").arg(&out2));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("asn.csv:2"), "{}", stderr(&o));
    assert!(!out2.exists());
}

#[test]
fn builds_are_reproducible() {
    // Same inputs, same bytes (sources are read in parallel; the order must not depend on it).
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again.db");
    let o = run(ipfirm().args(["build", "-q", "--out"]).arg(&again));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read(&again).unwrap() == std::fs::read(&bundled().db).unwrap(),
        "two builds of the same data differ"
    );
}

#[test]
fn opt_outs_persist_across_rebuilds_and_leave_no_name() {
    // The bundled opt-out list names a company by registry id: it must not be in the file.
    let b = bundled();
    let bytes = std::fs::read(&b.db).unwrap();
    let optout = std::fs::read_to_string(repo().join("data-samples/opt-out.txt")).unwrap();
    for line in optout.lines().filter(|l| l.starts_with("registry:")) {
        let id = line.rsplit(':').next().unwrap();
        assert!(!bytes.windows(id.len()).any(|w| w == id.as_bytes()), "opted-out id {id} is in the database");
    }
}

#[test]
fn every_tor_exit_is_an_anonymizer_even_inside_a_shown_network() {
    // The first address of every CIDR in the bundled Tor-exit list (one CIDR is usually one exit).
    let list = std::fs::read_to_string(repo().join("data-samples/sources/iporigin/tor-exits.txt")).unwrap();
    let exits: Vec<String> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim().parse::<ipnet::IpNet>().expect("a CIDR").network().to_string())
        .collect();
    assert!(exits.len() > 500, "{} exits", exits.len());
    let refs: Vec<&str> = exits.iter().map(String::as_str).collect();
    for chunk in refs.chunks(200) {
        for v in lookup(&bundled().db, chunk) {
            assert_eq!(v["class"], "anonymizer", "{}", v);
            assert_eq!(v["identified"], false, "{}", v);
            assert!(v["company"].is_null(), "{}", v);
        }
    }
}

#[test]
fn synthetic_bench_runs_small() {
    let o = run(ipfirm().args(["bench-synthetic", "--ranges", "20000", "--companies", "2000"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("classify+insert") && t.contains("peak memory"), "{t}");
}

#[test]
fn real_bench_runs_or_says_skipped() {
    let o = run(ipfirm().args(["bench", "--config", "/nonexistent/ipfirm-bench.toml"]));
    // A missing config file is an error, not a skip; a config whose data is absent is SKIPPED.
    assert!(!o.status.success());
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("full.toml");
    std::fs::write(&cfg, "[[source]]\nkind = \"asn-csv\"\npath = \"absent/asn.csv.gz\"\n").unwrap();
    let o = run(ipfirm().arg("bench").arg("--config").arg(&cfg));
    assert!(o.status.success());
    assert!(stdout(&o).contains("SKIPPED"), "{}", stdout(&o));
}
