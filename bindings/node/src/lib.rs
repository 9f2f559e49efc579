//! Node.js binding of ipfirm: one thin class over [`ipfirm::Database`] plus `build`.
//!
//! All logic lives in the core crate; this file only converts arguments and answers between
//! Rust and JavaScript, and maps core errors to JavaScript `Error` objects whose `code` names
//! the core error variant (`ERR_NOT_A_DATABASE`, `ERR_CORRUPT`, …). A malformed address throws
//! a `TypeError` (`ERR_INVALID_IP_ADDRESS`) whose message gives the position, never the text.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Either, Env, Generator, Uint8Array, Uint32Array};
use napi::{JsError, JsTypeError, Status, Task};
use napi_derive::napi;

/// Addresses looked up per call of the core's batch search.
const CHUNK: usize = 1024;

/// `companies[i]` of the typed-array form when address `i` has no company.
#[napi]
pub const NO_COMPANY: u32 = u32::MAX;

/// `classes[i]` of the typed-array form when no range covers address `i`.
#[napi]
pub const NO_MATCH: u8 = u8::MAX;

// ---------------------------------------------------------------------------------------------
// Errors

/// Why a call failed, before it becomes a JavaScript error.
#[derive(Debug)]
enum Failure {
    Core(ipfirm::Error),
    /// Element `index` of the input (0 for a single address) is not an IP address. The text
    /// itself is never repeated: it may be a visitor's address.
    InvalidIp(usize),
    InvalidArg(String),
    Closed,
}

impl From<ipfirm::Error> for Failure {
    fn from(e: ipfirm::Error) -> Self {
        Failure::Core(e)
    }
}

impl Failure {
    fn code(&self) -> &'static str {
        match self {
            Failure::Core(e) => match e {
                ipfirm::Error::Io { .. } => "ERR_IO",
                ipfirm::Error::NotADatabase { .. } => "ERR_NOT_A_DATABASE",
                ipfirm::Error::UnsupportedVersion { .. } => "ERR_UNSUPPORTED_VERSION",
                ipfirm::Error::Corrupt { .. } => "ERR_CORRUPT",
                ipfirm::Error::InvalidInput(_) => "ERR_INVALID_INPUT",
                ipfirm::Error::Source { .. } => "ERR_SOURCE",
                ipfirm::Error::Config { .. } => "ERR_CONFIG",
                ipfirm::Error::Mmdb { .. } => "ERR_MMDB",
                _ => "ERR_IPFIRM",
            },
            Failure::InvalidIp(_) => "ERR_INVALID_IP_ADDRESS",
            Failure::InvalidArg(_) => "ERR_INVALID_ARG_VALUE",
            Failure::Closed => "ERR_DATABASE_CLOSED",
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Core(e) => e.to_string(),
            Failure::InvalidIp(i) => format!("element {i} is not a valid IPv4 or IPv6 address"),
            Failure::InvalidArg(m) => m.clone(),
            Failure::Closed => "the database is closed".into(),
        }
    }

    fn is_type_error(&self) -> bool {
        matches!(self, Failure::InvalidIp(_) | Failure::InvalidArg(_))
    }

    /// The JavaScript error (`Error` or `TypeError` with `code`), wrapped so that napi throws or
    /// rejects with exactly that object, on the main thread.
    fn into_js(self, env: &Env) -> napi::Error {
        let err = napi::Error::new(self.code().to_string(), self.message());
        let value = if self.is_type_error() {
            JsTypeError::from(err).into_unknown(*env)
        } else {
            JsError::from(err).into_unknown(*env)
        };
        napi::Error::from(value)
    }
}

type Outcome<T> = std::result::Result<T, Failure>;

fn parse_ip(s: &str, index: usize) -> Outcome<IpAddr> {
    s.parse().map_err(|_| Failure::InvalidIp(index))
}

fn parse_all(ips: &[String]) -> Outcome<Vec<IpAddr>> {
    ips.iter().enumerate().map(|(i, s)| parse_ip(s, i)).collect()
}

