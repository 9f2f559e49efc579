//! Helpers shared by the CLI integration tests: the repository root and the `ipfirm` binary run from it.
// Each test binary compiles this module and uses only some of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (bundled data and config paths are relative to it).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// The `ipfirm` binary under test, started in the repository root.
pub fn ipfirm() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ipfirm"));
    c.current_dir(repo());
    c
}

/// Process output as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
