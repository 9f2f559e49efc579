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
pub mod config;
mod covering;
pub mod eval;
pub mod evidence;
pub mod join;
pub mod normalize;
pub mod pipeline;
pub mod records;
pub mod report;
pub mod sources;

pub use config::Config;
pub use pipeline::{BuildOptions, BuildReport, Inputs, Progress, ProgressEvent, build, build_config, compile};
pub use records::{IpRecord, OptOut, RegistryRecord, SourceHint};
