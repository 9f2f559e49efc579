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
//!
//! Where each concern lives:
//!
//! - this file — the public entry points ([`build`], [`build_config`], [`compile`]), their
//!   options and progress events, and the phase-by-phase orchestration;
//! - `read` — phase 1, the sources read in parallel and merged in config order;
//! - `holders` — the distinct IP holders of phase 2 (numbering, opt-out matching, the join
//!   report);
//! - `memo` — the classification memo key of phase 3 (what classification reads of a record,
//!   and the 128-bit hash that stands for it);
//! - `insert` — the insert half of phase 3: decisions, provenance and companies into the
//!   [`DatabaseBuilder`], with what many ranges share added once.

mod holders;
mod insert;
mod memo;
mod read;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::build::{DatabaseBuilder, MixBuild, str_hash, write_atomically};
use crate::class::Class;
use crate::compile::classify::{self, Evidence, Rules};
use crate::compile::config::Config;
use crate::compile::covering::{covering_hints, covering_rir};
use crate::compile::join::{JoinOutcome, JoinQuery, RegistryIndex};
use crate::compile::normalize::without_repeated_handle;
use crate::compile::records::{IpRecord, OptOut, RegistryRecord, country_code_str};
pub use crate::compile::report::BuildReport;
use crate::compile::report::PhaseClock;
use crate::error::{Error, Result};
use crate::lookup::Database;
use crate::metadata::{InputInfo, Metadata};
use holders::{
    HolderInfo, NO_HOLDER, OptOuts, holder_key, holder_registered_in, holder_registration_countries, join_report,
    number_holders,
};
use insert::{Compact, Inserter, Pending, Texts, record_flags};
pub use insert::{JOIN_SOURCE, OPT_OUT_SOURCE, RULE_SOURCE, UNMATCHED_MAX_CONFIDENCE};
use memo::{ClassKey, hash128};
use read::read_sources;

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
    let registration = holder_registration_countries(&inputs.ip, &record_holder, holders.len());
    let registered_in = holder_registered_in(&inputs.ip, &record_holder, holders.len());
    let infos: Vec<HolderInfo> = holders
        .par_iter()
        .zip(&registration)
        .zip(&registered_in)
        .map(|((h, reg), registered_in)| {
            let registration_country = reg.as_ref().and_then(country_code_str);
            let outcome = index.find(&JoinQuery {
                name: h.name,
                country: h.country,
                domain: h.domain,
                registration_country,
                registered_in,
            });
            let company = outcome.index().map(|i| &inputs.registry[i as usize]);
            // Rule 10d's group, and whether a listing of it is where the holder is.
            let country = h.country.or(registration_country);
            let group = match (&outcome, h.name) {
                (JoinOutcome::Matched { .. }, _) | (_, None) => Vec::new(),
                (_, Some(name)) => index.find_group(without_repeated_handle(name).unwrap_or(name), country).to_vec(),
            };
            let group_here = country.is_some_and(|c| index.listed_in(&group, c));
            HolderInfo { opt_out: opt_outs.find(h, company), outcome, group, group_here, registration_country: *reg }
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
                    let group: Vec<&RegistryRecord> = info
                        .map(|x| x.group.iter().map(|&g| &inputs.registry[g as usize]).collect())
                        .unwrap_or_default();
                    let ev = Evidence {
                        ip,
                        covering_hints: hints.get(i),
                        covering_rir: rir.get(&inputs.ip, i),
                        company,
                        match_method: method,
                        group: &group,
                        group_here: info.is_some_and(|x| x.group_here),
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
            Compact {
                class: d.class,
                confidence: d.confidence,
                reason: texts.id(&d.reason),
                rules,
                names_withheld: d.names_withheld,
                by_group: d.reason.starts_with(classify::LISTED_GROUP_REASON),
            }
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
