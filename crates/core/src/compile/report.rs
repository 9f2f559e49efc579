//! The build report: what was read, what was skipped and why, how the join went, what came out,
//! and where time and memory went.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::metadata::ClassCount;

/// One source's reading.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceReport {
    /// Name from the config.
    pub name: String,
    /// Kind (`asn-csv` …).
    pub kind: String,
    /// Path as written in the config.
    pub path: String,
    /// Version or date given in the config.
    pub version: String,
    /// Rows (lines, objects, records) read, bad ones included.
    pub rows: u64,
    /// Records produced.
    pub records: u64,
    /// Rows skipped as invalid.
    pub skipped: u64,
    /// The first skipped rows' errors, `file:line: message`.
    pub errors: Vec<String>,
    /// Seconds spent reading.
    pub seconds: f64,
}

/// How the IP-organisation ↔ registry join went.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JoinReport {
    /// Registry records indexed (active ones).
    pub registry_records: u64,
    /// Distinct IP holders (organisation name, country, domain) looked up.
    pub holders: u64,
    /// Holders matched to exactly one registry company.
    pub matched: u64,
    /// Holders with several candidate companies (left unmatched).
    pub ambiguous: u64,
    /// Holders whose only candidates are records of other countries than every one their
    /// ranges are registered in (namesakes abroad; left unmatched).
    #[serde(default)]
    pub abroad: u64,
    /// Holders without any candidate.
    pub unmatched: u64,
    /// `matched / holders`.
    pub match_rate: f64,
    /// Matches per method (`domain`, `name+country` …).
    pub by_method: BTreeMap<String, u64>,
    /// IP records whose holder was matched.
    pub ip_records_matched: u64,
}

/// Time and peak memory of one phase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseReport {
    /// Phase name (`read`, `join`, `classify`, `insert`, `finish`, `write`).
    pub name: String,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// CPU time (user + system, all threads) spent in the phase, seconds (0 where unknown).
    /// On a shared machine this shows the work done better than the wall time.
    #[serde(default)]
    pub cpu_seconds: f64,
    /// Peak resident memory of the process during the phase, MiB (0 where unknown).
    pub peak_rss_mib: f64,
}

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildReport {
    /// The config file.
    pub config: String,
    /// The database file written.
    pub output: String,
    /// Per source, in config order.
    pub sources: Vec<SourceReport>,
    /// IP-side records read.
    pub ip_records: u64,
    /// Registry records read.
    pub registry_records: u64,
    /// Opt-out entries read.
    pub opt_outs: u64,
    /// The join.
    pub join: JoinReport,
    /// IP records per class decided (before overlap resolution).
    pub records_per_class: BTreeMap<String, u64>,
    /// Resolved ranges (and IPv4 addresses) per class in the output.
    pub ranges_per_class: BTreeMap<String, ClassCount>,
    /// IP records turned `opted_out`.
    pub opted_out_records: u64,
    /// Resolved IPv4 / IPv6 ranges written.
    pub ipv4_ranges: u64,
    /// Resolved IPv6 ranges written.
    pub ipv6_ranges: u64,
    /// Companies in the output.
    pub companies: u64,
    /// Size of the database file.
    pub output_bytes: u64,
    /// Records classified (distinct evidence; the others reused a decision).
    #[serde(default)]
    pub classified: u64,
    /// Seconds the insert thread worked (overlapped with classification).
    #[serde(default)]
    pub insert_seconds: f64,
    /// Per phase.
    pub phases: Vec<PhaseReport>,
    /// Total wall-clock seconds.
    pub total_seconds: f64,
    /// CPU seconds of the whole build (user + system, all threads).
    #[serde(default)]
    pub cpu_seconds: f64,
    /// Peak resident memory of the whole build, MiB.
    pub peak_rss_mib: f64,
}

impl BuildReport {
    /// Rows skipped over all sources.
    pub fn skipped(&self) -> u64 {
        self.sources.iter().map(|s| s.skipped).sum()
    }
}

impl fmt::Display for BuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "build report: {} -> {}", self.config, self.output)?;
        writeln!(f, "sources:")?;
        // Columns as wide as their longest value (`maxmind-enterprise-test` is 23 characters).
        let nw = self.sources.iter().map(|s| s.name.chars().count()).max().unwrap_or(0).max(22);
        let kw = self.sources.iter().map(|s| s.kind.chars().count()).max().unwrap_or(0).max(16);
        writeln!(
            f,
            "  {:<nw$} {:<kw$} {:>10} {:>10} {:>8} {:>8}",
            "name", "kind", "rows", "records", "skipped", "secs"
        )?;
        for s in &self.sources {
            writeln!(
                f,
                "  {:<nw$} {:<kw$} {:>10} {:>10} {:>8} {:>8.2}",
                s.name, s.kind, s.rows, s.records, s.skipped, s.seconds
            )?;
            for e in &s.errors {
                writeln!(f, "      skipped: {e}")?;
            }
            if s.skipped > s.errors.len() as u64 {
                writeln!(f, "      … and {} more skipped rows", s.skipped - s.errors.len() as u64)?;
            }
        }
        let j = &self.join;
        writeln!(
            f,
            "join: {} holders, {} matched ({:.1} %), {} ambiguous (left unmatched), {} without candidate; {} registry records",
            j.holders,
            j.matched,
            j.match_rate * 100.0,
            j.ambiguous,
            j.unmatched,
            j.registry_records
        )?;
        if !j.by_method.is_empty() {
            let m: Vec<String> = j.by_method.iter().map(|(k, v)| format!("{k} {v}")).collect();
            writeln!(f, "  by method: {}", m.join(", "))?;
        }
        writeln!(
            f,
            "output: {} IPv4 + {} IPv6 ranges, {} companies, {} opted-out records, {} bytes",
            self.ipv4_ranges, self.ipv6_ranges, self.companies, self.opted_out_records, self.output_bytes
        )?;
        writeln!(f, "  {:<14} {:>10} {:>16} {:>10}", "class", "ranges", "IPv4 addresses", "records")?;
        let mut names: Vec<&String> = self.ranges_per_class.keys().chain(self.records_per_class.keys()).collect();
        names.sort();
        names.dedup();
        for c in names {
            let rc = self.ranges_per_class.get(c).copied().unwrap_or_default();
            let recs = self.records_per_class.get(c).copied().unwrap_or(0);
            writeln!(f, "  {:<14} {:>10} {:>16} {:>10}", c, rc.ranges, rc.ipv4_addresses, recs)?;
        }
        if self.classified > 0 {
            writeln!(
                f,
                "classify: {} distinct evidence classified for {} records; insert thread {:.2} s (overlapped)",
                self.classified, self.ip_records, self.insert_seconds
            )?;
        }
        writeln!(f, "phases:")?;
        for p in &self.phases {
            writeln!(
                f,
                "  {:<16} {:>8.2} s wall {:>8.2} s CPU  peak {:>8.1} MiB",
                p.name, p.seconds, p.cpu_seconds, p.peak_rss_mib
            )?;
        }
        write!(
            f,
            "total {:.2} s wall, {:.2} s CPU, peak memory {:.1} MiB",
            self.total_seconds, self.cpu_seconds, self.peak_rss_mib
        )
    }
}

