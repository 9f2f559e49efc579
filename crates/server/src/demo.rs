//! The demo: the bundled sample database (or, if it cannot be built, a small fallback), a demo
//! site and account, a few seeded visits through the real ingest path.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use axum::http::{HeaderMap, HeaderValue};
use ipfirm::{Class, Company, DatabaseBuilder, Entry, RegistryId};

use crate::app::AppState;

/// A small database on documentation ranges (RFC 5737 / RFC 3849) with fictitious organisations:
/// used by tests and as the demo's fallback when the sample cannot be built.
///
/// # Errors
/// Builder errors.
pub fn fallback_database() -> ipfirm::Result<Vec<u8>> {
    let mut b = DatabaseBuilder::new();
    let acme = b.add_company(Company {
        legal_name: "Example Widgets B.V.".into(),
        country: Some("NL".into()),
        registry: Some(RegistryId { scheme: "NL-KVK".into(), id: "00000001".into() }),
        domain: Some("widgets.example".into()),
        address: Some("Voorbeeldstraat 1, Utrecht".into()),
        ..Default::default()
    });
    let uni = b.add_company(Company {
        legal_name: "Example University".into(),
        country: Some("GB".into()),
        domain: Some("university.example".into()),
        ..Default::default()
    });
    type Row<'a> = (&'a str, Class, &'a str, Option<ipfirm::CompanyId>, Option<&'a str>);
    let ranges: [Row; 5] = [
        ("198.51.100.0/24", Class::Business, "business:demo", Some(acme), None),
        ("2001:db8:a::/48", Class::Business, "business:demo", Some(acme), None),
        ("192.0.2.0/25", Class::Education, "education:demo", Some(uni), None),
        ("203.0.113.0/24", Class::Isp, "isp:demo", None, Some("Example Broadband")),
        ("192.0.2.128/25", Class::Hosting, "hosting:demo", None, Some("Example Cloud")),
    ];
    for (net, class, reason, company, asn_org) in ranges {
        let n: ipnet::IpNet = net.parse().map_err(|_| ipfirm::Error::InvalidInput(format!("bad net {net}")))?;
        let entry = Entry {
            class,
            reason: reason.into(),
            confidence: 80,
            company,
            asn_org: asn_org.map(str::to_string),
            ..Default::default()
        };
        b.insert(n, entry)?;
    }
    b.finish()
}

/// Builds `data-samples/ipfirm.toml` (searched upwards from the current directory) into `out`.
/// Returns a description of what was used.
///
/// # Errors
/// When neither the sample nor the fallback could be written.
pub fn prepare_database(out: &Path) -> anyhow::Result<String> {
    let config = find_sample_config();
    if let Some(cfg) = &config {
        match ipfirm::compile::build(cfg, out, &ipfirm::compile::BuildOptions::default()) {
            Ok(_) => return Ok(format!("bundled sample database built from {}", cfg.display())),
            Err(e) => eprintln!("!!! could not build the bundled sample ({}): {e}", cfg.display()),
        }
    } else {
        eprintln!("!!! data-samples/ipfirm.toml not found from the current directory");
    }
    eprintln!("!!! FALLBACK: using a tiny demo database of fictitious organisations on documentation ranges");
    ipfirm::write_atomically(out, &fallback_database()?)?;
    Ok("FALLBACK demo database (fictitious organisations on documentation ranges)".into())
}

/// `data-samples/ipfirm.toml` in the current directory or a parent.
pub fn find_sample_config() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        let p = dir.join("data-samples/ipfirm.toml");
        if p.is_file() {
            return Some(p);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Sends a few beacons through the real ingest path, as if from the first addresses of the
/// first identified ranges (via the trusted loopback proxy). Returns the companies seeded.
pub fn seed_visits(st: &AppState, site_key: &str, max: usize) -> Vec<(IpAddr, String)> {
    let db = st.ipdb.load();
    let mut seen = std::collections::HashSet::new();
    let picks: Vec<(IpAddr, String)> = db
        .iter()
        .filter(|m| m.is_identified())
        .filter_map(|m| Some((m.range().first(), m.company()?.display_name().to_string())))
        .filter(|(_, name)| seen.insert(name.clone()))
        .take(max)
        .collect();
    let mut seeded = Vec::new();
    for (n, (addr, name)) in picks.into_iter().enumerate() {
        let mut h = HeaderMap::new();
        let Ok(v) = HeaderValue::from_str(&addr.to_string()) else { continue };
        h.insert("x-forwarded-for", v);
        for page in ["/", "/pricing", "/contact"].iter().take(1 + n % 3) {
            let body = serde_json::json!({
                "site": site_key, "url": format!("https://demo.example{page}"), "title": format!("Demo {page}"),
                "referrer": "https://search.example/"
            });
            let _ = crate::ingest::ingest(st, Some(IpAddr::V4(Ipv4Addr::LOCALHOST)), &h, body.to_string().as_bytes());
        }
        seeded.push((addr, name));
    }
    st.writer.flush();
    seeded
}
