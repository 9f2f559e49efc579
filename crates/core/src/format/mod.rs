//! The on-disk format: a fixed header, an rkyv-archived body and a JSON metadata section.
//!
//! See `FORMAT.md` beside this file for the byte layout and the reasons behind it. This module
//! is the only place that knows the layout; the builder writes it and the reader checks it.
//!
//! ---
//!
#![doc = include_str!("FORMAT.md")]

use crate::error::{Error, Result};

/// The first eight bytes of every ipfirm database.
pub const MAGIC: [u8; 8] = *b"IPFIRMDB";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Size of the fixed header; the body starts right after it (16-byte aligned).
pub const HEADER_LEN: usize = 64;
/// Number of slots in the top-level table of each index (`2^16`, plus one sentinel).
pub const TOP_SLOTS: usize = 1 << 16;
/// Every `FENCE`-th range start is copied into [`Index::fences`]: a lookup searches the
/// small fence array first, then one block of `FENCE` starts (one cache line of IPv4 keys).
pub const FENCE: usize = 16;
/// The company id meaning "no company".
pub const NO_COMPANY: u32 = u32::MAX;
/// The entry id meaning "no entry" (a gap between ranges).
pub const NO_ENTRY: u32 = u32::MAX;
/// The rkyv primitive format this crate pins: little endian, aligned, 32-bit relative pointers.
/// Stored in the header so a file built with other settings is refused, not misread.
pub const RKYV_FORMAT: u32 = 0x4C45_4132; // "LEA2": LE, aligned, 32-bit

/// The decoded fixed header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Format version.
    pub version: u32,
    /// Flags (reserved: must be 0; a file with other flags is refused).
    pub flags: u32,
    /// Length of the rkyv body section.
    pub body_len: u64,
    /// Length of the JSON metadata section that follows the body.
    pub meta_len: u64,
    /// xxh3-64 of body and metadata.
    pub checksum: u64,
    /// The pinned rkyv format tag.
    pub rkyv_format: u32,
}

impl Header {
    /// Encodes the header into its 64 bytes.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut h = [0u8; HEADER_LEN];
        h[0..8].copy_from_slice(&MAGIC);
        h[8..12].copy_from_slice(&self.version.to_le_bytes());
        h[12..16].copy_from_slice(&self.flags.to_le_bytes());
        h[16..24].copy_from_slice(&self.body_len.to_le_bytes());
        h[24..32].copy_from_slice(&self.meta_len.to_le_bytes());
        h[32..40].copy_from_slice(&self.checksum.to_le_bytes());
        h[40..44].copy_from_slice(&self.rkyv_format.to_le_bytes());
        h[44..48].copy_from_slice(&(HEADER_LEN as u32).to_le_bytes());
        h
    }

    /// Decodes and checks the header of `bytes`: magic, version, lengths. Constant time.
    pub fn decode(bytes: &[u8]) -> Result<Header> {
        if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
            let reason = if bytes.is_empty() {
                "the file is empty".to_string()
            } else {
                let n = bytes.len().min(8);
                format!("expected magic \"IPFIRMDB\", found {:02x?}", &bytes[..n])
            };
            return Err(Error::NotADatabase { path: None, reason });
        }
        if bytes.len() < HEADER_LEN {
            return Err(corrupt(
                format!("header truncated: {} of {HEADER_LEN} bytes", bytes.len()),
                bytes.len() as u64,
            ));
        }
        let u32_at = |o: usize| u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
        let u64_at = |o: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[o..o + 8]);
            u64::from_le_bytes(b)
        };
        let version = u32_at(8);
        if version != FORMAT_VERSION {
            return Err(Error::UnsupportedVersion { path: None, found: version, supported: FORMAT_VERSION });
        }
        let header = Header {
            version,
            flags: u32_at(12),
            body_len: u64_at(16),
            meta_len: u64_at(24),
            checksum: u64_at(32),
            rkyv_format: u32_at(40),
        };
        if header.rkyv_format != RKYV_FORMAT {
            return Err(corrupt(format!("rkyv format tag {:#x}, expected {RKYV_FORMAT:#x}", header.rkyv_format), 40));
        }
        if u32_at(44) as usize != HEADER_LEN {
            return Err(corrupt(format!("header length field {}, expected {HEADER_LEN}", u32_at(44)), 44));
        }
        // Reserved space must be zero: the checksum does not cover the header, so this is what
        // makes every damaged header byte detectable, and it keeps the bits free for later use.
        if header.flags != 0 {
            return Err(corrupt(format!("unknown header flags {:#x} (this build knows none)", header.flags), 12));
        }
        if let Some(i) = (48..HEADER_LEN).find(|&i| bytes[i] != 0) {
            return Err(corrupt("reserved header bytes are not zero", i as u64));
        }
        let expected = (HEADER_LEN as u64).checked_add(header.body_len).and_then(|n| n.checked_add(header.meta_len));
        if expected != Some(bytes.len() as u64) {
            return Err(corrupt(
                format!(
                    "file is {} bytes but the header announces {HEADER_LEN} + {} (body) + {} (metadata)",
                    bytes.len(),
                    header.body_len,
                    header.meta_len
                ),
                16,
            ));
        }
        Ok(header)
    }

    /// The byte range of the body section.
    pub fn body_range(&self) -> std::ops::Range<usize> {
        HEADER_LEN..HEADER_LEN + self.body_len as usize
    }

    /// The byte range of the metadata section.
    pub fn meta_range(&self) -> std::ops::Range<usize> {
        let start = HEADER_LEN + self.body_len as usize;
        start..start + self.meta_len as usize
    }
}

