//! INSEE SIRENE StockUniteLegale CSV.

use std::path::Path;

use crate::compile::records::RegistryRecord;
use crate::compile::sources::common::ReadContext;
use crate::error::{Error, Result};

/// Reads `path`, giving every record to `out`; returns the rows read.
///
/// # Errors
/// [`Error::Io`] naming a missing file; [`Error::Source`] (`file:line`) for a bad row in strict mode.
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    let _ = (ctx, out);
    Err(Error::Source { path: path.to_path_buf(), line: 0, message: "adapter not written yet".into() })
}
