//! ip-location-db / iptoasn `start,end,asn,organisation` CSV (no header; the organisation may be
//! quoted), and iptoasn's TSV `start<TAB>end<TAB>asn<TAB>country<TAB>organisation`.
//!
//! Rows with AS number 0 (iptoasn's "Not routed") carry no holder and are read but not emitted.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::compile::records::IpRecord;
use crate::compile::sources::common::{
    ReadContext, clip, csv_error, csv_reader, file_name, parse_asn, parse_start_end, text,
};
use crate::error::Result;

/// Options of an `asn-csv` source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Registration countries by range (`start,end,country` files such as ip-location-db's
    /// `geo-whois-asn-country`, relative to the config): a row without a country of its own
    /// gets the country of the range that holds it whole as its `registration_country`, which
    /// the join falls back on.
    #[serde(default)]
    pub countries: Vec<PathBuf>,
}

/// [`read`] with the source's options: rows without a country get a registration country from
/// `opts.countries`.
///
/// # Errors
/// As [`read`], and as [`super::range_country::read`] for the country files.
pub fn read_with(path: &Path, opts: &Options, ctx: &mut ReadContext, out: &mut dyn FnMut(IpRecord)) -> Result<u64> {
    if opts.countries.is_empty() {
        return read(path, ctx, out);
    }
    let countries = super::range_country::Countries::load(&opts.countries, ctx)?;
    read(path, ctx, &mut |mut r| {
        if let (None, Some(range)) = (&r.country, r.range) {
            r.registration_country = countries.of(range);
        }
        out(r)
    })
}

/// Reads `path`, giving every range to `out`; returns the rows read (a header row excluded).
///
/// # Errors
/// [`crate::Error::Io`] naming a missing file; [`crate::Error::Source`] (`file:line`) for a bad
/// row in strict mode.
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(IpRecord)) -> Result<u64> {
    let delimiter = sniff_delimiter(path)?;
    let tsv = delimiter == b'\t';
    let mut rdr = csv_reader(path, false, delimiter)?;
    let mut rec = csv::ByteRecord::new();
    let mut rows = 0u64;
    let mut first = true;
    let name = file_name(path).into_owned();
    loop {
        let line_hint = rdr.position().line();
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let e = csv_error(path, e);
                match e {
                    crate::Error::Source { line, message, .. } => {
                        rows += 1;
                        ctx.bad_row(path, line.max(line_hint), message)?;
                        continue;
                    }
                    other => return Err(other),
                }
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(line_hint);
        let f = |i: usize| rec.get(i).map(text).unwrap_or_default();
        let (start, end, asn) = (f(0), f(1), f(2));
        if first {
            first = false;
            // A header row (`start,end,asn,…` or `range_start…`) is allowed, not counted.
            if start.trim().parse::<IpAddr>().is_err() && parse_asn(&asn).is_none() {
                continue;
            }
        }
        rows += 1;
        if rec.len() == 1 && start.trim().is_empty() {
            rows -= 1; // blank line
            continue;
        }
        let want = if tsv { 5 } else { 4 };
        if rec.len() < 3 {
            ctx.bad_row(path, line, format!("expected {want} fields (start, end, asn, …), found {}", rec.len()))?;
            continue;
        }
        let range = match parse_start_end(&start, &end) {
            Ok(r) => r,
            Err(m) => {
                ctx.bad_row(path, line, m)?;
                continue;
            }
        };
        let Some(asn) = parse_asn(&asn) else {
            ctx.bad_row(path, line, format!("bad AS number {:?}", clip(&asn)))?;
            continue;
        };
        if asn == 0 {
            continue;
        }
        let (country, org) = if tsv { (f(3), f(4)) } else { (Default::default(), f(3)) };
        let org = org.trim();
        let org = (!org.is_empty() && org != "Not routed" && org != "None").then(|| org.to_string());
        let country = country.trim();
        let country = (country.len() == 2 && country != "None" && country.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| country.to_ascii_uppercase());
        out(IpRecord {
            range: Some(range),
            origin: ctx.origin(format!("{name}:{line}")),
            asn: Some(asn),
            org_name: org,
            country,
            ..Default::default()
        });
    }
    Ok(rows)
}

/// Tab when the first non-empty line has a tab, else comma.
fn sniff_delimiter(path: &Path) -> Result<u8> {
    let mut lines = super::common::Lines::open(path)?;
    while let Some((_, l)) = lines.next_line()? {
        if !l.trim().is_empty() {
            return Ok(if l.contains('\t') { b'\t' } else { b',' });
        }
    }
    Ok(b',')
}
