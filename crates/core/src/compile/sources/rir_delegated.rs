//! NRO extended delegation statistics (`delegated-<rir>-extended-latest`):
//! `registry|cc|type|start|value|date|status|opaque-id`.
//!
//! The version line (`2|afrinic|20260821|…`) and summary lines (`…|*|ipv4|*|6045|summary`) are
//! read, not emitted; `asn` rows and unassigned space (`available`, `reserved`) are read but
//! carry no holder, so they are not emitted either. An IPv4 `value` is an address count (the
//! range need not be CIDR-aligned); an IPv6 `value` is a prefix length.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

use crate::compile::records::IpRecord;
use crate::compile::sources::common::{Lines, ReadContext, clip, line_key};
use crate::error::Result;
use crate::range::IpRange;

/// Reads `path`, giving every allocated or assigned IPv4/IPv6 block to `out`; returns the
/// records read (version and summary lines excluded).
///
/// Fields: `range`, `country` (cc; `ZZ` dropped), `status` (`allocated`, `assigned`),
/// `org_handle` (the opaque id, the same for all resources of one holder). When the context's
/// version is empty the file's date (version line) is used.
///
/// # Errors
/// [`crate::Error::Io`] naming a missing file; [`crate::Error::Source`] (`file:line`) for a bad
/// row in strict mode.
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(IpRecord)) -> Result<u64> {
    let mut lines = Lines::open(path)?;
    let mut version = ctx.version.to_string();
    let mut rows = 0u64;
    let mut seen_version = false;
    while let Some((n, line)) = lines.next_line()? {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = t.split('|').map(str::trim).collect();
        if !seen_version && f.first().is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.')) {
            seen_version = true;
            if let Some(d) =
                f.get(2).filter(|d| version.is_empty() && d.len() == 8 && d.bytes().all(|c| c.is_ascii_digit()))
            {
                version = format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]);
            }
            continue;
        }
        if f.last() == Some(&"summary") {
            continue;
        }
        rows += 1;
        if f.len() < 7 {
            ctx.bad_row(path, n, format!("expected 7 or 8 '|'-separated fields, found {}", f.len()))?;
            continue;
        }
        let (cc, kind, start, value, status) = (f[1], f[2], f[3], f[4], f[6]);
        if kind == "asn" {
            continue;
        }
        if kind != "ipv4" && kind != "ipv6" {
            ctx.bad_row(path, n, format!("unknown resource type {:?}", clip(kind)))?;
            continue;
        }
        let range = match block(kind, start, value) {
            Ok(r) => r,
            Err(m) => {
                ctx.bad_row(path, n, m)?;
                continue;
            }
        };
        if !matches!(status, "allocated" | "assigned") {
            continue;
        }
        let country = (cc.len() == 2 && cc != "ZZ" && cc.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| cc.to_ascii_uppercase());
        let org_handle = f.get(7).filter(|s| !s.is_empty()).map(|s| s.to_string());
        out(IpRecord {
            range: Some(range),
            origin: crate::compile::records::Origin {
                source: ctx.source.to_string(),
                version: version.clone(),
                record_key: line_key(path, n),
            },
            country,
            status: Some(status.to_string()),
            org_handle,
            ..Default::default()
        });
    }
    Ok(rows)
}

fn block(kind: &str, start: &str, value: &str) -> std::result::Result<IpRange, String> {
    if kind == "ipv4" {
        let a: Ipv4Addr = start.parse().map_err(|_| format!("bad IPv4 start {:?}", clip(start)))?;
        let count: u64 = value.parse().map_err(|_| format!("bad address count {:?}", clip(value)))?;
        let first = u64::from(u32::from(a));
        if count == 0 || first + count - 1 > u64::from(u32::MAX) {
            return Err(format!("address count {count} from {a} is empty or runs past 255.255.255.255"));
        }
        let last = Ipv4Addr::from((first + count - 1) as u32);
        IpRange::new(IpAddr::V4(a), IpAddr::V4(last)).map_err(|e| e.to_string())
    } else {
        let a: Ipv6Addr = start.parse().map_err(|_| format!("bad IPv6 start {:?}", clip(start)))?;
        let len: u8 =
            value.parse().ok().filter(|l| *l <= 128).ok_or_else(|| format!("bad prefix length {:?}", clip(value)))?;
        let net = ipnet::Ipv6Net::new(a, len).map_err(|e| e.to_string())?;
        if net.network() != a {
            return Err(format!("{a}/{len} has host bits set"));
        }
        Ok(IpRange::from(ipnet::IpNet::V6(net)))
    }
}
