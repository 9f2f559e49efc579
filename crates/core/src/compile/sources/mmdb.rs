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
/// e.g. `mobile:mmdb:user_type:cellular`). When the context's version is empty the file's build
/// date is used.
///
/// `origin.record_key` names the MMDB *record*, not the network: `GeoIP2-ISP-Test.mmdb@1234`,
/// the file name and the record's offset in the data section ([`crate::mmdb::record_key`], as
/// [`crate::mmdb::import_mmdb`] keys it). Networks that point at the same record then carry
/// the same provenance, so adjacent ones merge into one range in the database; a per-network
/// key kept them apart (the ip-location-db country MMDB: 83 MB with network keys, 9 MB with
/// record keys). The network itself is the record's `range`, and every answer carries its
/// matched range.
///
/// An IPv6 MMDB with IPv4 data also answers 6to4 (`2002::/16`) and Teredo (`2001::/32`)
/// addresses from its IPv4 networks, as MaxMind readers do: those alias networks
/// ([`MmdbFile::for_each_ipv4_alias`], the same ones [`crate::mmdb::import_mmdb`] inserts)
/// are given too, after the plain networks, keyed `…@1234#6to4-alias` / `…#teredo-alias`.
/// A prefix holding its own data is never aliased; `::ffff:0:0/96` is not given (lookup maps
/// it to IPv4). The count returned includes them.
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
    let name = crate::mmdb::file_name(path);
    let mut n = 0u64;
    let mut give = |net: ipnet::IpNet, rec: crate::mmdb::MmdbRecord, alias: bool| {
        n += 1;
        let (class, label) = rec.class();
        out(IpRecord {
            range: Some(net.into()),
            origin: crate::compile::records::Origin {
                source: ctx.source.to_string(),
                version: version.clone(),
                record_key: crate::mmdb::record_key(&name, rec.data_offset, net, alias),
            },
            asn: rec.asn,
            org_name: rec.holder_name().map(String::from),
            domain: rec.domain,
            country: rec.country,
            hint: (class != Class::Unknown).then_some(SourceHint { class, label, authoritative: true }),
            ..Default::default()
        });
        Ok(())
    };
    file.for_each(|net, rec| give(net, rec, false))?;
    file.for_each_ipv4_alias(|net, rec| give(net, rec, true))?;
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::compile::sources::ErrorLog;
    use std::net::IpAddr;
    use std::path::PathBuf;

    fn samples() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples");
        let mut v: Vec<PathBuf> = ["sources/mmdb", "mmdb"]
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "mmdb"))
            .collect();
        v.sort();
        v
    }

    fn read_all(path: &Path) -> Vec<IpRecord> {
        let mut log = ErrorLog::default();
        let mut ctx = ReadContext { source: "m", version: "", strict: true, errors: &mut log };
        let mut out = Vec::new();
        read(path, &mut ctx, &mut |r| out.push(r)).unwrap();
        out
    }

    fn bounds(r: &IpRecord) -> (IpAddr, IpAddr) {
        let range = r.range.unwrap();
        (range.first(), range.last())
    }

    fn next(a: IpAddr) -> Option<IpAddr> {
        match a {
            IpAddr::V4(v) => u32::from(v).checked_add(1).map(|n| IpAddr::V4(n.into())),
            IpAddr::V6(v) => u128::from(v).checked_add(1).map(|n| IpAddr::V6(n.into())),
        }
    }

    #[test]
    fn record_keys_follow_the_mmdb_records() {
        // Independently of the adapter: the reader's own offsets per network.
        let mut total_aliases = 0;
        for path in samples() {
            let file = MmdbFile::open(&path).unwrap();
            let (mut offsets, mut aliases) = (Vec::new(), Vec::new());
            let push = |to: &mut Vec<_>, net, rec: crate::mmdb::MmdbRecord| {
                to.push((net, rec.data_offset.unwrap()));
                Ok(())
            };
            file.for_each(|net, rec| push(&mut offsets, net, rec)).unwrap();
            file.for_each_ipv4_alias(|net, rec| push(&mut aliases, net, rec)).unwrap();
            let recs = read_all(&path);
            assert_eq!(recs.len(), offsets.len() + aliases.len(), "{}", path.display());
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let (plain, alias) = recs.split_at(offsets.len());
            for (r, (net, off)) in plain.iter().zip(&offsets) {
                assert_eq!(r.range, Some((*net).into()));
                assert_eq!(r.origin.record_key, format!("{file}@{off}"));
            }
            for (r, (net, off)) in alias.iter().zip(&aliases) {
                assert_eq!(r.range, Some((*net).into()));
                // 6to4 is 2002::/16, Teredo 2001::/32 (RFC 3056, RFC 4380).
                let IpAddr::V6(a) = net.network() else { panic!("{net}: an alias is IPv6") };
                let kind = match a.segments() {
                    [0x2002, ..] => "6to4",
                    [0x2001, 0, ..] => "teredo",
                    _ => panic!("{net} is neither 6to4 nor Teredo"),
                };
                assert_eq!(r.origin.record_key, format!("{file}@{off}#{kind}-alias"));
                // The alias carries the data of the IPv4 network it stands for.
                let v4 = match kind {
                    "6to4" => (u128::from(a) >> 80) as u32,
                    _ => (u128::from(a) >> 64) as u32,
                };
                let v4 = std::net::Ipv4Addr::from(v4);
                let i = offsets.iter().position(|(n, _)| n.contains(&IpAddr::V4(v4))).unwrap();
                assert_eq!(offsets[i].1, *off, "{net} is the alias of {}", offsets[i].0);
            }
            total_aliases += aliases.len();
        }
        println!("{total_aliases} alias networks in the sample MMDBs");
        assert!(total_aliases > 0, "MaxMind's test MMDBs are IPv6 trees with 6to4 and Teredo aliases");
    }

    #[test]
    fn adjacent_networks_with_the_same_record_merge_in_the_build() {
        // Every pair of adjacent networks pointing at the same record, in every sample MMDB.
        let (mut checked, mut split) = (0, 0);
        for path in samples() {
            let recs = read_all(&path);
            // Which networks share a record: the reader's own offsets, not the adapter's keys.
            let mut offsets = Vec::new();
            MmdbFile::open(&path)
                .unwrap()
                .for_each(|_, rec| {
                    offsets.push(rec.data_offset);
                    Ok(())
                })
                .unwrap();
            // The plain networks come first (the aliases after them).
            let pairs: Vec<(&IpRecord, &IpRecord)> = (1..offsets.len())
                .filter(|&i| offsets[i].is_some() && offsets[i - 1] == offsets[i])
                .map(|i| (&recs[i - 1], &recs[i]))
                .filter(|(a, b)| next(bounds(a).1) == Some(bounds(b).0))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let dir = tempfile::tempdir().unwrap();
            let config = dir.path().join("one.toml");
            let text = format!("[[source]]\nname = \"m\"\nkind = \"mmdb\"\npath = {:?}\n", path.display().to_string());
            std::fs::write(&config, text).unwrap();
            let out = dir.path().join("one.db");
            crate::compile::build(&config, &out, &Default::default()).unwrap();
            let db = crate::Database::open(&out).unwrap();
            for (a, b) in pairs {
                let (first, _) = bounds(a);
                let (second, last) = bounds(b);
                let (ma, mb) = (db.lookup(first).unwrap(), db.lookup(second).unwrap());
                // The classification rules may tell the two apart by size (a large-allocation
                // rule): then they are rightly two ranges. Otherwise nothing may keep them
                // apart — the source record's key included, which is what this test is about.
                let said = |m: &crate::Match| {
                    let rules: Vec<String> =
                        m.provenance().skip(1).map(|p| format!("{}|{}", p.source, p.record_key)).collect();
                    (m.class(), m.reason().to_string(), m.confidence(), m.company().map(|c| c.index()), rules)
                };
                if said(&ma) != said(&mb) {
                    split += 1;
                    continue;
                }
                let range = ma.range();
                assert!(
                    range.contains(first) && range.contains(last),
                    "{}: {} and {} share record {} and say the same, but the database splits them at {range}",
                    path.display(),
                    a.range.unwrap(),
                    b.range.unwrap(),
                    a.origin.record_key
                );
                assert_eq!(ma.provenance().next().unwrap().record_key, a.origin.record_key);
                checked += 1;
            }
        }
        println!("{checked} adjacent pairs sharing a record merged; {split} told apart by the rules");
        assert!(checked > 0, "no sample MMDB has adjacent networks sharing a record");
    }

    #[test]
    fn epoch_dates() {
        assert_eq!(epoch_date(0), "1970-01-01");
        // 2000-02-29 is day 11016 since the epoch.
        assert_eq!(epoch_date(11_016 * 86_400 + 5), "2000-02-29");
        assert_eq!(epoch_date(951_868_800), "2000-03-01");
    }
}
