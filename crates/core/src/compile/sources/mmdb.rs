//! MaxMind DB files (GeoIP2 / GeoLite2 ASN, ISP, Enterprise, Connection-Type, Anonymous-IP;
//! IPinfo and ip-location-db MMDBs) through [`crate::mmdb::MmdbFile`].

use std::path::Path;

use crate::class::Class;
use crate::compile::records::{IpRecord, SourceHint};
use crate::compile::sources::common::ReadContext;
use crate::error::Result;
use crate::mmdb::MmdbFile;

/// Reads every network of the MMDB at `path`, giving one record each to `out`; returns the
/// networks read.
///
/// Fields: `range`, `asn`, `org_name` (organization, else ISP, else AS organisation), `domain`,
/// `country`, and `hint` when the record's own flags give a class (the label is the reason code,
/// e.g. `mobile:mmdb:user_type:cellular`). `origin.record_key` is the network (`1.0.0.0/24`);
/// when the context's version is empty the file's build date is used.
///
/// # Errors
/// [`crate::Error::Mmdb`] naming the file when it cannot be opened or decoded (an MMDB is not
/// line-oriented, so a damaged file fails as a whole, strict or not).
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(IpRecord)) -> Result<u64> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(crate::Error::io(path, e));
    }
    let file = MmdbFile::open(path)?;
    let version = if ctx.version.is_empty() { epoch_date(file.build_epoch()) } else { ctx.version.to_string() };
    let mut n = 0u64;
    file.for_each(|net, rec| {
        n += 1;
        let (class, label) = rec.class();
        out(IpRecord {
            range: Some(net.into()),
            origin: crate::compile::records::Origin {
                source: ctx.source.to_string(),
                version: version.clone(),
                record_key: net.to_string(),
            },
            asn: rec.asn,
            org_name: rec.holder_name().map(String::from),
            domain: rec.domain.clone(),
            country: rec.country.clone(),
            hint: (class != Class::Unknown).then_some(SourceHint { class, label }),
            ..Default::default()
        });
        Ok(())
    })?;
    Ok(n)
}

/// `YYYY-MM-DD` of a Unix time (UTC), by the civil-from-days algorithm.
fn epoch_date(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_dates() {
        assert_eq!(epoch_date(0), "1970-01-01");
        // 2000-02-29 is day 11016 since the epoch.
        assert_eq!(epoch_date(11_016 * 86_400 + 5), "2000-02-29");
        assert_eq!(epoch_date(951_868_800), "2000-03-01");
    }
}
