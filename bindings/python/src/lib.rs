//! Python bindings for ipfirm: one thin wrapper class per core type.
//!
//! All logic lives in the core crate (`ipfirm`); this file only converts between Python and
//! Rust values, releases the GIL around work that does not need it, and maps the core error
//! variants onto the exception classes of `ipfirm._errors`.
//!
//! [`Match`](PyMatch) and [`Company`](PyCompany) objects are small handles (an `Arc` of the
//! open database plus the core's match view or a company index): their fields are read from
//! the database only when asked for, so a lookup costs one small allocation and no string
//! copies. `Database.lookup` itself is a `METH_O` C function (see `lookup_meth_o`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use ipfirm::{Class, IpRange};
use numpy::{PyArray1, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::{PyKeyError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple, PyType};
use pyo3::{IntoPyObjectExt, intern};

type Db = Arc<ipfirm::Database>;

/// What `lookup_columns` returns: class codes and company ids.
type Columns<'py> = (Bound<'py, PyArray1<u8>>, Bound<'py, PyArray1<u32>>);

/// The company id `lookup_columns` gives where a range has no company (or nothing matched).
const NO_COMPANY: u32 = ipfirm::NO_COMPANY;

/// The class code `lookup_columns` gives where no range covers the address (not a class:
/// `CLASS_NAMES` has fewer entries). The same value as the Node binding's `NO_MATCH`.
const NO_MATCH: u8 = ipfirm::NO_MATCH;

/// Addresses looked up per `lookup_batch_into` call in the columnar path (keeps the
/// intermediate `Match` buffer in cache).
const COLUMN_CHUNK: usize = 4096;

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/// The exception class `name` of `ipfirm._errors` (defined in Python so that e.g. `IoError`
/// can subclass both `ipfirm.Error` and `OSError`).
fn error_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE.get_or_try_init(py, || py.import("ipfirm._errors").map(Bound::unbind))?.bind(py).getattr(name)
}

/// An instance of exception class `name` with `message` and keyword attributes.
fn make_error(py: Python<'_>, name: &str, message: String, kwargs: &[(&str, Bound<'_, PyAny>)]) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let kw = PyDict::new(py);
        for (k, v) in kwargs {
            kw.set_item(*k, v)?;
        }
        Ok(PyErr::from_value(error_class(py, name)?.call((message,), Some(&kw))?))
    })();
    made.unwrap_or_else(|e| e)
}

fn path_obj<'py>(py: Python<'py>, p: &std::path::Path) -> Bound<'py, PyAny> {
    p.to_string_lossy().into_owned().into_bound_py_any(py).unwrap_or_else(|_| py.None().into_bound(py))
}

fn opt_path_obj<'py>(py: Python<'py>, p: &Option<PathBuf>) -> Bound<'py, PyAny> {
    match p {
        Some(p) => path_obj(py, p),
        None => py.None().into_bound(py),
    }
}

fn int_obj<'py>(py: Python<'py>, v: u64) -> Bound<'py, PyAny> {
    v.into_bound_py_any(py).unwrap_or_else(|_| py.None().into_bound(py))
}

/// Maps a core error onto its Python exception class (see `py_src/ipfirm/_errors.py`).
fn to_pyerr(py: Python<'_>, e: ipfirm::Error) -> PyErr {
    use ipfirm::Error as E;
    let message = e.to_string();
    match &e {
        E::Io { path, source } => {
            let errno = source.raw_os_error().map_or_else(|| py.None().into_bound(py), |n| int_obj(py, n as u64));
            make_error(py, "IoError", message, &[("path", path_obj(py, path)), ("errno", errno)])
        }
        E::NotADatabase { path, .. } => {
            make_error(py, "NotADatabaseError", message, &[("path", opt_path_obj(py, path))])
        }
        E::UnsupportedVersion { path, found, supported } => make_error(
            py,
            "UnsupportedVersionError",
            message,
            &[
                ("path", opt_path_obj(py, path)),
                ("found", int_obj(py, u64::from(*found))),
                ("supported", int_obj(py, u64::from(*supported))),
            ],
        ),
        E::Corrupt { path, offset, .. } => make_error(
            py,
            "CorruptDatabaseError",
            message,
            &[("path", opt_path_obj(py, path)), ("offset", int_obj(py, *offset))],
        ),
        E::InvalidInput(_) => make_error(py, "InvalidInputError", message, &[]),
        E::Source { path, line, .. } => {
            make_error(py, "SourceError", message, &[("path", path_obj(py, path)), ("line", int_obj(py, *line))])
        }
        E::Config { path, .. } => make_error(py, "ConfigError", message, &[("path", path_obj(py, path))]),
        E::Mmdb { path, .. } => make_error(py, "MmdbError", message, &[("path", path_obj(py, path))]),
        // `ipfirm::Error` is non-exhaustive: a variant added later is still an `ipfirm.Error`.
        _ => make_error(py, "Error", message, &[]),
    }
}