// ---------------------------------------------------------------------------------------------
// Plain objects handed to JavaScript

/// The matched network.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Network {
    /// First address.
    pub first: String,
    /// Last address.
    pub last: String,
    /// CIDRs exactly covering the range.
    pub cidrs: Vec<String>,
}

/// A company's identifier in a public registry.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Registry {
    /// `LEI`, `GB-CH`, `NL-KVK`, `FR-SIREN`, …
    pub scheme: String,
    /// The id within the scheme.
    pub id: String,
}

/// A company profile.
#[napi(object, use_nullable = true)]
#[derive(Debug, Clone)]
pub struct Company {
    /// Company index within this database file (`db.company(id)`).
    pub id: u32,
    /// Name to show: trade name, else legal name.
    pub name: String,
    /// Registered legal name.
    pub legal_name: String,
    /// ISO 3166 alpha-2 country.
    pub country: Option<String>,
    /// Web domain.
    pub domain: Option<String>,
    /// Registry id.
    pub registry: Option<Registry>,
    /// Legal form.
    pub legal_form: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Industry code.
    pub industry_code: Option<String>,
}

/// A source record behind an answer.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Source {
    /// Source name from the build config.
    pub source: String,
    /// Version or date of the source.
    pub version: String,
    /// Record key within the source.
    pub record: String,
}

/// Everything known about an address (the JSON shape of the CLI and the server, in camelCase).
#[napi(object, use_nullable = true)]
#[derive(Debug, Clone)]
pub struct LookupResult {
    /// The matched network.
    pub network: Network,
    /// Class name (one of `CLASS_NAMES`).
    pub class: ClassName,
    /// True for a shown class with a company.
    pub identified: bool,
    /// Reason code: the rule that set the class and its evidence.
    pub reason: String,
    /// Confidence, 0–100.
    pub confidence: u32,
    /// Company profile, for shown classes only.
    pub company: Option<Company>,
    /// Autonomous system number.
    pub asn: Option<u32>,
    /// The network holder's name from the IP data.
    pub asn_org: Option<String>,
    /// Source records behind the answer.
    pub sources: Vec<Source>,
}

fn company_obj(c: ipfirm::CompanyRecord) -> Company {
    Company {
        id: c.id,
        name: c.name,
        legal_name: c.legal_name,
        country: c.country,
        domain: c.domain,
        registry: c.registry.map(|r| Registry { scheme: r.scheme, id: r.id }),
        legal_form: c.legal_form,
        address: c.address,
        industry_code: c.industry_code,
    }
}

fn result_obj(r: ipfirm::MatchRecord) -> LookupResult {
    LookupResult {
        network: Network { first: r.network.first, last: r.network.last, cidrs: r.network.cidrs },
        class: r.class.into(),
        identified: r.identified,
        reason: r.reason,
        confidence: u32::from(r.confidence),
        company: r.company.map(company_obj),
        asn: r.asn,
        asn_org: r.asn_org,
        sources: r
            .sources
            .into_iter()
            .map(|p| Source { source: p.source, version: p.version, record: p.record })
            .collect(),
    }
}

/// One input of a build.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct InputInfo {
    /// Source name in the build config.
    pub name: String,
    /// Adapter kind (`asn-csv`, `gleif`, `mmdb`, …).
    pub kind: String,
    /// File the rows came from.
    pub path: String,
    /// Version or date of the data.
    pub version: String,
    /// Rows read.
    pub rows: i64,
    /// Rows skipped as invalid.
    pub skipped: i64,
}

/// Counts for one class.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct ClassCount {
    /// Resolved ranges of this class.
    pub ranges: i64,
    /// IPv4 addresses covered.
    pub ipv4_addresses: i64,
}

