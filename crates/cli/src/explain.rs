//! `ipfirm explain`: the chain of evidence behind one answer, in words.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use ipfirm::compile::Config;
use ipfirm::compile::classify::LISTED_GROUP_REASON;
use ipfirm::compile::evidence::{self, CoveringRecord, Outcome, SourceEvidence};
use ipfirm::compile::pipeline::{JOIN_SOURCE, OPT_OUT_SOURCE, RULE_SOURCE};
use ipfirm::{Class, Database, Match};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database file.
    #[arg(long)]
    pub db: PathBuf,
    /// The build config whose sources are re-read to list every record covering the address;
    /// default: the config the database's metadata names, when it is found (next to the
    /// database, in the current folder, or the bundled one) and lists the build's sources.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Only what the database stores: do not re-read the sources.
    #[arg(long, conflicts_with = "config")]
    pub no_sources: bool,
    /// One JSON object: the match, the explanation lines, and the covering source records.
    #[arg(long)]
    pub json: bool,
    /// The address.
    pub ip: String,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let db = crate::open_db(&a.db)?;
    let ip: IpAddr = a.ip.trim().parse().ok().context("not an IPv4 or IPv6 address")?;
    let sources = if a.no_sources {
        Err("not read (--no-sources): only the winning record is stored in the database".to_string())
    } else {
        let config = choose_config(a.config.as_deref(), &a.db, &db)?;
        match config {
            Ok(cfg) => Ok(evidence::explain_sources(&cfg, ip, &db)?),
            Err(why) => Err(why),
        }
    };
    let mut text = explain(&db, ip);
    match &sources {
        Ok(ev) => write_sources(&mut text, ev),
        Err(why) => {
            let _ = writeln!(text, "Other source records: unknown. {why}");
        }
    }
    if a.json {
        let v = serde_json::json!({
            "ip": ip.to_string(),
            "match": db.lookup(ip).map(|m| m.to_record()),
            "explanation": text.lines().collect::<Vec<_>>(),
            "sources": sources.as_ref().ok(),
            "sources_unavailable": sources.as_ref().err(),
        });
        outln!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        outln!("{}", text.trim_end());
    }
    Ok(ExitCode::SUCCESS)
}

/// The config to re-read: the one given (an error when it cannot be loaded), else the one the
/// database's metadata names when found and matching the build's inputs; `Err(words)` says
/// why there is none and how to get one.
fn choose_config(given: Option<&Path>, db_path: &Path, db: &Database) -> anyhow::Result<Result<Config, String>> {
    if let Some(p) = given {
        return Ok(Ok(Config::load(p).with_context(|| format!("reading --config {}", p.display()))?));
    }
    let how = "Only the winning record is stored in the database; pass --config FILE.toml (the build's config) to \
               list every source record covering the address.";
    let m = db.metadata();
    let Some(name) = evidence::recorded_config(m) else {
        return Ok(Err(format!("The database's metadata names no build config. {how}")));
    };
    let mut candidates: Vec<PathBuf> = Vec::new();
    let db_dir = db_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    candidates.push(db_dir.join(&name));
    candidates.push(PathBuf::from(&name));
    if Path::new(crate::build::BUNDLED_CONFIG).file_name().is_some_and(|f| f == name.as_str())
        && let Ok(p) = crate::build::find_bundled_config()
    {
        candidates.push(p);
    }
    let mut rejected = Vec::new();
    for c in candidates {
        if !c.is_file() || rejected.iter().any(|(r, _): &(PathBuf, String)| r == &c) {
            continue;
        }
        match Config::load(&c) {
            Ok(cfg) if evidence::config_matches(&cfg, m) => return Ok(Ok(cfg)),
            Ok(_) => rejected.push((c, "lists other sources than the build".to_string())),
            Err(e) => rejected.push((c, e.to_string())),
        }
    }
    let tried = if rejected.is_empty() {
        format!("`{name}` (the config the build recorded) was not found next to the database or in the current folder.")
    } else {
        let r: Vec<String> = rejected.iter().map(|(p, why)| format!("{} ({why})", p.display())).collect();
        format!("No usable `{name}` (the config the build recorded): {}.", r.join("; "))
    };
    Ok(Err(format!("{tried} {how}")))
}

/// The covering source records, the winner first, each loser with why it lost.
fn write_sources(s: &mut String, ev: &SourceEvidence) {
    let _ = writeln!(s, "Source records covering {} (re-read from {}):", ev.address, ev.config);
    if ev.records.is_empty() {
        let _ = writeln!(s, "  none.");
    }
    let winner = ev.winner();
    for r in &ev.records {
        let why = match (r.outcome, winner) {
            (Outcome::Winner, _) => {
                let agrees =
                    ev.database_record.as_ref().is_some_and(|d| d.source == r.source && d.record_key == r.record_key);
                if agrees { "WON (the record the database names)".to_string() } else { "WON".to_string() }
            }
            (Outcome::LessSpecific, Some(w)) => format!("lost: less specific, {} vs the winner's {}", r.size, w.size),
            (Outcome::EarlierInput, Some(w)) if w.source == r.source => {
                format!("lost: same size ({}) as the winner, earlier record of the same source", r.size)
            }
            (Outcome::EarlierInput, Some(w)) => format!(
                "lost: same size ({}) as the winner, but `{}` comes before `{}` in the config",
                r.size, r.source, w.source
            ),
            (_, None) => "lost".to_string(),
        };
        let _ = writeln!(s, "  - {}: {why}", record_words(r));
    }
    if let Some(c) = &ev.covering_rir {
        let range = c.cidrs.join(", ");
        let status = c.status.as_deref().unwrap_or("none");
        let _ = writeln!(
            s,
            "  The winner carries no RIR status; its classification read the covering RIR record's: `{}` record {}, \
             {range}, status {status}{}.",
            c.source,
            c.record_key,
            c.org_type.as_deref().map(|t| format!(", org-type {t}")).unwrap_or_default()
        );
    }
    match ev.names_withheld {
        Some(Class::Unknown) => {
            let _ = writeln!(
                s,
                "  (organisation names withheld: no rule read the holder's name, so it may be a person's.)"
            );
        }
        Some(c) => {
            let _ = writeln!(s, "  (organisation names withheld: a {c} rule fired for the address.)");
        }
        None => {}
    }
    for w in &ev.warnings {
        let _ = writeln!(s, "Warning: {w}.");
    }
}

