//! Writing databases: [`DatabaseBuilder`].

mod resolve;

use std::collections::HashMap;
use std::collections::hash_map::Entry as MapEntry;
use std::hash::{BuildHasher, Hash, Hasher};

/// The builder's interning maps: a multiply-rotate hash with a final avalanche instead of
/// SipHash or streaming xxh3 (no untrusted keys reach a build that could mount a collision
/// attack worth defending against; hashing was the largest item in a profile of the
/// synthetic build). Strings and entries are not keys themselves: the maps hold a 64-bit hash
/// and the first id with it, further ids with the same hash are chained, so interning
/// allocates nothing per key.
type FastMap<K, V> = HashMap<K, V, MixBuild>;

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct MixBuild;

impl BuildHasher for MixBuild {
    type Hasher = Mix;
    fn build_hasher(&self) -> Mix {
        Mix(0)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Mix(u64);

impl Mix {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(26) ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl Hasher for Mix {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, x: u8) {
        self.add(u64::from(x));
    }
    fn write_u16(&mut self, x: u16) {
        self.add(u64::from(x));
    }
    fn write_u32(&mut self, x: u32) {
        self.add(u64::from(x));
    }
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
    fn finish(&self) -> u64 {
        // murmur3's fmix64
        let mut z = self.0;
        z ^= z >> 33;
        z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
        z ^= z >> 33;
        z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        z ^ (z >> 33)
    }
}

/// End of a chain of ids sharing one hash.
const NO_NEXT: u32 = u32::MAX;
use std::io::Write;
use std::net::IpAddr;
use std::path::Path;

use crate::class::Class;
use crate::error::{Error, Result};
use crate::format::{
    self, Body, CompanyRow, EntryRow, FORMAT_VERSION, Header, Index, NO_COMPANY, NO_ENTRY, ProvenanceRow, RKYV_FORMAT,
    V6_RANGE_BIT,
};
use crate::format::{fences, top_table};
pub use crate::lookup::RegistryId;
use crate::metadata::{ClassCount, Metadata};
use crate::range::IpRange;
use resolve::{Interval, resolve};

/// A company profile as given to the builder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Company {
    /// Registered legal name.
    pub legal_name: String,
    /// Trade name, when different.
    pub trade_name: Option<String>,
    /// ISO 3166 alpha-2 country code.
    pub country: Option<String>,
    /// Registry identifier.
    pub registry: Option<RegistryId>,
    /// Legal form (an ISO 20275 ELF code where known).
    pub legal_form: Option<String>,
    /// Web domain.
    pub domain: Option<String>,
    /// Postal address on one line.
    pub address: Option<String>,
    /// Industry code (SIC, NACE, SBI …).
    pub industry_code: Option<String>,
}

/// A source record that contributed evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Provenance {
    /// Source name (as in the build config).
    pub source: String,
    /// Version or date of the source.
    pub version: String,
    /// Key of the record within the source (`file:line`, an object key, a registry id …).
    pub record_key: String,
}

/// What the builder stores for a range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The range's class.
    pub class: Class,
    /// Reason code naming the rule and its evidence, e.g. `hosting:provider-list:aws`.
    pub reason: String,
    /// Confidence, 0–100 (values above 100 are stored as 100).
    pub confidence: u8,
    /// The company, for shown classes only: the builder drops it for filtered classes.
    pub company: Option<CompanyId>,
    /// Autonomous system number, when known.
    pub asn: Option<u32>,
    /// The network holder's name as the IP data gives it (dropped for sole traders and
    /// opted-out ranges).
    pub asn_org: Option<String>,
    /// Source records behind the entry.
    pub provenance: Vec<ProvenanceId>,
    /// ISO 3166 alpha-2 country of the range as the IP data gives it (e.g. an MMDB's
    /// `country_code`); anything but two ASCII letters is stored as unknown.
    pub country: Option<String>,
}

/// An [`Entry`] borrowed: what the compile pipeline inserts without copying its texts.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct EntryRef<'a> {
    pub class: Class,
    pub reason: &'a str,
    pub confidence: u8,
    pub company: Option<CompanyId>,
    pub asn: Option<u32>,
    pub asn_org: Option<&'a str>,
    pub provenance: &'a [ProvenanceId],
    pub country: Option<&'a str>,
}

