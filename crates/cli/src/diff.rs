//! `ipfirm diff OLD NEW`: ranges added, removed, or changed in class or company.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::process::ExitCode;

use ipfirm::Database;
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older database.
    pub old: PathBuf,
    /// The newer database.
    pub new: PathBuf,
    /// Print the summary and every change as JSON.
    #[arg(long)]
    pub json: bool,
    /// Changes to list in the text output.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// What a range says, for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub class: String,
    /// `scheme:id` when the company has a registry id, else its name.
    pub company: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub change: &'static str,
    pub first: String,
    pub last: String,
    pub old: Option<Side>,
    pub new: Option<Side>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Count {
    pub ranges: u64,
    pub ipv4_addresses: u64,
}

#[derive(Debug, Serialize)]
pub struct Diff {
    pub summary: BTreeMap<&'static str, Count>,
    pub changes: Vec<Change>,
}

/// (is_v6, first, last, change, old, new): a change before it becomes a [`Change`].
type Raw = (bool, u128, u128, &'static str, Option<Side>, Option<Side>);

/// (is_v6, first, last, side)
type Seg = (bool, u128, u128, Side);

fn segments(db: &Database) -> Vec<Seg> {
    let mut v: Vec<Seg> = db
        .iter()
        .map(|m| {
            let r = m.range();
            let (f, a, b) = match (r.first(), r.last()) {
                (IpAddr::V4(a), IpAddr::V4(b)) => (false, u32::from(a) as u128, u32::from(b) as u128),
                (IpAddr::V6(a), IpAddr::V6(b)) => (true, u128::from(a), u128::from(b)),
                _ => (false, 0, 0),
            };
            let company = m.company().map(|c| match c.registry() {
                Some((s, id)) => format!("{s}:{id}"),
                None => c.legal_name().to_string(),
            });
            (f, a, b, Side { class: m.class().name().to_string(), company })
        })
        .collect();
    v.sort_by_key(|x| (x.0, x.1));
    v
}

fn at(segs: &[Seg], fam: bool, p: u128) -> Option<&Side> {
    let i = segs.partition_point(|s| (s.0, s.1) <= (fam, p));
    let s = segs.get(i.checked_sub(1)?)?;
    (s.0 == fam && s.2 >= p).then_some(&s.3)
}

fn addr(fam: bool, x: u128) -> String {
    if fam { Ipv6Addr::from(x).to_string() } else { Ipv4Addr::from(x as u32).to_string() }
}

/// Compares two databases.
pub fn diff(old: &Database, new: &Database) -> Diff {
    let (a, b) = (segments(old), segments(new));
    let mut bounds: Vec<(bool, u128)> = Vec::with_capacity(2 * (a.len() + b.len()));
    for s in a.iter().chain(&b) {
        bounds.push((s.0, s.1));
        let max = if s.0 { u128::MAX } else { u32::MAX as u128 };
        if s.2 < max {
            bounds.push((s.0, s.2 + 1));
        }
    }
    bounds.sort_unstable();
    bounds.dedup();
    let mut raw: Vec<Raw> = Vec::new();
    for (k, &(fam, p)) in bounds.iter().enumerate() {
        let end = match bounds.get(k + 1) {
            Some(&(f2, q)) if f2 == fam => q - 1,
            _ => {
                if fam {
                    u128::MAX
                } else {
                    u32::MAX as u128
                }
            }
        };
        let (o, n) = (at(&a, fam, p), at(&b, fam, p));
        let kind = match (o, n) {
            (None, None) => continue,
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            (Some(x), Some(y)) if x.class != y.class => "class_changed",
            (Some(x), Some(y)) if x.company != y.company => "company_changed",
            _ => continue,
        };
        let (o, n) = (o.cloned(), n.cloned());
        if let Some(last) = raw.last_mut()
            && last.0 == fam
            && last.2.checked_add(1) == Some(p)
            && last.3 == kind
            && last.4 == o
            && last.5 == n
        {
            last.2 = end;
            continue;
        }
        raw.push((fam, p, end, kind, o, n));
    }
    let mut summary: BTreeMap<&'static str, Count> = BTreeMap::new();
    for k in ["added", "removed", "class_changed", "company_changed"] {
        summary.insert(k, Count::default());
    }
    let changes = raw
        .into_iter()
        .map(|(fam, p, end, kind, o, n)| {
            let c = summary.entry(kind).or_default();
            c.ranges += 1;
            if !fam {
                c.ipv4_addresses += (end - p + 1) as u64;
            }
            Change { change: kind, first: addr(fam, p), last: addr(fam, end), old: o, new: n }
        })
        .collect();
    Diff { summary, changes }
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let old = crate::open_db(&a.old)?;
    let new = crate::open_db(&a.new)?;
    let d = diff(&old, &new);
    let stdout = std::io::stdout();
    let mut o = std::io::BufWriter::new(stdout.lock());
    if a.json {
        serde_json::to_writer_pretty(&mut o, &d)?;
        writeln!(o)?;
        o.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(o, "{} -> {}", a.old.display(), a.new.display())?;
    for (k, c) in &d.summary {
        writeln!(o, "  {k:<16} {:>10} ranges {:>14} IPv4 addresses", c.ranges, c.ipv4_addresses)?;
    }
    let side = |s: &Option<Side>| match s {
        None => "-".to_string(),
        Some(s) => match &s.company {
            Some(c) => format!("{} ({c})", s.class),
            None => s.class.clone(),
        },
    };
    for c in d.changes.iter().take(a.limit) {
        writeln!(o, "  {:<16} {} - {}: {} -> {}", c.change, c.first, c.last, side(&c.old), side(&c.new))?;
    }
    if d.changes.len() > a.limit {
        writeln!(o, "  … {} more (use --json for all)", d.changes.len() - a.limit)?;
    }
    o.flush()?;
    Ok(ExitCode::SUCCESS)
}
