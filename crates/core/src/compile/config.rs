//! The build configuration: a TOML file listing the sources and the build options.
//!
//! ```toml
//! [build]
//! description = "ipfirm sample build"
//! opt_out = "opt-out.txt"        # read at every build: opt-outs persist across rebuilds
//!
//! [[source]]
//! name = "asn-v4"                # shown in provenance and the report (default: the kind)
//! kind = "asn-csv"               # one of sources::SourceKind::NAMES
//! path = "sources/asn.csv"       # relative to this file
//! version = "2025-07-01"         # version or date of the data
//!
//! [[source]]
//! name = "aws"
//! kind = "cidr-list"
//! path = "sources/aws-ip-ranges.json"
//! format = "aws"                 # kind options sit in the same table
//! class = "hosting"
//! label = "aws"
//! ```
//!
//! [`Config::load`] checks everything that can be checked without reading the data — the TOML,
//! every kind and its options, that every file exists — and reports the first problem naming
//! the config file and the source, before any long work starts.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::compile::sources::SourceKind;
use crate::error::{Error, Result};

/// One `[[source]]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceConfig {
    /// Name for provenance and the report (unique within a config).
    pub name: String,
    /// Kind and kind options.
    pub kind: SourceKind,
    /// The path as written in the config.
    pub path_as_written: String,
    /// The path resolved against the config file's folder.
    pub path: PathBuf,
    /// Version or date of the data (may be empty: adapters that can read one from the file do).
    pub version: String,
}

/// The `[build]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildSection {
    /// Free text stored in the database metadata.
    #[serde(default)]
    pub description: String,
    /// An opt-out list (kind `opt-out`), relative to the config file.
    #[serde(default)]
    pub opt_out: Option<String>,
    /// Build time to record (RFC 3339); empty keeps builds byte-for-byte reproducible.
    #[serde(default)]
    pub build_time: String,
}

/// A parsed, checked build configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The config file.
    pub path: PathBuf,
    /// `[build]`.
    pub build: BuildSection,
    /// The sources in config order (the order in which equally specific ranges override each
    /// other: later wins). The `[build] opt_out` file, when given, is the last source.
    pub sources: Vec<SourceConfig>,
}

impl Config {
    /// Reads and checks the config at `path`.
    ///
    /// # Errors
    /// [`Error::Io`] when the config cannot be read; [`Error::Config`] naming the config file
    /// (and the source) for invalid TOML, an unknown kind or option, a duplicate name, or a
    /// source file that does not exist.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(&text, path)
    }

    /// Parses config text as if read from `path` (relative source paths resolve against its
    /// folder) and checks that the source files exist.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let err = |message: String| Error::Config { path: path.to_path_buf(), message };
        let mut table: toml::Table = toml::from_str(text).map_err(|e| err(format!("invalid TOML: {e}")))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();

        for key in table.keys() {
            if key != "build" && key != "source" {
                return Err(err(format!("unknown table or key `{key}` (expected `[build]` and `[[source]]`)")));
            }
        }
        let build: BuildSection = match table.remove("build") {
            Some(v) => v.try_into().map_err(|e: toml::de::Error| err(format!("[build]: {}", e.message())))?,
            None => BuildSection::default(),
        };
        let raw_sources = match table.remove("source") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a,
            Some(_) => return Err(err("`source` must be an array of tables: write `[[source]]`".into())),
        };

        let mut sources = Vec::with_capacity(raw_sources.len() + 1);
        for (i, v) in raw_sources.into_iter().enumerate() {
            let n = i + 1;
            let toml::Value::Table(mut t) = v else {
                return Err(err(format!("source #{n} is not a table")));
            };
            let kind_name = match t.get("kind") {
                Some(toml::Value::String(s)) => s.clone(),
                Some(_) => return Err(err(format!("source #{n}: `kind` must be a string"))),
                None => return Err(err(format!("source #{n}: `kind` is missing (one of {})", kinds()))),
            };
            let canonical = kind_name.replace('_', "-");
            if !SourceKind::NAMES.contains(&canonical.as_str()) {
                return Err(err(format!("source #{n}: unknown kind `{kind_name}` (expected one of {})", kinds())));
            }
            let name = take_string(&mut t, "name").map_err(|m| err(format!("source #{n}: {m}")))?;
            let name = name.unwrap_or_else(|| canonical.clone());
            let label = format!("source #{n} `{name}`");
            let p = take_string(&mut t, "path")
                .map_err(|m| err(format!("{label}: {m}")))?
                .ok_or_else(|| err(format!("{label}: `path` is missing")))?;
            let version = take_string(&mut t, "version").map_err(|m| err(format!("{label}: {m}")))?.unwrap_or_default();
            t.insert("kind".into(), toml::Value::String(canonical));
            let mut kind: SourceKind = toml::Value::Table(t)
                .try_into()
                .map_err(|e: toml::de::Error| err(format!("{label} (kind `{kind_name}`): {}", e.message())))?;
            kind.resolve_paths(&base);
            sources.push(SourceConfig { name, kind, path: base.join(&p), path_as_written: p, version });
        }
        if let Some(p) = &build.opt_out {
            sources.push(SourceConfig {
                name: "opt-out".into(),
                kind: SourceKind::OptOut,
                path: base.join(p),
                path_as_written: p.clone(),
                version: String::new(),
            });
        }

        for (i, s) in sources.iter().enumerate() {
            if sources[..i].iter().any(|o| o.name == s.name) {
                return Err(err(format!("two sources are named `{}`: give each a unique `name`", s.name)));
            }
        }
        for s in &sources {
            if !s.path.is_file() {
                return Err(err(format!(
                    "source `{}` (kind `{}`): file not found: {} (resolved to {})",
                    s.name,
                    s.kind.name(),
                    s.path_as_written,
                    s.path.display()
                )));
            }
            if let Some(p) = s.kind.option_paths().iter().find(|p| !p.is_file()) {
                return Err(err(format!(
                    "source `{}` (kind `{}`): file not found: {}",
                    s.name,
                    s.kind.name(),
                    p.display()
                )));
            }
        }
        Ok(Config { path: path.to_path_buf(), build, sources })
    }
}