fn closed_error(py: Python<'_>) -> PyErr {
    make_error(py, "ClosedError", "the database is closed".to_string(), &[])
}

// ---------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------

const ADDRESS_KINDS: &str =
    "an IP address: a str, packed bytes (4 or 16 bytes), or an ipaddress.IPv4Address/IPv6Address";

fn from_packed(b: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(b) {
        Some(IpAddr::V4(Ipv4Addr::from(a)))
    } else if let Ok(a) = <[u8; 16]>::try_from(b) {
        Some(IpAddr::V6(Ipv6Addr::from(a)))
    } else {
        None
    }
}

/// Why an object is not an address. The object's value is never put into the message: it
/// may be a visitor's address.
enum BadAddress {
    /// Right type, wrong contents → `ValueError`.
    Invalid,
    /// Unsupported type → `TypeError` naming the type.
    Type(String),
}

impl BadAddress {
    fn into_pyerr(self, position: Option<usize>) -> PyErr {
        let at = position.map(|i| format!(" at position {i}")).unwrap_or_default();
        match self {
            BadAddress::Invalid => PyValueError::new_err(format!("invalid IP address{at}: expected {ADDRESS_KINDS}")),
            BadAddress::Type(t) => PyTypeError::new_err(format!("expected {ADDRESS_KINDS}{at}, got {t}")),
        }
    }
}

unsafe extern "C" {
    /// In every CPython since 3.3 and in the stable ABI since 3.10; pyo3 hides it from
    /// `abi3-py39` builds, so it is declared here and only called on 3.10+ (see `utf8`).
    fn PyUnicode_AsUTF8AndSize(unicode: *mut pyo3::ffi::PyObject, size: *mut pyo3::ffi::Py_ssize_t) -> *const u8;
}

/// True when the running interpreter has `PyUnicode_AsUTF8AndSize` in its stable ABI.
fn has_utf8_and_size(py: Python<'_>) -> bool {
    static YES: PyOnceLock<bool> = PyOnceLock::new();
    *YES.get_or_init(py, || py.version_info() >= (3, 10))
}

