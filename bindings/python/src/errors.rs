//! Maps the core's errors onto the exception classes of `ipfirm._errors` (and the closed-database
//! error): every Python exception this binding raises for a core failure is made here.

use std::path::PathBuf;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

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
pub(crate) fn to_pyerr(py: Python<'_>, e: ipfirm::Error) -> PyErr {
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

pub(crate) fn closed_error(py: Python<'_>) -> PyErr {
    make_error(py, "ClosedError", "the database is closed".to_string(), &[])
}