/// An entry whose texts are interned already ([`DatabaseBuilder::intern_str`]): the compile
/// pipeline interns a holder's name or a reason once, not once per range.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct EntryIds<'a> {
    pub class: Class,
    /// String id of the reason code.
    pub reason: u32,
    pub confidence: u8,
    pub company: Option<CompanyId>,
    pub asn: Option<u32>,
    /// String id of the holder's name, 0 for none.
    pub asn_org: u32,
    pub provenance: &'a [ProvenanceId],
    pub country: Option<&'a str>,
}

impl Entry {
    fn view(&self) -> EntryRef<'_> {
        EntryRef {
            class: self.class,
            reason: &self.reason,
            confidence: self.confidence,
            company: self.company,
            asn: self.asn,
            asn_org: self.asn_org.as_deref(),
            provenance: &self.provenance,
            country: self.country.as_deref(),
        }
    }
}

/// Handle to a company added with [`DatabaseBuilder::add_company`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CompanyId(pub(crate) u32);

/// Handle to a provenance record added with [`DatabaseBuilder::add_provenance`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProvenanceId(pub(crate) u32);

#[derive(Default, Debug)]
struct Strings {
    /// Hash of a string -> the last id interned with that hash.
    heads: FastMap<u64, u32>,
    /// Per id: the previous id with the same hash, or [`NO_NEXT`].
    next: Vec<u32>,
    starts: Vec<u32>,
    bytes: Vec<u8>,
}

/// The hash the builder's string table files a string under.
#[inline]
pub(crate) fn str_hash(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

fn slice<'s>(starts: &[u32], bytes: &'s [u8], id: u32) -> &'s [u8] {
    let (a, b) = (starts[id as usize] as usize, starts[id as usize + 1] as usize);
    &bytes[a..b]
}

impl Strings {
    fn new() -> Self {
        let mut s = Strings::default();
        s.starts.push(0);
        s.intern("");
        s
    }

    fn intern(&mut self, s: &str) -> u32 {
        self.intern_hashed(s, str_hash(s))
    }

    /// [`intern`](Self::intern) with `h == str_hash(s)` computed by the caller (in parallel).
    fn intern_hashed(&mut self, s: &str, h: u64) -> u32 {
        let id = (self.starts.len() - 1) as u32;
        let prev = match self.heads.entry(h) {
            MapEntry::Occupied(mut o) => {
                let mut cur = *o.get();
                while cur != NO_NEXT {
                    if slice(&self.starts, &self.bytes, cur) == s.as_bytes() {
                        return cur;
                    }
                    cur = self.next[cur as usize];
                }
                std::mem::replace(o.get_mut(), id)
            }
            MapEntry::Vacant(v) => {
                v.insert(id);
                NO_NEXT
            }
        };
        self.next.push(prev);
        self.push_new(s)
    }

    /// Appends `s`, known to differ from every string so far, without indexing it.
    fn push_new(&mut self, s: &str) -> u32 {
        let id = (self.starts.len() - 1) as u32;
        self.bytes.extend_from_slice(s.as_bytes());
        self.starts.push(self.bytes.len() as u32);
        id
    }

    fn get(&self, id: u32) -> &str {
        std::str::from_utf8(slice(&self.starts, &self.bytes, id)).unwrap_or_default()
    }

    fn opt(&mut self, s: &Option<String>) -> u32 {
        s.as_deref().map_or(0, |s| self.intern(s))
    }
}

/// Builds a database from ranges with entries.
///
/// Ranges may overlap and nest: the most specific (smallest) range wins at every address,
/// and of two ranges of the same size the one inserted later wins. Adjacent ranges with
/// identical entries merge. The same calls in the same order give byte-identical output.
///
/// ```
/// use ipfirm::{Class, Company, Database, DatabaseBuilder, Entry};
///
/// let mut b = DatabaseBuilder::new();
/// let acme = b.add_company(Company { legal_name: "Acme B.V.".into(), ..Default::default() });
/// b.insert("192.0.2.0/24".parse::<ipnet::IpNet>()?, Entry {
///     class: Class::Business, reason: "business:example".into(), confidence: 90,
///     company: Some(acme), ..Default::default()
/// })?;
/// let db = Database::from_bytes(b.finish()?)?;
/// let m = db.lookup("192.0.2.7".parse()?).expect("inside the range");
/// assert_eq!(m.company().map(|c| c.legal_name()), Some("Acme B.V."));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct DatabaseBuilder {
    strings: Strings,
    companies: Vec<CompanyRow>,
    company_ids: FastMap<CompanyRow, u32>,
    provenance: Vec<ProvenanceRow>,
    provenance_ids: FastMap<ProvenanceRow, u32>,
    /// Per record-key string id: the first provenance record with that key, or [`NO_NEXT`].
    prov_by_key: Vec<u32>,
    /// Per provenance id: the first entry whose provenance starts with it, or [`NO_NEXT`].
    entry_by_prov: Vec<u32>,
    /// Entries; `prov_start`/`prov_len` index `entry_prov` until `finish` renumbers them.
    entries: Vec<EntryRow>,
    entry_prov: Vec<u32>,
    /// Hash of an entry -> the last entry id with that hash; `entry_next` chains the others.
    entry_heads: FastMap<u64, u32>,
    entry_next: Vec<u32>,
    v4: Vec<Interval<u32>>,
    v6: Vec<Interval<u128>>,
    seq: u64,
    metadata: Metadata,
}

