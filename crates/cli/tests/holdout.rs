//! The CI leak gate on the HELD-OUT labelled set (`data-samples/eval/holdout.csv`, written by
//! `make_holdout.py`): networks of organisations that are not in `labels.csv`, so nobody tuned the
//! classifier on them. Builds the bundled sample, runs `ipfirm eval` on the set, prints the full
//! report and fails when more than 1 % of the filtered-class addresses come back as an identified
//! company.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

mod common;
use common::{ipfirm, repo, text};

const MAX_LEAK_PERCENT: f64 = 1.0;
const LABELS: &str = "data-samples/eval/holdout.csv";

/// AS numbers (column 3, `AS…`) of a label file, and its number of rows. The first three columns
/// (ip, class, asn) never hold commas or quotes, so a split is enough.
fn label_asns(file: &str) -> (BTreeSet<String>, usize) {
    let path = repo().join(file);
    let body = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<&str> = body.lines().skip(1).filter(|l| !l.trim().is_empty()).collect();
    let asns = rows.iter().filter_map(|l| l.split(',').nth(2)).filter(|a| a.starts_with("AS")).map(String::from);
    (asns.collect(), rows.len())
}

#[test]
fn holdout_networks_are_not_in_the_tuning_set() {
    let (held, rows) = label_asns(LABELS);
    let (tuned, _) = label_asns("data-samples/eval/labels.csv");
    assert!(rows >= 300, "holdout.csv has only {rows} labels");
    let both: Vec<_> = held.intersection(&tuned).collect();
    assert!(both.is_empty(), "ASes in both holdout.csv and labels.csv: {both:?}");
}

/// The bundled build, built once per test binary.
fn bundled_db() -> &'static Path {
    static DB: OnceLock<std::path::PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let db = Path::new(env!("CARGO_TARGET_TMPDIR")).join("holdout-sample.ipfirm");
        let o = ipfirm().args(["build", "-q", "--out"]).arg(&db).output().expect("run ipfirm build");
        assert!(o.status.success(), "build failed: {}", text(&o.stderr));
        db
    })
}

/// The held-out report on the bundled build, evaluated once per test binary: the
/// human-readable text and the JSON form.
fn report() -> &'static (String, serde_json::Value) {
    static REPORT: OnceLock<(String, serde_json::Value)> = OnceLock::new();
    REPORT.get_or_init(|| eval_report(bundled_db(), LABELS))
}

/// `ipfirm eval` of a label file: the human-readable report and its JSON form. `--max-leak 100`:
/// the gates are checked by the tests, so eval never stops short of the report.
fn eval_report(db: &Path, labels: &str) -> (String, serde_json::Value) {
    let eval = |json: bool| {
        let mut c = ipfirm();
        c.args(["eval", "--max-leak", "100", "--db"]).arg(db).args(["--labels", labels]);
        if json {
            c.arg("--json");
        }
        let o = c.output().expect("run ipfirm eval");
        assert!(o.status.success(), "eval failed: {}{}", text(&o.stdout), text(&o.stderr));
        text(&o.stdout)
    };
    let table = eval(false);
    let v = serde_json::from_str(&eval(true)).expect("JSON report");
    (table, v)
}

fn leak_percent(v: &serde_json::Value) -> f64 {
    v["leak_rate"].as_f64().expect("leak_rate") * 100.0
}

/// Prints the full held-out numbers (always runs, so every CI log has them) and checks that the
/// bundled build covers every held-out address.
#[test]
fn holdout_report() {
    let (table, v) = report();
    let recall = |class: &str| {
        v["classes"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["class"] == class))
            .and_then(|c| c["recall"].as_f64())
            .map_or_else(|| "-".to_string(), |r| format!("{:.1}%", r * 100.0))
    };
    println!("held-out evaluation ({LABELS}):\n{table}");
    println!(
        "held-out: leak {:.2}% (CI gate {MAX_LEAK_PERCENT}%, target 0.5%), business recall {} (target 95%), \
         hosting recall {} (target 98%)",
        leak_percent(v),
        recall("business"),
        recall("hosting")
    );
    let (_, rows) = label_asns(LABELS);
    assert_eq!(v["labels"].as_u64(), Some(rows as u64));
    // The bundled slices carry a row for every held-out network (slice.py appends them).
    assert_eq!(v["covered"].as_u64(), Some(rows as u64), "held-out addresses the bundled build does not cover");
}

/// The 1 % gate, on the held-out set. It has held since the libloc source (anonymous-proxy
/// flags) came in (2026-11-26: 0.70 %, was 1.05 %); the target is 0.5 %.
#[test]
fn holdout_leak_rate_is_at_most_one_percent() {
    let (table, v) = report();
    let leak = leak_percent(v);
    assert!(leak <= MAX_LEAK_PERCENT, "held-out leak rate {leak:.2}% is above {MAX_LEAK_PERCENT}%:\n{table}");
}

/// Leaked addresses at the latest held-out measurement (2026-11-26, session 4): none. Six at the
/// first measurement (2026-11-25); the last three were Tor-exit associations whose libloc
/// anonymous-proxy flags the full data has but the bundled libloc slice lacked until it took the
/// flagged rows holding labelled addresses (as the ASN and registry slices do). CI fails on any
/// new leak, well before the 1 % gate would; lower this when a change removes one.
const LEAKS_AT_LAST_MEASUREMENT: usize = 0;

