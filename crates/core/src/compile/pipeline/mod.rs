//! Orchestration of a build: config → sources → join → classify (+ opt-outs) → builder → file.
//!
//! Phases (each timed, with its peak memory, in the [`BuildReport`]):
//!
//! 1. **read** — every source is read by its adapter, sources in parallel (rayon); records are
//!    kept in config order, so the output does not depend on the thread count.
//! 2. **join** — registry records are indexed by normalised name and domain
//!    ([`crate::compile::join`]); each distinct IP holder (organisation name, country, domain) is
//!    looked up once; opt-outs are matched against the holder and its company. Provider-list
//!    ranges ("hints") that cover each IP record are found by one sweep over sorted ranges.
//! 3. **classify+insert** — in chunks: records are classified in parallel
//!    ([`crate::compile::classify::classify`]), then inserted into the
//!    [`DatabaseBuilder`] in config order (later sources win between equally specific ranges)
//!    with their provenance: the IP record that placed the range, the registry record that
//!    identified the company, and two synthetic records — `ipfirm:join` (how the company was
//!    matched) and `ipfirm:rule` (the rules that fired) — so `ipfirm explain` can show the
//!    chain of evidence. Opt-out wins over everything: the range becomes `opted_out` and the
//!    company is never added.
//! 4. **finish** — overlap resolution and serialisation; **verify** — the bytes are opened and
//!    fully checked; **write** — atomically.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::build::{Company, CompanyId, DatabaseBuilder, EntryIds, MixBuild, ProvenanceId, str_hash, write_atomically};
use crate::class::Class;
use crate::compile::classify::{self, Evidence, Rules};
use crate::compile::config::Config;
use crate::compile::covering::{covering_hints, covering_rir};
use crate::compile::join::{JoinOutcome, JoinQuery, RegistryIndex};
use crate::compile::normalize::name_key;
use crate::compile::records::{IpRecord, OptOut, RegistryRecord, SourceHint};
pub use crate::compile::report::BuildReport;
use crate::compile::report::{JoinReport, PhaseClock, SourceReport};
use crate::compile::sources::{self, ErrorLog, ReadContext, Record};
use crate::error::{Error, Result};
use crate::lookup::{Database, RegistryId};
use crate::metadata::{InputInfo, Metadata};
use crate::range::IpRange;

/// Source name of the provenance records that say how a company was matched.
pub const JOIN_SOURCE: &str = "ipfirm:join";
/// Source name of the provenance records that list the classification rules that fired.
pub const RULE_SOURCE: &str = "ipfirm:rule";
/// Source name of the provenance record of an opt-out.
pub const OPT_OUT_SOURCE: &str = "ipfirm:opt-out";

/// Confidence ceiling for a shown range whose holder was not found in any registry.
pub const UNMATCHED_MAX_CONFIDENCE: u8 = 60;

/// Records classified and inserted per chunk (bounds memory for huge inputs).
const CHUNK: usize = 1 << 16;

/// What a progress callback hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressEvent {
    /// A phase starts; `total` units of work when known.
    Start {
        /// Phase name.
        phase: &'static str,
        /// Units of work (sources, records) when known.
        total: Option<u64>,
    },
    /// `n` more units done.
    Advance(u64),
    /// The phase ended.
    Finish,
}

/// A progress callback (the CLI draws bars with it on a terminal).
pub type Progress = Arc<dyn Fn(ProgressEvent) + Send + Sync>;

/// Options for [`build`].
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Fail on the first bad row instead of skipping it.
    pub strict: bool,
    /// Called as phases start, advance and end.
    pub progress: Option<Progress>,
}

impl std::fmt::Debug for BuildOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildOptions")
            .field("strict", &self.strict)
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .finish()
    }
}

impl BuildOptions {
    fn emit(&self, e: ProgressEvent) {
        if let Some(p) = &self.progress {
            p(e);
        }
    }
}

/// Builds the database described by the TOML config at `config` into `out` (atomically).
///
/// # Errors
/// Config, source and I/O errors naming the file and line: the config is checked (kinds,
/// options, that every file exists) before any source is read.
pub fn build(config: &Path, out: &Path, opts: &BuildOptions) -> Result<BuildReport> {
    let cfg = Config::load(config)?;
    build_config(&cfg, out, opts)
}

/// Records read from the sources, in config order.
#[derive(Debug, Default)]
pub struct Inputs {
    /// IP-side records.
    pub ip: Vec<IpRecord>,
    /// Registry companies.
    pub registry: Vec<RegistryRecord>,
    /// Opt-outs.
    pub opt_outs: Vec<OptOut>,
}

/// [`build`] for an already loaded [`Config`].
///
/// # Errors
/// As [`build`].
pub fn build_config(cfg: &Config, out: &Path, opts: &BuildOptions) -> Result<BuildReport> {
    let mut clock = PhaseClock::new();
    let mut report =
        BuildReport { config: cfg.path.display().to_string(), output: out.display().to_string(), ..Default::default() };
    let rules = Rules::load_default()?;

    let (inputs, source_reports) = read_sources(cfg, opts)?;
    report.sources = source_reports;
    clock.lap("read");

    let metadata = Metadata {
        build_time: cfg.build.build_time.clone(),
        description: cfg.build.description.clone(),
        inputs: cfg
            .sources
            .iter()
            .zip(&report.sources)
            .map(|(s, r)| InputInfo {
                name: s.name.clone(),
                kind: s.kind.name().to_string(),
                path: s.path_as_written.clone(),
                version: s.version.clone(),
                rows: r.rows,
                skipped: r.skipped,
            })
            .collect(),
        ..Default::default()
    };
    let bytes = compile(inputs, &rules, metadata, opts, &mut clock, &mut report)?;

    write_atomically(out, &bytes)?;
    report.output_bytes = bytes.len() as u64;
    clock.lap("write");
    report.phases = clock.phases().to_vec();
    report.total_seconds = clock.total_seconds();
    report.cpu_seconds = clock.total_cpu_seconds();
    report.peak_rss_mib = clock.peak_rss_mib();
    Ok(report)
}

