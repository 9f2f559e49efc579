//! The `Database` class (open, lookups, columns, companies, close), its `RangeIterator`, and the
//! `METH_O` C function that serves `Database.lookup`, the single-lookup hot path.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use numpy::{PyArray1, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::Db;
use crate::addr::{fast_v4_str, parse_addr, parse_many};
use crate::errors::{closed_error, to_pyerr};
use crate::values::{PyCompany, PyMatch, json_to_py, to_json, untracked, untracked_opt};

/// What `lookup_columns` returns: class codes and company ids.
type Columns<'py> = (Bound<'py, PyArray1<u8>>, Bound<'py, PyArray1<u32>>);

/// Addresses looked up per `lookup_batch_into` call in the columnar path (keeps the
/// intermediate `Match` buffer in cache).
const COLUMN_CHUNK: usize = 4096;

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
pub(crate) struct PyRangeIter {
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
pub(crate) struct PyDatabase {
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
pub(crate) fn install_fast_lookup(py: Python<'_>) -> PyResult<()> {
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