#[test]
// At 0 the check reads `leaks == 0`; the constant is meant to be edited as leaks come and go.
#[allow(clippy::absurd_extreme_comparisons)]
fn holdout_leaks_no_more_than_last_measured() {
    let (table, v) = report();
    let leaks = v["leaks"].as_array().expect("leaks").len();
    println!(
        "held-out leaks: {leaks} (last measurement {LEAKS_AT_LAST_MEASUREMENT}; target 0.5 % of filtered addresses)"
    );
    assert!(
        leaks <= LEAKS_AT_LAST_MEASUREMENT,
        "held-out leaks rose from {LEAKS_AT_LAST_MEASUREMENT} to {leaks}:\n{table}"
    );
}

/// The second held-out set (`holdout2.csv`, `make_holdout2.py`, session 10): a random sample of the
/// full ASN tables' holders, labelled from public facts and read once. Its networks are in neither
/// earlier set; the script also checks the bundled slices and the rules' files.
const LABELS2: &str = "data-samples/eval/holdout2.csv";

#[test]
fn holdout2_networks_are_in_neither_earlier_set() {
    let (held2, rows) = label_asns(LABELS2);
    assert!(rows >= 300, "holdout2.csv has only {rows} labels");
    for earlier in [LABELS, "data-samples/eval/labels.csv"] {
        let (asns, _) = label_asns(earlier);
        let both: Vec<_> = held2.intersection(&asns).collect();
        assert!(both.is_empty(), "ASes in both holdout2.csv and {earlier}: {both:?}");
    }
}

/// `holdout2.csv` on the bundled build. The bundled slices carry its networks' rows (appended by
/// `slice.py` in session 11, with the registry, delegation, libloc and ipcat rows that cover them),
/// so CI scores the random sample on every run: prints the report, needs every address covered and
/// holds the 1 % leak gate and the leak count of the last measurement.
#[test]
// At 0 the leak check reads `leaks == 0`; the constant is meant to be edited as leaks come and go.
#[allow(clippy::absurd_extreme_comparisons)]
fn holdout2_on_the_bundled_build() {
    let (table, v) = eval_report(bundled_db(), LABELS2);
    println!("second held-out set on the bundled build ({LABELS2}):\n{table}");
    let (_, rows) = label_asns(LABELS2);
    assert_eq!(v["covered"].as_u64(), Some(rows as u64), "holdout2 addresses the bundled build does not cover");
    let leak = leak_percent(&v);
    assert!(leak <= MAX_LEAK_PERCENT, "holdout2 leak rate {leak:.2}% is above {MAX_LEAK_PERCENT}%:\n{table}");
    let leaks = v["leaks"].as_array().expect("leaks").len();
    assert!(leaks <= HOLDOUT2_LEAKS_AT_LAST_MEASUREMENT, "holdout2 leaks rose to {leaks}:\n{table}");
}

/// Leaked holdout2 addresses at its one measurement (session 10, full build): none.
const HOLDOUT2_LEAKS_AT_LAST_MEASUREMENT: usize = 0;

/// `holdout2.csv` on the full build (`bench/full.toml`, which reads the full downloads in
/// `../shared/data-raw`): prints the report, holds the 1 % leak gate, and checks that the bundled
/// build answers every holdout2 address with the same class, reason and registry record (so the
/// CI numbers above are the full build's). A user's clone has no `../shared`, so there the test
/// says SKIPPED and passes.
#[test]
fn holdout2_on_the_full_build() {
    let asn_table = repo().join("../shared/data-raw/ip-location-db-asn/asn-ipv4.csv.gz");
    if !asn_table.exists() {
        println!("SKIPPED holdout2_on_the_full_build: {} not found (the full downloads)", asn_table.display());
        return;
    }
    let db = Path::new(env!("CARGO_TARGET_TMPDIR")).join("holdout2-full.ipfirm");
    let o = ipfirm().args(["build", "-q", "--config", "bench/full.toml", "--out"]).arg(&db).output().expect("build");
    assert!(o.status.success(), "full build failed: {}", text(&o.stderr));
    let (table, v) = eval_report(&db, LABELS2);
    println!("second held-out set on the full build ({LABELS2}):\n{table}");
    let (_, rows) = label_asns(LABELS2);
    assert_eq!(v["covered"].as_u64(), Some(rows as u64), "holdout2 addresses the full build does not cover");
    let leak = leak_percent(&v);
    assert!(leak <= MAX_LEAK_PERCENT, "holdout2 leak rate {leak:.2}% is above {MAX_LEAK_PERCENT}%:\n{table}");

    let ips: Vec<String> = std::fs::read_to_string(repo().join(LABELS2))
        .expect("holdout2.csv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(String::from))
        .collect();
    let answers = |db: &Path| -> Vec<(String, String)> {
        let o = ipfirm().args(["lookup", "--db"]).arg(db).args(&ips).output().expect("run ipfirm lookup");
        assert!(o.status.success(), "lookup failed: {}", text(&o.stderr));
        text(&o.stdout)
            .lines()
            .map(|l| {
                let m: serde_json::Value = serde_json::from_str(l).expect("lookup JSON");
                let registry = m["company"]["registry"]["id"].as_str().unwrap_or("-").to_string();
                (m["ip"].as_str().unwrap_or("?").to_string(), format!("{} {registry}", m["reason"]))
            })
            .collect()
    };
    let (full, bundled) = (answers(&db), answers(bundled_db()));
    assert_eq!(full.len(), rows, "one lookup answer per holdout2 address");
    let differ: Vec<_> = full.iter().zip(&bundled).filter(|(f, b)| f != b).collect();
    assert!(
        differ.is_empty(),
        "the bundled build answers holdout2 addresses unlike the full build (full, bundled): {differ:?}"
    );
}
