//! Prometheus counters (text exposition format, no dependency).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Service counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Beacons that identified a company.
    pub beacons_identified: AtomicU64,
    /// Beacons that did not.
    pub beacons_unidentified: AtomicU64,
    /// Beacons dropped because the company opted out.
    pub beacons_opted_out: AtomicU64,
    /// Beacons rejected with 4xx.
    pub beacons_rejected: AtomicU64,
    /// Beacons refused because the queue was full.
    pub beacons_shed: AtomicU64,
    /// Visit events written.
    pub events_written: AtomicU64,
    /// Batches flushed.
    pub batches_flushed: AtomicU64,
    /// Failed batch writes.
    pub write_errors: AtomicU64,
    /// Successful database reloads.
    pub db_reloads: AtomicU64,
    /// Failed database reloads.
    pub db_reload_errors: AtomicU64,
    /// `/v1/lookup` calls answered.
    pub api_lookups: AtomicU64,
    /// Requests refused by a rate limit.
    pub rate_limited: AtomicU64,
    /// Opt-outs applied.
    pub opt_outs: AtomicU64,
    /// Visit events purged by retention.
    pub purged: AtomicU64,
    /// HTTP responses by status class (1xx..5xx).
    pub http: [AtomicU64; 5],
}

impl Metrics {
    /// Adds one.
    pub fn inc(c: &AtomicU64) {
        c.fetch_add(1, Relaxed);
    }

    /// Renders the text format; `gauges` are extra `(name, help, value)` lines.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let mut o = String::new();
        let mut counter = |name: &str, help: &str, labels: &[(&str, &str, &AtomicU64)]| {
            let _ = writeln!(o, "# HELP {name} {help}\n# TYPE {name} counter");
            for (k, v, c) in labels {
                if k.is_empty() {
                    let _ = writeln!(o, "{name} {}", c.load(Relaxed));
                } else {
                    let _ = writeln!(o, "{name}{{{k}=\"{v}\"}} {}", c.load(Relaxed));
                }
            }
        };
        counter(
            "ipfirm_beacons_total",
            "Beacons received, by outcome.",
            &[
                ("outcome", "identified", &self.beacons_identified),
                ("outcome", "unidentified", &self.beacons_unidentified),
                ("outcome", "opted_out", &self.beacons_opted_out),
                ("outcome", "rejected", &self.beacons_rejected),
                ("outcome", "shed", &self.beacons_shed),
            ],
        );
        counter("ipfirm_events_written_total", "Visit events written.", &[("", "", &self.events_written)]);
        counter("ipfirm_batches_total", "Write batches flushed.", &[("", "", &self.batches_flushed)]);
        counter("ipfirm_write_errors_total", "Failed batch writes.", &[("", "", &self.write_errors)]);
        counter(
            "ipfirm_db_reloads_total",
            "ipfirm database reloads.",
            &[("result", "ok", &self.db_reloads), ("result", "error", &self.db_reload_errors)],
        );
        counter("ipfirm_api_lookups_total", "Lookup API calls answered.", &[("", "", &self.api_lookups)]);
        counter("ipfirm_rate_limited_total", "Requests refused by a rate limit.", &[("", "", &self.rate_limited)]);
        counter("ipfirm_opt_outs_total", "Opt-outs applied.", &[("", "", &self.opt_outs)]);
        counter("ipfirm_purged_events_total", "Visit events purged by retention.", &[("", "", &self.purged)]);
        counter(
            "ipfirm_http_responses_total",
            "HTTP responses by status class.",
            &[
                ("class", "1xx", &self.http[0]),
                ("class", "2xx", &self.http[1]),
                ("class", "3xx", &self.http[2]),
                ("class", "4xx", &self.http[3]),
                ("class", "5xx", &self.http[4]),
            ],
        );
        for (name, help, v) in gauges {
            let _ = writeln!(o, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
        o
    }
}
