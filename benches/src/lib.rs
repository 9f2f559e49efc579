//! Shared bench helpers: seeded generators of databases and query addresses, and the
//! `bench-data/` directory where generated and fetched files are kept between runs.
//!
//! Everything here is deterministic for a given seed, so two runs (or two machines) bench the
//! same databases and the same queries.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use ipfirm::{Class, Company, Database, DatabaseBuilder, Entry, IpRange};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The seed every bench uses unless told otherwise.
pub const SEED: u64 = 0x1bf1_2026;

/// A seeded random number generator.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// The directory for generated and fetched bench files: `$IPFIRM_BENCH_DATA`, else
/// `bench-data/` at the workspace root (gitignored).
pub fn bench_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("IPFIRM_BENCH_DATA") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).join("bench-data")
}

/// The shape of a synthetic database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Synthetic {
    /// IPv4 ranges (about; a few are lost to duplicate random starts).
    pub v4_ranges: usize,
    /// IPv6 ranges (about).
    pub v6_ranges: usize,
    /// Distinct entries the ranges draw from.
    pub entries: u32,
    /// Seed.
    pub seed: u64,
}

impl Synthetic {
    /// About the size of a real full ASN table (ip-location-db: 412 k IPv4, 103 k IPv6 rows).
    pub const REAL_SIZE: Synthetic = Synthetic { v4_ranges: 500_000, v6_ranges: 200_000, entries: 80_000, seed: SEED };
    /// Far larger than a last-level cache: 10 M IPv4 ranges (80 MB of index).
    pub const TEN_MILLION: Synthetic = Synthetic { v4_ranges: 10_000_000, v6_ranges: 0, entries: 80_000, seed: SEED };

    /// The file name this shape is cached under in [`bench_data_dir`].
    pub fn file_name(&self) -> String {
        format!("synthetic-v4_{}-v6_{}-e{}-s{:x}.ipfirm", self.v4_ranges, self.v6_ranges, self.entries, self.seed)
    }
}

/// Entry number `k` of the synthetic pool: every class, an AS number and name, a country,
/// and a company for shown classes.
fn synthetic_entry(b: &mut DatabaseBuilder, k: u32) -> Entry {
    let class = Class::ALL[(k % Class::ALL.len() as u32) as usize];
    let country = [b'A' + (k % 26) as u8, b'A' + (k / 26 % 26) as u8];
    let country = String::from_utf8_lossy(&country).into_owned();
    let company = class.is_shown().then(|| {
        b.add_company(Company {
            legal_name: format!("Example Company {k} B.V."),
            country: Some(country.clone()),
            domain: Some(format!("company{k}.example")),
            ..Default::default()
        })
    });
    Entry {
        class,
        reason: format!("{}:synthetic", class.name()),
        confidence: (k % 101) as u8,
        company,
        asn: Some(64_512 + k),
        asn_org: Some(format!("AS{k} Example Networks")),
        provenance: Vec::new(),
        country: Some(country),
    }
}

