//! Registration countries of address ranges: ip-location-db's `geo-whois-asn-country` CSV
//! (`start,end,country_code`, no header, inclusive ranges; `.gz` read transparently).
//!
//! Not a source of ranges of its own: an ASN table names holders without a country, and the
//! join needs one to tell `Sanofi` (FR) from a listing of that name elsewhere and to accept a
//! one-word name at all. `asn-csv`'s `countries` option reads these files and gives each of
//! its rows the country of the range that holds it whole ([`Countries::of`]).

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use crate::compile::records::IpRecord;
use crate::compile::sources::common::{CsvRows, ReadContext, addr_num, clip, file_name, parse_start_end, text};
use crate::error::Result;
use crate::range::IpRange;

/// Reads `path`, giving every `(range, country)` row to `out` as an [`IpRecord`] with only
/// `range`, `country` and `origin` set; returns the rows read (a header row excluded).
///
/// # Errors
/// [`crate::Error::Io`] naming a missing file; [`crate::Error::Source`] (`file:line`) for a bad
/// row in strict mode: a bad address, a range that ends before it starts or mixes families, a
/// country that is not two letters.
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(IpRecord)) -> Result<u64> {
    let mut rows = CsvRows::open_headless(path, b',')?;
    let mut rec = csv::ByteRecord::new();
    let name = file_name(path).into_owned();
    let mut first = true;
    while let Some(line) = rows.next(&mut rec, ctx)? {
        let f = |i: usize| rec.get(i).map(text).unwrap_or_default();
        if std::mem::take(&mut first) && f(0).trim().parse::<IpAddr>().is_err() {
            rows.uncount(); // a header row (`ip_range_start,…`)
            continue;
        }
        if rec.len() != 3 {
            ctx.bad_row(path, line, format!("expected 3 fields (start, end, country), found {}", rec.len()))?;
            continue;
        }
        let range = match parse_start_end(&f(0), &f(1)) {
            Ok(r) => r,
            Err(m) => {
                ctx.bad_row(path, line, m)?;
                continue;
            }
        };
        let country = f(2);
        let country = country.trim();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            ctx.bad_row(path, line, format!("country: expected two letters, found {:?}", clip(country)))?;
            continue;
        }
        out(IpRecord {
            range: Some(range),
            origin: ctx.origin(format!("{name}:{line}")),
            country: Some(country.to_ascii_uppercase()),
            ..Default::default()
        });
    }
    Ok(rows.rows())
}

/// Registration countries by range, both families, for [`Countries::of`].
#[derive(Debug, Default)]
pub struct Countries {
    /// `(first, last, country)` sorted by first; IPv4 as its 32-bit number.
    v4: Vec<(u128, u128, [u8; 2])>,
    v6: Vec<(u128, u128, [u8; 2])>,
}

impl Countries {
    /// Reads every file (bad rows are skipped, or the first fails in strict mode; they are
    /// counted in `ctx.errors` beside the ASN table's own).
    ///
    /// # Errors
    /// As [`read`].
    pub fn load(paths: &[PathBuf], ctx: &mut ReadContext) -> Result<Countries> {
        let mut c = Countries::default();
        for p in paths {
            read(p, ctx, &mut |r| {
                if let (Some(range), Some(cc)) = (r.range, r.country.as_deref()) {
                    let code = [cc.as_bytes()[0], cc.as_bytes()[1]];
                    let table = if range.first().is_ipv6() { &mut c.v6 } else { &mut c.v4 };
                    table.push((addr_num(range.first()), addr_num(range.last()), code));
                }
            })?;
        }
        c.v4.sort_unstable();
        c.v6.sort_unstable();
        Ok(c)
    }

    /// The country of the range that holds `range` whole: the one starting last at or before
    /// its first address, if it reaches its last. `None` when no range does, or when that
    /// range ends earlier (a holder's range across two registrations has no one country).
    pub fn of(&self, range: IpRange) -> Option<[u8; 2]> {
        let table = if range.first().is_ipv6() { &self.v6 } else { &self.v4 };
        let (s, e) = (addr_num(range.first()), addr_num(range.last()));
        let i = table.partition_point(|&(a, _, _)| a <= s).checked_sub(1)?;
        let (_, last, code) = table[i];
        (last >= e).then_some(code)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::compile::sources::common::ErrorLog;

    fn table(text: &str) -> Countries {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.csv");
        std::fs::write(&p, text).unwrap();
        let mut log = ErrorLog::new(0);
        let mut ctx = ReadContext { source: "countries", version: "", strict: false, errors: &mut log };
        Countries::load(&[p], &mut ctx).unwrap()
    }

    fn r(a: &str, b: &str) -> IpRange {
        IpRange::new(a.parse().unwrap(), b.parse().unwrap()).unwrap()
    }

    #[test]
    fn a_range_takes_the_country_that_holds_it_whole() {
        let c =
            table("1.0.0.0,1.0.0.255,AU\n1.0.1.0,1.0.3.255,cn\n2a00::,2a00:ffff:ffff:ffff:ffff:ffff:ffff:ffff,NL\n");
        assert_eq!(c.of(r("1.0.0.0", "1.0.0.127")), Some(*b"AU"));
        assert_eq!(c.of(r("1.0.2.0", "1.0.3.255")), Some(*b"CN"));
        assert_eq!(c.of(r("2a00:1::", "2a00:1::ffff")), Some(*b"NL"));
        // Across two registrations, outside every range, before the first: no country.
        assert_eq!(c.of(r("1.0.0.128", "1.0.1.5")), None);
        assert_eq!(c.of(r("1.0.4.0", "1.0.4.255")), None);
        assert_eq!(c.of(r("0.255.0.0", "0.255.0.1")), None);
        assert_eq!(c.of(r("2001::", "2001::1")), None);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        for (row, what) in [
            ("1.0.0.0,1.0.0.255,AUS", "country"),
            ("1.0.0.9,1.0.0.0,AU", "1.0.0.9"),
            ("1.0.0.0,nope,AU", "bad end address"),
            ("1.0.0.0,1.0.0.255", "expected 3 fields"),
        ] {
            let p = dir.path().join("c.csv");
            std::fs::write(&p, format!("1.0.1.0,1.0.1.255,CN\n{row}\n")).unwrap();
            let mut log = ErrorLog::default();
            let mut ctx = ReadContext { source: "c", version: "", strict: true, errors: &mut log };
            let e = read(&p, &mut ctx, &mut |_| {}).unwrap_err().to_string();
            assert!(e.contains("c.csv") && e.contains(":2") && e.contains(what), "{row}: {e}");
        }
    }
}