/// Reads every source (in parallel) and returns the records in config order.
fn read_sources(cfg: &Config, opts: &BuildOptions) -> Result<(Inputs, Vec<SourceReport>)> {
    opts.emit(ProgressEvent::Start { phase: "read", total: Some(cfg.sources.len() as u64) });
    let results: Vec<Result<(Inputs, SourceReport)>> = cfg
        .sources
        .par_iter()
        .map(|s| {
            let t = Instant::now();
            let mut log = ErrorLog::default();
            let mut part = Inputs::default();
            let rows = {
                let mut ctx =
                    ReadContext { source: &s.name, version: &s.version, strict: opts.strict, errors: &mut log };
                sources::read(&s.kind, &s.path, &mut ctx, &mut |r| match r {
                    Record::Ip(r) => part.ip.push(r),
                    Record::Registry(r) => part.registry.push(r),
                    Record::OptOut(o) => part.opt_outs.push(o),
                })?
            };
            let records = part.ip.len() + part.registry.len() + part.opt_outs.len();
            opts.emit(ProgressEvent::Advance(1));
            let rep = SourceReport {
                name: s.name.clone(),
                kind: s.kind.name().to_string(),
                path: s.path_as_written.clone(),
                version: s.version.clone(),
                rows,
                records: records as u64,
                skipped: log.skipped(),
                errors: log.errors().iter().map(ToString::to_string).collect(),
                seconds: t.elapsed().as_secs_f64(),
            };
            part.ip.shrink_to_fit();
            part.registry.shrink_to_fit();
            Ok((part, rep))
        })
        .collect();
    opts.emit(ProgressEvent::Finish);
    let mut parts = Vec::with_capacity(results.len());
    let mut reports = Vec::with_capacity(results.len());
    for r in results {
        let (part, rep) = r?;
        parts.push(part);
        reports.push(rep);
    }
    // Concatenate in config order without regrowing: each part is freed once moved.
    let mut inputs = Inputs {
        ip: Vec::with_capacity(parts.iter().map(|p| p.ip.len()).sum()),
        registry: Vec::with_capacity(parts.iter().map(|p| p.registry.len()).sum()),
        opt_outs: Vec::new(),
    };
    for mut p in parts {
        inputs.ip.append(&mut p.ip);
        inputs.registry.append(&mut p.registry);
        inputs.opt_outs.append(&mut p.opt_outs);
    }
    Ok((inputs, reports))
}

/// A distinct IP holder: what the join looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct HolderKey<'a> {
    name: Option<&'a str>,
    country: Option<&'a str>,
    domain: Option<&'a str>,
}

const NO_HOLDER: u32 = u32::MAX;

/// The record's holder, when it names one (by name or domain).
fn holder_key(r: &IpRecord) -> Option<HolderKey<'_>> {
    let key = HolderKey {
        name: r.org_name.as_deref().map(str::trim).filter(|s| !s.is_empty()),
        country: r.country.as_deref().filter(|s| !s.is_empty()),
        domain: r.domain.as_deref().filter(|s| !s.is_empty()),
    };
    (key.name.is_some() || key.domain.is_some()).then_some(key)
}

/// The opt-out list, ready for matching.
#[derive(Debug, Default)]
struct OptOuts<'a> {
    registry: HashMap<&'a RegistryId, &'a OptOut>,
    domains: HashMap<String, &'a OptOut>,
    names: HashMap<String, &'a OptOut>,
}

impl<'a> OptOuts<'a> {
    fn new(list: &'a [OptOut]) -> Self {
        let mut o = OptOuts::default();
        for item in list {
            match item {
                OptOut::Registry(id) => {
                    o.registry.entry(id).or_insert(item);
                }
                OptOut::Domain(d) => {
                    o.domains.entry(d.trim().trim_start_matches("www.").to_ascii_lowercase()).or_insert(item);
                }
                OptOut::Name(n) => {
                    let k = name_key(n);
                    if !k.is_empty() {
                        o.names.entry(k).or_insert(item);
                    }
                }
            }
        }
        o
    }

    fn is_empty(&self) -> bool {
        self.registry.is_empty() && self.domains.is_empty() && self.names.is_empty()
    }

    fn domain(&self, d: &str) -> Option<&'a OptOut> {
        // The domain and its parents: an opt-out of `example.com` covers `mail.example.com`.
        let d = d.trim().to_ascii_lowercase();
        let mut rest = d.as_str();
        loop {
            if let Some(o) = self.domains.get(rest) {
                return Some(o);
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => return None,
            }
        }
    }

    /// The opt-out that covers this holder or its matched company.
    fn find(&self, holder: &HolderKey, company: Option<&RegistryRecord>) -> Option<&'a OptOut> {
        if self.is_empty() {
            return None;
        }
        if let Some(c) = company {
            if let Some(o) = self.registry.get(&c.registry) {
                return Some(o);
            }
            if let Some(o) = c.domain.as_deref().and_then(|d| self.domain(d)) {
                return Some(o);
            }
            for n in std::iter::once(&c.legal_name).chain(&c.other_names) {
                if let Some(o) = self.names.get(&name_key(n)) {
                    return Some(o);
                }
            }
        }
        if let Some(o) = holder.domain.and_then(|d| self.domain(d)) {
            return Some(o);
        }
        holder.name.and_then(|n| self.names.get(&name_key(n)).copied())
    }
}

/// Everything [`classify::classify`] can see of a record, minus its exact place: two records
/// with equal keys get equal decisions.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ClassKey<'a> {
    source: &'a str,
    size: SizeClass,
    asn: Option<u32>,
    org_name: Option<&'a str>,
    netname: Option<&'a str>,
    descr: Option<&'a str>,
    country: Option<&'a str>,
    status: Option<&'a str>,
    org_type: Option<&'a str>,
    org_handle: Option<&'a str>,
    domain: Option<&'a str>,
    address: Option<&'a str>,
    hint: Option<&'a SourceHint>,
    covering: &'a [SourceHint],
    /// Status and org-type of the covering RIR record (rule 10c).
    covering_rir: Option<(Option<&'a str>, Option<&'a str>)>,
}

/// What classification reads of a range: its family and whether it is a "large allocation"
/// (rule 10b of `classify/RULES.md`: at least 2^20 IPv4 or 2^104 IPv6 addresses). Every other
/// size gives the same decision, so one holder's ranges of many sizes are classified once or
/// twice, not once per power of two. `size_class_separates_every_decision` (below) classifies
/// evidence at every power of two ± 1 in both families and fails if a rule reads the size in
/// any other way: then this function must learn the new threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SizeClass {
    None,
    V4 { large: bool },
    V6 { large: bool },
}

/// The [`SizeClass`] of a record's range.
fn size_class(range: Option<&IpRange>) -> SizeClass {
    const LARGE_V4: u64 = 1 << 20;
    const LARGE_V6: u128 = 1 << 104;
    match range.map(|x| (x.first(), x.last())) {
        Some((IpAddr::V4(a), IpAddr::V4(b))) => {
            SizeClass::V4 { large: u64::from(u32::from(b) - u32::from(a)) + 1 >= LARGE_V4 }
        }
        Some((IpAddr::V6(a), IpAddr::V6(b))) => {
            // The whole space (count 2^128) overflows: large.
            SizeClass::V6 { large: (u128::from(b) - u128::from(a)).checked_add(1).is_none_or(|n| n >= LARGE_V6) }
        }
        _ => SizeClass::None,
    }
}

impl<'a> ClassKey<'a> {
    fn new(r: &'a IpRecord, covering: &'a [SourceHint], covering_rir: Option<&'a IpRecord>) -> Self {
        ClassKey {
            source: &r.origin.source,
            size: size_class(r.range.as_ref()),
            asn: r.asn,
            org_name: r.org_name.as_deref(),
            netname: r.netname.as_deref(),
            descr: r.descr.as_deref(),
            country: r.country.as_deref(),
            status: r.status.as_deref(),
            org_type: r.org_type.as_deref(),
            org_handle: r.org_handle.as_deref(),
            domain: r.domain.as_deref(),
            address: r.address.as_deref(),
            hint: r.hint.as_ref(),
            covering,
            covering_rir: covering_rir.map(|c| (c.status.as_deref(), c.org_type.as_deref())),
        }
    }
}

