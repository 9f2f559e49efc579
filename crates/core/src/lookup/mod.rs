//! Reading databases: [`Database`], [`Match`] and the zero-copy views.

mod batch;
use batch::prefetch;
pub use batch::{NO_COMPANY, NO_MATCH};
mod record;
mod verify;

use std::fs::File;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use rkyv::Archived;

use crate::class::Class;
use crate::error::{Error, Result};
use crate::format::{
    ArchivedBody, ArchivedCompanyRow, ArchivedEntryRow, ArchivedIndex, FENCE, HEADER_LEN, Header, Key, NO_ENTRY,
    TOP_SLOTS, V6_RANGE_BIT, corrupt,
};
use crate::metadata::Metadata;
use crate::range::{IpRange, unmap};

pub use record::{CompanyRecord, MatchRecord, NetworkRecord, ProvenanceRecord, RegistryId};

/// The bytes behind a database: a memory map or an aligned owned buffer.
enum Storage {
    Mmap(memmap2::Mmap),
    /// Anonymous memory holding a copy: page-aligned, and advised to use transparent huge
    /// pages so that random lookups over a large index do not pay a TLB miss each.
    Owned(memmap2::MmapMut, usize),
}

impl Storage {
    /// Zeroed, page-aligned memory of `len` bytes.
    fn anonymous(len: usize) -> std::io::Result<Storage> {
        let map = memmap2::MmapOptions::new().len(len.max(1)).map_anon()?;
        #[cfg(target_os = "linux")]
        // Only a hint: kernels without THP (or with it disabled) just say no.
        let _ = map.advise(memmap2::Advice::HugePage);
        Ok(Storage::Owned(map, len))
    }

    fn as_mut(&mut self) -> &mut [u8] {
        match self {
            Storage::Mmap(_) => &mut [],
            Storage::Owned(m, len) => &mut m[..*len],
        }
    }
}

impl AsRef<[u8]> for Storage {
    fn as_ref(&self) -> &[u8] {
        match self {
            Storage::Mmap(m) => m,
            Storage::Owned(m, len) => &m[..*len],
        }
    }
}

type BodyRef<'a> = &'a ArchivedBody;

self_cell::self_cell!(
    struct Cell {
        owner: Storage,
        #[covariant]
        dependent: BodyRef,
    }
);

/// An open ipfirm database.
///
/// Opening checks the header and the archive's structure; after that [`lookup`](Self::lookup)
/// cannot fail and never panics, whatever the bytes: every stored reference is bounds-checked
/// as it is followed.
pub struct Database {
    cell: Cell,
    header: Header,
    metadata: Metadata,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .field("bytes", &self.cell.borrow_owner().as_ref().len())
            .field("ipv4_ranges", &self.metadata.ipv4_ranges)
            .field("ipv6_ranges", &self.metadata.ipv6_ranges)
            .finish()
    }
}

impl Database {
    /// Reads the file at `path` into aligned memory and checks it completely, checksum
    /// included (see [`verify`](Self::verify)).
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read (a directory, a missing file);
    /// [`Error::NotADatabase`], [`Error::UnsupportedVersion`] or [`Error::Corrupt`] naming the
    /// file when its contents are wrong.
    pub fn open(path: impl AsRef<Path>) -> Result<Database> {
        let path = path.as_ref();
        let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let mut buf = Storage::anonymous(len as usize).map_err(|e| Error::io(path, e))?;
        file.read_exact(buf.as_mut()).map_err(|e| Error::io(path, e))?;
        let db = Database::from_storage(buf, Some(path.to_path_buf()))?;
        db.verify()?;
        Ok(db)
    }

