//! `ipfirm eval`: how well a database's classes match labelled networks.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use ipfirm::compile::eval::{self, EvalReport};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database file.
    #[arg(long)]
    pub db: PathBuf,
    /// Label CSV (`ip,expected_class,asn,org,why`), e.g. data-samples/eval/labels.csv.
    #[arg(long)]
    pub labels: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also list every label the database got wrong (line, holder, expected, got, reason).
    #[arg(long)]
    pub misses: bool,
    /// Fail (exit 1) when the leak rate is above this percentage.
    #[arg(long, default_value_t = 1.0)]
    pub max_leak: f64,
    /// IPinfo IP-to-company sample CSV to compare with (default: ip_company_sample.csv beside the labels).
    #[arg(long)]
    pub ipinfo: Option<PathBuf>,
    /// MaxMind DB with `user_type` to compare with (default: the bundled GeoIP2-Enterprise-Test.mmdb).
    #[arg(long)]
    pub maxmind: Option<PathBuf>,
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// The reference file to use: the one given, else the default when it exists, else none (SKIPPED).
fn reference(given: &Option<PathBuf>, default: PathBuf, what: &str) -> Option<PathBuf> {
    match given {
        Some(p) => Some(p.clone()),
        None if default.exists() => Some(default),
        None => {
            eprintln!("SKIPPED: {what} agreement ({} not found)", default.display());
            None
        }
    }
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let db = crate::open_db(&a.db)?;
    let labels = eval::read_labels(&a.labels)?;
    let mut report = eval::evaluate(&db, &labels);
    let dir = a.labels.parent().unwrap_or(Path::new(".")).to_path_buf();
    if let Some(p) = reference(&a.ipinfo, dir.join("ip_company_sample.csv"), "IPinfo") {
        report
            .agreement
            .push(eval::agreement_ipinfo(&db, &p).with_context(|| format!("IPinfo sample {}", p.display()))?);
    }
    let mm = dir.join("../sources/mmdb/GeoIP2-Enterprise-Test.mmdb");
    if let Some(p) = reference(&a.maxmind, mm, "MaxMind") {
        report.agreement.push(eval::agreement_maxmind(&db, &p).with_context(|| format!("MaxMind DB {}", p.display()))?);
    }
    // Written at once, so that a reader that goes away (`| head`) ends the command quietly.
    let text = if a.json { serde_json::to_string_pretty(&report)? + "\n" } else { table(&report, a.misses) };
    let written = std::io::stdout().lock().write_all(text.as_bytes());
    let leak_pct = report.leak_rate * 100.0;
    if leak_pct > a.max_leak {
        eprintln!("error: leak rate {leak_pct:.2}% is above --max-leak {:.2}%", a.max_leak);
        return Ok(ExitCode::FAILURE);
    }
    written?;
    Ok(ExitCode::SUCCESS)
}

/// The report as a table, in words.
fn table(r: &EvalReport, misses: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "labels: {}  covered by the database: {}  correct class: {} ({})",
        r.labels,
        r.covered,
        r.correct,
        pct((r.labels > 0).then(|| r.correct as f64 / r.labels as f64))
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "  {:<12} {:>8} {:>9} {:>8} {:>10} {:>8}",
        "class", "labelled", "predicted", "correct", "precision", "recall"
    );
    for c in &r.classes {
        let _ = writeln!(
            s,
            "  {:<12} {:>8} {:>9} {:>8} {:>10} {:>8}",
            c.class.name(),
            c.labelled,
            c.predicted,
            c.correct,
            pct(c.precision),
            pct(c.recall)
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "leak rate: {:.2}% ({} of {} filtered-class addresses shown as an identified company)",
        r.leak_rate * 100.0,
        r.leaks.len(),
        r.filtered_labels
    );
    for l in r.leaks.iter().take(20) {
        let _ = writeln!(
            s,
            "  leak: labels line {}: {} expected {}, got {} ({})",
            l.line, l.org, l.expected, l.got, l.reason
        );
    }
    let _ = writeln!(s, "shown classes kept shown: {} of {}", r.shown_kept, r.shown_labels);
    let _ = writeln!(s);
    let _ = writeln!(s, "confusion (expected -> got, wrong answers only):");
    for (e, g, n) in r.confusion.iter().filter(|(e, g, _)| e != g) {
        let _ = writeln!(s, "  {:<12} -> {:<12} {n}", e.name(), g.name());
    }
    if misses {
        let _ = writeln!(s);
        for m in &r.misses {
            let _ = writeln!(
                s,
                "  miss: labels line {}: {} expected {}, got {} ({})",
                m.line, m.org, m.expected, m.got, m.reason
            );
        }
    }
    for a in &r.agreement {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "agreement with {}: {} rows, {} covered and comparable, class agrees {} ({}), shown/filtered agrees {} ({})",
            a.reference,
            a.rows,
            a.compared,
            a.agreed,
            pct((a.compared > 0).then(|| a.agreed as f64 / a.compared as f64)),
            a.agreed_shown_filtered,
            pct((a.compared > 0).then(|| a.agreed_shown_filtered as f64 / a.compared as f64)),
        );
        for (v, c, n) in &a.pairs {
            let _ = writeln!(s, "  {v:<26} -> {:<12} {n}", c.name());
        }
    }
    s
}
