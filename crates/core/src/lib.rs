//! # ipfirm — IP addresses to companies, honestly
//!
//! ipfirm compiles public IP-allocation data and company registries into one database file
//! and answers lookups from it in nanoseconds, zero-copy from a memory map.
//!
//! ```
//! use ipfirm::{Class, Company, Database, DatabaseBuilder, Entry, RegistryId};
//!
//! // Build a tiny database in memory…
//! let mut builder = DatabaseBuilder::new();
//! let acme = builder.add_company(Company {
//!     legal_name: "Acme Widgets B.V.".into(),
//!     country: Some("NL".into()),
//!     registry: Some(RegistryId { scheme: "NL-KVK".into(), id: "12345678".into() }),
//!     ..Default::default()
//! });
//! builder.insert("198.51.100.0/24".parse::<ipnet::IpNet>()?, Entry {
//!     class: Class::Business,
//!     reason: "business:registry:kvk".into(),
//!     confidence: 90,
//!     company: Some(acme),
//!     ..Default::default()
//! })?;
//! builder.insert("203.0.113.0/24".parse::<ipnet::IpNet>()?, Entry {
//!     class: Class::Isp,
//!     reason: "isp:org-name:broadband".into(),
//!     confidence: 80,
//!     asn_org: Some("Example Broadband".into()),
//!     ..Default::default()
//! })?;
//! let db = Database::from_bytes(builder.finish()?)?;
//!
//! // …and look addresses up.
//! let m = db.lookup("198.51.100.42".parse()?).expect("covered");
//! assert!(m.is_identified());
//! assert_eq!(m.company().unwrap().registry(), Some(("NL-KVK", "12345678")));
//!
//! let isp = db.lookup("203.0.113.9".parse()?).expect("covered");
//! assert_eq!(isp.class(), Class::Isp);
//! assert!(isp.company().is_none()); // filtered classes never carry a company
//! assert!(db.lookup("192.0.2.1".parse()?).is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Files are opened with [`Database::open`] (read and fully checked),
//! [`Database::open_mmap`] (constant-time open of a memory map; `unsafe`, see its docs) or
//! [`Database::from_bytes`]. The layout is described in `src/format/FORMAT.md`.
#![deny(missing_docs)]

#[cfg(feature = "build")]
mod build;
mod class;
#[cfg(feature = "compile")]
pub mod compile;
mod error;
pub mod format;
mod lookup;
mod metadata;
#[cfg(feature = "mmdb")]
pub mod mmdb;
mod range;

#[cfg(feature = "build")]
pub use build::{Company, CompanyId, DatabaseBuilder, Entry, Provenance, ProvenanceId, write_atomically};
pub use class::{Class, ParseClassError};
pub use error::{Error, Result};
pub use lookup::{
    CompanyRecord, CompanyView, Database, Match, MatchRecord, NO_COMPANY, NO_MATCH, NetworkRecord, ProvenanceRecord,
    ProvenanceView, RegistryId,
};
pub use metadata::{ClassCount, InputInfo, Metadata};
pub use range::IpRange;
