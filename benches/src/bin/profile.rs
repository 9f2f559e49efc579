//! A lookup loop to run under `perf stat` / `perf record`:
//!
//! ```text
//! cargo build --release -p ipfirm-benches --bin profile
//! perf stat -e task-clock,cycles,instructions,cache-misses target/release/profile FILE single|batch v4|v6 [ROUNDS]
//! ```
//!
//! Looks up 1 M seeded addresses (half uniform, half inside stored ranges) ROUNDS times and
//! prints ns per lookup.

use std::hint::black_box;

use anyhow::{Context, Result, bail};
use ipfirm::Database;
use ipfirm_benches::{CpuClock, SEED, inside, ranges, rng, shuffle, uniform_v4, uniform_v6};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, mode, family, rest @ ..] = &args[..] else {
        bail!("usage: profile FILE single|batch v4|v6 [ROUNDS] | profile FILE open ROUNDS");
    };
    let rounds: usize = rest.first().map_or(Ok(10), |r| r.parse()).context("ROUNDS: a number")?;
    if mode == "buckets" {
        // SAFETY: a bench file nobody modifies while this program runs.
        #[allow(unsafe_code)]
        let db = unsafe { Database::open_mmap(file) }?;
        let v6 = family == "v6";
        let r = ranges(&db, v6);
        let mut starts: Vec<u128> = r.iter().map(|x| x.0).collect();
        // gaps are slots too
        let mut ends: Vec<u128> = r.iter().filter_map(|x| x.1.checked_add(1)).collect();
        starts.append(&mut ends);
        starts.sort_unstable();
        starts.dedup();
        let width = if v6 { 128 } else { 32 };
        let unaligned = starts.iter().filter(|s| **s as u64 != 0).count();
        let mut his: Vec<u128> = starts.iter().map(|s| s >> 64).collect();
        his.dedup();
        println!("{} slots, {unaligned} not /64-aligned, {} distinct hi", starts.len(), his.len());
        for b in 14..=24u32 {
            let mut counts = std::collections::HashMap::<u128, u64>::new();
            for s in &starts {
                *counts.entry(s >> (width - b)).or_default() += 1;
            }
            let n = starts.len() as f64;
            // range-weighted: fraction of slots in buckets larger than W
            for w in [8u64, 16, 32] {
                let big: u64 = counts.values().filter(|&&c| c > w).sum();
                print!("b={b} W={w}: {:.3}  ", big as f64 / n);
            }
            let maxc = counts.values().max().copied().unwrap_or(0);
            println!("max {maxc} nonempty {}", counts.len());
        }
        return Ok(());
    }
    if mode == "open" {
        let rounds: usize = family.parse().context("open: ROUNDS")?;
        let t = CpuClock::start();
        for _ in 0..rounds {
            // SAFETY: a bench file nobody modifies while this program runs.
            #[allow(unsafe_code)]
            let db = unsafe { Database::open_mmap(file) }?;
            black_box(db.company_count());
        }
        println!("{:.1} us/open_mmap", t.elapsed_ns() / rounds as f64 / 1e3);
        return Ok(());
    }
    // SAFETY: a bench file nobody modifies while this program runs.
    #[allow(unsafe_code)]
    let db = unsafe { Database::open_mmap(file) }?;
    let v6 = family == "v6";
    let mut r = rng(SEED);
    let n = 1_000_000;
    let mut q = if v6 { uniform_v6(&mut r, n / 2) } else { uniform_v4(&mut r, n / 2) };
    q.extend(inside(&mut r, &ranges(&db, v6), v6, n / 2));
    shuffle(&mut r, &mut q);
    let t = CpuClock::start();
    let mut h = 0u64;
    let mut out = Vec::with_capacity(1024);
    for _ in 0..rounds {
        match mode.as_str() {
            "single" => {
                for &ip in &q {
                    h += db.lookup(ip).and_then(|m| m.asn()).unwrap_or(0) as u64;
                }
            }
            "batch" => {
                for chunk in q.chunks(1024) {
                    out.clear();
                    db.lookup_batch_into(chunk, &mut out);
                    h += out.iter().map(|m| m.and_then(|m| m.asn()).unwrap_or(0) as u64).sum::<u64>();
                }
            }
            other => bail!("unknown mode {other}"),
        }
    }
    black_box(h);
    println!("{:.1} ns/lookup", t.elapsed_ns() / (rounds * q.len()) as f64);
    Ok(())
}