    /// Memory-maps the file at `path`. Opening takes constant time whatever the file's size:
    /// only the header and the archive's structure are checked. Call
    /// [`verify`](Self::verify) for the full check.
    ///
    /// # Safety
    /// The file must not be truncated or modified while the database is open. A file
    /// truncated under a mapping makes reads fault with SIGBUS, and a file modified in place
    /// changes bytes that were already checked (the soundness problem the `maxminddb` crate's
    /// `open_mmap` was made `unsafe` for). Replace database files by renaming a new file over
    /// the old one, as [`DatabaseBuilder::finish_to_path`](crate::DatabaseBuilder::finish_to_path)
    /// does: an open mapping keeps the old file's contents.
    ///
    /// # Errors
    /// As for [`open`](Self::open), except that a wrong checksum is only found by `verify`.
    #[allow(unsafe_code)]
    pub unsafe fn open_mmap(path: impl AsRef<Path>) -> Result<Database> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        if file.metadata().map_err(|e| Error::io(path, e))?.is_dir() {
            return Err(Error::io(path, std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory")));
        }
        // SAFETY: the caller promises the file is neither truncated nor modified while mapped
        // (see `# Safety`); every byte read through the map is then stable.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        Database::from_storage(Storage::Mmap(map), Some(path.to_path_buf()))
    }

    /// Checks `bytes` completely (as [`verify`](Self::verify) does) and opens them. The bytes
    /// are copied into an aligned buffer. Never panics and never causes undefined behaviour,
    /// whatever the bytes.
    ///
    /// # Errors
    /// [`Error::NotADatabase`], [`Error::UnsupportedVersion`] or [`Error::Corrupt`].
    pub fn from_bytes(bytes: impl AsRef<[u8]>) -> Result<Database> {
        let bytes = bytes.as_ref();
        let mut buf = Storage::anonymous(bytes.len()).map_err(|e| Error::io("<memory>", e))?;
        buf.as_mut().copy_from_slice(bytes);
        let db = Database::from_storage(buf, None)?;
        db.verify()?;
        Ok(db)
    }

    fn from_storage(storage: Storage, path: Option<PathBuf>) -> Result<Database> {
        let attach = |e: Error| match &path {
            Some(p) => e.with_path(p),
            None => e,
        };
        let header = Header::decode(storage.as_ref()).map_err(attach)?;
        let meta_bytes = &storage.as_ref()[header.meta_range()];
        let metadata: Metadata = serde_json::from_slice(meta_bytes).map_err(|e| {
            attach(corrupt(format!("metadata is not valid JSON: {e}"), header.meta_range().start as u64))
        })?;
        let body_range = header.body_range();
        let cell = Cell::try_new(storage, |s| {
            let body = &s.as_ref()[body_range];
            let archived = rkyv::access::<ArchivedBody, rkyv::rancor::Error>(body)
                .map_err(|e| corrupt(format!("archive check failed: {e}"), HEADER_LEN as u64))?;
            check_structure(archived)?;
            Ok::<_, Error>(archived)
        })
        .map_err(attach)?;
        Ok(Database { cell, header, metadata, path })
    }

    fn body(&self) -> &ArchivedBody {
        self.cell.borrow_dependent()
    }

    /// The file this database was opened from, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The whole file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.cell.borrow_owner().as_ref()
    }

    /// The build metadata.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The file's format version.
    pub fn format_version(&self) -> u32 {
        self.header.version
    }