/// The 128-bit xxh3 of what `value` feeds a [`Hasher`](std::hash::Hasher), gathered in `buf`
/// first: one pass over a few hundred bytes instead of a streaming update per field.
fn hash128(value: &impl Hash, buf: &mut Vec<u8>) -> u128 {
    /// Collects the bytes a `Hash` implementation writes (strings end in 0xff, slices start
    /// with their length, so distinct values give distinct byte strings).
    struct Bytes<'b>(&'b mut Vec<u8>);
    impl std::hash::Hasher for Bytes<'_> {
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
        fn finish(&self) -> u64 {
            0
        }
    }
    buf.clear();
    value.hash(&mut Bytes(buf));
    xxhash_rust::xxh3::xxh3_128(buf)
}

/// The join's result per holder.
#[derive(Debug)]
struct HolderInfo<'a> {
    outcome: JoinOutcome,
    opt_out: Option<&'a OptOut>,
}

/// Compiles records into database bytes (phases `join`, `classify+insert`, `finish`,
/// `verify`), filling `report`. `metadata` is stored with the build report so far in
/// `extra["build_report"]`. The records are freed (by another thread) while the file is
/// serialised, so the peak memory stays well below the sum of the two.
///
/// # Errors
/// Builder errors (a table outgrowing the format) and a failed check of the output.
pub fn compile(
    inputs: Inputs,
    rules: &Rules,
    metadata: Metadata,
    opts: &BuildOptions,
    clock: &mut PhaseClock,
    report: &mut BuildReport,
) -> Result<Vec<u8>> {
    compile_memo(inputs, rules, metadata, opts, clock, report, true)
}

/// [`compile`], classifying every record on its own when `memoise` is false (the reference
/// the memoised build is tested against).
fn compile_memo(
    inputs: Inputs,
    rules: &Rules,
    mut metadata: Metadata,
    opts: &BuildOptions,
    clock: &mut PhaseClock,
    report: &mut BuildReport,
    memoise: bool,
) -> Result<Vec<u8>> {
    let builder = join_classify_insert(&inputs, rules, opts, clock, report, memoise)?;
    // Millions of records of a few strings each: freed by another thread while the (serial)
    // finish runs. Their memory goes back as the file grows, so the peak stays near the larger
    // of the two.
    let dropper = std::thread::spawn(move || drop(inputs));

    // --- finish -----------------------------------------------------------------------------
    opts.emit(ProgressEvent::Start { phase: "finish", total: None });
    report.phases = clock.phases().to_vec();
    let mut snapshot = report.clone();
    // What is stored describes the data, not the run: no paths of the output, no timings, so
    // the same inputs give a byte-identical file.
    snapshot.output.clear();
    // Paths relative to the config's folder: the same data in another checkout, same file.
    let base = Path::new(&report.config).parent().map(|p| format!("{}/", p.display())).unwrap_or_default();
    snapshot.config =
        Path::new(&report.config).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    snapshot.phases.clear();
    snapshot.insert_seconds = 0.0;
    // How many records were classified on their own is a property of the memo, not the data.
    snapshot.classified = 0;
    snapshot.total_seconds = 0.0;
    snapshot.cpu_seconds = 0.0;
    snapshot.peak_rss_mib = 0.0;
    // Skipped rows are stored as `file:line` only: a bad row's text stays out of the file.
    for s in &mut snapshot.sources {
        s.seconds = 0.0;
        for e in &mut s.errors {
            if let Some((pos, _)) = e.split_once(": ") {
                *e = pos.to_string();
            }
            if !base.is_empty() && base != "/" {
                *e = e.replace(&base, "");
            }
        }
    }
    metadata.extra.insert(
        "build_report".into(),
        serde_json::to_value(&snapshot).map_err(|e| Error::InvalidInput(format!("build report: {e}")))?,
    );
    let mut builder = builder;
    builder.set_metadata(metadata);
    let bytes = builder.finish()?;
    // (A panic while freeing cannot have corrupted the bytes.)
    let _ = dropper.join();
    opts.emit(ProgressEvent::Finish);
    clock.lap("finish");

    let db = Database::from_bytes(&bytes)?;
    let m = db.metadata();
    report.ranges_per_class = m.classes.clone();
    report.ipv4_ranges = m.ipv4_ranges;
    report.ipv6_ranges = m.ipv6_ranges;
    report.companies = m.companies;
    report.output_bytes = bytes.len() as u64;
    drop(db);
    clock.lap("verify");
    report.phases = clock.phases().to_vec();
    Ok(bytes)
}

