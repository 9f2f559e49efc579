//! Lookup benches: single IPv4 / IPv6 lookups (hit and miss), batch vs single on a real-size
//! table and on a 10 M-range table far larger than the last-level cache, and iteration.
//!
//! The databases are generated into `bench-data/` on first use (see `ipfirm_benches`); the
//! 10 M-range one takes about a minute and 1 GB of memory to build once.

use std::hint::black_box;
use std::net::IpAddr;

use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime};
use ipfirm::Database;
use ipfirm_benches::{Synthetic, inside, misses, ranges, rng, synthetic_file, uniform_v4, uniform_v6};

const QUERIES: usize = 1 << 16;

fn open(spec: Synthetic) -> Database {
    let path = synthetic_file(spec).expect("generating the bench database");
    // SAFETY: a bench-owned file nobody modifies while the bench runs.
    #[allow(unsafe_code)]
    let db = unsafe { Database::open_mmap(&path) }.expect("opening the bench database");
    db
}

/// One lookup per iteration, cycling through `queries` (a field of the match is read so the
/// work cannot be skipped).
fn single(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, db: &Database, queries: &[IpAddr]) {
    assert!(queries.len().is_power_of_two(), "{name}: {} queries", queries.len());
    let mask = queries.len() - 1;
    let mut i = 0usize;
    g.throughput(Throughput::Elements(1));
    g.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            black_box(db.lookup(black_box(queries[i])).map(|m| m.asn()))
        })
    });
}

fn padded(mut v: Vec<IpAddr>) -> Vec<IpAddr> {
    let n = v.len().next_power_of_two() / if v.len().is_power_of_two() { 1 } else { 2 };
    v.truncate(n.max(1));
    v
}

fn lookups(c: &mut Criterion) {
    let db = open(Synthetic::REAL_SIZE);
    let mut r = rng(7);
    let r4 = ranges(&db, false);
    let r6 = ranges(&db, true);
    let hit4 = inside(&mut r, &r4, false, QUERIES);
    let hit6 = inside(&mut r, &r6, true, QUERIES);
    let miss4 = padded(misses(&db, QUERIES, || uniform_v4(&mut r, 1)[0]));
    let miss6 = padded(misses(&db, QUERIES, || uniform_v6(&mut r, 1)[0]));

    let mut g = c.benchmark_group("lookup");
    single(&mut g, "ipv4_hit", &db, &hit4);
    single(&mut g, "ipv4_miss", &db, &miss4);
    single(&mut g, "ipv6_hit", &db, &hit6);
    single(&mut g, "ipv6_miss", &db, &miss6);
    g.finish();
}

/// The same queries looked up one by one and in batches.
fn batch_vs_single(c: &mut Criterion, group: &str, spec: Synthetic) {
    let db = open(spec);
    let mut r = rng(11);
    let queries = uniform_v4(&mut r, QUERIES);
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(queries.len() as u64));
    g.bench_function("single", |b| {
        b.iter(|| {
            let mut found = 0u32;
            for &q in &queries {
                found += db.lookup(q).is_some() as u32;
            }
            black_box(found)
        })
    });
    let mut out = Vec::with_capacity(1024);
    g.bench_function("batch_1024", |b| {
        b.iter(|| {
            let mut found = 0u32;
            for chunk in queries.chunks(1024) {
                out.clear();
                db.lookup_batch_into(chunk, &mut out);
                found += out.iter().filter(|m| m.is_some()).count() as u32;
            }
            black_box(found)
        })
    });
    g.finish();
}

fn batches(c: &mut Criterion) {
    batch_vs_single(c, "batch_real_size", Synthetic::REAL_SIZE);
    batch_vs_single(c, "batch_10m_ranges", Synthetic::TEN_MILLION);
}

fn iteration(c: &mut Criterion) {
    let db = open(Synthetic::REAL_SIZE);
    let n = db.iter().count() as u64;
    let mut g = c.benchmark_group("iter");
    g.throughput(Throughput::Elements(n));
    g.bench_function("all_ranges", |b| {
        b.iter(|| black_box(db.iter().map(|m| m.asn().unwrap_or(0) as u64).sum::<u64>()))
    });
    g.finish();
}

fn config() -> Criterion {
    // CPU is shared: short, but long enough for stable medians.
    Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = lookups, batches, iteration }
criterion_main!(benches);