impl Default for DatabaseBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl DatabaseBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        DatabaseBuilder {
            strings: Strings::new(),
            companies: Vec::new(),
            company_ids: FastMap::default(),
            provenance: Vec::new(),
            provenance_ids: FastMap::default(),
            prov_by_key: Vec::new(),
            entry_by_prov: Vec::new(),
            entries: Vec::new(),
            entry_prov: Vec::new(),
            entry_heads: FastMap::default(),
            entry_next: Vec::new(),
            v4: Vec::new(),
            v6: Vec::new(),
            seq: 0,
            metadata: Metadata::default(),
        }
    }

    /// Adds a company (identical companies share one id).
    pub fn add_company(&mut self, c: Company) -> CompanyId {
        let s = &mut self.strings;
        let (scheme, id) = match &c.registry {
            Some(r) => (s.intern(&r.scheme), s.intern(&r.id)),
            None => (0, 0),
        };
        let row = CompanyRow {
            legal_name: s.intern(&c.legal_name),
            trade_name: s.opt(&c.trade_name),
            country: s.opt(&c.country),
            registry_scheme: scheme,
            registry_id: id,
            legal_form: s.opt(&c.legal_form),
            domain: s.opt(&c.domain),
            address: s.opt(&c.address),
            industry_code: s.opt(&c.industry_code),
        };
        let next = self.companies.len() as u32;
        let id = *self.company_ids.entry(row).or_insert(next);
        if id == next {
            self.companies.push(row);
        }
        CompanyId(id)
    }

    /// Makes room for `ranges` more ranges (IPv4 assumed), each with its own entry and
    /// provenance record (the usual case: a source record per range), so the tables do not
    /// regrow and rehash while a large build inserts.
    pub fn reserve(&mut self, ranges: usize) {
        self.v4.reserve(ranges);
        self.entries.reserve(ranges);
        self.entry_next.reserve(ranges);
        self.entry_by_prov.reserve(ranges);
        self.entry_prov.reserve(ranges.saturating_mul(2));
        self.provenance.reserve(ranges);
        self.prov_by_key.reserve(ranges);
        self.strings.heads.reserve(ranges);
        self.strings.next.reserve(ranges);
        self.strings.starts.reserve(ranges);
    }

    /// Adds a provenance record (identical records share one id).
    pub fn add_provenance(&mut self, p: Provenance) -> ProvenanceId {
        self.add_provenance_parts(&p.source, &p.version, &p.record_key)
    }

    /// [`add_provenance`](Self::add_provenance) from borrowed texts.
    pub(crate) fn add_provenance_parts(&mut self, source: &str, version: &str, record_key: &str) -> ProvenanceId {
        let (source, version) = (self.strings.intern(source), self.strings.intern(version));
        self.add_provenance_ids(source, version, record_key, str_hash(record_key))
    }

    /// Interns `s` (identical strings share one id; `""` is 0). For the ids of
    /// [`EntryIds`] and [`add_provenance_ids`](Self::add_provenance_ids).
    #[cfg(feature = "compile")] // only the pipeline's pre-interned path uses it
    pub(crate) fn intern_str(&mut self, s: &str) -> u32 {
        self.strings.intern(s)
    }

    /// [`add_provenance_parts`](Self::add_provenance_parts) with the source and version
    /// interned already and `key_hash == str_hash(record_key)`.
    pub(crate) fn add_provenance_ids(
        &mut self,
        source: u32,
        version: u32,
        record_key: &str,
        key_hash: u64,
    ) -> ProvenanceId {
        let row = ProvenanceRow { source, version, record_key: self.strings.intern_hashed(record_key, key_hash) };
        let next = self.provenance.len() as u32;
        // The first record per record key is found through `prov_by_key` (record keys are
        // mostly unique: no hash-table probe), the others through `provenance_ids`.
        let k = row.record_key as usize;
        if self.prov_by_key.len() <= k {
            self.prov_by_key.resize(self.strings.next.len().max(k + 1), NO_NEXT);
        }
        let first = self.prov_by_key[k];
        if first == NO_NEXT {
            self.prov_by_key[k] = next;
            self.provenance.push(row);
            return ProvenanceId(next);
        }
        if self.provenance[first as usize] == row {
            return ProvenanceId(first);
        }
        let id = *self.provenance_ids.entry(row).or_insert(next);
        if id == next {
            self.provenance.push(row);
        }
        ProvenanceId(id)
    }

    /// Adds a range (a CIDR via `IpNet`, or an [`IpRange`]) with its entry.
    ///
    /// A range inside `::ffff:0:0/96` is stored as the IPv4 range it maps to, since lookups of
    /// IPv4-mapped addresses use the IPv4 index.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the entry names a company or provenance id this builder
    /// did not hand out.
    pub fn insert(&mut self, range: impl Into<IpRange>, entry: Entry) -> Result<()> {
        self.insert_ref(range.into(), &entry.view())
    }

    /// [`insert`](Self::insert) of a borrowed entry.
    pub(crate) fn insert_ref(&mut self, range: IpRange, entry: &EntryRef<'_>) -> Result<()> {
        let entry_id = self.intern_entry(entry)?;
        self.push_range(range, entry_id)
    }

    /// [`insert`](Self::insert) of an entry whose texts are interned.
    #[cfg(feature = "compile")] // only the pipeline's pre-interned path uses it
    pub(crate) fn insert_ids(&mut self, range: IpRange, entry: &EntryIds<'_>) -> Result<()> {
        let entry_id = self.intern_entry_ids(entry)?;
        self.push_range(range, entry_id)
    }

    fn push_range(&mut self, range: IpRange, entry_id: u32) -> Result<()> {
        let seq = self.seq;
        self.seq += 1;
        let mapped = |a: IpAddr| match a {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().filter(|_| v6.segments()[..6] == [0, 0, 0, 0, 0, 0xffff]),
            IpAddr::V4(v4) => Some(v4),
        };
        match (range.first(), range.last()) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                self.v4.push(Interval { start: a.into(), end: b.into(), seq, entry: entry_id })
            }
            (first, last) => match (mapped(first), mapped(last)) {
                (Some(a), Some(b)) => self.v4.push(Interval { start: a.into(), end: b.into(), seq, entry: entry_id }),
                _ => {
                    let (IpAddr::V6(a), IpAddr::V6(b)) = (first, last) else {
                        return Err(Error::InvalidInput(format!("range {range} mixes families")));
                    };
                    self.v6.push(Interval { start: a.into(), end: b.into(), seq, entry: entry_id })
                }
            },
        }
        Ok(())
    }

    /// Sets the metadata stored in the file. Counts (ranges, companies, classes) and the
    /// format and tool versions are filled in by [`finish`](Self::finish).
    pub fn set_metadata(&mut self, metadata: Metadata) {
        self.metadata = metadata;
    }

    /// Number of ranges inserted so far.
    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// True when nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn intern_entry(&mut self, e: &EntryRef<'_>) -> Result<u32> {
        let asn_org = match e.asn_org {
            Some(s) if !e.class.forbids_names() => self.strings.intern(s),
            _ => 0,
        };
        let reason = self.strings.intern(e.reason);
        self.intern_entry_ids(&EntryIds {
            class: e.class,
            reason,
            confidence: e.confidence,
            company: e.company,
            asn: e.asn,
            asn_org,
            provenance: e.provenance,
            country: e.country,
        })
    }

    fn intern_entry_ids(&mut self, e: &EntryIds<'_>) -> Result<u32> {
        let strings = self.strings.starts.len() as u32 - 1;
        if e.reason >= strings || e.asn_org >= strings {
            return Err(Error::InvalidInput(format!("unknown string id {}", e.reason.max(e.asn_org))));
        }
        let company = match e.company {
            Some(CompanyId(c)) if (c as usize) < self.companies.len() => c,
            Some(CompanyId(c)) => {
                return Err(Error::InvalidInput(format!("unknown company id {c}")));
            }
            None => NO_COMPANY,
        };
        for &ProvenanceId(p) in e.provenance {
            if p as usize >= self.provenance.len() {
                return Err(Error::InvalidInput(format!("unknown provenance id {p}")));
            }
        }
        // Filtering is enforced here, whatever the caller did: a filtered range never carries
        // a company, and sole-trader / opted-out ranges carry no name at all.
        let company = if e.class.is_shown() { company } else { NO_COMPANY };
        let asn_org = if e.class.forbids_names() { 0 } else { e.asn_org };
        let row = EntryRow {
            class: e.class.code(),
            confidence: e.confidence.min(100),
            country: country_code(e.country),
            reason: e.reason,
            company,
            asn: e.asn.unwrap_or(0),
            asn_org,
            prov_start: 0,
            prov_len: 0,
        };
        let same = |r: &EntryRow, prov: &[u32]| {
            let a = EntryRow { prov_start: 0, prov_len: 0, ..*r };
            a == row && prov.len() == e.provenance.len() && prov.iter().zip(e.provenance).all(|(a, b)| *a == b.0)
        };
        let next = self.entries.len() as u32;
        // The first entry per first provenance id is found through `entry_by_prov` (a ranges's
        // own source record usually makes its entry new: no hash-table probe); the others
        // through the hash chains.
        let mut by_prov = false;
        if let Some(&ProvenanceId(p)) = e.provenance.first() {
            if self.entry_by_prov.len() <= p as usize {
                self.entry_by_prov.resize(self.provenance.len().max(p as usize + 1), NO_NEXT);
            }
            let cand = self.entry_by_prov[p as usize];
            if cand == NO_NEXT {
                self.entry_by_prov[p as usize] = next;
                by_prov = true;
            } else {
                let r = &self.entries[cand as usize];
                let (a, n) = (r.prov_start as usize, r.prov_len as usize);
                if same(r, &self.entry_prov[a..a + n]) {
                    return Ok(cand);
                }
            }
        }
        let prev = if by_prov {
            NO_NEXT
        } else {
            let mut h = MixBuild.build_hasher();
            row.hash(&mut h);
            for &ProvenanceId(p) in e.provenance {
                h.write_u32(p);
            }
            match self.entry_heads.entry(h.finish()) {
                MapEntry::Occupied(mut o) => {
                    let mut cur = *o.get();
                    while cur != NO_NEXT {
                        let r = &self.entries[cur as usize];
                        let (a, n) = (r.prov_start as usize, r.prov_len as usize);
                        if same(r, &self.entry_prov[a..a + n]) {
                            return Ok(cur);
                        }
                        cur = self.entry_next[cur as usize];
                    }
                    std::mem::replace(o.get_mut(), next)
                }
                MapEntry::Vacant(v) => {
                    v.insert(next);
                    NO_NEXT
                }
            }
        };
        let prov_start = u32::try_from(self.entry_prov.len()).map_err(|_| too_big("provenance ids"))?;
        self.entry_prov.extend(e.provenance.iter().map(|p| p.0));
        self.entry_next.push(prev);
        self.entries.push(EntryRow { prov_start, prov_len: e.provenance.len() as u32, ..row });
        Ok(next)
    }

    /// Resolves overlaps and returns the database file's bytes.
    ///
    /// Only what a resolved range still refers to is written: entries, companies, provenance
    /// records and strings that lost every range to more specific ones are left out, so a name
    /// given to the builder but never shown cannot end up in the file.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a table outgrows the format's 32-bit offsets.
    pub fn finish(self) -> Result<Vec<u8>> {
        let DatabaseBuilder {
            strings,
            companies,
            company_ids,
            provenance,
            provenance_ids,
            prov_by_key,
            entry_by_prov,
            entries,
            entry_prov,
            entry_heads,
            entry_next,
            v4,
            v6,
            mut metadata,
            ..
        } = self;
        // The interning indexes are not needed any more: free them before the output grows.
        drop((company_ids, provenance_ids, prov_by_key, entry_by_prov, entry_heads, entry_next));
        let Strings { heads, next, starts, bytes } = strings;
        drop((heads, next));
        let strings = Strings { starts, bytes, ..Default::default() };

        let (v4_starts, mut v4_values) = resolve(v4);
        let (v6_starts, mut v6_values) = resolve(v6);
        if v4_starts.len() >= V6_RANGE_BIT as usize || v6_starts.len() >= V6_RANGE_BIT as usize {
            return Err(Error::InvalidInput("more than 2^31 ranges in one family".into()));
        }

        // Keep only the entries that some range uses, in their original order (determinism).
        let mut entry_map = vec![NO_ENTRY; entries.len()];
        for &v in v4_values.iter().chain(&v6_values) {
            if let Some(slot) = entry_map.get_mut(v as usize) {
                *slot = 0;
            }
        }
        for (next, slot) in entry_map.iter_mut().filter(|s| **s == 0).enumerate() {
            *slot = next as u32;
        }
        for v in v4_values.iter_mut().chain(v6_values.iter_mut()) {
            *v = entry_map.get(*v as usize).copied().unwrap_or(NO_ENTRY);
        }
        let used_entries = entries.iter().zip(&entry_map).filter(|(_, m)| **m != NO_ENTRY).map(|(e, _)| e);

        let mut company_map = vec![NO_COMPANY; companies.len()];
        let mut provenance_map = vec![u32::MAX; provenance.len()];
        let mut out_companies = Vec::new();
        let mut out_provenance = Vec::new();
        let mut out_strings = Strings::new();
        let mut string_map = vec![u32::MAX; strings.starts.len()];
        // The builder's strings are distinct and "" is id 0 in both tables, so every other
        // string is new to the output table: appended without a lookup.
        let mut remap_str = |id: u32, out: &mut Strings| -> u32 {
            if id == 0 {
                return 0;
            }
            let slot = &mut string_map[id as usize];
            if *slot == u32::MAX {
                *slot = out.push_new(strings.get(id));
            }
            *slot
        };

        let mut entry_rows = Vec::with_capacity(entries.len());
        let mut provenance_ids = Vec::with_capacity(entry_prov.len());
        for row in used_entries {
            let mut row = *row;
            let prov = &entry_prov[row.prov_start as usize..(row.prov_start + row.prov_len) as usize];
            if let Some(slot) = company_map.get_mut(row.company as usize) {
                if *slot == NO_COMPANY {
                    let c = companies[row.company as usize];
                    *slot = out_companies.len() as u32;
                    out_companies.push(CompanyRow {
                        legal_name: remap_str(c.legal_name, &mut out_strings),
                        trade_name: remap_str(c.trade_name, &mut out_strings),
                        country: remap_str(c.country, &mut out_strings),
                        registry_scheme: remap_str(c.registry_scheme, &mut out_strings),
                        registry_id: remap_str(c.registry_id, &mut out_strings),
                        legal_form: remap_str(c.legal_form, &mut out_strings),
                        domain: remap_str(c.domain, &mut out_strings),
                        address: remap_str(c.address, &mut out_strings),
                        industry_code: remap_str(c.industry_code, &mut out_strings),
                    });
                }
                row.company = *slot;
            }
            row.reason = remap_str(row.reason, &mut out_strings);
            row.asn_org = remap_str(row.asn_org, &mut out_strings);
            row.prov_start = u32::try_from(provenance_ids.len()).map_err(|_| too_big("provenance ids"))?;
            row.prov_len = prov.len() as u32;
            for &p in prov {
                let slot = &mut provenance_map[p as usize];
                if *slot == u32::MAX {
                    let r = provenance[p as usize];
                    *slot = out_provenance.len() as u32;
                    out_provenance.push(ProvenanceRow {
                        source: remap_str(r.source, &mut out_strings),
                        version: remap_str(r.version, &mut out_strings),
                        record_key: remap_str(r.record_key, &mut out_strings),
                    });
                }
                provenance_ids.push(*slot);
            }
            entry_rows.push(row);
        }

        // Reverse index company -> ranges, and counts per class.
        let mut per_company: Vec<Vec<u32>> = vec![Vec::new(); out_companies.len()];
        // Counted per class code, named once at the end (no string per range).
        let mut per_code = vec![ClassCount::default(); 256];
        let mut count = |values: &[u32], flag: u32, sizes: &dyn Fn(usize) -> u64| -> u64 {
            let mut ranges = 0;
            for (i, &v) in values.iter().enumerate() {
                let Some(row) = entry_rows.get(v as usize) else {
                    continue;
                };
                ranges += 1;
                let c = &mut per_code[row.class as usize];
                c.ranges += 1;
                c.ipv4_addresses += sizes(i);
                if let Some(list) = per_company.get_mut(row.company as usize) {
                    list.push(i as u32 | flag);
                }
            }
            ranges
        };
        let v4_size = |i: usize| {
            let end = v4_starts.get(i + 1).map_or(1u64 << 32, |&s| s as u64);
            end - v4_starts[i] as u64
        };
        metadata.ipv4_ranges = count(&v4_values, 0, &v4_size);
        metadata.ipv6_ranges = count(&v6_values, V6_RANGE_BIT, &|_| 0);
        let mut classes: std::collections::BTreeMap<String, ClassCount> = Default::default();
        for (code, n) in per_code.iter().enumerate().filter(|(_, n)| n.ranges > 0) {
            let c = classes.entry(Class::from_code(code as u8).name().to_string()).or_default();
            c.ranges += n.ranges;
            c.ipv4_addresses += n.ipv4_addresses;
        }
        metadata.classes = classes;
        metadata.companies = out_companies.len() as u64;
        metadata.format_version = FORMAT_VERSION;
        metadata.tool_version = env!("CARGO_PKG_VERSION").to_string();

        let mut company_range_starts = Vec::with_capacity(out_companies.len() + 1);
        let mut company_ranges = Vec::new();
        company_range_starts.push(0);
        for list in per_company {
            company_ranges.extend(list);
            company_range_starts.push(u32::try_from(company_ranges.len()).map_err(|_| too_big("company ranges"))?);
        }
        if out_strings.bytes.len() > u32::MAX as usize {
            return Err(too_big("string table"));
        }

        let (f4, f6) = (fences(&v4_starts), fences(&v6_starts));
        let (b4, s4, t4) = top_table(&f4);
        let (b6, s6, t6) = top_table(&f6);
        let body = Body {
            v4: Index { base: b4, shift: s4, top: t4, fences: f4, starts: v4_starts, values: v4_values },
            v6: Index { base: b6, shift: s6, top: t6, fences: f6, starts: v6_starts, values: v6_values },
            entries: entry_rows,
            provenance_ids,
            provenance: out_provenance,
            companies: out_companies,
            company_range_starts,
            company_ranges,
            string_starts: out_strings.starts,
            string_bytes: out_strings.bytes,
        };
        let body_bytes = rkyv::to_bytes::<rkyv::rancor::Error>(&body)
            .map_err(|e| Error::InvalidInput(format!("serialising the body: {e}")))?;
        let meta_bytes = serde_json::to_vec(&metadata).map_err(|e| Error::InvalidInput(format!("metadata: {e}")))?;

        let mut out = Vec::with_capacity(format::HEADER_LEN + body_bytes.len() + meta_bytes.len());
        out.extend_from_slice(&[0u8; format::HEADER_LEN]);
        out.extend_from_slice(&body_bytes);
        out.extend_from_slice(&meta_bytes);
        let header = Header {
            version: FORMAT_VERSION,
            flags: 0,
            body_len: body_bytes.len() as u64,
            meta_len: meta_bytes.len() as u64,
            checksum: format::checksum(&out[format::HEADER_LEN..]),
            rkyv_format: RKYV_FORMAT,
        };
        out[..format::HEADER_LEN].copy_from_slice(&header.encode());
        Ok(out)
    }

    /// Writes the database to `path` atomically: a temporary file in the same directory is
    /// written, flushed to disk and renamed over `path`, so readers see the old file or the
    /// new one, never a half-written one.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path on any file-system failure; the builder's own errors.
    pub fn finish_to_path(self, path: impl AsRef<Path>) -> Result<()> {
        let bytes = self.finish()?;
        write_atomically(path.as_ref(), &bytes)
    }
}

