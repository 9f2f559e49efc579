//! The small Python value classes a lookup hands out (`Network`, `Registry`, `Source`, `Company`,
//! `Match`) and the helpers that make them cheap (untracked objects, interned strings, JSON).

use std::net::IpAddr;
use std::sync::Arc;

use ipfirm::{Class, IpRange};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

use crate::Db;
use crate::addr::parse_addr;

/// Creates the Python object for `value` and takes it off the cycle collector's list.
///
/// pyo3 makes every `#[pyclass]` garbage-collected, but the handles made here hold no Python
/// references (only an `Arc` of the Rust database), so they can never be part of a reference
/// cycle. Tracked, a million `Match` objects from `lookup_many` made every collection scan them
/// all (measured: 2-3x slower lookups when results are kept). CPython untracks its own
/// atomic-only dicts and tuples the same way.
pub(crate) fn untracked<T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    py: Python<'_>,
    value: T,
) -> PyResult<Bound<'_, T>> {
    let obj = Bound::new(py, value)?;
    // SAFETY: `obj` is a live object of a GC-enabled type (pyo3 gives every pyclass
    // Py_TPFLAGS_HAVE_GC) and we hold the GIL. `PyObject_GC_UnTrack` is idempotent, so the
    // untrack in pyo3's tp_dealloc stays correct, and `PyObject_GC_Del` accepts untracked
    // objects. Nothing reachable from a `T` of this module refers to a Python object.
    #[allow(unsafe_code)]
    unsafe {
        pyo3::ffi::PyObject_GC_UnTrack(obj.as_ptr().cast())
    };
    Ok(obj)
}

pub(crate) fn untracked_opt<T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    py: Python<'_>,
    value: Option<T>,
) -> PyResult<Option<Bound<'_, T>>> {
    value.map(|v| untracked(py, v)).transpose()
}

/// The class name as a shared Python string (class names are read often; this saves an
/// allocation per access).
fn class_name(py: Python<'_>, class: Class) -> Bound<'_, PyString> {
    static NAMES: PyOnceLock<Vec<Py<PyString>>> = PyOnceLock::new();
    let names = NAMES.get_or_init(py, || Class::ALL.iter().map(|c| PyString::intern(py, c.name()).unbind()).collect());
    match names.get(class.code() as usize) {
        Some(n) => n.bind(py).clone(),
        None => PyString::new(py, class.name()),
    }
}

/// A two-letter country code as a shared Python string: one interned string per upper-case
/// code, made on first use (there are at most 676), so `m.country` allocates nothing — the
/// same as reading a key of a dict that holds the string already.
fn country_code<'py>(py: Python<'py>, code: &str) -> Bound<'py, PyString> {
    static CODES: PyOnceLock<Vec<PyOnceLock<Py<PyString>>>> = PyOnceLock::new();
    let slot = match code.as_bytes() {
        &[a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => usize::from(a - b'A') * 26 + usize::from(b - b'A'),
        _ => return PyString::new(py, code),
    };
    let codes = CODES.get_or_init(py, || (0..26 * 26).map(|_| PyOnceLock::new()).collect());
    match codes.get(slot) {
        Some(cell) => cell.get_or_init(py, || PyString::intern(py, code).unbind()).bind(py).clone(),
        None => PyString::new(py, code),
    }
}

pub(crate) fn json_to_py<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS.import(py, "json", "loads")?.call1((json,))
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| PyRuntimeError::new_err(format!("cannot serialise to JSON: {e}")))
}
/// A matched network: an inclusive range of addresses.
#[pyclass(module = "ipfirm", name = "Network", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyNetwork {
    range: IpRange,
}

#[pymethods]
impl PyNetwork {
    /// The first address (an ``ipaddress.IPv4Address`` or ``IPv6Address``).
    #[getter]
    fn first(&self) -> IpAddr {
        self.range.first()
    }

    /// The last address (included).
    #[getter]
    fn last(&self) -> IpAddr {
        self.range.last()
    }

    /// The smallest list of CIDR networks that exactly covers the range, as
    /// ``ipaddress.IPv4Network`` / ``IPv6Network`` objects.
    #[getter]
    fn cidrs<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        static IP_NETWORK: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let make = IP_NETWORK.import(py, "ipaddress", "ip_network")?;
        self.range.cidrs().iter().map(|n| make.call1((n.to_string(),))).collect()
    }

    /// True when ``ip`` lies inside the range.
    fn __contains__(&self, ip: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.range.contains(parse_addr(ip)?))
    }

    fn __str__(&self) -> String {
        self.range.to_string()
    }

    fn __repr__(&self) -> String {
        format!("Network('{}', '{}')", self.range.first(), self.range.last())
    }
}