/// Phases `join` and `classify+insert`: the filled builder and the classify/insert timings.
fn join_classify_insert(
    inputs: &Inputs,
    rules: &Rules,
    opts: &BuildOptions,
    clock: &mut PhaseClock,
    report: &mut BuildReport,
    memoise: bool,
) -> Result<DatabaseBuilder> {
    report.ip_records = inputs.ip.len() as u64;
    report.registry_records = inputs.registry.len() as u64;
    report.opt_outs = inputs.opt_outs.len() as u64;

    // --- join -------------------------------------------------------------------------------
    opts.emit(ProgressEvent::Start { phase: "join", total: None });
    let index = RegistryIndex::build(&inputs.registry);
    let opt_outs = OptOuts::new(&inputs.opt_outs);
    // Holders are told apart by a 128-bit hash of their key (as the classification memo below:
    // a collision among even 10^9 keys has odds below 10^-20), hashed in parallel, then
    // numbered in parallel too: the hashes fall into shards by their top bits, each shard is
    // numbered in record order by its own thread, and the shards' numbers follow each other.
    // The numbers are the same whatever the thread count (and nothing in the output depends
    // on them: they only index the holders' join results and the inserter's caches).
    let holder_hashes: Vec<Option<u128>> =
        inputs.ip.par_iter().map_init(Vec::new, |buf, r| holder_key(r).map(|key| hash128(&key, buf))).collect();
    let (record_holder, holders) = number_holders(&inputs.ip, &holder_hashes);
    drop(holder_hashes);
    let infos: Vec<HolderInfo> = holders
        .par_iter()
        .map(|h| {
            let outcome = index.find(&JoinQuery { name: h.name, country: h.country, domain: h.domain });
            let company = outcome.index().map(|i| &inputs.registry[i as usize]);
            HolderInfo { opt_out: opt_outs.find(h, company), outcome }
        })
        .collect();
    let hints = covering_hints(&inputs.ip);
    let rir = covering_rir(&inputs.ip);
    report.join = join_report(&index, &infos, &record_holder);
    opts.emit(ProgressEvent::Finish);
    clock.lap("join");

    // --- classify + insert ------------------------------------------------------------------
    // Classification depends on what a record says, not on where it sits: records with equal
    // evidence (one holder's many ranges in an ASN table) are classified once. The key holds
    // every field of the evidence except the record key and version of the origin and the
    // exact range (its size, as a power of two, is kept for size-based rules).
    opts.emit(ProgressEvent::Start { phase: "classify", total: Some(inputs.ip.len() as u64) });
    let mut ins = Inserter::new(inputs, &infos);
    ins.builder.reserve(inputs.ip.len());
    let mut per_class = [0u64; 256];
    let mut t_insert = 0.0;
    // Keyed by a 128-bit hash of the evidence (a collision among even 10^9 keys has odds
    // below 10^-20), holding compact decisions whose texts are interned: memory stays small
    // when nearly every record is distinct.
    let mut memo: HashMap<u128, u32, MixBuild> = HashMap::default();
    let mut decisions: Vec<Compact> = Vec::new();
    let mut texts = Texts::default();
    let mut classified = 0u64;
    // Pipelined: while the pool classifies chunk k, another thread inserts chunk k - 1 (the
    // builder is serial), so the serial insert hides behind the parallel classification.
    let chunks: Vec<&[IpRecord]> = inputs.ip.chunks(CHUNK).collect();
    let mut prev: Option<Pending> = None;
    for k in 0..=chunks.len() {
        let (todo, (which, key_hashes), fresh, inserted) = std::thread::scope(|scope| {
            let (ins, decisions, texts, per_class) = (&mut ins, &decisions, &texts, &mut per_class);
            let record_holder = &record_holder;
            let chunks = &chunks;
            let prev = prev.take();
            let inserter = scope.spawn(move || -> Result<(f64, u64)> {
                let Some((pk, pwhich, phashes)) = prev else {
                    return Ok((0.0, 0));
                };
                let t = Instant::now();
                let base = pk * CHUNK;
                for (j, ((ip, &d), &(kh, flags))) in chunks[pk].iter().zip(&pwhich).zip(&phashes).enumerate() {
                    let class = ins.insert(ip, record_holder[base + j], kh, flags, &decisions[d as usize], texts)?;
                    per_class[class.code() as usize] += 1;
                }
                Ok((t.elapsed().as_secs_f64(), pwhich.len() as u64))
            });
            // The evidence keys are hashed in parallel (while the previous chunk is inserted);
            // only the memo look-ups are serial.
            let mut todo: Vec<usize> = Vec::new();
            let mut which: Vec<u32> = Vec::new();
            let mut key_hashes: Vec<(u64, u8)> = Vec::new();
            if let Some(chunk) = chunks.get(k) {
                let base = k * CHUNK;
                let keys: Vec<(u128, u64, u8)> = (base..base + chunk.len())
                    .into_par_iter()
                    .map_init(Vec::new, |buf, i| {
                        let r = &inputs.ip[i];
                        let key = hash128(&ClassKey::new(r, hints.get(i), rir.get(&inputs.ip, i)), buf);
                        (key, str_hash(&r.origin.record_key), record_flags(&inputs.ip, i))
                    })
                    .collect();
                which = keys
                    .iter()
                    .zip(base..)
                    .map(|(&(key, _, _), i)| {
                        let next = (decisions.len() + todo.len()) as u32;
                        if !memoise {
                            todo.push(i);
                            return next;
                        }
                        *memo.entry(key).or_insert_with(|| {
                            todo.push(i);
                            next
                        })
                    })
                    .collect();
                key_hashes = keys.into_iter().map(|(_, k, f)| (k, f)).collect();
            }
            let fresh: Vec<classify::Decision> = todo
                .par_iter()
                .map(|&i| {
                    let ip = &inputs.ip[i];
                    let h = record_holder[i];
                    let info = (h != NO_HOLDER).then(|| &infos[h as usize]);
                    let (company, method) = match info.map(|x| &x.outcome) {
                        Some(JoinOutcome::Matched { index, method }) => {
                            (Some(&inputs.registry[*index as usize]), Some(*method))
                        }
                        _ => (None, None),
                    };
                    let ev = Evidence {
                        ip,
                        covering_hints: hints.get(i),
                        covering_rir: rir.get(&inputs.ip, i),
                        company,
                        match_method: method,
                        opt_out: info.and_then(|x| x.opt_out),
                    };
                    classify::classify(rules, &ev)
                })
                .collect();
            let inserted =
                inserter.join().unwrap_or_else(|_| Err(Error::InvalidInput("insert thread panicked".into())));
            (todo.len(), (which, key_hashes), fresh, inserted)
        });
        classified += todo as u64;
        decisions.extend(fresh.into_iter().map(|d| {
            let rules = if d.fired.is_empty() { texts.id(&d.reason) } else { texts.id(&d.fired.join(" > ")) };
            Compact { class: d.class, confidence: d.confidence, reason: texts.id(&d.reason), rules }
        }));
        let (insert_secs, n) = inserted?;
        t_insert += insert_secs;
        if n > 0 {
            opts.emit(ProgressEvent::Advance(n));
        }
        if k < chunks.len() {
            prev = Some((k, which, key_hashes));
        }
    }
    drop(memo);
    let records_per_class: BTreeMap<String, u64> = (0..=255u8)
        .filter(|&c| per_class[c as usize] > 0)
        .map(|c| (Class::from_code(c).name().to_string(), per_class[c as usize]))
        .collect();
    report.opted_out_records = records_per_class.get(Class::OptedOut.name()).copied().unwrap_or(0);
    report.records_per_class = records_per_class;
    opts.emit(ProgressEvent::Finish);
    clock.lap("classify+insert");
    report.classified = classified;
    report.insert_seconds = t_insert;
    Ok(ins.builder)
}

/// Shards of [`number_holders`].
const HOLDER_SHARDS: usize = 2;

/// Numbers the distinct holder hashes: the holder number of every record ([`NO_HOLDER`] for
/// none) and the key of every holder.
fn number_holders<'a>(ip: &'a [IpRecord], hashes: &[Option<u128>]) -> (Vec<u32>, Vec<HolderKey<'a>>) {
    let shard_of = |h: u128| (h >> 127) as usize % HOLDER_SHARDS;
    let shards: Vec<(Vec<u32>, Vec<HolderKey<'a>>)> = (0..HOLDER_SHARDS)
        .into_par_iter()
        .map(|s| {
            let mut ids: HashMap<u128, u32, MixBuild> = HashMap::default();
            let mut keys: Vec<HolderKey<'a>> = Vec::new();
            let numbers = hashes
                .iter()
                .zip(ip)
                .map(|(h, r)| match *h {
                    Some(h) if shard_of(h) == s => match ids.entry(h) {
                        std::collections::hash_map::Entry::Occupied(o) => *o.get(),
                        std::collections::hash_map::Entry::Vacant(v) => match holder_key(r) {
                            Some(key) => {
                                keys.push(key);
                                *v.insert((keys.len() - 1) as u32)
                            }
                            None => NO_HOLDER,
                        },
                    },
                    _ => NO_HOLDER,
                })
                .collect();
            (numbers, keys)
        })
        .collect();
    let mut offsets = Vec::with_capacity(HOLDER_SHARDS);
    let mut holders = Vec::new();
    let mut numbers = Vec::new();
    for (n, keys) in shards {
        offsets.push(holders.len() as u32);
        holders.extend(keys);
        numbers.push(n);
    }
    let record_holder = (0..ip.len())
        .into_par_iter()
        .map(|i| match hashes[i] {
            Some(h) => {
                let s = shard_of(h);
                match numbers[s][i] {
                    NO_HOLDER => NO_HOLDER,
                    n => n + offsets[s],
                }
            }
            None => NO_HOLDER,
        })
        .collect();
    (record_holder, holders)
}

fn join_report(index: &RegistryIndex, infos: &[HolderInfo], record_holder: &[u32]) -> JoinReport {
    let mut j = JoinReport {
        registry_records: index.records().iter().filter(|r| r.active).count() as u64,
        holders: infos.len() as u64,
        ..Default::default()
    };
    for info in infos {
        match &info.outcome {
            JoinOutcome::Matched { method, .. } => {
                j.matched += 1;
                *j.by_method.entry((*method).to_string()).or_default() += 1;
            }
            JoinOutcome::Ambiguous { .. } => j.ambiguous += 1,
            JoinOutcome::NoMatch => j.unmatched += 1,
        }
    }
    j.match_rate = if j.holders == 0 { 0.0 } else { j.matched as f64 / j.holders as f64 };
    j.ip_records_matched = record_holder
        .iter()
        .filter(|&&h| h != NO_HOLDER && matches!(infos[h as usize].outcome, JoinOutcome::Matched { .. }))
        .count() as u64;
    j
}

/// A chunk waiting for the insert thread: its number, the decision of every record and its
/// record key's hash and [`flag`]s.
type Pending = (usize, Vec<u32>, Vec<(u64, u8)>);

/// A classification decision with its texts interned.
#[derive(Debug, Clone, Copy)]
struct Compact {
    class: Class,
    confidence: u8,
    /// Reason code (text id).
    reason: u32,
    /// The rules that fired joined by ` > `, winner first (text id).
    rules: u32,
}

/// Interned texts of the decisions.
#[derive(Debug, Default)]
struct Texts {
    ids: HashMap<String, u32, Xxh3DefaultBuilder>,
    all: Vec<String>,
}

impl Texts {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.all.len() as u32;
        self.all.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }

    fn get(&self, i: u32) -> &str {
        self.all.get(i as usize).map_or("", String::as_str)
    }
}

