//! `ipfirm info` and `ipfirm verify`.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database file.
    #[arg(long)]
    pub db: PathBuf,
    /// Print the metadata as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Database file.
    #[arg(long)]
    pub db: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let db = crate::open_db(&a.db)?;
    let m = db.metadata();
    if a.json {
        outln!("{}", serde_json::to_string_pretty(m)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!("file:            {}", a.db.display());
    outln!("format version:  {}", m.format_version);
    outln!("tool version:    {}", m.tool_version);
    if !m.build_time.is_empty() {
        outln!("built:           {}", m.build_time);
    }
    if !m.description.is_empty() {
        outln!("description:     {}", m.description);
    }
    outln!("ranges:          {} IPv4, {} IPv6", m.ipv4_ranges, m.ipv6_ranges);
    outln!("companies:       {}", m.companies);
    outln!("classes:");
    for (name, c) in &m.classes {
        outln!("  {name:<14} {:>10} ranges {:>14} IPv4 addresses", c.ranges, c.ipv4_addresses);
    }
    outln!("inputs:");
    // Columns as wide as their longest value, so long source names and versions stay aligned.
    let version = |v: &str| if v.is_empty() { "-".to_string() } else { v.to_string() };
    let width = |f: &dyn Fn(&ipfirm::InputInfo) -> usize| m.inputs.iter().map(f).max().unwrap_or(0);
    let (wn, wk, wv) = (
        width(&|i| i.name.chars().count()),
        width(&|i| i.kind.chars().count()),
        width(&|i| version(&i.version).chars().count()),
    );
    for i in &m.inputs {
        let v = version(&i.version);
        outln!("  {:<wn$} {:<wk$} {:<wv$} {:>10} rows {:>6} skipped  {}", i.name, i.kind, v, i.rows, i.skipped, i.path);
    }
    if let Some(j) = m.extra.get("build_report").and_then(|r| r.get("join")) {
        let g = |k: &str| j.get(k).and_then(|v| v.as_f64()).unwrap_or(0.0);
        outln!(
            "join:            {} of {} holders matched to a registry company ({:.1} %), {} ambiguous, {} namesakes abroad",
            g("matched"),
            g("holders"),
            g("match_rate") * 100.0,
            g("ambiguous"),
            g("abroad")
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(a: VerifyArgs) -> anyhow::Result<ExitCode> {
    // `open` checks the header, checksum and every table; `verify` re-runs the deep checks.
    let db = crate::open_db(&a.db)?;
    db.verify()?;
    let m = db.metadata();
    outln!(
        "ok: {} ({} IPv4 + {} IPv6 ranges, {} companies, format version {})",
        a.db.display(),
        m.ipv4_ranges,
        m.ipv6_ranges,
        m.companies,
        m.format_version
    );
    Ok(ExitCode::SUCCESS)
}
