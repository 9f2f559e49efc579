//! `ipfirm explain`: the chain of evidence behind one answer, in words.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use ipfirm::compile::pipeline::{JOIN_SOURCE, OPT_OUT_SOURCE, RULE_SOURCE};
use ipfirm::{Database, Match};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database file.
    #[arg(long)]
    pub db: PathBuf,
    /// The address.
    pub ip: String,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let db = crate::open_db(&a.db)?;
    let ip: IpAddr = a.ip.trim().parse().ok().context("not an IPv4 or IPv6 address")?;
    outln!("{}", explain(&db, ip).trim_end());
    Ok(ExitCode::SUCCESS)
}

/// The explanation text.
pub fn explain(db: &Database, ip: IpAddr) -> String {
    let mut s = String::new();
    let Some(m) = db.lookup(ip) else {
        let _ = writeln!(s, "{ip}: no source covers this address; nothing is known about it.");
        return s;
    };
    write_match(&mut s, ip, &m);
    s
}

fn write_match(s: &mut String, ip: IpAddr, m: &Match<'_>) {
    let r = m.range();
    let cidrs: Vec<String> = r.cidrs().iter().map(ToString::to_string).collect();
    let _ = writeln!(s, "{ip} is in {} – {} ({}).", r.first(), r.last(), cidrs.join(", "));
    let shown =
        if m.class().is_shown() { "a shown class" } else { "a filtered class: no company is ever shown for it" };
    let _ = writeln!(s, "Class: {} ({shown}), reason `{}`, confidence {}.", m.class(), m.reason(), m.confidence());
    match m.company() {
        Some(c) => {
            let _ = write!(s, "Company: {}", c.display_name());
            if c.display_name() != c.legal_name() {
                let _ = write!(s, " (legal name {})", c.legal_name());
            }
            if let Some(cc) = c.country() {
                let _ = write!(s, ", {cc}");
            }
            match c.registry() {
                Some((scheme, id)) => {
                    let _ = write!(s, ", registry {scheme} {id}");
                }
                None => {
                    let _ = write!(s, ", not found in any registry (the network holder's own name)");
                }
            }
            if let Some(f) = c.legal_form() {
                let _ = write!(s, ", legal form {f}");
            }
            if let Some(d) = c.domain() {
                let _ = write!(s, ", {d}");
            }
            let _ = writeln!(s, ".");
        }
        None => {
            let _ = writeln!(s, "Company: none.");
        }
    }
    match (m.asn(), m.asn_org()) {
        (Some(a), Some(o)) => {
            let _ = writeln!(s, "Network holder: AS{a} {o}.");
        }
        (Some(a), None) => {
            let _ = writeln!(s, "Network holder: AS{a}.");
        }
        (None, Some(o)) => {
            let _ = writeln!(s, "Network holder: {o}.");
        }
        (None, None) => {}
    }

    let _ = writeln!(s, "Evidence:");
    let mut n = 0;
    let mut step = |s: &mut String, text: String| {
        n += 1;
        let _ = writeln!(s, "  {n}. {text}");
    };
    let prov: Vec<_> = m.provenance().collect();
    let mut placed = false;
    for p in &prov {
        let version = if p.version.is_empty() { String::new() } else { format!(" (version {})", p.version) };
        match p.source {
            JOIN_SOURCE => step(s, join_words(p.record_key)),
            RULE_SOURCE => step(s, format!("Classification rules that fired, winner first: {}.", p.record_key)),
            OPT_OUT_SOURCE => step(
                s,
                "The holder is on the opt-out list: opt-out wins over every other rule, the company is never stored."
                    .to_string(),
            ),
            _ if !placed => {
                placed = true;
                step(
                    s,
                    format!(
                        "Range placed by source `{}`{version}, record {}. Of all source ranges covering the address, \
                         the most specific wins (between equal ones, the source listed later in the config).",
                        p.source, p.record_key
                    ),
                );
            }
            _ => step(s, format!("Company identified by source `{}`{version}, record {}.", p.source, p.record_key)),
        }
    }
    if prov.is_empty() {
        step(s, "No provenance is stored for this range.".to_string());
    }
}

fn join_words(key: &str) -> String {
    let parts: Vec<&str> = key.splitn(4, ':').collect();
    match parts.as_slice() {
        ["matched", method, rest @ ..] if rest.first().is_some_and(|r| r.starts_with("withheld")) => format!(
            "The holder matched a registry company by {method}, but the class is filtered, so the company is withheld."
        ),
        ["matched", method, scheme, id] => {
            format!("Holder matched to registry company {scheme} {id} by {}.", method_words(method))
        }
        ["ambiguous", method, n, ..] => format!(
            "Holder name fits several registry companies ({n}, by {}): no match is guessed; the holder's own name is kept \
             with a lower confidence.",
            method_words(method)
        ),
        ["unmatched", ..] => {
            "No registry company matches the holder: its own name is kept, with a lower confidence and no registry id."
                .to_string()
        }
        _ => format!("Join: {key}."),
    }
}

fn method_words(method: &str) -> String {
    match method {
        "domain" => "web domain".into(),
        "name+country" => "normalised name, same country".into(),
        "name" => "normalised name (country known on one side only)".into(),
        "trade-name+country" => "trade name (`… trading as …`), same country".into(),
        "trade-name" => "trade name (`… trading as …`)".into(),
        other => other.into(),
    }
}