/// Not cached yet (in the per-holder and per-registry-record caches of [`Inserter`]).
const UNSET: u32 = u32::MAX;

/// Facts about a record found in the parallel pass, so the serial insert need not read the
/// record's texts.
mod flag {
    /// Same source and version as the previous record.
    pub const SAME_ORIGIN: u8 = 1;
    /// The organisation name is not empty once trimmed.
    pub const HAS_NAME: u8 = 2;
    /// The organisation name has no surrounding white space (it is its holder's name).
    pub const NAME_TRIMMED: u8 = 4;
}

/// The [`flag`]s of record `i`.
fn record_flags(ip: &[IpRecord], i: usize) -> u8 {
    let r = &ip[i];
    let mut f = 0;
    if i > 0 && ip[i - 1].origin.source == r.origin.source && ip[i - 1].origin.version == r.origin.version {
        f |= flag::SAME_ORIGIN;
    }
    if let Some(n) = r.org_name.as_deref() {
        let t = n.trim();
        if !t.is_empty() {
            f |= flag::HAS_NAME;
        }
        if t.len() == n.len() {
            f |= flag::NAME_TRIMMED;
        }
    }
    f
}

/// What the inserter needs of one holder, in one small slot read once per range: the join's
/// result and what the builder holds for the holder.
#[derive(Debug, Clone, Copy)]
struct HolderSlot {
    /// The registry record the holder was matched to, or [`UNSET`].
    matched: u32,
    /// An opt-out covers the holder.
    opted_out: bool,
    /// The company under the holder's own name (unmatched holders).
    company: u32,
    /// String id of the holder's (trimmed) name.
    name: u32,
    /// The `ipfirm:join` record and what it was for (0 = a shown class, else 1 + the code of
    /// the filtered class).
    join: u32,
    join_for: u8,
}

/// What the builder holds for one registry record: its company and its provenance record.
#[derive(Debug, Clone, Copy)]
struct RegistrySlot {
    company: u32,
    provenance: u32,
}

/// Turns decisions into builder calls. What many ranges share — a holder's company, name and
/// join record, a registry record's provenance, a reason's text — is added to the builder once
/// and cached by holder, registry record or text id, so a range costs the builder little more
/// than its own source record (whose key is hashed beforehand, in parallel).
struct Inserter<'a> {
    inputs: &'a Inputs,
    infos: &'a [HolderInfo<'a>],
    builder: DatabaseBuilder,
    registry: Vec<RegistrySlot>,
    holders: Vec<HolderSlot>,
    /// Per synthetic source: record key -> provenance (probed with `&str`, no allocation).
    synthetic: HashMap<&'static str, HashMap<String, ProvenanceId, Xxh3DefaultBuilder>>,
    /// The `ipfirm:rule` provenance per rules text.
    rule_prov: Vec<Option<ProvenanceId>>,
    /// String id per decision text id.
    text_str: Vec<u32>,
    /// String ids of the source and version of the previous record.
    origin: (u32, u32),
    version: String,
}

