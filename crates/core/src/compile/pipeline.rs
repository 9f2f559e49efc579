//! Orchestration of a build from a config file. (Being written: see issue 3.)

use std::path::Path;

use crate::error::{Error, Result};

/// Options for [`build`].
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Fail on the first bad row instead of skipping it.
    pub strict: bool,
}

/// What a build did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BuildReport {}

/// Builds the database described by the TOML config at `config` into `out` (atomically).
///
/// # Errors
/// Config, source and I/O errors naming the file and line.
pub fn build(config: &Path, out: &Path, opts: &BuildOptions) -> Result<BuildReport> {
    let _ = (out, opts);
    Err(Error::Config { path: config.to_path_buf(), message: "the build pipeline is not written yet".into() })
}