/// What a database file says about itself.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Metadata {
    /// Format version of the file.
    pub format_version: u32,
    /// Version of the tool that wrote it.
    pub tool_version: String,
    /// Build time (empty when not recorded).
    pub build_time: String,
    /// Free text.
    pub description: String,
    /// Inputs with versions and row counts.
    pub inputs: Vec<InputInfo>,
    /// Resolved IPv4 ranges.
    pub ipv4_ranges: i64,
    /// Resolved IPv6 ranges.
    pub ipv6_ranges: i64,
    /// Companies in the company table.
    pub companies: i64,
    /// Counts per class name.
    pub classes: HashMap<String, ClassCount>,
    /// Anything else the build recorded.
    pub extra: HashMap<String, serde_json::Value>,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn metadata_obj(m: &ipfirm::Metadata) -> Metadata {
    Metadata {
        format_version: m.format_version,
        tool_version: m.tool_version.clone(),
        build_time: m.build_time.clone(),
        description: m.description.clone(),
        inputs: m
            .inputs
            .iter()
            .map(|i| InputInfo {
                name: i.name.clone(),
                kind: i.kind.clone(),
                path: i.path.clone(),
                version: i.version.clone(),
                rows: count(i.rows),
                skipped: count(i.skipped),
            })
            .collect(),
        ipv4_ranges: count(m.ipv4_ranges),
        ipv6_ranges: count(m.ipv6_ranges),
        companies: count(m.companies),
        classes: m
            .classes
            .iter()
            .map(|(k, c)| (k.clone(), ClassCount { ranges: count(c.ranges), ipv4_addresses: count(c.ipv4_addresses) }))
            .collect(),
        extra: m.extra.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}

/// What kind of network a range is. Only `business`, `education`, `government` and `nonprofit`
/// ranges may carry a company.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassName {
    /// Nothing is known about the range.
    Unknown,
    /// A company's own network.
    Business,
    /// A university, school or research network.
    Education,
    /// A government or public-administration network.
    Government,
    /// A non-profit organisation's network.
    Nonprofit,
    /// An internet access provider's customer pool.
    Isp,
    /// A mobile carrier's pool.
    Mobile,
    /// Residential (consumer) addresses.
    Residential,
    /// Cloud, hosting, CDN or data-centre space.
    Hosting,
    /// VPNs, proxies, Tor exits and other anonymisers.
    Anonymizer,
    /// A natural person trading on their own account (never named).
    SoleTrader,
    /// A company that asked to be excluded.
    OptedOut,
}

impl From<ipfirm::Class> for ClassName {
    // Exhaustive on purpose: a class added to the core must be added here.
    fn from(c: ipfirm::Class) -> Self {
        match c {
            ipfirm::Class::Unknown => ClassName::Unknown,
            ipfirm::Class::Business => ClassName::Business,
            ipfirm::Class::Education => ClassName::Education,
            ipfirm::Class::Government => ClassName::Government,
            ipfirm::Class::Nonprofit => ClassName::Nonprofit,
            ipfirm::Class::Isp => ClassName::Isp,
            ipfirm::Class::Mobile => ClassName::Mobile,
            ipfirm::Class::Residential => ClassName::Residential,
            ipfirm::Class::Hosting => ClassName::Hosting,
            ipfirm::Class::Anonymizer => ClassName::Anonymizer,
            ipfirm::Class::SoleTrader => ClassName::SoleTrader,
            ipfirm::Class::OptedOut => ClassName::OptedOut,
        }
    }
}

/// Class names indexed by class code: `CLASS_NAMES[classes[i]]` names the class of the
/// typed-array form's answer `i`. (The same order as the core's `Class::ALL`; a test checks.)
#[napi]
pub const CLASS_NAMES: [ClassName; 12] = [
    ClassName::Unknown,
    ClassName::Business,
    ClassName::Education,
    ClassName::Government,
    ClassName::Nonprofit,
    ClassName::Isp,
    ClassName::Mobile,
    ClassName::Residential,
    ClassName::Hosting,
    ClassName::Anonymizer,
    ClassName::SoleTrader,
    ClassName::OptedOut,
];