impl<'a> Inserter<'a> {
    fn new(inputs: &'a Inputs, infos: &'a [HolderInfo<'a>]) -> Self {
        Inserter {
            inputs,
            infos,
            builder: DatabaseBuilder::new(),
            registry: vec![RegistrySlot { company: UNSET, provenance: UNSET }; inputs.registry.len()],
            holders: infos
                .iter()
                .map(|i| HolderSlot {
                    matched: i.outcome.index().unwrap_or(UNSET),
                    opted_out: i.opt_out.is_some(),
                    company: UNSET,
                    name: UNSET,
                    join: UNSET,
                    join_for: 0,
                })
                .collect(),
            synthetic: HashMap::new(),
            rule_prov: Vec::new(),
            text_str: Vec::new(),
            origin: (UNSET, UNSET),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    fn synthetic(&mut self, source: &'static str, key: &str) -> ProvenanceId {
        let known = self.synthetic.entry(source).or_default();
        if let Some(&id) = known.get(key) {
            return id;
        }
        let id = self.builder.add_provenance_parts(source, &self.version, key);
        known.insert(key.to_string(), id);
        id
    }

    /// The string id of decision text `t`.
    fn text(&mut self, t: u32, texts: &Texts) -> u32 {
        let i = t as usize;
        if self.text_str.len() <= i {
            self.text_str.resize(i + 1, UNSET);
        }
        if self.text_str[i] == UNSET {
            self.text_str[i] = self.builder.intern_str(texts.get(t));
        }
        self.text_str[i]
    }

    /// The `ipfirm:join` record of `holder` for a range of class `class`, made by `key`.
    fn join_provenance(&mut self, holder: u32, class: Class, key: impl FnOnce() -> String) -> ProvenanceId {
        let tag = if class.is_shown() { 0 } else { 1 + class.code() };
        let slot = self.holders[holder as usize];
        if slot.join != UNSET && slot.join_for == tag {
            return ProvenanceId(slot.join);
        }
        let id = self.synthetic(JOIN_SOURCE, &key());
        let slot = &mut self.holders[holder as usize];
        (slot.join, slot.join_for) = (id.0, tag);
        id
    }

    /// The string id of `holder`'s name (`name`, trimmed).
    fn holder_name(&mut self, holder: u32, name: &str) -> u32 {
        let slot = &mut self.holders[holder as usize];
        if slot.name == UNSET {
            slot.name = self.builder.intern_str(name.trim());
        }
        slot.name
    }

    /// Inserts record `ip` (whose [`flag`]s are `flags` and whose key hashes to `key_hash`)
    /// with decision `d`. Every record must pass here, in order, even one without a range.
    fn insert(
        &mut self,
        ip: &IpRecord,
        holder: u32,
        key_hash: u64,
        flags: u8,
        d: &Compact,
        texts: &Texts,
    ) -> Result<Class> {
        if flags & flag::SAME_ORIGIN == 0 || self.origin.0 == UNSET {
            self.origin = (self.builder.intern_str(&ip.origin.source), self.builder.intern_str(&ip.origin.version));
        }
        let Some(range) = ip.range else {
            return Ok(d.class);
        };
        // The holder's join result is read from `infos` only where the slot does not tell.
        let infos = self.infos;
        let info = move || (holder != NO_HOLDER).then(|| &infos[holder as usize]);
        let (matched_index, opted_out) = match self.holders.get(holder as usize) {
            Some(h) => ((h.matched != UNSET).then_some(h.matched), h.opted_out),
            None => (None, false),
        };
        let mut class = d.class;
        let mut reason = self.text(d.reason, texts);
        let mut confidence = d.confidence;
        let mut rule_override = None;
        if let Some(o) = info().filter(|_| opted_out).and_then(|i| i.opt_out) {
            if class != Class::OptedOut {
                class = Class::OptedOut;
                let text = format!("opted_out:{}", opt_out_kind(o));
                rule_override = Some(format!("{text} > {}", texts.get(d.rules)));
                reason = self.builder.intern_str(&text);
            }
            confidence = 100;
        }

        // At most five ids (IP record, registry record, join, opt-out, rules): no allocation.
        let mut provenance = [ProvenanceId(0); 5];
        let mut n_prov = 1;
        provenance[0] = self.builder.add_provenance_ids(self.origin.0, self.origin.1, &ip.origin.record_key, key_hash);
        let mut push = |p: ProvenanceId| {
            provenance[n_prov] = p;
            n_prov += 1;
        };
        let mut company = None;
        let method = move || match info().map(|i| &i.outcome) {
            Some(JoinOutcome::Matched { method, .. }) => *method,
            _ => "",
        };
        if class.is_shown() {
            if let Some(index) = matched_index {
                let rec = &self.inputs.registry[index as usize];
                let slot = self.registry[index as usize];
                let cid = if slot.company == UNSET {
                    let c = self.builder.add_company(Company {
                        legal_name: rec.legal_name.clone(),
                        trade_name: None,
                        country: rec.country.clone(),
                        registry: Some(rec.registry.clone()),
                        legal_form: rec.legal_form.clone(),
                        domain: rec.domain.clone().or_else(|| ip.domain.clone()),
                        address: rec.address.clone(),
                        industry_code: rec.industry_code.clone(),
                    });
                    self.registry[index as usize].company = c.0;
                    c.0
                } else {
                    slot.company
                };
                company = Some(CompanyId(cid));
                let pid = if slot.provenance == UNSET {
                    let o = &rec.origin;
                    let p = self.builder.add_provenance_parts(&o.source, &o.version, &o.record_key).0;
                    self.registry[index as usize].provenance = p;
                    p
                } else {
                    slot.provenance
                };
                push(ProvenanceId(pid));
                let reg = &rec.registry;
                push(self.join_provenance(holder, class, || format!("matched:{}:{}:{}", method(), reg.scheme, reg.id)));
            } else if flags & flag::HAS_NAME != 0 && holder != NO_HOLDER {
                // Unmatched: the holder keeps its own name, with a lower confidence and no id.
                // (A record with a name always has a holder; its company is the holder's.)
                let h = holder as usize;
                if self.holders[h].company == UNSET {
                    let name = ip.org_name.as_deref().unwrap_or_default().trim();
                    let c = self.builder.add_company(Company {
                        legal_name: name.to_string(),
                        country: ip.country.clone(),
                        domain: ip.domain.clone(),
                        address: ip.address.clone(),
                        ..Default::default()
                    });
                    self.holders[h].company = c.0;
                }
                company = Some(CompanyId(self.holders[h].company));
                confidence = confidence.min(UNMATCHED_MAX_CONFIDENCE);
                push(self.join_provenance(holder, class, || match info().map(|i| &i.outcome) {
                    Some(JoinOutcome::Ambiguous { candidates, method }) => {
                        format!("ambiguous:{method}:{candidates} candidates:own name kept")
                    }
                    _ => "unmatched:own name kept".to_string(),
                }));
            }
        } else if matched_index.is_some() {
            // Filtered: say that a match existed, never which company (a sole trader's
            // registry id is personal data).
            push(self.join_provenance(holder, class, || format!("matched:{}:withheld ({})", method(), class.name())));
        }
        if class == Class::OptedOut {
            push(self.synthetic(OPT_OUT_SOURCE, "opt-out list"));
        }
        let rule = match rule_override {
            Some(text) => self.synthetic(RULE_SOURCE, &text),
            None => {
                let ti = d.rules as usize;
                if self.rule_prov.len() <= ti {
                    self.rule_prov.resize(ti + 1, None);
                }
                match self.rule_prov[ti] {
                    Some(id) => id,
                    None => {
                        let id = self.synthetic(RULE_SOURCE, texts.get(d.rules));
                        self.rule_prov[ti] = Some(id);
                        id
                    }
                }
            }
        };
        push(rule);

        // The name as the IP data gives it: the holder's name unless white space surrounds it.
        let asn_org = match ip.org_name.as_deref() {
            _ if class.forbids_names() => 0,
            None => 0,
            Some(name) if holder != NO_HOLDER && flags & flag::HAS_NAME != 0 && flags & flag::NAME_TRIMMED != 0 => {
                self.holder_name(holder, name)
            }
            Some(name) => self.builder.intern_str(name),
        };
        self.builder.insert_ids(
            range,
            &EntryIds {
                class,
                reason,
                confidence,
                company,
                asn: ip.asn,
                asn_org,
                provenance: &provenance[..n_prov],
                ..Default::default()
            },
        )?;
        Ok(class)
    }
}

fn opt_out_kind(o: &OptOut) -> &'static str {
    match o {
        OptOut::Registry(_) => "registry-id",
        OptOut::Domain(_) => "domain",
        OptOut::Name(_) => "name",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::compile::records::Origin;
    use crate::range::IpRange;

    fn ip(range: &str, org: &str, country: Option<&str>, hint: Option<Class>) -> IpRecord {
        IpRecord {
            range: Some(IpRange::from(range.parse::<ipnet::IpNet>().unwrap())),
            origin: Origin { source: "t".into(), version: "1".into(), record_key: range.into() },
            org_name: (!org.is_empty()).then(|| org.to_string()),
            country: country.map(Into::into),
            hint: hint.map(|class| SourceHint { class, label: "provider-list:test".into(), authoritative: true }),
            ..Default::default()
        }
    }

    #[test]
    fn covering_hints_found_by_sweep() {
        let recs = vec![
            ip("10.0.0.0/8", "", None, Some(Class::Hosting)),
            ip("10.1.0.0/16", "Acme", None, None),
            ip("11.0.0.0/24", "Other", None, None),
            ip("10.2.0.0/16", "", None, Some(Class::Anonymizer)),
            ip("10.2.3.0/24", "Acme", None, None),
            ip("2a00::/16", "", None, Some(Class::Hosting)),
            ip("2a00:1::/32", "V6", None, None),
        ];
        let c = covering_hints(&recs);
        let h: Vec<&[SourceHint]> = (0..recs.len()).map(|i| c.get(i)).collect();
        assert!(h[0].is_empty(), "a hint does not cover itself");
        assert_eq!(h[1].len(), 1);
        assert!(h[2].is_empty());
        assert_eq!(h[3].len(), 1);
        assert_eq!(h[4].iter().map(|x| x.class).collect::<Vec<_>>(), [Class::Hosting, Class::Anonymizer]);
        assert_eq!(h[6].len(), 1);
        assert_eq!(h[1], h[6], "equal lists are stored once");
        assert_eq!(c.distinct_lists(), 3);
    }

    #[test]
    fn memoised_classification_equals_direct_classification() {
        // One holder, sizes on both sides of every power of two up to 2^22 (classify has a
        // size threshold at 2^20), plus a covering provider list for some.
        let mut recs = Vec::new();
        let mut start: u32 = 0x0a00_0000;
        for bits in 0..=22u32 {
            for delta in [-1i64, 0, 1] {
                let count = ((1u64 << bits) as i64 + delta).max(1) as u32;
                let (a, b) = (start, start + count - 1);
                let mut r = ip("10.0.0.0/32", "", None, None);
                r.range = IpRange::new(IpAddr::V4(a.into()), IpAddr::V4(b.into())).ok();
                r.origin.record_key = format!("{a}");
                recs.push(r);
                start = (b + 1).next_multiple_of(1 << 23);
            }
        }
        recs.push(ip("10.0.0.0/8", "", None, Some(Class::Hosting)));
        let rules = Rules::load_default().unwrap();
        let hints = covering_hints(&recs);
        let expected: Vec<(IpRange, String)> = recs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let ev = Evidence { covering_hints: hints.get(i), ..Evidence::new(r) };
                (r.range.unwrap(), classify::classify(&rules, &ev).reason)
            })
            .collect();
        let inputs = Inputs { ip: recs, ..Default::default() };
        let mut clock = PhaseClock::new();
        let mut report = BuildReport::default();
        let bytes =
            compile(inputs, &rules, Metadata::default(), &BuildOptions::default(), &mut clock, &mut report).unwrap();
        let db = Database::from_bytes(&bytes).unwrap();
        for (range, reason) in expected.iter().take(expected.len() - 1) {
            let m = db.lookup(range.first()).unwrap();
            assert_eq!(m.range(), *range);
            assert_eq!(m.reason(), reason, "{range}");
        }
        assert!(report.classified < expected.len() as u64, "nothing was reused");
    }

    /// The IP records of the bundled sample build (real slices of every source kind).
    fn sample_inputs() -> Inputs {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/ipfirm.toml");
        let cfg = Config::load(&path).unwrap();
        read_sources(&cfg, &BuildOptions::default()).unwrap().0
    }

    /// A range of `count` addresses starting at 0 (IPv4 when `count` ≤ 2^32).
    fn range_of(count: u128, v6: bool) -> IpRange {
        let last = count - 1;
        if v6 {
            IpRange::new(IpAddr::V6(0u128.into()), IpAddr::V6(last.into())).unwrap()
        } else {
            IpRange::new(IpAddr::V4(0u32.into()), IpAddr::V4((last as u32).into())).unwrap()
        }
    }

    #[test]
    fn size_class_separates_every_decision() {
        // Evidence that fires every kind of rule: the first sample record that fires it, plus
        // RIR statuses and a hint. Each is classified at every power of two ± 1 of both
        // families; decisions may differ only between size classes.
        let rules = Rules::load_default().unwrap();
        let mut seen = std::collections::HashSet::new();
        let mut recs: Vec<IpRecord> = sample_inputs()
            .ip
            .into_iter()
            .filter(|r| {
                // Rule kinds (`isp:known-network`), not labels: the first record firing each.
                let fired = classify::classify(&rules, &Evidence::new(r)).fired;
                let kinds: Vec<String> =
                    fired.iter().map(|f| f.split(':').take(2).collect::<Vec<_>>().join(":")).collect();
                let fresh = kinds.is_empty() && seen.insert(String::new());
                kinds.into_iter().fold(fresh, |any, k| seen.insert(k) || any)
            })
            .collect();
        for (status, org_type) in [("ALLOCATED PA", None), ("ASSIGNED PA", Some("OTHER")), ("", Some("LIR"))] {
            let mut r = ip("10.0.0.0/8", "Acme Widgets B.V.", Some("NL"), None);
            r.status = Some(status.into());
            r.org_type = org_type.map(Into::into);
            recs.push(r);
        }
        recs.push(ip("10.0.0.0/8", "", None, Some(Class::Hosting)));
        assert!(recs.len() > 10, "too few distinct decisions in the sample: {}", recs.len());
        eprintln!("{} records", recs.len());
        let mut counts: Vec<(u128, bool)> = Vec::new();
        for (bits, v6) in (0..=32u32).map(|b| (b, false)).chain((0..=128u32).map(|b| (b, true))) {
            let p = if bits == 128 { u128::MAX } else { 1u128 << bits };
            let max = if v6 { u128::MAX } else { 1u128 << 32 };
            for c in [p.saturating_sub(1), p, p.saturating_add(1)] {
                if c >= 1 && c <= max {
                    counts.push((c, v6));
                }
            }
        }
        // 2^128 addresses: the whole IPv6 space.
        let whole = IpRange::new(IpAddr::V6(0u128.into()), IpAddr::V6(u128::MAX.into())).unwrap();
        for r in &recs {
            let mut by_class: HashMap<SizeClass, (IpRange, classify::Decision)> = HashMap::new();
            let ranges = counts.iter().map(|&(c, v6)| range_of(c, v6)).chain([whole]);
            for range in ranges {
                let rec = IpRecord { range: Some(range), ..r.clone() };
                let d = classify::classify(&rules, &Evidence::new(&rec));
                let (first_range, first) = by_class.entry(size_class(Some(&range))).or_insert((range, d.clone()));
                assert_eq!(
                    *first, d,
                    "{:?}: {first_range} and {range} share a size class but not a decision: teach size_class \
                     the new size rule",
                    r.org_name
                );
            }
        }
    }

    #[test]
    fn covering_rir_status_reaches_asn_ranges() {
        // The bundled sample: ASN-table ranges inside AFRINIC delegation blocks (real rows).
        let cfg = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/ipfirm.toml")).unwrap();
        let inputs = sample_inputs();
        let ip = &inputs.ip;
        let cov = covering_rir(ip);
        // Independent model: every pair, the smallest covering span, then the later input.
        let bounds = |r: &IpRecord| {
            r.range.and_then(|x| match (x.first(), x.last()) {
                (IpAddr::V4(a), IpAddr::V4(b)) => Some((4, u128::from(u32::from(a)), u128::from(u32::from(b)))),
                (IpAddr::V6(a), IpAddr::V6(b)) => Some((6, u128::from(a), u128::from(b))),
                _ => None,
            })
        };
        let status: Vec<(usize, (u8, u128, u128))> = ip
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status.is_some())
            .filter_map(|(j, r)| Some((j, bounds(r)?)))
            .collect();
        let mut covered_asn = Vec::new();
        for (i, r) in ip.iter().enumerate() {
            let expected = match (r.status.is_none(), bounds(r)) {
                (true, Some((fam, a, b))) => status
                    .iter()
                    .filter(|(_, (f, x, y))| *f == fam && *x <= a && b <= *y)
                    .min_by_key(|(j, (_, x, y))| (y - x, std::cmp::Reverse(*j)))
                    .map(|(j, _)| *j),
                _ => None,
            };
            let got = cov.get(ip, i).map(|c| std::ptr::from_ref(c) as usize);
            assert_eq!(got, expected.map(|j| std::ptr::from_ref(&ip[j]) as usize), "record {}", r.origin.record_key);
            if let Some(j) = expected
                && r.origin.source == "asn-v4"
                && ip[j].origin.source == "rir-afrinic"
                && ip[j].status.as_deref() == Some("allocated")
            {
                covered_asn.push((i, j));
            }
        }
        assert!(!covered_asn.is_empty(), "no ASN-table range of the sample lies in an AFRINIC allocation");

        let rules = Rules::load_default().unwrap();
        let mut clock = PhaseClock::new();
        let mut report = BuildReport::default();
        let again =
            Inputs { ip: inputs.ip.clone(), registry: inputs.registry.clone(), opt_outs: inputs.opt_outs.clone() };
        let bytes =
            compile(again, &rules, Metadata::default(), &BuildOptions::default(), &mut clock, &mut report).unwrap();
        let db = Database::from_bytes(&bytes).unwrap();
        let mut won = Vec::new();
        for &(i, j) in &covered_asn {
            let range = ip[i].range.unwrap();
            let m = db.lookup(range.first()).unwrap();
            if m.range() != range {
                continue; // a more specific record of another source placed this address
            }
            let fired = m.provenance().find(|p| p.source == "ipfirm:rule").unwrap().record_key.to_string();
            assert!(fired.contains("isp:rir:covering-allocation"), "{}: {fired}", ip[i].origin.record_key);
            if m.reason() == "isp:rir:covering-allocation" {
                assert_eq!(m.class(), Class::Isp);
                // Without the covering record the same evidence ends unknown (rule 11 or 12).
                let alone = classify::classify(&rules, &Evidence::new(&ip[i]));
                assert_eq!(alone.class, Class::Unknown, "{:?}", ip[i].org_name);
                won.push((i, j));
            }
        }
        assert!(!won.is_empty(), "the covering allocation decided no ASN-table range of the sample");

        // `ipfirm explain` names the covering record whose status was read.
        let (i, j) = won[0];
        let addr = ip[i].range.unwrap().first();
        let ev = crate::compile::evidence::explain_sources(&cfg, addr, &db).unwrap();
        assert_eq!(ev.winner().map(|w| w.record_key.as_str()), Some(ip[i].origin.record_key.as_str()));
        let c = ev.covering_rir.expect("explain names the covering RIR record");
        assert_eq!((c.source.as_str(), c.record_key.as_str()), ("rir-afrinic", ip[j].origin.record_key.as_str()));
        assert_eq!(c.status.as_deref(), Some("allocated"));
    }

