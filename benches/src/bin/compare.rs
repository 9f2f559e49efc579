//! Side-by-side: the `maxminddb` crate against ipfirm on the same real data.
//!
//! ```text
//! benches/fetch-data.sh
//! cargo run --release -p ipfirm-benches --bin compare -- --mmdb bench-data/geo-whois-asn-country.mmdb
//! ```
//!
//! Imports the MMDB into an ipfirm file (`ipfirm::mmdb::import_mmdb`), draws `--queries`
//! addresses per family (half uniform random, half inside stored ranges; seeded), checks that
//! every answer is equal (maxminddb lookup + decode of `country_code`,
//! `autonomous_system_number` and `autonomous_system_organization` / `organization` / `isp`,
//! against ipfirm's `country()`, `asn()` and `asn_org()`) and that `lookup_batch` equals
//! `lookup`, then prints ns per lookup for maxminddb, ipfirm single and ipfirm batch, IPv4 and
//! IPv6 separately, with the ratios. Then the index bytes per IPv4 range, and batch vs single
//! on a synthetic table of 10 M IPv4 ranges (far larger than the last-level cache).
//!
//! Without `--mmdb` it uses `bench-data/geo-whois-asn-country.mmdb` when present, else the
//! largest MaxMind test database under `../shared/data-raw` (tiny: a smoke run, not a bench),
//! and says which.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use ipfirm::format::{ArchivedBody, HEADER_LEN, Header};
use ipfirm::{Database, DatabaseBuilder};
use ipfirm_benches::{
    CpuClock, SEED, Synthetic, bench_data_dir, inside, ranges, rng, shuffle, synthetic_file, uniform_v4, uniform_v6,
};
use serde::Deserialize;

/// The fields both sides decode.
#[derive(Debug, Deserialize, Default)]
struct Fields<'a> {
    #[serde(borrow)]
    country_code: Option<&'a str>,
    autonomous_system_number: Option<u32>,
    #[serde(borrow)]
    autonomous_system_organization: Option<&'a str>,
    #[serde(borrow)]
    organization: Option<&'a str>,
    #[serde(borrow)]
    isp: Option<&'a str>,
}

/// One answer in a comparable shape: (country, asn, holder name).
type Answer<'a> = (Option<&'a str>, Option<u32>, Option<&'a str>);

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl<'a> Fields<'a> {
    /// As ipfirm's importer maps them: the AS organisation, else organisation, else ISP.
    fn answer(&self) -> Answer<'a> {
        let holder =
            nonempty(self.autonomous_system_organization).or(nonempty(self.organization)).or(nonempty(self.isp));
        (self.country_code, self.autonomous_system_number, holder)
    }
}

fn ipfirm_answer<'a>(m: Option<ipfirm::Match<'a>>) -> Answer<'a> {
    m.map_or((None, None, None), |m| (m.country(), m.asn(), m.asn_org()))
}

struct Args {
    mmdb: Option<PathBuf>,
    queries: usize,
    synthetic: usize,
    rounds: usize,
    /// Which families to compare: IPv4, IPv6 or both (an IPv4-only MMDB has no IPv6 tree).
    families: Vec<bool>,
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        mmdb: None,
        queries: 1_000_000,
        synthetic: Synthetic::TEN_MILLION.v4_ranges,
        rounds: 3,
        families: vec![false, true],
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--mmdb" => a.mmdb = Some(PathBuf::from(value()?)),
            "--queries" => a.queries = value()?.parse().context("--queries: a number")?,
            "--synthetic-ranges" => a.synthetic = value()?.parse().context("--synthetic-ranges: a number")?,
            "--rounds" => a.rounds = value()?.parse::<usize>().context("--rounds: a number")?.max(1),
            "--family" => {
                a.families = match value()?.as_str() {
                    "v4" => vec![false],
                    "v6" => vec![true],
                    "both" => vec![false, true],
                    other => bail!("--family: v4, v6 or both, not {other:?}"),
                }
            }
            "-h" | "--help" => {
                println!(
                    "compare [--mmdb FILE] [--queries N per family, default 1000000] \
                     [--synthetic-ranges N, default 10000000, 0 = skip] [--rounds R, default 3] \
                     [--family v4|v6|both, default both]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(a)
}

/// The MMDB to use and a line saying where it came from.
fn pick_mmdb(given: Option<PathBuf>) -> Result<(PathBuf, String)> {
    if let Some(p) = given {
        return Ok((p.clone(), format!("{} (given with --mmdb)", p.display())));
    }
    let fetched = bench_data_dir().join("geo-whois-asn-country.mmdb");
    if fetched.exists() {
        return Ok((fetched, "bench-data/geo-whois-asn-country.mmdb (npm @ip-location-db/geo-whois-asn-country-mmdb, benches/fetch-data.sh)".into()));
    }
    let raw = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data-raw/maxmind-test-data/test-data/GeoIP2-ISP-Test.mmdb");
    if raw.exists() {
        eprintln!(
            "NOTE: bench-data/geo-whois-asn-country.mmdb missing (run benches/fetch-data.sh); using the tiny MaxMind test file: a smoke run, not a meaningful bench"
        );
        return Ok((
            raw,
            "../shared/data-raw/maxmind-test-data/test-data/GeoIP2-ISP-Test.mmdb (tiny test database)".into(),
        ));
    }
    bail!("no MMDB: pass --mmdb FILE or run benches/fetch-data.sh")
}

/// Best (smallest) ns per element over `rounds` runs of `f`, which handles `n` elements.
fn time_ns(rounds: usize, n: usize, mut f: impl FnMut() -> u64) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let t = CpuClock::start();
        black_box(f());
        best = best.min(t.elapsed_ns() / n.max(1) as f64);
    }
    best
}

