//! `ipfirm`: build an IP-to-company database from public data and query it.
//!
//! ```text
//! ipfirm build [--config FILE] [--out FILE] [--strict] [--report FILE]
//! ipfirm lookup --db FILE [IP…]          (IPs from stdin when none given; JSON lines)
//! ipfirm explain --db FILE IP
//! ipfirm info --db FILE [--json]
//! ipfirm diff OLD NEW [--json]
//! ipfirm verify --db FILE
//! ipfirm bench --config bench/full.toml  (the real data set; SKIPPED when absent)
//! ipfirm bench-synthetic --ranges N
//! ipfirm eval --db FILE --labels FILE [--json] [--max-leak PCT]
//! ```

/// `println!` that returns the write error (a closed pipe ends the command quietly, see `main`).
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($t)*)?;
    }};
}

mod bench;
mod build;
mod diff;
mod eval;
mod explain;
mod info;
mod lookup;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// IP addresses to companies, from public data — filtered so no consumer or sole trader is shown.
#[derive(Debug, Parser)]
#[command(name = "ipfirm", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile the sources of a config into a database (no arguments: the bundled sample).
    Build(build::Args),
    /// Look addresses up: one JSON object per line (or a table).
    Lookup(lookup::Args),
    /// Show the chain of evidence behind one address's answer.
    Explain(explain::Args),
    /// Show a database's metadata.
    Info(info::Args),
    /// Compare two databases: ranges added, removed, or changed in class or company.
    Diff(diff::Args),
    /// Check a database file completely.
    Verify(info::VerifyArgs),
    /// Build the full real data set of a bench config and print timings (SKIPPED when absent).
    Bench(bench::RealArgs),
    /// Compile N synthetic ranges and print per-phase timings and peak memory.
    BenchSynthetic(bench::SyntheticArgs),
    /// Score a database's classes against labelled networks (precision, recall, leak rate).
    Eval(eval::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(a) => build::run(a),
        Command::Lookup(a) => lookup::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Info(a) => info::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Verify(a) => info::verify(a),
        Command::Bench(a) => bench::real(a),
        Command::BenchSynthetic(a) => bench::synthetic(a),
        Command::Eval(a) => eval::run(a),
    };
    match result {
        Ok(code) => code,
        // A reader that went away (`ipfirm diff … | head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                let pipe = Some(std::io::ErrorKind::BrokenPipe);
                c.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
                    || c.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == pipe
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", describe(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes, `: `-joined, skipping a cause whose text the message already ends
/// with (the core's errors print their source themselves: `path: No such file or directory`).
fn describe(e: &anyhow::Error) -> String {
    let mut message = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if !message.ends_with(&text) {
            message = format!("{message}: {text}");
        }
    }
    message
}

/// Opens a database, fully checked.
fn open_db(path: &std::path::Path) -> anyhow::Result<ipfirm::Database> {
    Ok(ipfirm::Database::open(path)?)
}