    /// Looks up one address. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are looked up in
    /// the IPv4 index. `None` when no range covers the address.
    #[inline]
    pub fn lookup(&self, addr: IpAddr) -> Option<Match<'_>> {
        let body = self.body();
        let (slot, value) = match unmap(addr) {
            IpAddr::V4(a) => {
                let i = find(&body.v4, u32::from(a))?;
                (i as u32, body.v4.values.get(i)?)
            }
            IpAddr::V6(a) => {
                let i = find(&body.v6, u128::from(a))?;
                (i as u32 | V6_RANGE_BIT, body.v6.values.get(i)?)
            }
        };
        // A gap (`NO_ENTRY`) is past the end of `entries` (`check_structure`), so `get` answers
        // `None` for it without a test of its own.
        let entry = body.entries.get(value.to_native() as usize)?;
        Some(Match { db: self, slot, entry })
    }

    /// The match for range number `slot` (an index into the IPv4 starts, or the IPv6 starts
    /// with bit 31 set); `None` for a gap or a bad slot.
    fn match_at(&self, slot: u32) -> Option<Match<'_>> {
        let body = self.body();
        let i = (slot & !V6_RANGE_BIT) as usize;
        let value = if slot & V6_RANGE_BIT == 0 { body.v4.values.get(i) } else { body.v6.values.get(i) }?.to_native();
        if value == NO_ENTRY {
            return None;
        }
        let entry = body.entries.get(value as usize)?;
        Some(Match { db: self, slot, entry })
    }

    /// The addresses of range number `slot`, read only when a caller asks for them. Never
    /// fails: on damaged data (possible only with an unverified `open_mmap`) the answer is
    /// wrong but well-formed.
    fn range_at(&self, slot: u32) -> IpRange {
        let body = self.body();
        let i = (slot & !V6_RANGE_BIT) as usize;
        if slot & V6_RANGE_BIT == 0 {
            let (first, last) = bounds(&body.v4.starts, i);
            IpRange::v4(first, last)
        } else {
            let (first, last) = bounds(&body.v6.starts, i);
            IpRange::v6(first, last)
        }
    }

    /// Every range, IPv4 first, each family in address order. Gaps are skipped.
    pub fn iter(&self) -> impl Iterator<Item = Match<'_>> + '_ {
        let body = self.body();
        let v4 = (0..body.v4.values.len() as u32).filter_map(move |i| self.match_at(i));
        let v6 = (0..body.v6.values.len() as u32).filter_map(move |i| self.match_at(i | V6_RANGE_BIT));
        v4.chain(v6)
    }

    /// Number of companies in the company table.
    pub fn company_count(&self) -> usize {
        self.body().companies.len()
    }

    /// Company number `index` (0-based).
    pub fn company(&self, index: usize) -> Option<CompanyView<'_>> {
        let row = self.body().companies.get(index)?;
        Some(CompanyView { db: self, index: index as u32, row })
    }

    /// Every company in the company table.
    pub fn companies(&self) -> impl Iterator<Item = CompanyView<'_>> + '_ {
        (0..self.company_count()).filter_map(move |i| self.company(i))
    }

    /// The first company whose registry id, `scheme:id`, domain or legal name (any case)
    /// equals `query`.
    pub fn find_company(&self, query: &str) -> Option<CompanyView<'_>> {
        let q = query.trim();
        self.companies().find(|c| {
            let reg = c.registry();
            reg.is_some_and(|(s, id)| id.eq_ignore_ascii_case(q) || format!("{s}:{id}").eq_ignore_ascii_case(q))
                || c.domain().is_some_and(|d| d.eq_ignore_ascii_case(q))
                || c.legal_name().eq_ignore_ascii_case(q)
        })
    }

    /// Every range whose entry names `company` (reverse lookup), IPv4 first, in address order.
    pub fn ranges_of(&self, company: CompanyView<'_>) -> impl Iterator<Item = Match<'_>> + '_ {
        let body = self.body();
        let c = company.index as usize;
        let bounds = body.company_range_starts.get(c).zip(body.company_range_starts.get(c + 1));
        let slots = bounds
            .and_then(|(a, b)| body.company_ranges.get(a.to_native() as usize..b.to_native() as usize))
            .unwrap_or(&[]);
        slots.iter().filter_map(move |s| self.match_at(s.to_native()))
    }

    /// String number `id` of the string table; "" when absent or damaged.
    #[inline]
    fn string(&self, id: &Archived<u32>) -> &str {
        let id = id.to_native() as usize;
        if id == 0 {
            // String 0 is "" (an absent field): the common case costs no table reads.
            return "";
        }
        let body = self.body();
        let (Some(a), Some(b)) = (body.string_starts.get(id), body.string_starts.get(id + 1)) else {
            return "";
        };
        body.string_bytes
            .get(a.to_native() as usize..b.to_native() as usize)
            .and_then(|s| std::str::from_utf8(s).ok())
            .unwrap_or("")
    }

    fn opt_string(&self, id: &Archived<u32>) -> Option<&str> {
        Some(self.string(id)).filter(|s| !s.is_empty())
    }
}