fn hash(a: &Answer<'_>) -> u64 {
    let c = a.0.map_or(0, |s| s.as_bytes().iter().fold(0u64, |h, &b| h * 31 + b as u64));
    c ^ a.1.unwrap_or(0) as u64 ^ a.2.map_or(0, |s| s.len() as u64)
}

/// Index bytes of each family (top table, fences, starts and values as archived) and its
/// slot count (ranges plus gaps).
fn index_bytes(db: &Database) -> Result<(usize, usize, usize, usize)> {
    let bytes = db.as_bytes();
    let h = Header::decode(bytes)?;
    let body = rkyv::access::<ArchivedBody, rkyv::rancor::Error>(&bytes[HEADER_LEN..HEADER_LEN + h.body_len as usize])?;
    let (v4, v6) = (&body.v4, &body.v6);
    let size = |top: usize, fences: usize, starts: usize, values: usize| top + fences + starts + values;
    Ok((
        size(
            std::mem::size_of_val(&v4.top[..]),
            std::mem::size_of_val(&v4.fences[..]),
            std::mem::size_of_val(&v4.starts[..]),
            std::mem::size_of_val(&v4.values[..]),
        ),
        v4.starts.len(),
        size(
            std::mem::size_of_val(&v6.top[..]),
            std::mem::size_of_val(&v6.fences[..]),
            std::mem::size_of_val(&v6.starts[..]),
            std::mem::size_of_val(&v6.values[..]),
        ),
        v6.starts.len(),
    ))
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let (mmdb, source) = pick_mmdb(args.mmdb)?;
    println!("# ipfirm vs maxminddb");
    println!();
    println!("- data: {source}");
    println!("- machine: {} cores, {}", std::thread::available_parallelism().map_or(0, |n| n.get()), cpu_model());
    println!("- timing: best of {} rounds, {}; load average at start: {}", args.rounds, CpuClock::kind(), loadavg());

    let reader = maxminddb::Reader::open_readfile(&mmdb).with_context(|| format!("opening {}", mmdb.display()))?;
    let t = Instant::now();
    let mut b = DatabaseBuilder::new();
    let stats = ipfirm::mmdb::import_mmdb(&mmdb, &mut b, "compare")?;
    let out =
        bench_data_dir().join(format!("{}.ipfirm", mmdb.file_stem().and_then(|s| s.to_str()).unwrap_or("import")));
    std::fs::create_dir_all(bench_data_dir())?;
    b.finish_to_path(&out)?;
    let db = Database::open(&out)?;
    println!(
        "- imported {} networks in {:.1} s: {} IPv4 + {} IPv6 ranges, MMDB {} bytes, ipfirm file {} bytes ({})",
        stats.networks,
        t.elapsed().as_secs_f64(),
        db.metadata().ipv4_ranges,
        db.metadata().ipv6_ranges,
        std::fs::metadata(&mmdb)?.len(),
        db.as_bytes().len(),
        out.display()
    );

    let mut r = rng(SEED);
    let n = args.queries;
    let mut results = Vec::new();
    for &v6 in &args.families {
        let family = if v6 { "IPv6" } else { "IPv4" };
        let stored = ranges(&db, v6);
        let mut q = if v6 { uniform_v6(&mut r, n - n / 2) } else { uniform_v4(&mut r, n - n / 2) };
        q.extend(inside(&mut r, &stored, v6, n / 2));
        shuffle(&mut r, &mut q);

        // Every answer equal, and batch == single.
        let mut mismatches = 0usize;
        let mut alias_diffs = 0usize;
        let mut found = 0usize;
        let batch = db.lookup_batch(&q);
        for (ip, got_batch) in q.iter().zip(&batch) {
            let mm: Fields<'_> = reader.lookup(*ip)?.decode()?.unwrap_or_default();
            let single = db.lookup(*ip);
            found += single.is_some() as usize;
            if *got_batch != single {
                bail!("{family}: lookup_batch differs from lookup");
            }
            let (a, b) = (mm.answer(), ipfirm_answer(single));
            if a != b && ipv4_alias(ip) {
                alias_diffs += 1;
            } else if a != b {
                if mismatches < 5 {
                    eprintln!("MISMATCH {ip}: maxminddb {a:?}, ipfirm {b:?}");
                }
                mismatches += 1;
            }
        }
        println!(
            "- {family}: {} queries ({} uniform{}, {} inside stored ranges), {} found, {} mismatches",
            q.len(),
            n - n / 2,
            if v6 { " in 2000::/3" } else { "" },
            n / 2,
            found,
            mismatches
        );
        if alias_diffs > 0 {
            println!(
                "  - NOTE: {alias_diffs} answers differ inside 2002::/16 (6to4) or 2001::/32 (Teredo), which this MMDB \
                 aliases to its IPv4 tree; ipfirm maps only ::ffff:0:0/96 to IPv4 and the importer skips aliases"
            );
        }
        if mismatches > 0 {
            bail!("{family}: {mismatches} answers differ between maxminddb and ipfirm");
        }

        let mm_ns = time_ns(args.rounds, q.len(), || {
            let mut h = 0u64;
            for &ip in &q {
                let f: Fields<'_> = reader.lookup(ip).ok().and_then(|l| l.decode().ok().flatten()).unwrap_or_default();
                h = h.wrapping_add(hash(&f.answer()));
            }
            h
        });
        let single_ns = time_ns(args.rounds, q.len(), || {
            let mut h = 0u64;
            for &ip in &q {
                h = h.wrapping_add(hash(&ipfirm_answer(db.lookup(ip))));
            }
            h
        });
        let mut out = Vec::with_capacity(1024);
        let batch_ns = time_ns(args.rounds, q.len(), || {
            let mut h = 0u64;
            for chunk in q.chunks(1024) {
                out.clear();
                db.lookup_batch_into(chunk, &mut out);
                for m in &out {
                    h = h.wrapping_add(hash(&ipfirm_answer(*m)));
                }
            }
            h
        });
        results.push((family, mm_ns, single_ns, batch_ns));
    }

    println!();
    println!(
        "| family | maxminddb ns/lookup | ipfirm single ns | ipfirm batch ns | single speed-up | batch speed-up |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (family, mm, single, batch) in &results {
        println!("| {family} | {mm:.1} | {single:.1} | {batch:.1} | {:.1}× | {:.1}× |", mm / single, mm / batch);
    }

    let (b4, n4, b6, n6) = index_bytes(&db)?;
    let (r4, r6) = (db.metadata().ipv4_ranges.max(1), db.metadata().ipv6_ranges.max(1));
    println!();
    println!(
        "- index bytes: IPv4 {b4} for {r4} ranges ({n4} slots incl. gaps) = {:.2} B/range; IPv6 {b6} for {r6} ranges ({n6} slots) = {:.2} B/range",
        b4 as f64 / r4 as f64,
        b6 as f64 / r6 as f64
    );

    if args.synthetic > 0 {
        let spec = Synthetic { v4_ranges: args.synthetic, ..Synthetic::TEN_MILLION };
        let path = synthetic_file(spec)?;
        // SAFETY: a bench-owned file nobody modifies while this program runs.
        #[allow(unsafe_code)]
        let big = unsafe { Database::open_mmap(&path) }?;
        let q = uniform_v4(&mut r, n);
        let batch = big.lookup_batch(&q);
        if q.iter().zip(&batch).any(|(ip, m)| big.lookup(*ip) != *m) {
            bail!("synthetic: lookup_batch differs from lookup");
        }
        let single_ns = time_ns(args.rounds, q.len(), || {
            q.iter().map(|&ip| big.lookup(ip).and_then(|m| m.asn()).unwrap_or(0) as u64).sum()
        });
        let mut out = Vec::with_capacity(1024);
        let batch_ns = time_ns(args.rounds, q.len(), || {
            let mut h = 0u64;
            for chunk in q.chunks(1024) {
                out.clear();
                big.lookup_batch_into(chunk, &mut out);
                h += out.iter().map(|m| m.and_then(|m| m.asn()).unwrap_or(0) as u64).sum::<u64>();
            }
            h
        });
        let (b4, n4, _, _) = index_bytes(&big)?;
        let ranges = big.metadata().ipv4_ranges.max(1);
        println!(
            "- synthetic {} IPv4 ranges ({n4} slots incl. gaps, index {:.1} MB = {:.2} B/range), {} uniform queries: single {single_ns:.1} ns, batch {batch_ns:.1} ns, batch speed-up {:.2}×",
            ranges,
            b4 as f64 / 1e6,
            b4 as f64 / ranges as f64,
            q.len(),
            single_ns / batch_ns
        );
    }
    Ok(())
}

/// In a prefix that MaxMind-style writers alias to the IPv4 tree (6to4, Teredo).
fn ipv4_alias(ip: &std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V6(a) => {
            let s = a.segments();
            s[0] == 0x2002 || (s[0] == 0x2001 && s[1] == 0)
        }
        std::net::IpAddr::V4(_) => false,
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map_or_else(|_| "unknown".into(), |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}