/// The checksum over everything after the header.
pub fn checksum(after_header: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(after_header)
}

pub(crate) fn corrupt(what: impl Into<String>, offset: u64) -> Error {
    Error::Corrupt { path: None, what: what.into(), offset }
}

/// One family's interval index: sorted range starts, each mapped to an entry (or a gap).
///
/// Range `i` covers `starts[i] ..= starts[i + 1] - 1` (the last one runs to the family's
/// maximum address). `starts[0]` is always 0. A lookup takes three steps, each over a small
/// piece of memory:
///
/// 1. the top-level table `top` ([`TOP_SLOTS`]` + 1` slots) gives, for the slot of `x`, the
///    part of `fences` to search: slot `b` holds the number of fences below
///    `base + (b << shift)`;
/// 2. a binary search there finds the last fence `<= x`, `fences[f] == starts[f * FENCE]`
///    (the fence array is `1/FENCE` of the starts, so it mostly stays in cache, and its
///    buckets stay small where ranges cluster — IPv6 allocations do);
/// 3. a binary search in the block `starts[f * FENCE ..][.. FENCE]` finds the range.
#[derive(Debug, Clone, Default, rkyv::Archive, rkyv::Serialize)]
pub struct Index<K> {
    /// The smallest address the top-level table covers (the first fence above 0).
    pub base: K,
    /// Shift turning `addr - base` into a top-level slot.
    pub shift: u32,
    /// The top-level table over `fences`.
    pub top: Vec<u32>,
    /// Every [`FENCE`]-th start: `fences[f] == starts[f * FENCE]` (see [`fences`]).
    pub fences: Vec<K>,
    /// Sorted range starts; `starts[0] == 0`.
    pub starts: Vec<K>,
    /// The entry id of each range, or [`NO_ENTRY`] for a gap.
    pub values: Vec<u32>,
}

/// A range entry as stored: every string is an id into the string table (0 = absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, rkyv::Archive, rkyv::Serialize)]
#[rkyv(derive(Debug))]
pub struct EntryRow {
    /// [`crate::Class`] code.
    pub class: u8,
    /// Confidence 0–100.
    pub confidence: u8,
    /// ISO 3166 alpha-2 country of the range as the IP data gives it (e.g. an MMDB's
    /// `country_code`): two uppercase ASCII letters, `[0, 0]` when unknown.
    pub country: [u8; 2],
    /// Reason code string.
    pub reason: u32,
    /// Company id or [`NO_COMPANY`].
    pub company: u32,
    /// Autonomous system number (0 = unknown).
    pub asn: u32,
    /// Name of the network's holder as the IP data gives it (string id).
    pub asn_org: u32,
    /// Offset of this entry's provenance ids in `Body::provenance_ids`.
    pub prov_start: u32,
    /// Number of provenance ids.
    pub prov_len: u32,
}

/// A company as stored (string ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, rkyv::Archive, rkyv::Serialize)]
#[rkyv(derive(Debug))]
pub struct CompanyRow {
    /// Legal name.
    pub legal_name: u32,
    /// Trade name.
    pub trade_name: u32,
    /// ISO 3166 alpha-2 country.
    pub country: u32,
    /// Registry scheme, e.g. `LEI`, `GB-CH`, `NL-KVK`, `FR-SIREN`.
    pub registry_scheme: u32,
    /// Id within the registry scheme.
    pub registry_id: u32,
    /// Legal form (ISO 20275 ELF code or the registry's own).
    pub legal_form: u32,
    /// Web domain.
    pub domain: u32,
    /// Postal address, one line.
    pub address: u32,
    /// Industry code (e.g. SIC, NACE, SBI).
    pub industry_code: u32,
}