/// Constant-time structural checks run at every open: the hot arrays have the shapes the
/// lookup code relies on for correctness (it relies on nothing for safety).
fn check_structure(body: &ArchivedBody) -> Result<()> {
    fn index<K: Key>(
        name: &str,
        top: &[Archived<u32>],
        fences_len: usize,
        starts_len: usize,
        values_len: usize,
        first: Option<K>,
        shift: u32,
    ) -> Result<()> {
        if top.len() != TOP_SLOTS + 1 {
            return Err(corrupt(
                format!("{name} top-level table has {} slots, expected {}", top.len(), TOP_SLOTS + 1),
                0,
            ));
        }
        if starts_len != values_len || starts_len == 0 {
            return Err(corrupt(format!("{name} index has {starts_len} starts and {values_len} values"), 0));
        }
        if first != Some(K::default()) {
            return Err(corrupt(format!("{name} index does not start at address 0"), 0));
        }
        if shift >= K::BITS {
            return Err(corrupt(format!("{name} index shift {shift} too large"), 0));
        }
        if fences_len != starts_len.div_ceil(FENCE) {
            return Err(corrupt(format!("{name} index has {fences_len} fences for {starts_len} starts"), 0));
        }
        if top.last().map(|t| t.to_native() as usize) != Some(fences_len) {
            return Err(corrupt(format!("{name} top-level table does not end at the fence count"), 0));
        }
        if top.windows(2).any(|w| w[0].to_native() > w[1].to_native()) {
            return Err(corrupt(format!("{name} top-level table is not sorted"), 0));
        }
        Ok(())
    }
    index::<u32>(
        "IPv4",
        &body.v4.top,
        body.v4.fences.len(),
        body.v4.starts.len(),
        body.v4.values.len(),
        body.v4.starts.first().map(|k| k.to_native()),
        body.v4.shift.to_native(),
    )?;
    index::<u128>(
        "IPv6",
        &body.v6.top,
        body.v6.fences.len(),
        body.v6.starts.len(),
        body.v6.values.len(),
        body.v6.starts.first().map(|k| k.to_native()),
        body.v6.shift.to_native(),
    )?;
    if body.entries.len() >= NO_ENTRY as usize {
        return Err(corrupt("entry table too long", 0));
    }
    if body.string_starts.is_empty() || body.company_range_starts.len() != body.companies.len() + 1 {
        return Err(corrupt("string or company-range table has the wrong length", 0));
    }
    Ok(())
}

/// An archived key type and its native value.
pub(crate) trait ArchivedKey {
    type Native: Key;
    fn native(&self) -> Self::Native;
    /// The top-level slot of `x >= base`: `(x - base) >> shift`, capped at the last slot.
    fn slot(x: Self::Native, base: Self::Native, shift: u32) -> usize;
    /// `self <= x`, computed without a branch.
    fn le(&self, x: Self::Native) -> bool;
    /// Number of elements of a block (sorted `s`) that are `<= x`.
    #[inline(always)]
    fn count_block(s: &[Self], x: Self::Native) -> usize
    where
        Self: Sized,
    {
        count_le(s, x)
    }
}

impl ArchivedKey for rkyv::rend::u32_le {
    type Native = u32;
    #[inline(always)]
    fn native(&self) -> u32 {
        self.to_native()
    }
    #[inline(always)]
    fn slot(x: u32, base: u32, shift: u32) -> usize {
        // 32-bit arithmetic: the u128 path costs a few instructions more on every IPv4 lookup.
        ((x.wrapping_sub(base) >> shift.min(31)) as usize).min(TOP_SLOTS - 1)
    }
    #[inline(always)]
    fn le(&self, x: u32) -> bool {
        self.to_native() <= x
    }
    #[inline(always)]
    fn count_block(s: &[Self], x: u32) -> usize {
        // A whole block is one cache line of 16 keys: compare them all at once (four SIMD
        // compares and a byte mask) and take the position of the first key `> x` (one
        // `tzcnt`), instead of four dependent probes. Only the last block may be shorter.
        let Ok(block) = <&[Self; FENCE]>::try_from(s) else {
            return count_le(s, x);
        };
        let mut greater = 0u32;
        for (i, k) in block.iter().enumerate() {
            greater |= ((k.to_native() > x) as u32) << i;
        }
        (greater | 1 << FENCE).trailing_zeros() as usize
    }
}