// ---------------------------------------------------------------------------------------------
// Lookups shared by the synchronous and asynchronous forms

fn lookup_records(db: &ipfirm::Database, addrs: &[IpAddr]) -> Vec<Option<ipfirm::MatchRecord>> {
    let mut out = Vec::with_capacity(addrs.len());
    let mut buf = Vec::with_capacity(CHUNK);
    for chunk in addrs.chunks(CHUNK) {
        buf.clear();
        db.lookup_batch_into(chunk, &mut buf);
        out.extend(buf.iter().map(|m| m.as_ref().map(|m| m.to_record())));
    }
    out
}

/// The typed-array form: class codes and company ids of IPv4 addresses given as integers.
fn lookup_codes(db: &ipfirm::Database, ips: &[u32]) -> (Vec<u8>, Vec<u32>) {
    let mut classes = Vec::with_capacity(ips.len());
    let mut companies = Vec::with_capacity(ips.len());
    let mut addrs = Vec::with_capacity(CHUNK);
    for chunk in ips.chunks(CHUNK) {
        addrs.clear();
        addrs.extend(chunk.iter().map(|&n| IpAddr::V4(Ipv4Addr::from(n))));
        db.lookup_codes_into(&addrs, &mut classes, &mut companies);
    }
    (classes, companies)
}

fn records_to_js(records: Vec<Option<ipfirm::MatchRecord>>) -> Vec<Option<LookupResult>> {
    records.into_iter().map(|r| r.map(result_obj)).collect()
}

// ---------------------------------------------------------------------------------------------
// Database

/// Options for `new Database(path, options)`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Memory-map the file instead of reading it (constant-time open; see the README's
    /// contract: the file must not be truncated or modified in place while open).
    pub mmap: Option<bool>,
}

/// The typed-array form's answer: `classes[i]` is the class code of address `i` (an index into
/// `CLASS_NAMES`, or `NO_MATCH`), `companies[i]` its company id or `NO_COMPANY`.
#[napi(object)]
pub struct CodeBatch {
    /// Class codes.
    pub classes: Uint8Array,
    /// Company ids.
    pub companies: Uint32Array,
}

impl std::fmt::Debug for CodeBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeBatch").field("len", &self.classes.len()).finish()
    }
}

/// An open ipfirm database.
#[napi]
#[derive(Debug)]
pub struct Database {
    // A `RefCell` so that `close(&self)` works while async calls (which keep `this` borrowed
    // until they settle) are pending: JavaScript calls come from one thread.
    inner: RefCell<Option<Arc<ipfirm::Database>>>,
}

#[napi]
impl Database {
    /// Opens the database file at `path`. By default the file is read into memory and checked
    /// completely. With `{ mmap: true }` it is memory-mapped and only its header and structure
    /// are checked (constant time; call `verify()` for the full check). A mapped file must not
    /// be truncated or modified in place while open (that can crash the process with SIGBUS):
    /// replace database files by renaming a new file over the old one, as `build` does.
    #[napi(constructor)]
    pub fn new(env: Env, path: String, options: Option<OpenOptions>) -> napi::Result<Self> {
        let mmap = options.and_then(|o| o.mmap).unwrap_or(false);
        let db = if mmap {
            // SAFETY: the contract is passed on to the JavaScript caller and documented above,
            // in the README and in index.d.ts: the file is not truncated or modified in place
            // while it is mapped.
            #[allow(unsafe_code)]
            unsafe {
                ipfirm::Database::open_mmap(&path)
            }
        } else {
            ipfirm::Database::open(&path)
        };
        let db = db.map_err(|e| Failure::from(e).into_js(&env))?;
        Ok(Database { inner: RefCell::new(Some(Arc::new(db))) })
    }

    fn db(&self, env: &Env) -> napi::Result<Arc<ipfirm::Database>> {
        self.inner.borrow().clone().ok_or_else(|| Failure::Closed.into_js(env))
    }