/// A source record that contributed to an entry (string ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, rkyv::Archive, rkyv::Serialize)]
#[rkyv(derive(Debug))]
pub struct ProvenanceRow {
    /// Source name.
    pub source: u32,
    /// Source version or date.
    pub version: u32,
    /// Key of the record within the source (e.g. `file:line`, an object's primary key).
    pub record_key: u32,
}

/// The archived body: indexes and tables. Every table is a vector of plain-old-data so that
/// rkyv validation is constant-time and the hot arrays can be read without copying.
#[derive(Debug, Clone, Default, rkyv::Archive, rkyv::Serialize)]
pub struct Body {
    /// IPv4 index.
    pub v4: Index<u32>,
    /// IPv6 index.
    pub v6: Index<u128>,
    /// Range entries.
    pub entries: Vec<EntryRow>,
    /// Provenance ids referenced by entries.
    pub provenance_ids: Vec<u32>,
    /// Provenance records.
    pub provenance: Vec<ProvenanceRow>,
    /// Companies.
    pub companies: Vec<CompanyRow>,
    /// `company_ranges[company_range_starts[c] .. company_range_starts[c + 1]]` lists company
    /// `c`'s ranges: an index into `v4.starts`, or into `v6.starts` with bit 31 set.
    pub company_range_starts: Vec<u32>,
    /// See `company_range_starts`.
    pub company_ranges: Vec<u32>,
    /// `string_bytes[string_starts[i] .. string_starts[i + 1]]` is string `i`; string 0 is "".
    pub string_starts: Vec<u32>,
    /// Concatenated UTF-8 strings.
    pub string_bytes: Vec<u8>,
}

/// Bit marking a v6 range in `company_ranges`.
pub const V6_RANGE_BIT: u32 = 1 << 31;

/// An address key of one family (u32 for IPv4, u128 for IPv6).
pub trait Key: Copy + Ord + std::fmt::Debug + Default {
    /// The largest address.
    const MAX: Self;
    /// Address width in bits.
    const BITS: u32;
    /// The next address, if any.
    fn succ(self) -> Option<Self>;
    /// `self - other` (caller ensures `self >= other`).
    fn sub(self, other: Self) -> u128;
    /// Widens to u128.
    fn to_u128(self) -> u128;
    /// Narrows from u128 (truncating).
    fn from_u128(v: u128) -> Self;
}

impl Key for u32 {
    const MAX: Self = u32::MAX;
    const BITS: u32 = 32;
    /// The next address, if any.
    fn succ(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn sub(self, other: Self) -> u128 {
        (self - other) as u128
    }
    fn to_u128(self) -> u128 {
        self as u128
    }
    fn from_u128(v: u128) -> Self {
        v as u32
    }
}

impl Key for u128 {
    const MAX: Self = u128::MAX;
    const BITS: u32 = 128;
    /// The next address, if any.
    fn succ(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn sub(self, other: Self) -> u128 {
        self - other
    }
    fn to_u128(self) -> u128 {
        self
    }
    fn from_u128(v: u128) -> Self {
        v
    }
}

/// The fences of sorted `starts`: every [`FENCE`]-th start (see [`Index`]).
pub fn fences<K: Key>(starts: &[K]) -> Vec<K> {
    starts.iter().step_by(FENCE).copied().collect()
}

/// Builds the top-level table for sorted keys — an index's `fences` (see [`Index`]).
pub fn top_table<K: Key>(starts: &[K]) -> (K, u32, Vec<u32>) {
    let n = starts.len();
    let base = starts.get(1).copied().unwrap_or_default();
    let last = starts.last().copied().unwrap_or_default();
    let diff = if last > base { last.sub(base) } else { 0 };
    let mut shift = 0u32;
    while shift < K::BITS && (diff >> shift) >= TOP_SLOTS as u128 {
        shift += 1;
    }
    let mut top = Vec::with_capacity(TOP_SLOTS + 1);
    let mut count = 0usize;
    for slot in 0..=TOP_SLOTS as u128 {
        // Number of starts below base + (slot << shift); past the family's end that is all.
        let threshold = (slot << shift).checked_add(base.to_u128()).filter(|t| *t <= K::MAX.to_u128());
        match threshold {
            Some(t) => {
                while count < n && starts[count].to_u128() < t {
                    count += 1;
                }
            }
            None => count = n,
        }
        top.push(count as u32);
    }
    if let Some(last_slot) = top.last_mut() {
        *last_slot = n as u32;
    }
    (base, shift, top)
}
