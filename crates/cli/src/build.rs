//! `ipfirm build`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use ipfirm::compile::{BuildOptions, BuildReport, Progress, ProgressEvent};

/// The bundled sample config, relative to the repository root.
pub const BUNDLED_CONFIG: &str = "data-samples/ipfirm.toml";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Build config (TOML); default: the bundled `data-samples/ipfirm.toml`.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Database file to write (atomically).
    #[arg(long, short, default_value = "ipfirm.db")]
    pub out: PathBuf,
    /// Fail on the first bad row instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Also write the build report as JSON to this file.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Do not print the report.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let config = match a.config {
        Some(c) => c,
        None => find_bundled_config()?,
    };
    let report = run_build(&config, &a.out, a.strict)?;
    if let Some(path) = &a.report {
        write_report(path, &report)?;
    }
    if !a.quiet {
        outln!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds with progress bars on a terminal.
pub fn run_build(config: &Path, out: &Path, strict: bool) -> anyhow::Result<BuildReport> {
    let opts = BuildOptions { strict, progress: progress_bars() };
    ipfirm::compile::build(config, out, &opts).with_context(|| format!("building {}", config.display()))
}

pub fn write_report(path: &Path, report: &BuildReport) -> anyhow::Result<()> {
    let mut json = serde_json::to_vec_pretty(report)?;
    json.push(b'\n');
    ipfirm::write_atomically(path, &json)?;
    Ok(())
}

/// `data-samples/ipfirm.toml` in the current folder or one of its parents, else next to the
/// executable's repository (`target/<profile>/ipfirm` → the repository root).
pub fn find_bundled_config() -> anyhow::Result<PathBuf> {
    let mut tried = Vec::new();
    let mut starts: Vec<PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        starts.push(dir);
    }
    for start in starts {
        for dir in start.ancestors() {
            let p = dir.join(BUNDLED_CONFIG);
            if p.is_file() {
                return Ok(p);
            }
            tried.push(dir.display().to_string());
        }
    }
    bail!(
        "no --config given and the bundled {BUNDLED_CONFIG} was not found in the current folder, the executable's \
         folder or their parents; run from the ipfirm repository or pass --config FILE"
    )
}

/// Progress bars on stderr when it is a terminal; nothing otherwise.
fn progress_bars() -> Option<Progress> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar: Arc<Mutex<Option<ProgressBar>>> = Arc::new(Mutex::new(None));
    let cb = move |e: ProgressEvent| {
        let Ok(mut slot) = bar.lock() else {
            return;
        };
        match e {
            ProgressEvent::Start { phase, total } => {
                let pb = match total {
                    Some(n) => {
                        let pb = ProgressBar::new(n);
                        if let Ok(style) = ProgressStyle::with_template("{prefix:>9} [{bar:40}] {pos}/{len} {elapsed}")
                        {
                            pb.set_style(style.progress_chars("=> "));
                        }
                        pb
                    }
                    None => {
                        let pb = ProgressBar::new_spinner();
                        pb.enable_steady_tick(std::time::Duration::from_millis(120));
                        pb
                    }
                };
                pb.set_prefix(phase);
                pb.set_message(phase);
                *slot = Some(pb);
            }
            ProgressEvent::Advance(n) => {
                if let Some(pb) = slot.as_ref() {
                    pb.inc(n);
                }
            }
            ProgressEvent::Finish => {
                if let Some(pb) = slot.take() {
                    pb.finish_and_clear();
                }
            }
        }
    };
    Some(Arc::new(cb))
}
