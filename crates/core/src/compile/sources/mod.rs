//! Source adapters: one file per input format, each streaming records with `file:line` errors.
//!
//! Every adapter has the same shape:
//!
//! ```text
//! pub fn read(path: &Path, [options,] ctx: &mut ReadContext, out: &mut dyn FnMut(Rec)) -> Result<u64>
//! ```
//!
//! where `Rec` is [`IpRecord`] (IP side), [`RegistryRecord`] (registry side) or [`OptOut`], and
//! the result is the number of rows (records, objects) read, bad ones included. `.gz` input is
//! read transparently. In lenient mode a bad row is logged in `ctx.errors` and skipped; with
//! `ctx.strict` the first bad row returns [`crate::Error::Source`] naming `file:line`. A missing
//! file fails at once with [`crate::Error::Io`] naming the path.
//!
//! [`SourceKind`] names every kind with its options (deserialisable from a `[[source]]` table,
//! `kind = "cidr-list"` …) and [`read`] dispatches to the adapter.

use std::path::Path;

use serde::Deserialize;

use crate::compile::records::{IpRecord, OptOut, RegistryRecord};
use crate::error::Result;

pub mod common;

pub mod asn_csv;
pub mod cidr_list;
pub mod companies_house;
pub mod company_csv;
pub mod gleif;
pub mod kvk;
pub mod libloc;
pub mod mmdb;
pub mod opt_out;
pub mod range_country;
pub mod rir_delegated;
pub mod rpsl;
pub mod sirene;

pub use common::{ErrorLog, ReadContext, open_text};

/// One record of any kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// From an IP-side source.
    Ip(IpRecord),
    /// From a company registry.
    Registry(RegistryRecord),
    /// From an opt-out list.
    OptOut(OptOut),
}

/// The kind of a source with its kind-specific options, as written in a `[[source]]` table:
/// `kind = "asn-csv"` (snake_case `asn_csv` is accepted too).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SourceKind {
    /// `start,end,asn,organisation` (ip-location-db, iptoasn CSV) or iptoasn's TSV.
    #[serde(alias = "asn_csv")]
    AsnCsv(asn_csv::Options),
    /// RIPE / AFRINIC / APNIC style RPSL database dumps.
    Rpsl,
    /// NRO extended delegation statistics.
    #[serde(alias = "rir_delegated")]
    RirDelegated,
    /// A MaxMind DB file.
    Mmdb,
    /// The IPFire location database (libloc) as a CSV dump: its flags as class hints.
    Libloc(libloc::Options),
    /// Networks with a class from the config: plain lists and the providers' own formats.
    #[serde(alias = "cidr_list")]
    CidrList(cidr_list::Options),
    /// GLEIF golden-copy CSV.
    Gleif(gleif::Options),
    /// Companies House BasicCompanyData CSV.
    #[serde(alias = "companies_house")]
    CompaniesHouse,
    /// INSEE SIRENE StockUniteLegale CSV.
    Sirene,
    /// KvK open basic-company extract.
    Kvk,
    /// Any company CSV with a column mapping.
    #[serde(alias = "company_csv")]
    CompanyCsv {
        /// Which column holds what.
        mapping: Box<company_csv::Mapping>,
    },
    /// Registry ids, domains or names never to compile in.
    #[serde(alias = "opt_out")]
    OptOut,
}

