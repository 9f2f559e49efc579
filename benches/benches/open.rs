//! Open-time benches: `open_mmap` of a ~1 MB and a ~1 GB file must take the same time (it
//! checks the header and the archive's structure only); `open` (read + full verify) of the
//! 1 MB file for contrast.
//!
//! The files are generated into `bench-data/` on first use; the 1 GB one (mostly long company
//! addresses, the cheapest way to make size) takes about half a minute and ~6 GB of memory
//! once.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ipfirm::Database;
use ipfirm_benches::sized_file;

fn open(c: &mut Criterion) {
    let small = sized_file(1 << 20).expect("generating the 1 MB file");
    let big = sized_file(1 << 30).expect("generating the 1 GB file");
    let mut g = c.benchmark_group("open");
    for (name, path) in [("open_mmap_1MB", &small), ("open_mmap_1GB", &big)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                // SAFETY: bench-owned files nobody modifies while the bench runs.
                #[allow(unsafe_code)]
                let db = unsafe { Database::open_mmap(path) }.expect("open_mmap");
                black_box(db.company_count())
            })
        });
    }
    g.bench_function("open_verify_1MB", |b| {
        b.iter(|| black_box(Database::open(&small).expect("open").company_count()))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = open }
criterion_main!(benches);