/// Calls `f` with the UTF-8 text of `s` without copying it where the interpreter allows
/// (`PyString::to_cow` under the 3.9 stable ABI encodes into a new bytes object and copies
/// that into a `String`: the largest cost of a single lookup by address string).
fn with_utf8<R>(s: &Bound<'_, PyString>, f: impl FnOnce(&str) -> R) -> PyResult<R> {
    if has_utf8_and_size(s.py()) {
        let mut len: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` and we hold the GIL; on 3.10+ this is a stable-ABI
        // function. It returns a pointer to the string's cached UTF-8 form, owned by `s` and
        // valid while `s` is alive (it is borrowed for the whole call), or NULL with an
        // exception set.
        #[allow(unsafe_code)]
        let ptr = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut len) };
        if ptr.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        // SAFETY: CPython guarantees `len` bytes of valid UTF-8 at `ptr` (see above).
        #[allow(unsafe_code)]
        let text = unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len as usize)) };
        return Ok(f(text));
    }
    // 3.9: short strings are copied as code points into a stack buffer (every address is
    // short); `to_cow` would encode into a new bytes object and copy that again.
    let mut buf = [0 as pyo3::ffi::Py_UCS4; 64];
    // SAFETY: `s` is a live `str` and we hold the GIL. `PyUnicode_GetLength` cannot fail for
    // a `str`; `PyUnicode_AsUCS4` writes at most `buf.len()` code points (we only call it
    // when the string fits) and returns NULL with an exception set on failure.
    #[allow(unsafe_code)]
    let copied = unsafe {
        let len = pyo3::ffi::PyUnicode_GetLength(s.as_ptr());
        if (0..=buf.len() as pyo3::ffi::Py_ssize_t).contains(&len)
            && !pyo3::ffi::PyUnicode_AsUCS4(s.as_ptr(), buf.as_mut_ptr(), buf.len() as pyo3::ffi::Py_ssize_t, 0)
                .is_null()
        {
            Some(len as usize)
        } else {
            PyErr::take(s.py());
            None
        }
    };
    if let Some(len) = copied {
        let mut text = [0u8; 64];
        let mut ascii = true;
        for (t, &c) in text.iter_mut().zip(&buf[..len]) {
            ascii &= c < 0x80;
            *t = c as u8;
        }
        if ascii && let Ok(text) = std::str::from_utf8(&text[..len]) {
            return Ok(f(text));
        }
    }
    Ok(f(&s.to_cow()?))
}

/// The address in an exact `str` holding a canonical dotted quad, read without allocating;
/// `None` for anything else (the general `parse_addr` then decides, and words the error).
#[inline(always)]
fn fast_v4_str(obj: &Bound<'_, PyAny>) -> Option<Ipv4Addr> {
    let s = obj.cast_exact::<PyString>().ok()?;
    if !has_utf8_and_size(obj.py()) {
        return None;
    }
    let mut len: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: as in `with_utf8`: a live `str`, the GIL held, a 3.10+ stable-ABI function; the
    // bytes stay valid while `s` is alive.
    #[allow(unsafe_code)]
    let ptr = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut len) };
    if ptr.is_null() {
        // Not encodable (lone surrogates): the general path raises the ValueError.
        PyErr::take(obj.py());
        return None;
    }
    // SAFETY: `len` bytes at `ptr` (see above).
    #[allow(unsafe_code)]
    parse_v4_fast(unsafe { std::slice::from_raw_parts(ptr, len as usize) })
}

/// A dotted-quad IPv4 address in canonical form (1–3 digits per octet, no leading zeros),
/// else `None`. Everything it accepts, `str::parse::<IpAddr>` accepts with the same value, so
/// it is only a fast path: other text goes to the standard parser. One pass, no splitting:
/// the common case of a single lookup by address string.
#[inline(always)]
fn parse_v4_fast(s: &[u8]) -> Option<Ipv4Addr> {
    if !(7..=15).contains(&s.len()) {
        return None;
    }
    let (mut addr, mut octet, mut digits, mut dots) = (0u32, 0u32, 0u32, 0u32);
    for &b in s {
        if b == b'.' {
            if digits == 0 || dots == 3 {
                return None;
            }
            addr = addr << 8 | octet;
            (octet, digits, dots) = (0, 0, dots + 1);
        } else {
            let d = u32::from(b.wrapping_sub(b'0'));
            // A digit; no leading zero; at most 255 (so at most three digits).
            if d > 9 || (digits == 1 && octet == 0) {
                return None;
            }
            octet = octet * 10 + d;
            digits += 1;
            if octet > 255 {
                return None;
            }
        }
    }
    (dots == 3 && digits > 0).then(|| Ipv4Addr::from(addr << 8 | octet))
}

fn parse_text(s: &str) -> Result<IpAddr, BadAddress> {
    if let Some(a) = parse_v4_fast(s.as_bytes()) {
        return Ok(IpAddr::V4(a));
    }
    let s = s.trim();
    parse_v4_fast(s.as_bytes()).map_or_else(|| s.parse().map_err(|_| BadAddress::Invalid), |a| Ok(IpAddr::V4(a)))
}

/// `ipaddress.IPv4Address` and `ipaddress.IPv6Address` (the exact classes).
fn ipaddress_types(py: Python<'_>) -> Option<&(Py<PyType>, Py<PyType>)> {
    static TYPES: PyOnceLock<Option<(Py<PyType>, Py<PyType>)>> = PyOnceLock::new();
    TYPES
        .get_or_init(py, || {
            let m = py.import("ipaddress").ok()?;
            let get = |name: &str| m.getattr(name).ok()?.cast_into::<PyType>().ok().map(Bound::unbind);
            Some((get("IPv4Address")?, get("IPv6Address")?))
        })
        .as_ref()
}

/// The value of an exact `ipaddress.IPv4Address`/`IPv6Address`, read from its integer slot
/// `_ip` (what `int(addr)` returns, and what its `packed` property encodes: reading the
/// property runs Python code that builds a bytes object, ~3x slower). `None` for other types
/// (subclasses included) and if the slot is not an int of the right size: those take the
/// `packed` path.
fn ipaddress_value(obj: &Bound<'_, PyAny>) -> Option<IpAddr> {
    let py = obj.py();
    let (v4, v6) = ipaddress_types(py)?;
    let ty = obj.get_type();
    if ty.is(v4) {
        let ip: u32 = obj.getattr(intern!(py, "_ip")).ok()?.extract().ok()?;
        Some(IpAddr::V4(Ipv4Addr::from(ip)))
    } else if ty.is(v6) {
        let ip: u128 = obj.getattr(intern!(py, "_ip")).ok()?.extract().ok()?;
        Some(IpAddr::V6(Ipv6Addr::from(ip)))
    } else {
        None
    }
}

fn parse_addr_inner(obj: &Bound<'_, PyAny>) -> Result<IpAddr, BadAddress> {
    // An exact `str` first: one pointer comparison (`cast` asks the interpreter for the type's
    // flags, a function call under the stable ABI).
    if let Ok(s) = obj.cast_exact::<PyString>().or_else(|_| obj.cast::<PyString>()) {
        return with_utf8(s, parse_text).map_err(|_| BadAddress::Invalid)?;
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return from_packed(b.as_bytes()).ok_or(BadAddress::Invalid);
    }
    if let Some(a) = ipaddress_value(obj) {
        return Ok(a);
    }
    // ipaddress.IPv4Address / IPv6Address (and anything else exposing `.packed` bytes).
    if let Ok(packed) = obj.getattr(intern!(obj.py(), "packed"))
        && let Ok(b) = packed.cast::<PyBytes>()
    {
        return from_packed(b.as_bytes()).ok_or(BadAddress::Invalid);
    }
    let t = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".into());
    Err(BadAddress::Type(t))
}

fn parse_addr(obj: &Bound<'_, PyAny>) -> PyResult<IpAddr> {
    parse_addr_inner(obj).map_err(|e| e.into_pyerr(None))
}

/// Parses every item of an iterable (lists and tuples without the iterator protocol).
fn parse_many(obj: &Bound<'_, PyAny>) -> PyResult<Vec<IpAddr>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "expected an iterable of IP addresses, got a single str/bytes (wrap it in a list)",
        ));
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    if let Ok(list) = obj.cast::<PyList>() {
        for (i, item) in list.iter().enumerate() {
            out.push(parse_addr_inner(&item).map_err(|e| e.into_pyerr(Some(i)))?);
        }
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        for (i, item) in tuple.iter().enumerate() {
            out.push(parse_addr_inner(&item).map_err(|e| e.into_pyerr(Some(i)))?);
        }
    } else {
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(parse_addr_inner(&item?).map_err(|e| e.into_pyerr(Some(i)))?);
        }
    }
    Ok(out)
}

/// Creates the Python object for `value` and takes it off the cycle collector's list.
///
/// pyo3 makes every `#[pyclass]` garbage-collected, but the handles made here hold no Python
/// references (only an `Arc` of the Rust database), so they can never be part of a reference
/// cycle. Tracked, a million `Match` objects from `lookup_many` made every collection scan them
/// all (measured: 2-3x slower lookups when results are kept). CPython untracks its own
/// atomic-only dicts and tuples the same way.
fn untracked<T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(py: Python<'_>, value: T) -> PyResult<Bound<'_, T>> {
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

fn untracked_opt<T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
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

// ---------------------------------------------------------------------------------------
// Small value types
// ---------------------------------------------------------------------------------------

fn json_to_py<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS.import(py, "json", "loads")?.call1((json,))
}

fn to_json<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| PyRuntimeError::new_err(format!("cannot serialise to JSON: {e}")))
}

/// A matched network: an inclusive range of addresses.
#[pyclass(module = "ipfirm", name = "Network", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
struct PyNetwork {
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
struct PyRegistry {
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
struct PySource {
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
struct PyCompany {
    db: Db,
    index: u32,
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
struct PyMatch {
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
    unsafe fn new(db: &Db, m: ipfirm::Match<'_>) -> PyMatch {
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

// ---------------------------------------------------------------------------------------
// Iteration over ranges
// ---------------------------------------------------------------------------------------

type DynIter<'a> = Box<dyn Iterator<Item = ipfirm::Match<'a>> + Send + 'a>;

self_cell::self_cell!(
    struct IterCell {
        owner: Db,
        #[not_covariant]
        dependent: DynIter,
    }
);

/// An iterator over every range of a database (IPv4 first, each family in address order).
#[pyclass(module = "ipfirm", name = "RangeIterator", frozen)]
struct PyRangeIter {
    cell: Mutex<IterCell>,
}

#[pymethods]
impl PyRangeIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyMatch>>> {
        let mut cell = self.cell.lock().unwrap_or_else(|p| p.into_inner());
        // SAFETY: the iterator walks the database its cell owns, `db`.
        #[allow(unsafe_code)]
        let next = cell.with_dependent_mut(|db, it| it.next().map(|m| unsafe { PyMatch::new(db, m) }));
        untracked_opt(py, next)
    }
}

// ---------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------

/// An open ipfirm database.
///
/// ``Database(path)`` reads the file into memory and checks it completely (checksum
/// included). ``Database(path, mmap=True)`` memory-maps it instead: opening takes constant
/// time whatever the file's size and only the header and structure are checked (call
/// ``verify()`` for the full check).
///
/// Safety contract of ``mmap=True``: the file must not be truncated or modified in place while
/// the database (or any ``Match``/``Company`` taken from it) is alive. A file truncated under a
/// mapping makes reads fault (SIGBUS kills the process), and bytes modified in place bypass
/// the checks made at open. Replace database files by writing a new file and renaming it
/// over the old one (``ipfirm.build`` does): an open mapping keeps the old contents.
///
/// After ``close()`` (or leaving a ``with`` block) every method raises ``ipfirm.ClosedError``;
/// ``Match`` and ``Company`` objects already taken keep the data alive and stay usable.
#[pyclass(module = "ipfirm", name = "Database", frozen)]
struct PyDatabase {
    inner: RwLock<Option<Db>>,
    path: PathBuf,
    mmap: bool,
}

impl PyDatabase {
    fn db(&self, py: Python<'_>) -> PyResult<Db> {
        self.inner.read().unwrap_or_else(|p| p.into_inner()).clone().ok_or_else(|| closed_error(py))
    }

    fn resolve_company<'a>(
        db: &'a ipfirm::Database,
        own: &Db,
        company: &Bound<'_, PyAny>,
    ) -> PyResult<Option<ipfirm::CompanyView<'a>>> {
        if let Ok(c) = company.cast::<PyCompany>() {
            let c = c.get();
            if !Arc::ptr_eq(&c.db, own) {
                return Err(PyValueError::new_err("this Company comes from another Database"));
            }
            return Ok(db.company(c.index as usize));
        }
        if company.is_instance_of::<pyo3::types::PyBool>() {
            return Err(PyTypeError::new_err("expected a company id (int), a query (str) or a Company, got bool"));
        }
        if let Ok(i) = company.extract::<i64>() {
            return Ok(usize::try_from(i).ok().and_then(|i| db.company(i)));
        }
        if let Ok(s) = company.cast::<PyString>() {
            return Ok(db.find_company(&s.to_cow()?));
        }
        let t = company.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        Err(PyTypeError::new_err(format!("expected a company id (int), a query (str) or a Company, got {t}")))
    }
}

/// The addresses given to `lookup_columns`: IPv4 integers stay 4 bytes each until their
/// chunk is looked up (a 17-byte `IpAddr` per address for a whole large array cost more in
/// allocation and page faults than the conversion).
enum ColumnInput {
    V4(Vec<u32>),
    Any(Vec<IpAddr>),
}

/// The columns of `lookup_columns`.
fn columns(db: &ipfirm::Database, input: &ColumnInput) -> (Vec<u8>, Vec<u32>) {
    let n = match input {
        ColumnInput::V4(v) => v.len(),
        ColumnInput::Any(v) => v.len(),
    };
    let mut classes = Vec::with_capacity(n);
    let mut companies = Vec::with_capacity(n);
    let mut addrs = Vec::with_capacity(COLUMN_CHUNK);
    let mut push = |chunk: &[IpAddr]| db.lookup_codes_into(chunk, &mut classes, &mut companies);
    match input {
        ColumnInput::V4(ints) => {
            for chunk in ints.chunks(COLUMN_CHUNK) {
                addrs.clear();
                addrs.extend(chunk.iter().map(|&x| IpAddr::V4(Ipv4Addr::from(x))));
                push(&addrs);
            }
        }
        ColumnInput::Any(all) => all.chunks(COLUMN_CHUNK).for_each(push),
    }
    (classes, companies)
}

#[pymethods]
impl PyDatabase {
    /// Opens the database file at ``path`` (``str`` or ``os.PathLike``). See the class
    /// docstring for ``mmap=True`` and its safety contract.
    #[new]
    #[pyo3(signature = (path, mmap = false))]
    fn new(py: Python<'_>, path: PathBuf, mmap: bool) -> PyResult<PyDatabase> {
        let opened = py.detach(|| {
            if mmap {
                // SAFETY: the caller asked for a memory map and takes on its contract, which the
                // docstring states (no truncation or in-place modification while open) — the
                // same contract as the core's `open_mmap`.
                #[allow(unsafe_code)]
                unsafe {
                    ipfirm::Database::open_mmap(&path)
                }
            } else {
                ipfirm::Database::open(&path)
            }
        });
        let db = opened.map_err(|e| to_pyerr(py, e))?;
        Ok(PyDatabase { inner: RwLock::new(Some(Arc::new(db))), path, mmap })
    }

    /// Looks up every address of an iterable and returns a list of ``Match`` or ``None`` in
    /// the same order. All addresses are parsed first (an invalid one raises ``ValueError``
    /// naming its position); the lookups then run without the GIL.
    fn lookup_many<'py>(&self, py: Python<'py>, ips: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let addrs = parse_many(ips)?;
        let db = self.db(py)?;
        let found = py.detach(|| {
            // SAFETY: matches of `db` itself.
            #[allow(unsafe_code)]
            let matches = db.lookup_batch(&addrs).into_iter().map(|m| m.map(|m| unsafe { PyMatch::new(&db, m) }));
            matches.collect::<Vec<_>>()
        });
        let objects = found.into_iter().map(|m| untracked_opt(py, m)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, objects)
    }

    /// Columnar lookups for large batches (e.g. a pandas column). ``ips`` is a numpy
    /// ``uint32`` array of IPv4 addresses as integers, or an iterable of addresses as for
    /// ``lookup_many``. Returns ``(class_codes, company_ids)``: a numpy ``uint8`` array (decode
    /// with ``ipfirm.CLASS_NAMES``; an address no range covers gets ``ipfirm.NO_MATCH``) and a
    /// numpy ``uint32`` array of company ids (``ipfirm.NO_COMPANY`` where there is none; look
    /// them up with ``company(id)`` or ``companies()``). The lookups run without the GIL.
    fn lookup_columns<'py>(&self, py: Python<'py>, ips: &Bound<'py, PyAny>) -> PyResult<Columns<'py>> {
        // The array is copied while the GIL is held: other Python threads may write to it
        // once the GIL is released.
        let input = if let Ok(arr) = ips.cast::<PyArray1<u32>>() {
            let ro = arr.try_readonly().map_err(|e| PyValueError::new_err(e.to_string()))?;
            ColumnInput::V4(match ro.as_slice() {
                Ok(contiguous) => contiguous.to_vec(),
                Err(_) => ro.as_array().iter().copied().collect(),
            })
        } else if let Ok(arr) = ips.cast::<PyUntypedArray>() {
            return Err(PyTypeError::new_err(format!(
                "lookup_columns takes a 1-dimensional numpy uint32 array (IPv4 addresses as integers), got a {}-dimensional {} array",
                arr.ndim(),
                arr.dtype()
            )));
        } else {
            ColumnInput::Any(parse_many(ips)?)
        };
        let db = self.db(py)?;
        let (classes, companies) = py.detach(|| columns(&db, &input));
        Ok((PyArray1::from_vec(py, classes), PyArray1::from_vec(py, companies)))
    }

    /// Every range (IPv4 first, each family in address order), as an iterator of ``Match``.
    /// Gaps no source covers are skipped.
    fn ranges(&self, py: Python<'_>) -> PyResult<PyRangeIter> {
        let db = self.db(py)?;
        let cell = IterCell::new(db, |db| Box::new(db.iter()) as DynIter<'_>);
        Ok(PyRangeIter { cell: Mutex::new(cell) })
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<PyRangeIter> {
        self.ranges(py)
    }

    /// Every range whose entry names ``company``: a company id (``int``), a query (``str``: a
    /// registry id, ``scheme:id``, a domain or a legal name, any case) or a ``Company`` of this
    /// database. Raises ``KeyError`` when no company matches.
    fn ranges_of<'py>(&self, py: Python<'py>, company: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyMatch>>> {
        let db = self.db(py)?;
        let Some(view) = Self::resolve_company(&db, &db, company)? else {
            return Err(PyKeyError::new_err(format!("no company matches {}", company.repr()?)));
        };
        // SAFETY: matches of `db` itself.
        #[allow(unsafe_code)]
        db.ranges_of(view).map(|m| untracked(py, unsafe { PyMatch::new(&db, m) })).collect()
    }

    /// The company with id ``company`` (``int``), or the first whose registry id,
    /// ``scheme:id``, domain or legal name equals ``company`` (``str``, any case); ``None``
    /// when there is none.
    fn company<'py>(&self, py: Python<'py>, company: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyCompany>>> {
        let db = self.db(py)?;
        let found = Self::resolve_company(&db, &db, company)?.map(|c| c.index() as u32);
        untracked_opt(py, found.map(|index| PyCompany { db: Arc::clone(&db), index }))
    }

    /// Every company of the company table, in id order.
    fn companies<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyCompany>>> {
        let db = self.db(py)?;
        (0..db.company_count() as u32).map(|index| untracked(py, PyCompany { db: Arc::clone(&db), index })).collect()
    }

    /// Number of companies in the company table.
    #[getter]
    fn company_count(&self, py: Python<'_>) -> PyResult<usize> {
        Ok(self.db(py)?.company_count())
    }

    /// The build metadata as a dict (format and tool version, inputs, counts per class …).
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = to_json(self.db(py)?.metadata())?;
        json_to_py(py, &json)
    }

    /// The file's format version.
    #[getter]
    fn format_version(&self, py: Python<'_>) -> PyResult<u32> {
        Ok(self.db(py)?.format_version())
    }

    /// The path the database was opened from (as given).
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// True once ``close()`` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.read().unwrap_or_else(|p| p.into_inner()).is_none()
    }

    /// Checks the whole file (checksum and every table); raises ``CorruptDatabaseError``
    /// when it is damaged. ``Database(path)`` already does this at open; it is useful after
    /// ``mmap=True``.
    fn verify(&self, py: Python<'_>) -> PyResult<()> {
        let db = self.db(py)?;
        py.detach(|| db.verify()).map_err(|e| to_pyerr(py, e))
    }

    /// Closes the database. Further calls raise ``ipfirm.ClosedError``; closing twice is
    /// harmless. The memory (or mapping) is released once no ``Match`` or ``Company`` taken
    /// from it is alive.
    fn close(&self) {
        self.inner.write().unwrap_or_else(|p| p.into_inner()).take();
    }

    fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, PyTuple>) -> bool {
        self.close();
        false
    }

    fn __repr__(&self) -> String {
        format!(
            "<ipfirm.Database path={:?}{}{}>",
            self.path.to_string_lossy(),
            if self.mmap { " mmap" } else { "" },
            if self.closed() { " closed" } else { "" }
        )
    }
}

// ---------------------------------------------------------------------------------------
// Database.lookup: the single-lookup hot path
// ---------------------------------------------------------------------------------------

impl PyDatabase {
    /// `Database.lookup`. Returns `None` for a miss without creating an exception.
    #[inline]
    fn lookup<'py>(&self, py: Python<'py>, ip: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyMatch>>> {
        let addr = match fast_v4_str(ip) {
            Some(a) => IpAddr::V4(a),
            None => parse_addr(ip)?,
        };
        let guard = self.inner.read().unwrap_or_else(|p| p.into_inner());
        let Some(db) = guard.as_ref() else {
            return Err(closed_error(py));
        };
        // SAFETY: a match of `db` itself.
        #[allow(unsafe_code)]
        let found = db.lookup(addr).map(|m| unsafe { PyMatch::new(db, m) });
        drop(guard);
        untracked_opt(py, found)
    }
}

/// The docstring and text signature of `Database.lookup` (CPython reads the signature from
/// the part before `--`; `inspect.signature` and stubtest see `(self, ip, /)`).
const LOOKUP_DOC: &std::ffi::CStr = c"lookup($self, ip, /)
--

Looks up one address: a ``str``, packed ``bytes`` (4 or 16) or an
``ipaddress.IPv4Address``/``IPv6Address``. ``None`` when no range covers it.
IPv4-mapped IPv6 addresses (``::ffff:a.b.c.d``) are looked up as IPv4.

Raises ``ValueError`` for an invalid address, ``TypeError`` for another type.";

/// `Database.lookup` as a `METH_O` C function. pyo3 methods built for the 3.9 stable ABI
/// take `METH_VARARGS | METH_KEYWORDS` (the interpreter packs each call's argument into a
/// new tuple, pyo3 unpacks it by name); a one-argument method needs neither, and `METH_O`
/// is in the stable ABI of every CPython 3. Measured: a cache-hot miss 108 -> 77 ns, a hit
/// 240 -> 190 ns.
#[allow(unsafe_code)]
unsafe extern "C" fn lookup_meth_o(
    slf: *mut pyo3::ffi::PyObject,
    ip: *mut pyo3::ffi::PyObject,
) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython calls a METH_O function with the GIL held, `slf` a live object whose
    // type the method descriptor has checked (`Database`, final) and `ip` a live borrowed
    // argument; both stay alive for the whole call.
    let py = unsafe { Python::assume_attached() };
    let run = || -> PyResult<*mut pyo3::ffi::PyObject> {
        // SAFETY: see above; the borrows end with this call.
        let (slf, ip) = unsafe { (Bound::from_borrowed_ptr(py, slf), Bound::from_borrowed_ptr(py, ip)) };
        let db = slf.cast::<PyDatabase>()?;
        Ok(match db.get().lookup(py, &ip)? {
            Some(m) => m.into_ptr(),
            None => py.None().into_ptr(),
        })
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(obj)) => obj,
        Ok(Err(e)) => {
            e.restore(py);
            std::ptr::null_mut()
        }
        Err(_) => {
            pyo3::panic::PanicException::new_err("ipfirm: internal error (a Rust panic) in Database.lookup")
                .restore(py);
            std::ptr::null_mut()
        }
    }
}