    #[test]
    fn memoised_and_unmemoised_builds_are_byte_identical() {
        let rules = Rules::load_default().unwrap();
        let build = |inputs: Inputs, memoise: bool| {
            let mut clock = PhaseClock::new();
            let mut report = BuildReport::default();
            let opts = BuildOptions::default();
            let bytes = compile_memo(inputs, &rules, Metadata::default(), &opts, &mut clock, &mut report, memoise);
            (bytes.unwrap(), report.classified)
        };
        // The bundled sample, and holders with many ranges of many sizes under provider lists.
        let mut many = Vec::new();
        for i in 0..3000u32 {
            let org =
                ["Acme Widgets B.V.", "Nordic Broadband Ltd", "Blue Hosting SAS", "Jan de Vries", ""][i as usize % 5];
            let bits = 4 + (i * 7) % 19;
            let first = 0x0100_0000u32 + i * (1 << 20);
            let mut r = ip("10.0.0.0/8", org, Some(["NL", "GB"][i as usize % 2]), None);
            r.range = IpRange::new(IpAddr::V4(first.into()), IpAddr::V4((first + (1 << bits) - 1).into())).ok();
            r.origin.record_key = format!("many:{i}");
            r.asn = Some(64_512 + i % 7);
            many.push(r);
        }
        many.push(ip("2.0.0.0/8", "", None, Some(Class::Hosting)));
        many.push(ip("3.0.0.0/10", "", None, Some(Class::Anonymizer)));
        for inputs in [sample_inputs(), Inputs { ip: many, ..Default::default() }] {
            let n = inputs.ip.len() as u64;
            let again =
                Inputs { ip: inputs.ip.clone(), registry: inputs.registry.clone(), opt_outs: inputs.opt_outs.clone() };
            let (memo_bytes, memo_classified) = build(inputs, true);
            let (plain_bytes, plain_classified) = build(again, false);
            assert_eq!(plain_classified, n);
            assert!(memo_classified < n, "nothing was reused");
            assert!(memo_bytes == plain_bytes, "memoised and per-record classification give different files");
        }
    }

