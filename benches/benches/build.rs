//! Build bench: `DatabaseBuilder` on N random, overlapping CIDR ranges (most specific wins)
//! through `finish()` to the file's bytes.

use std::hint::black_box;
use std::net::Ipv4Addr;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ipfirm::{Class, DatabaseBuilder, Entry};
use ipfirm_benches::rng;
use rand::Rng;

fn build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    for n in [10_000usize, 100_000] {
        let mut r = rng(3);
        let nets: Vec<(ipnet::Ipv4Net, u32)> = (0..n)
            .map(|_| {
                let len = r.random_range(8..=32u8);
                let net = ipnet::Ipv4Net::new(Ipv4Addr::from(r.random::<u32>()), len).expect("prefix <= 32").trunc();
                (net, r.random_range(0..1000))
            })
            .collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("random_cidrs_{n}"), |b| {
            b.iter_batched(
                || nets.clone(),
                |nets| {
                    let mut b = DatabaseBuilder::new();
                    for (net, k) in nets {
                        let entry = Entry {
                            class: Class::ALL[(k % 12) as usize],
                            reason: format!("bench:{k}"),
                            asn: Some(k),
                            ..Default::default()
                        };
                        b.insert(ipnet::IpNet::V4(net), entry).expect("insert");
                    }
                    black_box(b.finish().expect("finish").len())
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(5))
}

criterion_group! { name = benches; config = config(); targets = build }
criterion_main!(benches);