impl ArchivedKey for rkyv::rend::u128_le {
    type Native = u128;
    #[inline(always)]
    fn native(&self) -> u128 {
        self.to_native()
    }
    #[inline(always)]
    fn slot(x: u128, base: u128, shift: u32) -> usize {
        (x.wrapping_sub(base) >> shift.min(127)).min(TOP_SLOTS as u128 - 1) as usize
    }
    #[inline(always)]
    fn le(&self, x: u128) -> bool {
        // Two 64-bit halves combined with `&`/`|` (no short circuit): a plain u128 `<=`
        // compiles to `cmp; sbb; jb`, a branch the search's conditional move then depends on.
        let k = self.to_native();
        let (kh, kl, xh, xl) = ((k >> 64) as u64, k as u64, (x >> 64) as u64, x as u64);
        (kh < xh) | ((kh == xh) & (kl <= xl))
    }
}

/// The slice of `fences` that the top-level table names for `x`, and its offset.
#[inline(always)]
pub(crate) fn bucket<K, A: ArchivedKey<Native = K>>(index: &ArchivedIndex<K>, x: K) -> Option<(usize, &[A])>
where
    K: Key + rkyv::Archive<Archived = A>,
{
    let base = index.base.native();
    if x < base {
        // Only fences[0] == 0 lies below base.
        return Some((0, index.fences.get(..1)?));
    }
    let slot = A::slot(x, base, index.shift.to_native());
    let lo = index.top.get(slot)?.to_native() as usize;
    let hi = index.top.get(slot + 1)?.to_native() as usize;
    Some((lo, index.fences.get(lo..hi)?))
}

/// Block `f` of `starts` (the starts from fence `f` to the next) and its offset, with its
/// cache lines and the first and last of its values prefetched.
#[inline(always)]
pub(crate) fn block<K, A: ArchivedKey<Native = K>>(index: &ArchivedIndex<K>, f: usize) -> Option<(usize, &[A])>
where
    K: Key + rkyv::Archive<Archived = A>,
{
    let first = f.checked_mul(FENCE)?;
    let s = index.starts.get(first..first.saturating_add(FENCE).min(index.starts.len()))?;
    // All lines of the block at once (one or two for IPv4, four or five for IPv6), so the
    // search below waits for one memory latency, not one per probe.
    let mut p = s.as_ptr();
    let end = s.as_ptr_range().end;
    while p < end {
        prefetch(p);
        p = p.wrapping_add(64 / std::mem::size_of::<A>());
    }
    prefetch(s.last().map_or(p, |l| l as *const A));
    let values = index.values.as_ptr();
    prefetch(values.wrapping_add(first));
    prefetch(values.wrapping_add(first + s.len().saturating_sub(1)));
    Some((first, s))
}

/// Number of elements of sorted `s` that are `<= x`: a branch-free binary search (the loop
/// runs `ceil(log2(len))` times whatever the data; the comparison becomes a conditional
/// move) that prefetches both possible next probes, so the next round's cache miss overlaps
/// this round's.
#[inline(always)]
pub(crate) fn count_le<A: ArchivedKey>(s: &[A], x: A::Native) -> usize {
    if s.is_empty() {
        return 0;
    }
    let mut base = 0usize;
    let mut len = s.len();
    while len > 1 {
        let half = len / 2;
        let next_half = (len - half) / 2;
        prefetch(s.as_ptr().wrapping_add(base + next_half));
        prefetch(s.as_ptr().wrapping_add(base + half + next_half));
        // A conditional move, not a branch: the outcome is a coin flip.
        base = std::hint::select_unpredictable(s[base + half].le(x), base + half, base);
        len -= half;
    }
    base + (s[base].native() <= x) as usize
}