impl SourceKind {
    /// The kind's name as written in configs (`asn-csv`, `cidr-list` …).
    pub fn name(&self) -> &'static str {
        match self {
            SourceKind::AsnCsv(_) => "asn-csv",
            SourceKind::Rpsl => "rpsl",
            SourceKind::RirDelegated => "rir-delegated",
            SourceKind::Mmdb => "mmdb",
            SourceKind::Libloc(_) => "libloc",
            SourceKind::CidrList(_) => "cidr-list",
            SourceKind::Gleif(_) => "gleif",
            SourceKind::CompaniesHouse => "companies-house",
            SourceKind::Sirene => "sirene",
            SourceKind::Kvk => "kvk",
            SourceKind::CompanyCsv { .. } => "company-csv",
            SourceKind::OptOut => "opt-out",
        }
    }

    /// Resolves the paths named in options (libloc `routing`) against `base`, the config's
    /// folder.
    pub fn resolve_paths(&mut self, base: &Path) {
        let paths = match self {
            SourceKind::Libloc(o) => &mut o.routing,
            SourceKind::AsnCsv(o) => &mut o.countries,
            _ => return,
        };
        for p in paths {
            *p = base.join(&*p);
        }
    }

    /// The files named in options, checked to exist with the source's own file.
    pub fn option_paths(&self) -> &[std::path::PathBuf] {
        match self {
            SourceKind::Libloc(o) => &o.routing,
            SourceKind::AsnCsv(o) => &o.countries,
            _ => &[],
        }
    }

    /// Every kind name, for "unknown kind" messages.
    pub const NAMES: &'static [&'static str] = &[
        "asn-csv",
        "rpsl",
        "rir-delegated",
        "mmdb",
        "libloc",
        "cidr-list",
        "gleif",
        "companies-house",
        "sirene",
        "kvk",
        "company-csv",
        "opt-out",
    ];
}

/// Reads `path` with the adapter for `kind`, giving every record to `out`.
///
/// # Errors
/// As the adapter: [`crate::Error::Io`] for a missing file, [`crate::Error::Source`] for a
/// bad row in strict mode or a file that is not in the expected format at all.
pub fn read(kind: &SourceKind, path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(Record)) -> Result<u64> {
    match kind {
        SourceKind::AsnCsv(o) => asn_csv::read_with(path, o, ctx, &mut |r| out(Record::Ip(r))),
        SourceKind::Rpsl => rpsl::read(path, ctx, &mut |r| out(Record::Ip(r))),
        SourceKind::RirDelegated => rir_delegated::read(path, ctx, &mut |r| out(Record::Ip(r))),
        SourceKind::Mmdb => mmdb::read(path, ctx, &mut |r| out(Record::Ip(r))),
        SourceKind::Libloc(o) => libloc::read(path, o, ctx, &mut |r| out(Record::Ip(r))),
        SourceKind::CidrList(o) => cidr_list::read(path, o, ctx, &mut |r| out(Record::Ip(r))),
        SourceKind::Gleif(o) => gleif::read_with(path, o, ctx, &mut |r| out(Record::Registry(r))),
        SourceKind::CompaniesHouse => companies_house::read(path, ctx, &mut |r| out(Record::Registry(r))),
        SourceKind::Sirene => sirene::read(path, ctx, &mut |r| out(Record::Registry(r))),
        SourceKind::Kvk => kvk::read(path, ctx, &mut |r| out(Record::Registry(r))),
        SourceKind::CompanyCsv { mapping } => company_csv::read(path, mapping, ctx, &mut |r| out(Record::Registry(r))),
        SourceKind::OptOut => opt_out::read(path, ctx, &mut |r| out(Record::OptOut(r))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod adapter_tests;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kinds_deserialise_from_toml() {
        #[derive(Deserialize)]
        struct S {
            #[serde(flatten)]
            kind: SourceKind,
            #[allow(dead_code)]
            path: String,
        }
        let s: S = toml::from_str("kind = \"asn-csv\"\npath = \"x\"").unwrap();
        assert_eq!(s.kind, SourceKind::AsnCsv(asn_csv::Options::default()));
        let s: S = toml::from_str("kind = \"asn_csv\"\npath = \"x\"").unwrap();
        assert_eq!(s.kind.name(), "asn-csv");
        let s: S = toml::from_str("kind = \"cidr-list\"\npath = \"x\"\nformat = \"aws\"\nclass = \"hosting\"").unwrap();
        assert_eq!(s.kind.name(), "cidr-list");
        let s: S = toml::from_str(
            "kind = \"company-csv\"\npath = \"x\"\n[mapping]\nname = \"name\"\nscheme = \"US-CIK\"\nid = \"cik\"",
        )
        .unwrap();
        assert_eq!(s.kind.name(), "company-csv");
        assert!(toml::from_str::<S>("kind = \"nope\"\npath = \"x\"").is_err());
        // A misspelt option is an error, not silently ignored.
        let k: std::result::Result<SourceKind, _> = toml::from_str("kind = \"cidr-list\"\nclas = \"hosting\"");
        assert!(k.is_err());
    }
}