/// A company's identifier in a public registry, e.g. ``Registry(scheme='LEI', id='7245…')``.
#[pyclass(module = "ipfirm", name = "Registry", frozen, eq, hash, get_all)]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyRegistry {
    /// The scheme: ``LEI``, ``GB-CH``, ``NL-KVK``, ``FR-SIREN``, ``US-CIK`` …
    scheme: String,
    /// The id within the scheme.
    id: String,
}

#[pymethods]
impl PyRegistry {
    fn __repr__(&self) -> String {
        format!("Registry(scheme={:?}, id={:?})", self.scheme, self.id)
    }

    fn __str__(&self) -> String {
        format!("{}:{}", self.scheme, self.id)
    }
}

/// A source record behind an answer.
#[pyclass(module = "ipfirm", name = "Source", frozen, eq, hash, get_all)]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PySource {
    /// Source name (as in the build config).
    source: String,
    /// Version or date of the source.
    version: String,
    /// Key of the record within the source.
    record: String,
}

#[pymethods]
impl PySource {
    fn __repr__(&self) -> String {
        format!("Source(source={:?}, version={:?}, record={:?})", self.source, self.version, self.record)
    }
}

// ---------------------------------------------------------------------------------------
// Company
// ---------------------------------------------------------------------------------------

/// A company profile from the database's company table.
#[pyclass(module = "ipfirm", name = "Company", frozen)]
pub(crate) struct PyCompany {
    pub(crate) db: Db,
    pub(crate) index: u32,
}

impl PyCompany {
    fn view(&self) -> PyResult<ipfirm::CompanyView<'_>> {
        self.db
            .company(self.index as usize)
            .ok_or_else(|| PyRuntimeError::new_err("internal error: company vanished from the database"))
    }
}

#[pymethods]
impl PyCompany {
    /// The company's id: its index in this database file's company table.
    #[getter]
    fn id(&self) -> u32 {
        self.index
    }

    /// The name to show: the trade name, else the legal name.
    #[getter]
    fn name(&self) -> PyResult<&str> {
        Ok(self.view()?.display_name())
    }

    /// The registered legal name.
    #[getter]
    fn legal_name(&self) -> PyResult<&str> {
        Ok(self.view()?.legal_name())
    }

    /// The trade name, when known and different from the legal name.
    #[getter]
    fn trade_name(&self) -> PyResult<Option<&str>> {
        Ok(self.view()?.trade_name())
    }

    /// ISO 3166 alpha-2 country code.
    #[getter]
    fn country(&self) -> PyResult<Option<&str>> {
        Ok(self.view()?.country())
    }

    /// Web domain.
    #[getter]
    fn domain(&self) -> PyResult<Option<&str>> {
        Ok(self.view()?.domain())
    }

    /// Registry scheme and id.
    #[getter]
    fn registry(&self) -> PyResult<Option<PyRegistry>> {
        Ok(self.view()?.registry().map(|(s, id)| PyRegistry { scheme: s.to_string(), id: id.to_string() }))
    }

    /// Legal form (an ISO 20275 ELF code where known).
    #[getter]
    fn legal_form(&self) -> PyResult<Option<&str>> {
        Ok(self.view()?.legal_form())
    }

    /// Postal address on one line.
    #[getter]
    fn address(&self) -> PyResult<Option<&str>> {
        Ok(self.view()?.address())
    }

    /// Industry code (SIC, NACE, SBI …).
    #[getter]
    fn industry_code(&self) -> PyResult<Option<&str>> {
        Ok(self.view()?.industry_code())
    }

    /// The JSON shape shared by the CLI, the bindings and the server, as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.view()?.to_record())?)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyCompany>().is_ok_and(|o| {
            let o = o.get();
            Arc::ptr_eq(&self.db, &o.db) && self.index == o.index
        })
    }

    fn __hash__(&self) -> u64 {
        (Arc::as_ptr(&self.db) as usize as u64).rotate_left(32) ^ u64::from(self.index)
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("<ipfirm.Company id={} name={:?}>", self.index, self.view()?.display_name()))
    }
}

// ---------------------------------------------------------------------------------------
// Match
// ---------------------------------------------------------------------------------------

