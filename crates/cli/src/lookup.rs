//! `ipfirm lookup`: one JSON object per address (or a table for people).

use std::io::{BufRead, BufWriter, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use ipfirm::{Database, MatchRecord};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Json,
    /// An aligned table.
    Table,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database file.
    #[arg(long)]
    pub db: PathBuf,
    /// Addresses; read from stdin (one per line) when none are given.
    pub ips: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
}

/// One output line: the address as given plus the match (all `null` when not covered).
#[derive(Debug, Serialize)]
pub struct Line<'a> {
    pub ip: &'a str,
    #[serde(flatten)]
    pub record: Option<MatchRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The shape of a line for an address no range covers: every field present, `null`.
#[derive(Debug, Serialize)]
struct Uncovered<'a> {
    ip: &'a str,
    network: Option<()>,
    class: Option<()>,
    identified: bool,
    reason: Option<()>,
    confidence: Option<()>,
    company: Option<()>,
    asn: Option<()>,
    asn_org: Option<()>,
    sources: [(); 0],
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let db = crate::open_db(&a.db)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if a.format == Format::Table {
        writeln!(
            out,
            "{:<40} {:<34} {:<12} {:>4}  {:<40} {:<24} {:>8}  asn_org",
            "ip", "network", "class", "conf", "company", "registry", "asn"
        )?;
    }
    let handle = |ip: &str, out: &mut dyn Write| -> anyhow::Result<()> { write_one(&db, ip.trim(), a.format, out) };
    if a.ips.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            handle(&line, &mut out)?;
        }
    } else {
        for ip in &a.ips {
            handle(ip, &mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_one(db: &Database, text: &str, format: Format, out: &mut dyn Write) -> anyhow::Result<()> {
    let parsed: Result<IpAddr, _> = text.parse();
    let record = parsed.as_ref().ok().and_then(|ip| db.lookup(*ip)).map(|m| m.to_record());
    match format {
        Format::Json => {
            match (&parsed, record) {
                (Err(_), _) => serde_json::to_writer(
                    &mut *out,
                    &Line { ip: text, record: None, error: Some("not an IPv4 or IPv6 address".into()) },
                )?,
                (Ok(_), Some(r)) => serde_json::to_writer(&mut *out, &Line { ip: text, record: Some(r), error: None })?,
                (Ok(_), None) => serde_json::to_writer(
                    &mut *out,
                    &Uncovered {
                        ip: text,
                        network: None,
                        class: None,
                        identified: false,
                        reason: None,
                        confidence: None,
                        company: None,
                        asn: None,
                        asn_org: None,
                        sources: [],
                    },
                )?,
            }
            writeln!(out)?;
        }
        Format::Table => {
            let row = match (&parsed, record) {
                (Err(_), _) => format!("{text:<40} error: not an IPv4 or IPv6 address"),
                (Ok(_), None) => format!("{text:<40} {:<34} -", "(not covered)"),
                (Ok(_), Some(r)) => {
                    let net = if r.network.cidrs.len() == 1 {
                        r.network.cidrs[0].clone()
                    } else {
                        format!("{}-{}", r.network.first, r.network.last)
                    };
                    let (company, registry) = match &r.company {
                        Some(c) => (
                            c.name.clone(),
                            c.registry.as_ref().map(|g| format!("{}:{}", g.scheme, g.id)).unwrap_or_else(|| "-".into()),
                        ),
                        None => ("-".into(), "-".into()),
                    };
                    format!(
                        "{text:<40} {net:<34} {:<12} {:>4}  {:<40} {:<24} {:>8}  {}",
                        r.class.name(),
                        r.confidence,
                        clip(&company, 40),
                        clip(&registry, 24),
                        r.asn.map(|a| a.to_string()).unwrap_or_else(|| "-".into()),
                        r.asn_org.as_deref().unwrap_or("-")
                    )
                }
            };
            writeln!(out, "{row}")?;
        }
    }
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}
