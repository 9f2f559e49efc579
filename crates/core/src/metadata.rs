//! Build metadata stored in the database's JSON section.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One input that went into a build.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    /// Name given to the source in the build config.
    pub name: String,
    /// Adapter kind (`asn-csv`, `gleif`, `mmdb`, …).
    pub kind: String,
    /// File the rows came from, as given.
    #[serde(default)]
    pub path: String,
    /// Version or date of the data.
    #[serde(default)]
    pub version: String,
    /// Rows read.
    #[serde(default)]
    pub rows: u64,
    /// Rows skipped as invalid.
    #[serde(default)]
    pub skipped: u64,
}

/// Counts for one class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCount {
    /// Resolved ranges of this class.
    pub ranges: u64,
    /// IPv4 addresses covered.
    pub ipv4_addresses: u64,
}

/// What a database file says about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// Format version of the file.
    pub format_version: u32,
    /// Version of the tool that wrote it.
    pub tool_version: String,
    /// Build time, RFC 3339 or seconds since the epoch as text; empty when the builder was not
    /// given one (builds are byte-for-byte reproducible, so the time is an input).
    #[serde(default)]
    pub build_time: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Inputs with versions and row counts.
    #[serde(default)]
    pub inputs: Vec<InputInfo>,
    /// Resolved IPv4 ranges (gaps excluded).
    #[serde(default)]
    pub ipv4_ranges: u64,
    /// Resolved IPv6 ranges (gaps excluded).
    #[serde(default)]
    pub ipv6_ranges: u64,
    /// Companies in the company table.
    #[serde(default)]
    pub companies: u64,
    /// Counts per class name.
    #[serde(default)]
    pub classes: BTreeMap<String, ClassCount>,
    /// Anything else a build wants to record (e.g. the build report).
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}
