//! Replays the fuzz harnesses (`fuzz/src/lib.rs`, included here) on the seed corpus and on
//! every input kept in `data-samples/bad/fuzz/`: inputs that once crashed must not again.
//!
//! A file there is named `<target>-<anything>`, `<target>` one of `from_bytes`, `raw`,
//! `mmap_unverified`. `IPFIRM_BLESS=1` (re)writes the seed corpus in `fuzz/seeds/` from the
//! sample database of `common/mod.rs`: `seeds/prefixed/` for the targets that put a header in
//! front of their input (`from_bytes`, `mmap_unverified`), `seeds/raw/` for `raw`.

mod common;
#[allow(dead_code)]
#[path = "../../../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};

use ipfirm::{Class, DatabaseBuilder, Entry};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(target: &str, data: &[u8]) {
    match target {
        "from_bytes" => harness::from_bytes(data),
        "raw" => harness::raw(data),
        "mmap_unverified" => harness::mmap_unverified(data),
        other => panic!("unknown fuzz target {other:?}"),
    }
}

/// Valid databases for the seed corpus: the sample, an empty one and a dense one (many small
/// ranges in both families, so that the fuzzer starts from full buckets).
fn seed_databases() -> Vec<(&'static str, Vec<u8>)> {
    let mut dense = DatabaseBuilder::new();
    for i in 0..300u32 {
        let e = Entry {
            class: Class::ALL[(i % 12) as usize],
            reason: format!("seed:{i}"),
            asn: Some(i),
            ..Default::default()
        };
        let v4 = std::net::Ipv4Addr::from(i.wrapping_mul(0x0101_0707));
        dense.insert(ipfirm::IpRange::new(v4.into(), v4.into()).expect("range"), e.clone()).expect("insert");
        let v6 = std::net::Ipv6Addr::from((0x2a00u128 << 112) | ((i as u128) << 64));
        dense.insert(ipfirm::IpRange::new(v6.into(), v6.into()).expect("range"), e).expect("insert");
    }
    vec![
        ("sample", common::sample_db()),
        ("empty", DatabaseBuilder::new().finish().expect("empty")),
        ("dense", dense.finish().expect("dense")),
    ]
}

#[test]
fn seeds_pass_every_harness() {
    let bless = std::env::var_os("IPFIRM_BLESS").is_some_and(|v| v == "1");
    for (name, file) in seed_databases() {
        let input = harness::to_fuzz_input(&file).expect("valid seed");
        assert_eq!(harness::with_valid_header(&input), file, "{name}: the header round-trips");
        harness::from_bytes(&input);
        harness::raw(&file);
        harness::mmap_unverified(&input);
        if bless {
            let mut kinds = vec![("prefixed", &input)];
            if name != "dense" {
                kinds.push(("raw", &file));
            }
            for (kind, bytes) in kinds {
                let dir = root().join("fuzz/seeds").join(kind);
                std::fs::create_dir_all(&dir).expect("seed dir");
                ipfirm::write_atomically(&dir.join(format!("seed-{name}")), bytes).expect("write seed");
            }
        }
    }
}

/// The checked-in seeds are valid databases of the current format: a seed that no longer
/// opens would leave the fuzzer stuck at the structural checks. Re-bless after a format change.
#[test]
fn checked_in_seeds_are_current() {
    for kind in ["prefixed", "raw"] {
        let dir = root().join("fuzz/seeds").join(kind);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).expect("fuzz/seeds") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read seed");
            let file = if kind == "raw" { bytes } else { harness::with_valid_header(&bytes) };
            if let Err(e) = ipfirm::Database::from_bytes(&file) {
                panic!("{}: {e}; run IPFIRM_BLESS=1 cargo test -p ipfirm --test fuzz_regressions", path.display());
            }
            n += 1;
        }
        assert!(n > 0, "no seeds in {}", dir.display());
    }
}

#[test]
fn fuzz_findings_never_crash_again() {
    let dir = root().join("data-samples/bad/fuzz");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("no fuzz findings kept in {}", dir.display());
        return;
    };
    let mut n = 0;
    for entry in entries {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if name == "README.md" {
            continue;
        }
        let target = ["mmap_unverified", "from_bytes", "raw"]
            .into_iter()
            .find(|t| name.starts_with(&format!("{t}-")))
            .unwrap_or_else(|| panic!("{name}: name must start with the fuzz target"));
        let data = std::fs::read(&path).expect("read finding");
        println!("replaying {name}");
        run(target, &data);
        n += 1;
    }
    println!("{n} fuzz findings replayed");
}

/// The harness itself: a damaged body behind a valid header is refused or read safely.
#[test]
fn harness_survives_damage() {
    let file = common::sample_db();
    let input = harness::to_fuzz_input(&file).expect("valid");
    for cut in [0, 1, 8, 9, 100, input.len() / 2, input.len() - 1] {
        harness::from_bytes(&input[..cut]);
        harness::mmap_unverified(&input[..cut]);
        harness::raw(&file[..cut.min(file.len())]);
    }
}