    /// Looks up one address (IPv4 or IPv6 text). `null` when no range covers it.
    #[napi]
    pub fn lookup(&self, env: Env, ip: String) -> napi::Result<Option<LookupResult>> {
        let db = self.db(&env)?;
        let addr = parse_ip(&ip, 0).map_err(|e| e.into_js(&env))?;
        Ok(db.lookup(addr).map(|m| result_obj(m.to_record())))
    }

    /// Looks up many addresses; answer `i` is `lookup(ips[i])`.
    #[napi(ts_return_type = "Array<LookupResult | null>")]
    pub fn lookup_many(&self, env: Env, ips: Vec<String>) -> napi::Result<Vec<Option<LookupResult>>> {
        let db = self.db(&env)?;
        let addrs = parse_all(&ips).map_err(|e| e.into_js(&env))?;
        Ok(records_to_js(lookup_records(&db, &addrs)))
    }

    /// As `lookupMany`, on a worker thread. Rejects with a `TypeError` for a malformed address.
    #[napi(ts_return_type = "Promise<Array<LookupResult | null>>")]
    pub fn lookup_many_async(&self, env: Env, ips: Vec<String>) -> napi::Result<AsyncTask<LookupManyTask>> {
        let db = self.db(&env)?;
        Ok(AsyncTask::new(LookupManyTask { db, ips, failure: None }))
    }

    /// The typed-array form for large batches of IPv4 addresses given as unsigned 32-bit
    /// integers (`a.b.c.d` is `a << 24 | b << 16 | c << 8 | d`).
    #[napi(js_name = "lookupV4")]
    pub fn lookup_v4(&self, env: Env, ips: Uint32Array) -> napi::Result<CodeBatch> {
        let db = self.db(&env)?;
        let (classes, companies) = lookup_codes(&db, &ips);
        Ok(CodeBatch { classes: Uint8Array::new(classes), companies: Uint32Array::new(companies) })
    }

    /// As `lookupV4`, on a worker thread.
    #[napi(js_name = "lookupV4Async", ts_return_type = "Promise<CodeBatch>")]
    pub fn lookup_v4_async(&self, env: Env, ips: Uint32Array) -> napi::Result<AsyncTask<LookupV4Task>> {
        let db = self.db(&env)?;
        Ok(AsyncTask::new(LookupV4Task { db, ips: ips.to_vec() }))
    }

    /// Build metadata.
    #[napi(getter)]
    pub fn metadata(&self, env: Env) -> napi::Result<Metadata> {
        Ok(metadata_obj(self.db(&env)?.metadata()))
    }

    /// The file's format version.
    #[napi(getter)]
    pub fn format_version(&self, env: Env) -> napi::Result<u32> {
        Ok(self.db(&env)?.format_version())
    }

    /// Number of companies (ids run from 0 to `companyCount - 1`).
    #[napi(getter)]
    pub fn company_count(&self, env: Env) -> napi::Result<u32> {
        Ok(self.db(&env)?.company_count() as u32)
    }

    /// Checks the whole file, checksum included (what opening without `mmap` does).
    #[napi]
    pub fn verify(&self, env: Env) -> napi::Result<()> {
        self.db(&env)?.verify().map_err(|e| Failure::from(e).into_js(&env))
    }

    /// Every range with its answer, IPv4 first, each family in address order. Gaps are skipped.
    #[napi]
    pub fn ranges(&self, env: Env) -> napi::Result<RangeIterator> {
        Ok(RangeIterator::new(self.db(&env)?))
    }

    /// `for (const r of db)` iterates over `ranges()`.
    #[napi(well_known_symbol = "iterator")]
    pub fn iterator(&self, env: Env) -> napi::Result<RangeIterator> {
        self.ranges(env)
    }

    /// Company number `id`, or `null`.
    #[napi]
    pub fn company(&self, env: Env, id: u32) -> napi::Result<Option<Company>> {
        Ok(self.db(&env)?.company(id as usize).map(|c| company_obj(c.to_record())))
    }

