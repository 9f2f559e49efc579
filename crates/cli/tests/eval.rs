//! `ipfirm eval` on the bundled build and the labelled set in `data-samples/eval/`.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

mod common;
use common::{ipfirm, repo, text};

/// The bundled database, built once (into cargo's scratch directory for this test target).
fn db() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let db = Path::new(env!("CARGO_TARGET_TMPDIR")).join("eval-sample.ipfirm");
        let o = ipfirm().args(["build", "--out"]).arg(&db).output().expect("run ipfirm build");
        assert!(o.status.success(), "build failed: {}", text(&o.stderr));
        db
    })
}

fn eval(extra: &[&str]) -> Output {
    ipfirm()
        .args(["eval", "--db"])
        .arg(db())
        .args(["--labels", "data-samples/eval/labels.csv"])
        .args(extra)
        .output()
        .expect("run ipfirm eval")
}

#[test]
fn prints_precision_recall_leak_rate_and_agreement() {
    let o = eval(&[]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    let out = text(&o.stdout);
    for needle in
        ["precision", "recall", "leak rate:", "agreement with ipinfo:type", "agreement with maxmind:user_type"]
    {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn json_report_agrees_with_the_label_file() {
    let o = eval(&["--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    let labels = std::fs::read_to_string(repo().join("data-samples/eval/labels.csv")).expect("labels");
    let rows = labels.lines().skip(1).filter(|l| !l.trim().is_empty()).count() as u64;
    assert_eq!(v["labels"].as_u64(), Some(rows));
    let per_class: u64 =
        v["classes"].as_array().expect("classes").iter().map(|c| c["labelled"].as_u64().unwrap_or(0)).sum();
    assert_eq!(per_class, rows);
    let leak = v["leak_rate"].as_f64().expect("leak_rate");
    let (leaks, filtered) =
        (v["leaks"].as_array().expect("leaks").len() as f64, v["filtered_labels"].as_f64().expect("n"));
    assert!((leak - leaks / filtered).abs() < 1e-12);
}

#[test]
fn exits_non_zero_above_max_leak_and_names_bad_label_lines() {
    // The bundled build leaks a few labelled provider addresses (see RULES.md), so a zero
    // tolerance must fail.
    let o = eval(&["--max-leak", "0"]);
    let leaks = text(&o.stdout).contains("leak: labels line");
    assert_eq!(!o.status.success(), leaks, "{}{}", text(&o.stdout), text(&o.stderr));
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("labels.csv");
    std::fs::write(&bad, "ip,expected_class\n192.0.2.1,isp\nnot-an-ip,isp\n").expect("write");
    let o = ipfirm().args(["eval", "--db"]).arg(db()).arg("--labels").arg(&bad).output().expect("run");
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(err.contains("labels.csv:3:") && err.contains("not-an-ip"), "{err}");
}