/// Puts the `METH_O` `lookup` on the `Database` type.
fn install_fast_lookup(py: Python<'_>) -> PyResult<()> {
    use pyo3::ffi;
    let ty = py.get_type::<PyDatabase>();
    // CPython keeps a pointer to the definition for as long as the type lives: leaked once
    // per module initialisation.
    let def: &'static mut ffi::PyMethodDef = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: c"lookup".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunction: lookup_meth_o },
        ml_flags: ffi::METH_O,
        ml_doc: LOOKUP_DOC.as_ptr(),
    }));
    // SAFETY: `ty` is a live type object, `def` a valid definition that outlives it;
    // `PyDescr_NewMethod` (stable ABI) returns a new reference or NULL with an exception set.
    #[allow(unsafe_code)]
    let descr = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(ty.as_type_ptr(), def))? };
    ty.setattr(intern!(py, "lookup"), descr)
}

// ---------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------

/// Builds the database described by the TOML build config at ``config`` into ``out``
/// (written atomically: a temporary file renamed into place). ``strict=True`` fails on the
/// first bad row instead of skipping it. Returns the build report as a dict. Runs without the
/// GIL.
///
/// Raises ``ConfigError``, ``SourceError`` (with ``.path`` and ``.line``), ``MmdbError`` or
/// ``IoError``.
#[pyfunction]
#[pyo3(signature = (config, out, *, strict = false))]
fn build<'py>(py: Python<'py>, config: PathBuf, out: PathBuf, strict: bool) -> PyResult<Bound<'py, PyAny>> {
    let opts = ipfirm::compile::BuildOptions { strict, ..Default::default() };
    let report = py.detach(|| ipfirm::compile::build(&config, &out, &opts)).map_err(|e| to_pyerr(py, e))?;
    json_to_py(py, &to_json(&report)?)
}