/// Two ASCII letters, upper-cased; `[0, 0]` (unknown) for anything else.
fn country_code(c: Option<&str>) -> [u8; 2] {
    match c.map(str::as_bytes) {
        Some(&[a, b]) if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            [a.to_ascii_uppercase(), b.to_ascii_uppercase()]
        }
        _ => [0, 0],
    }
}

fn too_big(what: &str) -> Error {
    Error::InvalidInput(format!("{what} exceed the format's 32-bit offsets"))
}

/// Writes `bytes` to `path` through a temporary file, fsync and rename.
///
/// A path that names a device, pipe or socket (`/dev/null`, `/dev/stdout`, a FIFO) is written
/// directly: renaming over it would replace the device with a plain file. A directory is an error.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory, not a file");
            return Err(Error::io(path, e));
        }
        Ok(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new().write(true).open(path).map_err(|e| Error::io(path, e))?;
            return f.write_all(bytes).map_err(|e| Error::io(path, e));
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp =
        tempfile::Builder::new().prefix(".ipfirm-").suffix(".tmp").tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(tmp.path(), e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(tmp.path(), e))?;
    // tempfile creates 0600; a database is read by other users (a service account), so give it
    // the mode an ordinary new file gets.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o644);
        tmp.as_file().set_permissions(mode).map_err(|e| Error::io(tmp.path(), e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_into_not_replaced_and_a_directory_is_an_error() {
        use std::io::Read;
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        // A FIFO stands for `/dev/null` and `/dev/stdout` (which a failing test must not replace).
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("out.fifo");
        match std::process::Command::new("mkfifo").arg(&fifo).status() {
            Ok(s) if s.success() => {}
            other => {
                println!("SKIPPED a_pipe_is_written_into…: mkfifo unavailable ({other:?})");
                return;
            }
        }
        // O_NONBLOCK: the reader's open returns at once, so the writer's open finds a reader.
        let mut reader = std::fs::OpenOptions::new().read(true).custom_flags(0o4000).open(&fifo).expect("open reader");
        write_atomically(&fifo, b"into the pipe").expect("write to a FIFO");
        assert!(std::fs::metadata(&fifo).expect("stat").file_type().is_fifo(), "the FIFO was replaced by a file");
        let mut got = String::new();
        reader.read_to_string(&mut got).expect("read");
        assert_eq!(got, "into the pipe");

        let e = write_atomically(dir.path(), b"x").expect_err("a directory is no output file").to_string();
        assert!(e.contains("is a directory") && e.contains(&dir.path().display().to_string()), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1, "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_leaves_a_readable_file_and_no_temp_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.db");
        write_atomically(&path, b"first").expect("write");
        write_atomically(&path, b"second").expect("overwrite");
        assert_eq!(std::fs::read(&path).expect("read"), b"second");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "readable by a service account");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, ["x.db"]);
    }

    use super::*;

    #[test]
    fn filtered_classes_lose_company_and_names() {
        let mut b = DatabaseBuilder::new();
        let c = b.add_company(Company { legal_name: "Jan Jansen".into(), ..Default::default() });
        let e = Entry {
            class: Class::SoleTrader,
            company: Some(c),
            asn_org: Some("Jan Jansen".into()),
            ..Default::default()
        };
        let id = b.intern_entry(&e.view()).expect("valid entry");
        let row = &b.entries[id as usize];
        assert_eq!(row.company, NO_COMPANY);
        assert_eq!(row.asn_org, 0);
    }

    #[test]
    fn identical_records_and_entries_share_ids_whichever_index_finds_them() {
        let mut b = DatabaseBuilder::new();
        let p = |b: &mut DatabaseBuilder, s: &str, k: &str| b.add_provenance_parts(s, "1", k);
        // Same record key under two sources: the second goes through the hash map.
        let (a1, b1, a2, b2) = (p(&mut b, "a", "k"), p(&mut b, "b", "k"), p(&mut b, "a", "k"), p(&mut b, "b", "k"));
        assert_ne!(a1, b1);
        assert_eq!((a1, b1), (a2, b2));
        // A key first interned as some other string is indexed once it names a record.
        let e = |class: Class, prov: Vec<ProvenanceId>| Entry {
            class,
            reason: "k".into(),
            provenance: prov,
            ..Default::default()
        };
        b.intern_entry(&e(Class::Unknown, vec![]).view()).expect("valid entry");
        b.strings.intern("z");
        let c = p(&mut b, "c", "z");
        assert_eq!(c, p(&mut b, "c", "z"));
        assert_ne!(c, a1);
        // Entries with the same first provenance id: the first is indexed by it, the others hashed.
        let mut ids = Vec::new();
        for _ in 0..2 {
            for ent in [
                e(Class::Business, vec![a1]),
                e(Class::Hosting, vec![a1]),
                e(Class::Hosting, vec![a1, b1]),
                e(Class::Hosting, vec![]),
            ] {
                ids.push(b.intern_entry(&ent.view()).expect("valid entry"));
            }
        }
        assert_eq!(ids[..4], ids[4..]);
        let mut distinct = ids[..4].to_vec();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{ids:?}");
    }

    #[test]
    fn unknown_ids_are_rejected() {
        let mut b = DatabaseBuilder::new();
        let e = Entry { company: Some(CompanyId(3)), ..Default::default() };
        assert!(matches!(
            b.insert("10.0.0.0/8".parse::<ipnet::IpNet>().expect("cidr"), e),
            Err(Error::InvalidInput(_))
        ));
    }
}
