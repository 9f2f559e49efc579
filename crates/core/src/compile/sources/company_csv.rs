//! Any company CSV, read through a column [`Mapping`] from the config.

use std::path::Path;

use crate::compile::records::RegistryRecord;
use crate::compile::sources::common::ReadContext;
use crate::error::{Error, Result};

/// Which CSV column holds what (column names as in the header row). Constants are marked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Column of the legal name (required).
    pub name: String,
    /// Registry scheme, a constant (`US-CIK`, `ISIN` …) (required).
    pub scheme: String,
    /// Column of the id within the scheme (required).
    pub id: String,
    /// Columns of other names.
    #[serde(default)]
    pub other_names: Vec<String>,
    /// Column of the country (ISO alpha-2 or an English country name).
    #[serde(default)]
    pub country: Option<String>,
    /// Constant country for every row (used when `country` is absent or empty).
    #[serde(default)]
    pub default_country: Option<String>,
    /// Column of the web domain or site URL.
    #[serde(default)]
    pub domain: Option<String>,
    /// Column of the legal form.
    #[serde(default)]
    pub legal_form: Option<String>,
    /// Column of the category.
    #[serde(default)]
    pub category: Option<String>,
    /// Columns joined into the address.
    #[serde(default)]
    pub address: Vec<String>,
    /// Column of the industry code.
    #[serde(default)]
    pub industry: Option<String>,
    /// Column that marks an inactive row, with the values that mean inactive.
    #[serde(default)]
    pub inactive_column: Option<String>,
    /// Values of `inactive_column` meaning "inactive" (compared case-insensitively).
    #[serde(default)]
    pub inactive_values: Vec<String>,
    /// Field delimiter (default `,`).
    #[serde(default)]
    pub delimiter: Option<char>,
}

/// Reads `path`, giving every record to `out`; returns the rows read.
///
/// # Errors
/// [`Error::Io`] naming a missing file; [`Error::Source`] (`file:line`) for a bad row in strict mode.
pub fn read(path: &Path, mapping: &Mapping, ctx: &mut ReadContext, out: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    let _ = (ctx, out, mapping);
    Err(Error::Source { path: path.to_path_buf(), line: 0, message: "adapter not written yet".into() })
}
