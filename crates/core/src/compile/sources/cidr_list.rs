//! Networks with a class from the config: plain lists and the providers' own formats.

use std::path::Path;

use crate::compile::records::IpRecord;
use crate::compile::sources::common::ReadContext;
use crate::error::{Error, Result};

/// Options of a `cidr-list` source.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct Options {
    /// File format; `auto` (the default) sniffs it.
    #[serde(default)]
    pub format: Format,
    /// Class the list asserts (required for `plain`; providers default to `hosting`).
    #[serde(default)]
    pub class: Option<crate::Class>,
    /// Label for the reason code (`provider-list:<label>`); defaults to the provider name.
    #[serde(default)]
    pub label: Option<String>,
}

/// Formats of a `cidr-list` file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Sniff from the content.
    #[default]
    Auto,
    /// One CIDR, address or `start-end` per line; `#`/`;`/`//` comments.
    Plain,
    /// AWS ip-ranges.json.
    Aws,
    /// Google cloud.json / goog.json.
    Gcp,
    /// Azure service tags JSON.
    Azure,
    /// Oracle Cloud public_ip_ranges.json.
    Oracle,
    /// Fastly public-ip-list JSON.
    Fastly,
    /// GitHub meta API JSON.
    Github,
    /// DigitalOcean geofeed CSV.
    Digitalocean,
    /// Linode geofeed CSV.
    Linode,
    /// Zscaler cloud ranges JSON.
    Zscaler,
    /// client9 ipcat datacenters.csv (`start,end,name,url`).
    Ipcat,
}

/// Reads `path`, giving every record to `out`; returns the rows read.
///
/// # Errors
/// [`Error::Io`] naming a missing file; [`Error::Source`] (`file:line`) for a bad row in strict mode.
pub fn read(path: &Path, opts: &Options, ctx: &mut ReadContext, out: &mut dyn FnMut(IpRecord)) -> Result<u64> {
    let _ = (ctx, out, opts);
    Err(Error::Source { path: path.to_path_buf(), line: 0, message: "adapter not written yet".into() })
}