/// Times phases and records each one's peak memory.
#[derive(Debug)]
pub struct PhaseClock {
    start: Instant,
    phase_start: Instant,
    cpu_start: f64,
    phase_cpu: f64,
    phases: Vec<PhaseReport>,
}

impl Default for PhaseClock {
    fn default() -> Self {
        Self::new()
    }
}

impl PhaseClock {
    /// Starts the clock (and the first phase).
    pub fn new() -> PhaseClock {
        reset_peak_rss();
        let now = Instant::now();
        let cpu = cpu_seconds();
        PhaseClock { start: now, phase_start: now, cpu_start: cpu, phase_cpu: cpu, phases: Vec::new() }
    }

    /// Ends the current phase under `name` and starts the next one.
    pub fn lap(&mut self, name: &str) {
        let now = Instant::now();
        let cpu = cpu_seconds();
        self.phases.push(PhaseReport {
            name: name.to_string(),
            seconds: (now - self.phase_start).as_secs_f64(),
            cpu_seconds: (cpu - self.phase_cpu).max(0.0),
            peak_rss_mib: peak_rss_mib(),
        });
        reset_peak_rss();
        self.phase_start = now;
        self.phase_cpu = cpu;
    }

    /// The phases so far.
    pub fn phases(&self) -> &[PhaseReport] {
        &self.phases
    }

    /// Seconds since [`PhaseClock::new`].
    pub fn total_seconds(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// CPU seconds since [`PhaseClock::new`].
    pub fn total_cpu_seconds(&self) -> f64 {
        (cpu_seconds() - self.cpu_start).max(0.0)
    }

    /// The highest phase peak.
    pub fn peak_rss_mib(&self) -> f64 {
        self.phases.iter().map(|p| p.peak_rss_mib).fold(peak_rss_mib(), f64::max)
    }
}

/// Peak resident set size (`VmHWM` in `/proc/self/status`) in MiB; 0 where unknown.
pub fn peak_rss_mib() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/status") else {
        return 0.0;
    };
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// User + system CPU time of the process so far (`/proc/self/stat` fields 14 and 15, in clock
/// ticks of 1/100 s, the value on every Linux platform ipfirm runs on); 0 where unknown.
pub fn cpu_seconds() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let Some(rest) = s.rfind(')').map(|i| &s[i + 1..]) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // After ")": state is field 3, so utime (14) and stime (15) are at 11 and 12.
    (tick(11) + tick(12)) / 100.0
}

/// Resets the kernel's peak-RSS counter so the next reading is the peak of the next phase
/// (Linux: writing `5` to `/proc/self/clear_refs`). Best effort.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn report_prints_and_serialises() {
        let mut clock = PhaseClock::new();
        clock.lap("read");
        let r = BuildReport {
            config: "c.toml".into(),
            sources: vec![SourceReport {
                name: "asn".into(),
                skipped: 3,
                errors: vec!["a.csv:7: bad row".into()],
                ..Default::default()
            }],
            phases: clock.phases().to_vec(),
            ..Default::default()
        };
        let text = r.to_string();
        assert!(
            text.contains("a.csv:7: bad row") && text.contains("2 more skipped") && text.contains("read"),
            "{text}"
        );
        let json = serde_json::to_string(&r).unwrap();
        let back: BuildReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(peak_rss_mib() > 0.0);
        }
    }

    #[test]
    fn a_long_source_name_keeps_the_sources_table_in_line() {
        let source =
            |name: &str| SourceReport { name: name.into(), kind: "mmdb".into(), rows: 88, ..Default::default() };
        let r = BuildReport {
            sources: vec![source("asn"), source("maxmind-enterprise-test-with-a-long-name")],
            ..Default::default()
        };
        let text = r.to_string();
        // The `rows` column ends at the same place in the header and in every row.
        let lines: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("sources:")).skip(1).take(3).collect();
        let ends: Vec<usize> = lines
            .iter()
            .map(|l| {
                let word = if l.contains(" rows ") { "rows" } else { "88" };
                l.find(&format!(" {word} ")).unwrap() + 1 + word.len()
            })
            .collect();
        assert!(ends.windows(2).all(|w| w[0] == w[1]), "{text}");
    }
}
