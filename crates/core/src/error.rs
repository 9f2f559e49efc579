//! The one error type of the crate.

use std::path::PathBuf;

/// Everything that can go wrong in `ipfirm`.
///
/// Variants carry the context needed to act on them: the file, the line or byte offset,
/// and what was expected. Messages never contain a looked-up address.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An operating-system error while reading or writing `path`.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes do not start with the ipfirm magic: this is not an ipfirm database.
    #[error("not an ipfirm database{}: {reason}", at(.path))]
    NotADatabase {
        /// The file, when the bytes came from one.
        path: Option<PathBuf>,
        /// What was found instead.
        reason: String,
    },
    /// The database was written in a format version this build cannot read.
    #[error("unsupported database format version {found}{} (this build reads version {supported})", at(.path))]
    UnsupportedVersion {
        /// The file, when the bytes came from one.
        path: Option<PathBuf>,
        /// The version in the file's header.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The database is damaged: a length, checksum, offset or reference is wrong.
    #[error("corrupt ipfirm database{}: {what} (at byte offset {offset})", at(.path))]
    Corrupt {
        /// The file, when the bytes came from one.
        path: Option<PathBuf>,
        /// What is wrong.
        what: String,
        /// The byte offset in the file where the problem was found (0 when unknown).
        offset: u64,
    },
    /// A builder input was invalid (e.g. a range whose first address is after its last).
    #[error("invalid builder input: {0}")]
    InvalidInput(String),
    /// An outside data file could not be read: names the file, the line (1-based, 0 when not
    /// line-oriented) and what is wrong.
    #[error("{}:{line}: {message}", path.display())]
    Source {
        /// The data file.
        path: PathBuf,
        /// The 1-based line (or record) number; 0 when unknown.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// A build configuration file is invalid.
    #[error("{}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// An error reported by the MaxMind DB reader while importing an MMDB file.
    #[error("{}: MaxMind DB: {message}", path.display())]
    Mmdb {
        /// The MMDB file.
        path: PathBuf,
        /// The reader's message.
        message: String,
    },
}

fn at(path: &Option<PathBuf>) -> String {
    match path {
        Some(p) => format!(" ({})", p.display()),
        None => String::new(),
    }
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// Attaches a file path to errors about database bytes that were read from that file.
    pub(crate) fn with_path(mut self, p: &std::path::Path) -> Self {
        match &mut self {
            Error::NotADatabase { path, .. } | Error::UnsupportedVersion { path, .. } | Error::Corrupt { path, .. } => {
                *path = Some(p.to_path_buf())
            }
            _ => {}
        }
        self
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails to compile when a variant is added without a `Display` case below.
    fn covered(e: &Error) {
        match e {
            Error::Io { .. }
            | Error::NotADatabase { .. }
            | Error::UnsupportedVersion { .. }
            | Error::Corrupt { .. }
            | Error::InvalidInput(_)
            | Error::Source { .. }
            | Error::Config { .. }
            | Error::Mmdb { .. } => {}
        }
    }

    #[test]
    fn every_variant_displays_its_context() {
        let p = || PathBuf::from("/data/ipfirm.db");
        let cases: Vec<(Error, &[&str])> = vec![
            (
                Error::io(p(), std::io::Error::new(std::io::ErrorKind::NotFound, "No such file")),
                &["/data/ipfirm.db", "No such file"],
            ),
            (
                Error::NotADatabase { path: Some(p()), reason: "the file is empty".into() },
                &["not an ipfirm database", "/data/ipfirm.db", "the file is empty"],
            ),
            (
                Error::NotADatabase { path: None, reason: "expected magic".into() },
                &["not an ipfirm database: expected magic"],
            ),
            (
                Error::UnsupportedVersion { path: Some(p()), found: 7, supported: 1 },
                &["version 7", "/data/ipfirm.db", "reads version 1"],
            ),
            (
                Error::Corrupt { path: Some(p()), what: "checksum mismatch".into(), offset: 32 },
                &["corrupt", "/data/ipfirm.db", "checksum mismatch", "byte offset 32"],
            ),
            (
                Error::InvalidInput("range 10.0.0.2 - 10.0.0.1 ends before it starts".into()),
                &["invalid", "ends before"],
            ),
            (
                Error::Source { path: PathBuf::from("asn.csv"), line: 17, message: "bad address \"x\"".into() },
                &["asn.csv:17: bad address"],
            ),
            (
                Error::Config { path: PathBuf::from("build.toml"), message: "unknown key".into() },
                &["build.toml: unknown key"],
            ),
            (
                Error::Mmdb { path: PathBuf::from("x.mmdb"), message: "invalid tree".into() },
                &["x.mmdb", "MaxMind DB", "invalid tree"],
            ),
        ];
        for (e, parts) in &cases {
            covered(e);
            let s = e.to_string();
            for part in *parts {
                assert!(s.contains(part), "{s:?} lacks {part:?}");
            }
        }
        // Without a path, no stray parentheses.
        let s = Error::Corrupt { path: None, what: "x".into(), offset: 0 }.to_string();
        assert_eq!(s, "corrupt ipfirm database: x (at byte offset 0)");
    }

    #[test]
    fn with_path_attaches_to_database_errors_only() {
        let p = std::path::Path::new("a.db");
        let e = Error::Corrupt { path: None, what: "x".into(), offset: 3 }.with_path(p);
        assert!(e.to_string().contains("a.db"));
        let e = Error::InvalidInput("y".into()).with_path(p);
        assert!(!e.to_string().contains("a.db"));
    }
}