    #[test]
    fn builds_are_identical_whatever_the_thread_count() {
        // Holder numbering, the covering-hint sweep, hashing and sorting run in parallel: the
        // file must not depend on how many threads did it.
        let rules = Rules::load_default().unwrap();
        let build = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let mut clock = PhaseClock::new();
                let mut report = BuildReport::default();
                let opts = BuildOptions::default();
                compile(sample_inputs(), &rules, Metadata::default(), &opts, &mut clock, &mut report).unwrap()
            })
        };
        let one = build(1);
        assert!(one == build(3), "1 and 3 threads give different files");
    }

    #[test]
    fn opt_out_wins_and_leaves_no_company() {
        let inputs = Inputs {
            ip: vec![ip("192.0.2.0/24", "Acme Widgets B.V.", Some("NL"), None)],
            registry: vec![RegistryRecord {
                registry: RegistryId { scheme: "NL-KVK".into(), id: "123".into() },
                legal_name: "ACME WIDGETS BV".into(),
                country: Some("NL".into()),
                active: true,
                ..Default::default()
            }],
            opt_outs: vec![OptOut::Registry(RegistryId { scheme: "NL-KVK".into(), id: "123".into() })],
        };
        let rules = Rules::load_default().unwrap();
        let mut clock = PhaseClock::new();
        let mut report = BuildReport::default();
        let bytes =
            compile(inputs, &rules, Metadata::default(), &BuildOptions::default(), &mut clock, &mut report).unwrap();
        let db = Database::from_bytes(&bytes).unwrap();
        let m = db.lookup("192.0.2.1".parse().unwrap()).unwrap();
        assert_eq!(m.class(), Class::OptedOut);
        assert!(m.company().is_none() && m.asn_org().is_none());
        assert_eq!(db.company_count(), 0);
        assert_eq!(report.join.matched, 1);
        assert_eq!(report.opted_out_records, 1);
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("ACME") && !text.contains("Acme"), "an opted-out name is in the file");
    }
}