/// Sorted distinct random values from `draw`.
fn sorted_starts<K: Ord>(n: usize, mut draw: impl FnMut() -> K) -> Vec<K> {
    let mut v: Vec<K> = (0..n).map(|_| draw()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The global-unicast IPv6 space the generators draw from: `2000::/3`.
const V6_LO: u128 = 0x2000u128 << 112;
const V6_HI: u128 = (0x4000u128 << 112) - 1;

/// A builder holding a synthetic database: random non-overlapping ranges that tile the IPv4
/// space and `2000::/3`, one in eight left as a gap, each other range with a random entry
/// from a pool of `spec.entries`.
pub fn synthetic_builder(spec: Synthetic) -> Result<DatabaseBuilder> {
    let mut r = rng(spec.seed);
    let mut b = DatabaseBuilder::new();
    let pool: Vec<Entry> = (0..spec.entries.max(1)).map(|k| synthetic_entry(&mut b, k)).collect();
    let v4 = sorted_starts(spec.v4_ranges, || r.random::<u32>());
    for (i, &s) in v4.iter().enumerate() {
        let e = v4.get(i + 1).map_or(u32::MAX, |n| n - 1);
        if r.random_ratio(1, 8) {
            continue;
        }
        let range = IpRange::new(Ipv4Addr::from(s).into(), Ipv4Addr::from(e).into())?;
        b.insert(range, pool[r.random_range(0..pool.len())].clone())?;
    }
    // IPv6 starts on /64 boundaries, as real allocations are.
    let v6 = sorted_starts(spec.v6_ranges, || r.random_range(V6_LO..=V6_HI) & !((1u128 << 64) - 1));
    for (i, &s) in v6.iter().enumerate() {
        let e = v6.get(i + 1).map_or(V6_HI, |n| n - 1);
        if r.random_ratio(1, 8) {
            continue;
        }
        let range = IpRange::new(Ipv6Addr::from(s).into(), Ipv6Addr::from(e).into())?;
        b.insert(range, pool[r.random_range(0..pool.len())].clone())?;
    }
    Ok(b)
}

/// The synthetic database `spec` as a file in [`bench_data_dir`], generated (and reported on
/// stderr) when missing.
pub fn synthetic_file(spec: Synthetic) -> Result<PathBuf> {
    let dir = bench_data_dir();
    let path = dir.join(spec.file_name());
    if !opens(&path) {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        eprintln!("generating {} (one time; cached in {}) …", spec.file_name(), dir.display());
        let t = Instant::now();
        synthetic_builder(spec)?.finish_to_path(&path)?;
        eprintln!("  done in {:.1} s", t.elapsed().as_secs_f64());
    }
    Ok(path)
}

/// True when `path` holds a database this build can open (a cached file from an older
/// layout is generated again).
fn opens(path: &Path) -> bool {
    // SAFETY: bench-owned files nobody modifies while the benches run.
    #[allow(unsafe_code)]
    let db = unsafe { Database::open_mmap(path) };
    db.is_ok()
}

/// A database of about `target_bytes` bytes whose size is mostly company strings (long
/// addresses), cheap to generate: for the open-time benches. Cached in [`bench_data_dir`].
pub fn sized_file(target_bytes: u64) -> Result<PathBuf> {
    let dir = bench_data_dir();
    let path = dir.join(format!("sized-{target_bytes}.ipfirm"));
    if opens(&path) {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    eprintln!("generating {} (one time; cached) …", path.display());
    let t = Instant::now();
    let mut b = synthetic_builder(Synthetic { v4_ranges: 20_000, v6_ranges: 5_000, entries: 1000, seed: SEED })?;
    let have = 1_500_000u64; // about what the ranges above take
    let per_company = 64 * 1024usize;
    let companies = target_bytes.saturating_sub(have) / per_company as u64;
    let mut r = rng(SEED ^ 0x5122);
    let block: Vec<u8> = (0..per_company).map(|_| r.random_range(b'a'..=b'z')).collect();
    for c in 0..companies {
        // Each address differs in its prefix, so the string table cannot share them.
        let mut address = format!("{c:012} ");
        address.push_str(std::str::from_utf8(&block[..per_company - 13]).unwrap_or_default());
        let company = b.add_company(Company {
            legal_name: format!("Sized Company {c} Ltd"),
            address: Some(address),
            ..Default::default()
        });
        let net = Ipv4Addr::from(0x0A00_0000u32 + c as u32 * 4);
        let range = IpRange::new(net.into(), Ipv4Addr::from(u32::from(net) + 3).into())?;
        let entry = Entry {
            class: Class::Business,
            reason: "business:sized".into(),
            company: Some(company),
            ..Default::default()
        };
        b.insert(range, entry)?;
    }
    b.finish_to_path(&path)?;
    let len = std::fs::metadata(&path)?.len();
    eprintln!("  {len} bytes in {:.1} s", t.elapsed().as_secs_f64());
    Ok(path)
}

/// `n` uniformly random IPv4 addresses.
pub fn uniform_v4(r: &mut StdRng, n: usize) -> Vec<IpAddr> {
    (0..n).map(|_| IpAddr::V4(Ipv4Addr::from(r.random::<u32>()))).collect()
}

/// `n` uniformly random IPv6 addresses in `2000::/3` (global unicast: where every allocation
/// is; uniform over all of `::/0` would be 7/8 misses below the first range).
pub fn uniform_v6(r: &mut StdRng, n: usize) -> Vec<IpAddr> {
    (0..n).map(|_| IpAddr::V6(Ipv6Addr::from(r.random_range(V6_LO..=V6_HI)))).collect()
}

/// The ranges of `db` of one family (`v6 == false`: IPv4), as `(first, last)`.
pub fn ranges(db: &Database, v6: bool) -> Vec<(u128, u128)> {
    let bits = |a: IpAddr| match a {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    };
    db.iter()
        .map(|m| m.range())
        .filter(|r| r.first().is_ipv6() == v6)
        .map(|r| (bits(r.first()), bits(r.last())))
        .collect()
}

/// `n` addresses inside random stored ranges of one family (every range equally likely).
pub fn inside(r: &mut StdRng, ranges: &[(u128, u128)], v6: bool, n: usize) -> Vec<IpAddr> {
    if ranges.is_empty() {
        return Vec::new();
    }
    (0..n)
        .map(|_| {
            let (a, b) = ranges[r.random_range(0..ranges.len())];
            let x = r.random_range(a..=b);
            if v6 { IpAddr::V6(Ipv6Addr::from(x)) } else { IpAddr::V4(Ipv4Addr::from(x as u32)) }
        })
        .collect()
}

/// `n` addresses `db` has no range for, drawn with `draw` (rejection sampling; gives up with
/// fewer after `100 n` draws).
pub fn misses(db: &Database, n: usize, mut draw: impl FnMut() -> IpAddr) -> Vec<IpAddr> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n.saturating_mul(100) {
        if out.len() == n {
            break;
        }
        let a = draw();
        if db.lookup(a).is_none() {
            out.push(a);
        }
    }
    out
}

/// A clock for timing loops on a shared machine: this thread's CPU time in nanoseconds
/// (`CLOCK_THREAD_CPUTIME_ID`, so time spent waiting for a core is not counted), or wall time
/// where that clock is missing. Other programs still share the caches.
///
/// (Not `/proc/thread-self/schedstat`: on this kernel it advances in 4 ms ticks, a 4 ns
/// granularity on a loop of a million lookups.)
#[derive(Debug, Clone, Copy)]
pub struct CpuClock {
    start_cpu: Option<u64>,
    start_wall: Instant,
}

fn thread_cpu_ns() -> Option<u64> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; clock_gettime writes only to it.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

impl CpuClock {
    /// Starts timing.
    pub fn start() -> CpuClock {
        CpuClock { start_cpu: thread_cpu_ns(), start_wall: Instant::now() }
    }

    /// Nanoseconds since [`start`](Self::start): on-CPU time where available, else wall time.
    pub fn elapsed_ns(&self) -> f64 {
        match (self.start_cpu, thread_cpu_ns()) {
            (Some(a), Some(b)) => b.saturating_sub(a) as f64,
            _ => self.start_wall.elapsed().as_nanos() as f64,
        }
    }

    /// What [`elapsed_ns`](Self::elapsed_ns) measures.
    pub fn kind() -> &'static str {
        if thread_cpu_ns().is_some() { "CPU time of the timing thread (CLOCK_THREAD_CPUTIME_ID)" } else { "wall time" }
    }
}

/// Shuffles `v` in place (Fisher–Yates), seeded.
pub fn shuffle<T>(r: &mut StdRng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        v.swap(i, r.random_range(0..=i));
    }
}