    /// The first company whose registry id, `scheme:id`, domain or legal name (any case) equals
    /// `query`; `null` when none does.
    #[napi]
    pub fn find_company(&self, env: Env, query: String) -> napi::Result<Option<Company>> {
        Ok(self.db(&env)?.find_company(&query).map(|c| company_obj(c.to_record())))
    }

    /// Every range naming a company (reverse lookup), IPv4 first, in address order. `company`
    /// is a company id, or a registry id, `scheme:id`, domain or legal name. `null` when there
    /// is no such company.
    #[napi]
    pub fn ranges_of(&self, env: Env, company: Either<u32, String>) -> napi::Result<Option<Vec<LookupResult>>> {
        let db = self.db(&env)?;
        let view = match &company {
            Either::A(id) => db.company(*id as usize),
            Either::B(query) => db.find_company(query),
        };
        Ok(view.map(|c| db.ranges_of(c).map(|m| result_obj(m.to_record())).collect()))
    }

    /// Closes the database. Later calls throw `ERR_DATABASE_CLOSED`; running async lookups and
    /// open iterators keep the data alive until they finish.
    #[napi]
    pub fn close(&self) {
        self.inner.replace(None);
    }

    /// True once `close()` was called.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.inner.borrow().is_none()
    }
}

// ---------------------------------------------------------------------------------------------
// Iteration

type DynIter<'a> = Box<dyn Iterator<Item = ipfirm::Match<'a>> + 'a>;

self_cell::self_cell!(
    struct RangeCell {
        owner: Arc<ipfirm::Database>,
        #[not_covariant]
        dependent: DynIter,
    }
);

/// An iterator over a database's ranges (also iterable with `for … of`).
#[napi(iterator)]
pub struct RangeIterator {
    cell: RangeCell,
}

impl std::fmt::Debug for RangeIterator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RangeIterator").finish_non_exhaustive()
    }
}

impl RangeIterator {
    fn new(db: Arc<ipfirm::Database>) -> Self {
        RangeIterator { cell: RangeCell::new(db, |db| Box::new(db.iter())) }
    }
}

#[napi]
impl Generator for RangeIterator {
    type Yield = LookupResult;
    type Next = ();
    type Return = ();

    fn next(&mut self, _value: Option<()>) -> Option<LookupResult> {
        self.cell.with_dependent_mut(|_, it| it.next().map(|m| result_obj(m.to_record())))
    }
}

// ---------------------------------------------------------------------------------------------
// Work off the main thread

/// `lookupManyAsync`: parsing and searching run on a libuv worker thread.
#[derive(Debug)]
pub struct LookupManyTask {
    db: Arc<ipfirm::Database>,
    ips: Vec<String>,
    failure: Option<Failure>,
}

impl Task for LookupManyTask {
    type Output = Vec<Option<ipfirm::MatchRecord>>;
    type JsValue = Vec<Option<LookupResult>>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        match parse_all(&self.ips) {
            Ok(addrs) => Ok(lookup_records(&self.db, &addrs)),
            Err(f) => {
                self.failure = Some(f);
                Err(napi::Error::from_status(Status::InvalidArg))
            }
        }
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(records_to_js(output))
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Self::JsValue> {
        Err(match self.failure.take() {
            Some(f) => f.into_js(&env),
            None => err,
        })
    }
}

/// `lookupV4Async`.
#[derive(Debug)]
pub struct LookupV4Task {
    db: Arc<ipfirm::Database>,
    ips: Vec<u32>,
}

impl Task for LookupV4Task {
    type Output = (Vec<u8>, Vec<u32>);
    type JsValue = CodeBatch;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(lookup_codes(&self.db, &self.ips))
    }

    fn resolve(&mut self, _env: Env, (classes, companies): Self::Output) -> napi::Result<CodeBatch> {
        Ok(CodeBatch { classes: Uint8Array::new(classes), companies: Uint32Array::new(companies) })
    }
}