fn kinds() -> String {
    SourceKind::NAMES.join(", ")
}

fn take_string(t: &mut toml::Table, key: &str) -> std::result::Result<Option<String>, String> {
    match t.remove(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("`{key}` must be a string, found {}", other.type_str())),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "1.0.0.0,1.0.0.255,13335,Cloudflare\n").unwrap();
        std::fs::write(dir.path().join("opt.txt"), "").unwrap();
        let cfg = dir.path().join("ipfirm.toml");
        (dir, cfg)
    }

    #[test]
    fn parses_sources_and_resolves_paths() {
        let (dir, cfg) = setup();
        let c = Config::parse(
            "[build]\ndescription = \"d\"\nopt_out = \"opt.txt\"\n\n[[source]]\nname = \"asn\"\nkind = \"asn_csv\"\npath = \"a.csv\"\nversion = \"v1\"\n",
            &cfg,
        )
        .unwrap();
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[0].name, "asn");
        assert_eq!(c.sources[0].kind.name(), "asn-csv");
        assert_eq!(c.sources[0].path, dir.path().join("a.csv"));
        assert_eq!(c.sources[0].version, "v1");
        assert_eq!(c.sources[1].kind.name(), "opt-out");
        assert_eq!(c.build.description, "d");
    }

    #[test]
    fn clear_errors_before_any_work() {
        let (_dir, cfg) = setup();
        let e = Config::parse("[[source]]\nkind = \"nope\"\npath = \"a.csv\"\n", &cfg).unwrap_err().to_string();
        assert!(e.contains("ipfirm.toml") && e.contains("unknown kind `nope`") && e.contains("asn-csv"), "{e}");
        let e =
            Config::parse("[[source]]\nkind = \"asn-csv\"\npath = \"missing.csv\"\n", &cfg).unwrap_err().to_string();
        assert!(e.contains("file not found: missing.csv"), "{e}");
        let e = Config::parse("[[source]]\nkind = \"asn-csv\"\n", &cfg).unwrap_err().to_string();
        assert!(e.contains("`path` is missing"), "{e}");
        // A file named in an option (`asn-csv`'s `countries`) is checked with the source's own.
        let e = Config::parse("[[source]]\nkind = \"asn-csv\"\npath = \"a.csv\"\ncountries = [\"cc.csv\"]\n", &cfg)
            .unwrap_err()
            .to_string();
        assert!(e.contains("source `asn-csv` (kind `asn-csv`): file not found") && e.contains("cc.csv"), "{e}");
        let e = Config::parse("[[source]]\nkind = \"asn-csv\"\npath = \"a.csv\"\ncountrys = [\"cc.csv\"]\n", &cfg)
            .unwrap_err()
            .to_string();
        assert!(e.contains("countrys"), "a misspelt option is an error: {e}");
        let e = Config::parse(
            "[[source]]\nkind = \"asn-csv\"\npath = \"a.csv\"\n[[source]]\nkind = \"asn-csv\"\npath = \"a.csv\"\n",
            &cfg,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("two sources are named `asn-csv`"), "{e}");
        let e = Config::parse("[[source]\n", &cfg).unwrap_err().to_string();
        assert!(e.contains("invalid TOML"), "{e}");
        let e = Config::parse("[build]\nbogus = 1\n", &cfg).unwrap_err().to_string();
        assert!(e.contains("[build]") && e.contains("bogus"), "{e}");
    }
}
