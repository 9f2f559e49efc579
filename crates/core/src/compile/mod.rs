//! The compile pipeline: read public sources, join IP holders to registry companies,
//! classify every range, and write one database.
//!
//! Data flows one way (see `../../../../README.md`, "How a build works"):
//!
//! ```text
//! sources/*  ->  records (IpRecord, RegistryRecord, OptOut)
//!            ->  join (IP organisation <-> registry company)
//!            ->  classify (rules -> class + reason)
//!            ->  DatabaseBuilder (overlaps: most specific wins)  ->  one file
//! ```

pub mod classify;
pub mod records;
pub mod sources;

pub use records::{IpRecord, OptOut, RegistryRecord, SourceHint};
pub mod pipeline;

pub use pipeline::{build, BuildOptions, BuildReport};
