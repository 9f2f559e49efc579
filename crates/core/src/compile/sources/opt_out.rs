//! Opt-out lists: `registry:SCHEME:ID`, `domain:example.com`, `name:Some Company` per line.

use std::path::Path;

use crate::compile::records::OptOut;
use crate::compile::sources::common::ReadContext;
use crate::error::{Error, Result};

/// Reads `path`, giving every record to `out`; returns the rows read.
///
/// # Errors
/// [`Error::Io`] naming a missing file; [`Error::Source`] (`file:line`) for a bad row in strict mode.
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(OptOut)) -> Result<u64> {
    let _ = (ctx, out);
    Err(Error::Source { path: path.to_path_buf(), line: 0, message: "adapter not written yet".into() })
}

/// Appends `entry` as one line to the opt-out list at `path` (created if missing) and syncs it
/// to disk, so an opt-out is never lost to a crash.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn append(path: &Path, entry: &OptOut) -> Result<()> {
    let _ = entry;
    Err(Error::Source { path: path.to_path_buf(), line: 0, message: "not written yet".into() })
}
