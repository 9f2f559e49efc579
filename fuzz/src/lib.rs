//! The fuzz harnesses, shared by the cargo-fuzz targets and by the regression test
//! `crates/core/tests/fuzz_regressions.rs`, which includes this file with `#[path]` and
//! replays every input kept in `data-samples/bad/fuzz/`.
//!
//! Every harness must return normally for every input: a panic is a finding.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipfirm::Database;
use ipfirm::format::{FORMAT_VERSION, HEADER_LEN, Header, RKYV_FORMAT, checksum};

/// Turns a fuzz input into a database file whose header is valid: the input is
/// `[body_len: u64 LE][body][metadata]` (`body_len` clamped to what follows), and the header
/// gets the right magic, version, lengths and checksum. Without this the fuzzer would spend
/// its time failing the constant-time header checks instead of reaching the archive checks,
/// the structural checks and the lookups.
pub fn with_valid_header(data: &[u8]) -> Vec<u8> {
    let (len, rest) = match data.split_first_chunk::<8>() {
        Some((len, rest)) => (u64::from_le_bytes(*len), rest),
        None => (0, data),
    };
    let body_len = len.min(rest.len() as u64);
    let header = Header {
        version: FORMAT_VERSION,
        flags: 0,
        body_len,
        meta_len: rest.len() as u64 - body_len,
        checksum: checksum(rest),
        rkyv_format: RKYV_FORMAT,
    };
    let mut file = Vec::with_capacity(HEADER_LEN + rest.len());
    file.extend_from_slice(&header.encode());
    file.extend_from_slice(rest);
    file
}

/// The inverse of [`with_valid_header`] for a well-formed file: the fuzz input that gives it.
pub fn to_fuzz_input(file: &[u8]) -> Option<Vec<u8>> {
    let header = Header::decode(file).ok()?;
    let mut out = header.body_len.to_le_bytes().to_vec();
    out.extend_from_slice(&file[HEADER_LEN..]);
    Some(out)
}

/// Addresses to query: fixed edge cases plus some taken from the input's last bytes, so the
/// fuzzer can steer lookups at the ranges it creates.
fn probes(data: &[u8]) -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = vec![
        Ipv4Addr::UNSPECIFIED.into(),
        Ipv4Addr::BROADCAST.into(),
        Ipv4Addr::new(1, 0, 0, 1).into(),
        Ipv4Addr::new(92, 45, 68, 9).into(),
        Ipv6Addr::UNSPECIFIED.into(),
        Ipv6Addr::from(u128::MAX).into(),
        Ipv6Addr::new(0x2a00, 0xc00, 0x34ff, 0, 0, 0, 0, 1).into(),
        Ipv4Addr::new(1, 0, 4, 7).to_ipv6_mapped().into(),
    ];
    let tail = &data[data.len().saturating_sub(64)..];
    for c in tail.chunks_exact(16) {
        let mut b = [0u8; 16];
        b.copy_from_slice(c);
        out.push(IpAddr::V6(Ipv6Addr::from(b)));
        out.push(IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3])));
    }
    out
}

/// Every read the API offers. Results are compared where the API promises equality.
pub fn exercise(db: &Database, data: &[u8], full_check: bool) {
    let probes = probes(data);
    let batch = db.lookup_batch(&probes);
    for (addr, got) in probes.iter().zip(&batch) {
        let single = db.lookup(*addr);
        assert_eq!(*got, single, "lookup_batch differs from lookup");
        if let Some(m) = single {
            let r = m.to_record();
            std::hint::black_box((&r, m.cidrs(), m.provenance().count(), m.is_identified()));
            // A verified database answers with a range that holds the address.
            if full_check {
                assert!(m.range().contains(ipfirm_unmap(*addr)), "answer's range does not hold the address");
            }
        }
    }
    for m in db.iter().take(4096) {
        std::hint::black_box(m.to_record());
        if full_check {
            assert_eq!(db.lookup(m.range().first()), Some(m), "iter and lookup disagree");
            assert_eq!(db.lookup(m.range().last()), Some(m), "iter and lookup disagree");
        }
    }
    for c in db.companies().take(256) {
        std::hint::black_box(c.to_record());
        for m in db.ranges_of(c).take(256) {
            if full_check {
                assert_eq!(m.company().map(|x| x.index()), Some(c.index()), "ranges_of gave another company's range");
            }
        }
    }
    std::hint::black_box((db.find_company("Deutsche Bank AG"), db.find_company("LEI:x"), db.metadata()));
    let verified = db.verify();
    if full_check {
        assert!(verified.is_ok(), "a database that passed from_bytes fails verify");
    }
}

fn ipfirm_unmap(a: IpAddr) -> IpAddr {
    match a {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(a),
        v4 => v4,
    }
}

/// Target `from_bytes`: a valid header in front of the input, then `from_bytes` and, if it
/// accepts, every read.
pub fn from_bytes(data: &[u8]) {
    let file = with_valid_header(data);
    if let Ok(db) = Database::from_bytes(&file) {
        exercise(&db, data, true);
    }
}

/// Target `raw`: the input as it is (header checks included).
pub fn raw(data: &[u8]) {
    if let Ok(db) = Database::from_bytes(data) {
        exercise(&db, data, true);
    }
}

/// Target `mmap_unverified`: a valid header in front of the input, written to a file and
/// opened with `open_mmap`, which checks only the header and the archive's structure. The
/// reads must stay safe on whatever that lets through (`verify` may fail).
pub fn mmap_unverified(data: &[u8]) {
    let file = with_valid_header(data);
    let path = std::env::temp_dir().join(format!("ipfirm-fuzz-{}.db", std::process::id()));
    if std::fs::write(&path, &file).is_err() {
        return;
    }
    // SAFETY: the file is private to this process and not modified while mapped.
    #[allow(unsafe_code)]
    let opened = unsafe { Database::open_mmap(&path) };
    if let Ok(db) = opened {
        exercise(&db, data, false);
    }
    let _ = std::fs::remove_file(&path);
}