/// Imports every network of the MaxMind DB file ``mmdb`` into a new ipfirm database at
/// ``out`` (atomically), classifying ranges from the file's own flags (see the core's
/// ``ipfirm::mmdb::import_mmdb``). ``source`` names the source in each range's provenance
/// (default: the file name). Returns the number of networks read. Runs without the GIL.
///
/// Raises ``MmdbError`` or ``IoError``.
#[pyfunction]
#[pyo3(signature = (mmdb, out, *, source = None))]
fn import_mmdb(py: Python<'_>, mmdb: PathBuf, out: PathBuf, source: Option<String>) -> PyResult<u64> {
    let source = source.unwrap_or_else(|| {
        mmdb.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "mmdb".to_string())
    });
    py.detach(|| {
        let mut builder = ipfirm::DatabaseBuilder::new();
        let stats = ipfirm::mmdb::import_mmdb(&mmdb, &mut builder, &source)?;
        builder.finish_to_path(&out)?;
        Ok::<_, ipfirm::Error>(stats.networks)
    })
    .map_err(|e| to_pyerr(py, e))
}

/// The ipfirm native module; the public API is re-exported by the `ipfirm` package.
#[pymodule]
fn _ipfirm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyDatabase>()?;
    install_fast_lookup(py)?;
    m.add_class::<PyMatch>()?;
    m.add_class::<PyCompany>()?;
    m.add_class::<PyNetwork>()?;
    m.add_class::<PyRegistry>()?;
    m.add_class::<PySource>()?;
    m.add_class::<PyRangeIter>()?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_function(wrap_pyfunction!(import_mmdb, m)?)?;
    m.add("CLASS_NAMES", PyTuple::new(py, Class::ALL.iter().map(|c| c.name()))?)?;
    m.add(
        "SHOWN_CLASSES",
        pyo3::types::PyFrozenSet::new(py, Class::ALL.iter().filter(|c| c.is_shown()).map(|c| c.name()))?,
    )?;
    m.add("NO_COMPANY", NO_COMPANY)?;
    m.add("NO_MATCH", NO_MATCH)?;
    m.add("FORMAT_VERSION", ipfirm::format::FORMAT_VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path agrees with the standard parser on everything it accepts, and leaves
    /// alone what the standard parser rejects.
    #[test]
    fn fast_v4_parser_agrees_with_std() {
        let mut cases: Vec<String> = [
            "0.0.0.0",
            "255.255.255.255",
            "1.2.3.4",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1..2.3",
            "",
            ".",
            "1.2.3.4.",
            "a.b.c.d",
            "1.2.3.04",
            "0.0.0.00",
            "999.1.1.1",
            "1.2.3.-4",
            "+1.2.3.4",
            "1.2.3.4 ",
            "::1",
            "::ffff:1.2.3.4",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let alphabet = b"0123456789.";
            let len = (x % 16) as usize;
            cases.push((0..len).map(|i| alphabet[((x >> (i * 4)) % 11) as usize] as char).collect());
            cases.push(Ipv4Addr::from(x as u32).to_string());
        }
        for c in &cases {
            if let Some(fast) = parse_v4_fast(c.as_bytes()) {
                assert_eq!(c.parse::<IpAddr>().ok(), Some(IpAddr::V4(fast)), "{c:?}");
            } else if let Ok(IpAddr::V4(_)) = c.parse::<IpAddr>() {
                panic!("fast path rejected canonical {c:?}");
            }
        }
    }
}