/// The answer for one address. A small handle: the core's `Match` view (range and a pointer
/// to the entry row) plus the `Arc` of the database it points into. Attributes are read from
/// the database when asked for, so a lookup copies no strings.
#[pyclass(module = "ipfirm", name = "Match", frozen)]
pub(crate) struct PyMatch {
    /// Points into `*db`. Never handed out with this lifetime: `m()` shortens it to `&self`.
    /// Declared before `db` so it is dropped first (dropping a `Match` does nothing, but the
    /// order states the dependency).
    m: ipfirm::Match<'static>,
    db: Db,
}

impl PyMatch {
    /// # Safety
    /// `m` must be a match of the database `db` points to (from `db.lookup`, `db.iter()`,
    /// `db.ranges_of` …): the handle keeps that database alive through its `Arc`.
    #[allow(unsafe_code)]
    pub(crate) unsafe fn new(db: &Db, m: ipfirm::Match<'_>) -> PyMatch {
        // SAFETY: `Match<'a>` borrows the `Database` and its storage, which live inside the
        // `Arc` allocation (heap or mmap, never moved while the `Arc` is alive; the database is
        // immutable). The clone stored beside it keeps that allocation alive for as long as
        // this value exists, and the `'static` view is only ever handed out re-borrowed for
        // the lifetime of `&self` (see `m()`). Only the lifetime changes, not the layout.
        let m = unsafe { std::mem::transmute::<ipfirm::Match<'_>, ipfirm::Match<'static>>(m) };
        PyMatch { m, db: Arc::clone(db) }
    }

    /// The core match, borrowed for as long as `self`.
    #[inline]
    fn m(&self) -> ipfirm::Match<'_> {
        self.m
    }
}

#[pymethods]
impl PyMatch {
    /// The matched network (after overlap resolution and merging).
    #[getter]
    fn network<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyNetwork>> {
        untracked(py, PyNetwork { range: self.m().range() })
    }

    /// The class name, e.g. ``"business"`` or ``"isp"`` (``class`` is a Python keyword,
    /// hence the trailing underscore). See ``ipfirm.CLASS_NAMES``.
    #[getter]
    fn class_<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        class_name(py, self.m().class())
    }

    /// The class's stable one-byte code: ``ipfirm.CLASS_NAMES[m.class_code] == m.class_``.
    #[getter]
    fn class_code(&self) -> u8 {
        self.m().class().code()
    }

    /// The reason code: the rule that set the class and its evidence.
    #[getter]
    fn reason<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, self.m().reason())
    }

    /// Confidence, 0–100.
    #[getter]
    fn confidence(&self) -> u8 {
        self.m().confidence()
    }

    /// True when the match may be shown as an organisation: a shown class with a company.
    #[getter]
    fn identified(&self) -> bool {
        self.m().is_identified()
    }

    /// The company, for shown classes; ``None`` otherwise.
    #[getter]
    fn company<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyCompany>>> {
        let company = self.m().company().map(|c| PyCompany { db: Arc::clone(&self.db), index: c.index() as u32 });
        untracked_opt(py, company)
    }

    /// Autonomous system number, when known.
    #[getter]
    fn asn(&self) -> Option<u32> {
        self.m().asn()
    }

    /// The network holder's name as the IP data gives it.
    #[getter]
    fn asn_org<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.m().asn_org().map(|s| PyString::new(py, s))
    }

    /// The range's ISO 3166 alpha-2 country as the IP data gives it, when known.
    #[getter]
    fn country<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.m().country().map(|s| country_code(py, s))
    }

    /// The source records behind the answer.
    #[getter]
    fn sources(&self) -> Vec<PySource> {
        self.m()
            .provenance()
            .map(|p| PySource {
                source: p.source.to_string(),
                version: p.version.to_string(),
                record: p.record_key.to_string(),
            })
            .collect()
    }

    /// The JSON shape shared by the CLI, the bindings and the server, as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.m().to_record())?)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyMatch>().is_ok_and(|o| {
            let o = o.get();
            Arc::ptr_eq(&self.db, &o.db) && self.m().range() == o.m().range()
        })
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (Arc::as_ptr(&self.db) as usize).hash(&mut h);
        self.m().range().hash(&mut h);
        h.finish()
    }

    fn __repr__(&self) -> String {
        let m = self.m();
        let company = m.company().map(|c| format!(" company={:?}", c.display_name())).unwrap_or_default();
        format!("<ipfirm.Match {} {}{}>", m.range(), m.class().name(), company)
    }
}