fn record_words(r: &CoveringRecord) -> String {
    let range = if r.cidrs.len() == 1 { r.cidrs[0].clone() } else { format!("{} – {}", r.first, r.last) };
    let mut w = format!("`{}` record {}, {range}", r.source, r.record_key);
    let holder = match (r.asn, r.org_name.as_deref()) {
        (Some(a), Some(o)) => Some(format!("AS{a} {o}")),
        (Some(a), None) => Some(format!("AS{a}")),
        (None, Some(o)) => Some(o.to_string()),
        (None, None) => None,
    };
    if let Some(h) = holder {
        let _ = write!(w, ", {h}");
    }
    if let Some(cc) = &r.country {
        let _ = write!(w, ", {cc}");
    }
    if let Some(cc) = &r.registration_country {
        let _ = write!(w, ", registered in {cc}");
    }
    if let Some(st) = &r.status {
        let _ = write!(w, ", status {st}");
    }
    if let (Some(c), Some(l)) = (r.hint_class, r.hint_label.as_deref()) {
        let _ = write!(w, ", says {c} ({l})");
    }
    w
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
    let shown = match m.class() {
        c if c.is_shown() => "a shown class",
        Class::Unknown => "not shown: the evidence does not settle the holder's class",
        _ => "a filtered class: no company is ever shown for it",
    };
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
            RULE_SOURCE => step(s, rules_words(p.record_key)),
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
            _ if m.reason().starts_with(LISTED_GROUP_REASON) => step(
                s,
                format!(
                    "The holder's name begins with the name of a large listed group: source `{}`{version}, record {} \
                     (rule 10d: a company of that group, not the group itself, so no registry id).",
                    p.source, p.record_key
                ),
            ),
            _ => step(s, format!("Company identified by source `{}`{version}, record {}.", p.source, p.record_key)),
        }
    }
    if prov.is_empty() {
        step(s, "No provenance is stored for this range.".to_string());
    }
}

fn join_words(key: &str) -> String {
    if let Some((kept, group)) = key.split_once(":named after group ") {
        let (scheme, id) = group.split_once(':').unwrap_or((group, ""));
        return format!("{} Its name begins with the name of the listed group {scheme} {id}.", join_words(kept));
    }
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
        ["abroad", method, n, rest @ ..] => format!(
            "Holder name fits {} (by {}) only in other countries than the holder's ranges are registered in, and \
             the name is of ordinary words: namesakes abroad, no match is made{}",
            match n.trim_end_matches(" candidates") {
                "1" => "one registry record".to_string(),
                n => format!("{n} registry records"),
            },
            method_words(method),
            if rest.first().is_some_and(|r| r.starts_with("own name kept")) {
                "; the holder's own name is kept with a lower confidence."
            } else {
                "."
            }
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
        "spacing+country" => "normalised name spaced otherwise (`JP Morgan` / `JPMorgan`), same country".into(),
        "spacing+registration-country" => {
            "normalised name spaced otherwise (`JP Morgan` / `JPMorgan`), in the country the holder's ranges are registered in"
                .into()
        }
        other => other.into(),
    }
}

/// The rules that fired, and why a provider list among them lost when it did: an authoritative
/// list ranks above every name (rule 4), so one that lost to a shown class is a list that is not
/// authoritative (ipcat), yielding to the holder's own evidence (rule 4b).
fn rules_words(fired: &str) -> String {
    let mut out = format!("Classification rules that fired, winner first: {fired}.");
    let mut rules = fired.split(" > ");
    let winner_shown = rules
        .next()
        .and_then(|w| w.split(':').next())
        .and_then(|c| c.parse::<ipfirm::Class>().ok())
        .is_some_and(|c| c.is_shown());
    if winner_shown && let Some(list) = rules.find(|r| r.contains(":provider-list:")) {
        out.push_str(&format!(
            " `{list}` comes from a list that is not authoritative (stale, like ipcat): it yields to the holder's own \
             name or registry record (rule 4b)."
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{join_words, rules_words};

    #[test]
    fn namesakes_abroad_are_explained_without_naming_them() {
        let shown = join_words("abroad:name:2 candidates:own name kept");
        assert!(shown.contains("2 registry records") && shown.contains("own name is kept"), "{shown}");
        let hidden = join_words("abroad:name:1 candidates:none kept");
        assert!(hidden.contains("one registry record") && !hidden.contains("own name"), "{hidden}");
    }

    #[test]
    fn a_provider_list_that_lost_to_a_shown_class_is_explained() {
        let lost = rules_words("education:org-name:university > hosting:provider-list:ipcat");
        assert!(lost.contains("rule 4b"), "{lost}");
        // A list that won, or lost to another filtered class, needs no such line.
        for fired in
            ["hosting:provider-list:aws > business:registry:lei", "sole_trader:name:person > hosting:provider-list:x"]
        {
            assert!(!rules_words(fired).contains("rule 4b"), "{fired}");
        }
    }
}