// ---------------------------------------------------------------------------------------------
// Building

/// Options for `build`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Fail on the first bad row instead of skipping it.
    pub strict: Option<bool>,
}

fn build_impl(config: &str, out: &str, options: Option<BuildOptions>) -> Outcome<serde_json::Value> {
    let opts =
        ipfirm::compile::BuildOptions { strict: options.and_then(|o| o.strict).unwrap_or(false), ..Default::default() };
    let report = ipfirm::compile::build(Path::new(config), Path::new(out), &opts)?;
    serde_json::to_value(report).map_err(|e| Failure::InvalidArg(format!("build report: {e}")))
}

/// Builds the database described by the TOML build config at `config` into the file `out`
/// (written atomically) and returns the build report. Blocks until done; see `buildAsync`.
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn build(env: Env, config: String, out: String, options: Option<BuildOptions>) -> napi::Result<serde_json::Value> {
    build_impl(&config, &out, options).map_err(|f| f.into_js(&env))
}

/// As `build`, on a worker thread.
#[napi(ts_return_type = "Promise<Record<string, unknown>>")]
pub fn build_async(config: String, out: String, options: Option<BuildOptions>) -> AsyncTask<BuildTask> {
    AsyncTask::new(BuildTask { config, out, options, failure: None })
}

/// `buildAsync`.
#[derive(Debug)]
pub struct BuildTask {
    config: String,
    out: String,
    options: Option<BuildOptions>,
    failure: Option<Failure>,
}

/// A JSON value handed to JavaScript as plain objects (for `Task::JsValue`, which needs a
/// type name).
#[derive(Debug)]
pub struct Json(serde_json::Value);

impl napi::bindgen_prelude::TypeName for Json {
    fn type_name() -> &'static str {
        "Object"
    }
    fn value_type() -> napi::ValueType {
        napi::ValueType::Object
    }
}

impl napi::bindgen_prelude::ToNapiValue for Json {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> napi::Result<napi::sys::napi_value> {
        // SAFETY: forwarded unchanged from napi's own call of this function.
        unsafe { serde_json::Value::to_napi_value(env, val.0) }
    }
}

impl Task for BuildTask {
    type Output = serde_json::Value;
    type JsValue = Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        build_impl(&self.config, &self.out, self.options.take()).map_err(|f| {
            self.failure = Some(f);
            napi::Error::from_status(Status::GenericFailure)
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(Json(output))
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Self::JsValue> {
        Err(match self.failure.take() {
            Some(f) => f.into_js(&env),
            None => err,
        })
    }
}

/// Imports MaxMind DB files (GeoIP2/GeoLite2 ASN, ISP, Enterprise, …, IPinfo and ip-location-db
/// MMDBs) into a new ipfirm database at `out` (written atomically), each under the source name
/// of its file stem. Classes come from the records' own flags only; returns the number of
/// networks read.
#[napi(js_name = "importMmdb")]
pub fn import_mmdb(env: Env, mmdbs: Vec<String>, out: String) -> napi::Result<i64> {
    let run = || -> Outcome<u64> {
        let mut builder = ipfirm::DatabaseBuilder::new();
        let mut networks = 0;
        for path in &mmdbs {
            let name = Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or("mmdb").to_string();
            networks += ipfirm::mmdb::import_mmdb(path, &mut builder, &name)?.networks;
        }
        builder.finish_to_path(&out)?;
        Ok(networks)
    };
    run().map(count).map_err(|f| f.into_js(&env))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_follow_the_core_codes() {
        assert_eq!(CLASS_NAMES.len(), ipfirm::Class::ALL.len());
        for c in ipfirm::Class::ALL {
            assert_eq!(CLASS_NAMES[c.code() as usize], ClassName::from(c), "{c:?}");
        }
        assert!(usize::from(NO_MATCH) >= CLASS_NAMES.len());
    }
}
