//! Python bindings for ipfirm: one thin wrapper class per core type.
//!
//! All logic lives in the core crate (`ipfirm`); this crate only converts between Python and
//! Rust values, releases the GIL around work that does not need it, and maps the core error
//! variants onto the exception classes of `ipfirm._errors`. One concern per module:
//!
//! - [`errors`]: core errors to the exceptions of `ipfirm._errors`;
//! - [`addr`]: Python objects to IP addresses (with the fast paths of single lookups);
//! - [`values`]: the small value classes `Network`, `Registry`, `Source`, `Company`, `Match`;
//! - [`database`]: the `Database` class, its `RangeIterator` and the `METH_O` `lookup`;
//! - this file: `build`, `import_mmdb` and the module registration.
//!
//! [`Match`](PyMatch) and [`Company`](PyCompany) objects are small handles (an `Arc` of the
//! open database plus the core's match view or a company index): their fields are read from
//! the database only when asked for, so a lookup costs one small allocation and no string
//! copies. `Database.lookup` itself is a `METH_O` C function (see `database::lookup_meth_o`).

mod addr;
mod database;
mod errors;
mod values;

use std::path::PathBuf;
use std::sync::Arc;

use ipfirm::Class;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use database::{PyDatabase, PyRangeIter, install_fast_lookup};
use errors::to_pyerr;
use values::{PyCompany, PyMatch, PyNetwork, PyRegistry, PySource, json_to_py, to_json};

pub(crate) type Db = Arc<ipfirm::Database>;

/// The company id `lookup_columns` gives where a range has no company (or nothing matched).
const NO_COMPANY: u32 = ipfirm::NO_COMPANY;

/// The class code `lookup_columns` gives where no range covers the address (not a class:
/// `CLASS_NAMES` has fewer entries). The same value as the Node binding's `NO_MATCH`.
const NO_MATCH: u8 = ipfirm::NO_MATCH;

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