/// The index of the range holding `x`, or `None` for damaged data.
#[inline(always)]
fn find<K, A: ArchivedKey<Native = K>>(index: &ArchivedIndex<K>, x: K) -> Option<usize>
where
    K: Key + rkyv::Archive<Archived = A>,
{
    let (lo, fences) = bucket(index, x)?;
    let f = (lo + count_le(fences, x)).checked_sub(1)?;
    let (first, s) = block(index, f)?;
    (first + A::count_block(s, x)).checked_sub(1)
}

/// The first and last address of range `i` of `starts` (`last >= first` even on damaged data).
fn bounds<A: ArchivedKey>(starts: &[A], i: usize) -> (A::Native, A::Native) {
    let first = starts.get(i).map_or(A::Native::default(), |s| s.native());
    let last = match starts.get(i + 1) {
        Some(next) => <A::Native as Key>::from_u128(next.native().to_u128().wrapping_sub(1)),
        None => <A::Native as Key>::MAX,
    };
    (first, last.max(first))
}

/// The answer for one address: its range, class, reason, confidence, company and evidence.
/// A cheap `Copy` view into the database.
#[derive(Clone, Copy)]
pub struct Match<'a> {
    db: &'a Database,
    /// Range number: an index into the IPv4 starts, or the IPv6 starts with bit 31 set. The
    /// range's addresses are only read when asked for.
    slot: u32,
    entry: &'a ArchivedEntryRow,
}

impl std::fmt::Debug for Match<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Match")
            .field("range", &self.range())
            .field("class", &self.class())
            .field("reason", &self.reason())
            .field("company", &self.company())
            .finish()
    }
}

impl PartialEq for Match<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.db, other.db) && self.slot == other.slot && std::ptr::eq(self.entry, other.entry)
    }
}

impl<'a> Match<'a> {
    /// The matched range (after overlap resolution and merging).
    pub fn range(&self) -> IpRange {
        self.db.range_at(self.slot)
    }

    /// The CIDR networks that exactly cover the matched range.
    pub fn cidrs(&self) -> Vec<ipnet::IpNet> {
        self.range().cidrs()
    }

    /// The range's class.
    pub fn class(&self) -> Class {
        Class::from_code(self.entry.class)
    }

    /// The reason code: the rule that set the class and its evidence.
    pub fn reason(&self) -> &'a str {
        self.db.string(&self.entry.reason)
    }

    /// Confidence, 0–100.
    pub fn confidence(&self) -> u8 {
        self.entry.confidence
    }

    /// The company, for shown classes.
    pub fn company(&self) -> Option<CompanyView<'a>> {
        let c = self.entry.company.to_native();
        self.db.company(c as usize)
    }

    /// True when the match may be shown as an organisation: a shown class with a company.
    pub fn is_identified(&self) -> bool {
        self.class().is_shown() && self.company().is_some()
    }

    /// Autonomous system number, when known.
    pub fn asn(&self) -> Option<u32> {
        Some(self.entry.asn.to_native()).filter(|&a| a != 0)
    }

    /// The range's ISO 3166 alpha-2 country as the IP data gives it (e.g. an MMDB's
    /// `country_code`), when known.
    pub fn country(&self) -> Option<&'a str> {
        let [a, b] = self.entry.country;
        let letter = |c: u8| match c {
            b'A'..=b'Z' => Some((c - b'A') as usize),
            b'a'..=b'z' => Some((c - b'a') as usize + 26),
            _ => None,
        };
        // Read from a table of every two-letter code, so no UTF-8 check runs per call.
        let k = letter(a)? * 52 + letter(b)?;
        COUNTRY_CODES.get(2 * k..2 * k + 2)
    }

    /// The network holder's name as the IP data gives it.
    pub fn asn_org(&self) -> Option<&'a str> {
        self.db.opt_string(&self.entry.asn_org)
    }

    /// The source records behind this entry.
    pub fn provenance(&self) -> impl Iterator<Item = ProvenanceView<'a>> + 'a {
        let db = self.db;
        let start = self.entry.prov_start.to_native() as usize;
        let len = self.entry.prov_len.to_native() as usize;
        let ids = db.body().provenance_ids.get(start..start.saturating_add(len)).unwrap_or(&[]);
        ids.iter().filter_map(move |id| {
            let row = db.body().provenance.get(id.to_native() as usize)?;
            Some(ProvenanceView {
                source: db.string(&row.source),
                version: db.string(&row.version),
                record_key: db.string(&row.record_key),
            })
        })
    }

    /// An owned, serialisable copy (the JSON shape shared by the CLI, bindings and server).
    pub fn to_record(&self) -> MatchRecord {
        MatchRecord::from_match(self)
    }
}

/// Every pair of ASCII letters (upper case first, then lower case), so that
/// [`Match::country`] hands out a `&str` without a UTF-8 check.
const COUNTRY_CODES: &str = {
    const LETTERS: &[u8; 52] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const BYTES: [u8; 2 * 52 * 52] = {
        let mut out = [0u8; 2 * 52 * 52];
        let mut k = 0;
        while k < 52 * 52 {
            out[2 * k] = LETTERS[k / 52];
            out[2 * k + 1] = LETTERS[k % 52];
            k += 1;
        }
        out
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("ASCII is UTF-8"),
    }
};

/// A zero-copy view of a company in the table.
#[derive(Clone, Copy)]
pub struct CompanyView<'a> {
    db: &'a Database,
    index: u32,
    row: &'a ArchivedCompanyRow,
}

impl std::fmt::Debug for CompanyView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Company").field("legal_name", &self.legal_name()).field("registry", &self.registry()).finish()
    }
}

impl<'a> CompanyView<'a> {
    /// The company's index in the table (stable within one file).
    pub fn index(&self) -> usize {
        self.index as usize
    }
    /// Registered legal name.
    pub fn legal_name(&self) -> &'a str {
        self.db.string(&self.row.legal_name)
    }
    /// Trade name, when known and different.
    pub fn trade_name(&self) -> Option<&'a str> {
        self.db.opt_string(&self.row.trade_name)
    }
    /// The name to show: trade name, else legal name.
    pub fn display_name(&self) -> &'a str {
        self.trade_name().unwrap_or_else(|| self.legal_name())
    }
    /// ISO 3166 alpha-2 country code.
    pub fn country(&self) -> Option<&'a str> {
        self.db.opt_string(&self.row.country)
    }
    /// Registry scheme and id, e.g. `("LEI", "724500…")`.
    pub fn registry(&self) -> Option<(&'a str, &'a str)> {
        let scheme = self.db.opt_string(&self.row.registry_scheme)?;
        Some((scheme, self.db.opt_string(&self.row.registry_id)?))
    }
    /// Legal form.
    pub fn legal_form(&self) -> Option<&'a str> {
        self.db.opt_string(&self.row.legal_form)
    }
    /// Web domain.
    pub fn domain(&self) -> Option<&'a str> {
        self.db.opt_string(&self.row.domain)
    }
    /// Postal address.
    pub fn address(&self) -> Option<&'a str> {
        self.db.opt_string(&self.row.address)
    }
    /// Industry code.
    pub fn industry_code(&self) -> Option<&'a str> {
        self.db.opt_string(&self.row.industry_code)
    }
    /// An owned, serialisable copy.
    pub fn to_record(&self) -> CompanyRecord {
        CompanyRecord::from_view(self)
    }
}

/// A source record behind an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvenanceView<'a> {
    /// Source name.
    pub source: &'a str,
    /// Source version or date.
    pub version: &'a str,
    /// Record key within the source.
    pub record_key: &'a str,
}
