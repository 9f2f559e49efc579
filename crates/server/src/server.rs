//! Running the service: state from config, background tasks (database reload on file change and
//! SIGHUP, retention purge), graceful shutdown, and the load generator.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio::net::TcpListener;

use crate::app::{AppState, app};
use crate::config::Config;
use crate::ipdb::IpDb;
use crate::store::sqlite::SqliteStore;

/// Installs the log subscriber (stderr). Logs never carry addresses: no request URIs, peers or headers.
pub fn init_logging(level: &str) {
    let level = match level.to_ascii_lowercase().as_str() {
        "error" => tracing::Level::ERROR,
        "warn" => tracing::Level::WARN,
        "debug" => tracing::Level::DEBUG,
        "trace" => tracing::Level::TRACE,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt().with_max_level(level).with_target(false).with_writer(std::io::stderr).try_init();
}

/// Opens the store and the ipfirm database named in `config`.
///
/// # Errors
/// Store and database errors naming the file.
pub fn open_state(config: Config) -> anyhow::Result<AppState> {
    let store = SqliteStore::open(&config.data_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let ipdb = IpDb::open(&config.database).with_context(|| format!("opening {}", config.database.display()))?;
    AppState::new(config, Arc::new(store), ipdb).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Serves until SIGINT/SIGTERM, then drains requests and flushes the writer.
///
/// # Errors
/// Listener errors.
pub async fn serve(st: AppState, listener: TcpListener) -> anyhow::Result<()> {
    spawn_background(&st);
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    let svc = app(st.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let r = axum::serve(listener, svc).with_graceful_shutdown(shutdown_signal()).await;
    tracing::info!("shutting down: flushing queued events");
    let w = st.writer.clone();
    let _ = tokio::task::spawn_blocking(move || w.shutdown()).await;
    r.context("server error")
}

fn spawn_background(st: &AppState) {
    let poll = st.config.reload_poll_secs;
    if poll > 0 {
        let s = st.clone();
        tokio::spawn(async move {
            let mut t = tokio::time::interval(Duration::from_secs(poll));
            loop {
                t.tick().await;
                let s2 = s.clone();
                if let Ok(Some(r)) = tokio::task::spawn_blocking(move || s2.ipdb.reload_if_changed()).await {
                    s.note_reload(&r);
                }
            }
        });
    }
    #[cfg(unix)]
    {
        let s = st.clone();
        tokio::spawn(async move {
            let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else { return };
            while hup.recv().await.is_some() {
                let s2 = s.clone();
                let _ = tokio::task::spawn_blocking(move || s2.reload_db()).await;
            }
        });
    }
    let s = st.clone();
    tokio::spawn(async move {
        let mut t = tokio::time::interval(Duration::from_secs(3600));
        loop {
            t.tick().await;
            let s2 = s.clone();
            if let Ok(Err(e)) = tokio::task::spawn_blocking(move || s2.purge()).await {
                tracing::error!(error = %e, "retention purge failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Load generator settings.
#[derive(Debug, Clone)]
pub struct LoadSpec {
    /// Server address.
    pub addr: SocketAddr,
    /// Public site key.
    pub site_key: String,
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Duration.
    pub duration: Duration,
    /// Addresses put in `X-Forwarded-For` (the server must trust the generator's address).
    pub addresses: Vec<String>,
}

/// Result of a load run.
#[derive(Debug, Clone)]
pub struct LoadResult {
    /// Beacons answered 204.
    pub ok: u64,
    /// Other answers and errors.
    pub errors: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Sorted latencies in microseconds.
    pub latencies_us: Vec<u32>,
}

impl LoadResult {
    /// Latency percentile in milliseconds.
    pub fn pct_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies_us[i.min(self.latencies_us.len() - 1)]) / 1000.0
    }

    /// One summary line.
    pub fn summary(&self) -> String {
        format!(
            "{} beacons in {:.2} s = {:.0} beacons/s; errors {}; latency ms p50 {:.3} p90 {:.3} p99 {:.3} max {:.3}",
            self.ok,
            self.elapsed.as_secs_f64(),
            self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9),
            self.errors,
            self.pct_ms(0.50),
            self.pct_ms(0.90),
            self.pct_ms(0.99),
            self.pct_ms(1.0)
        )
    }
}

/// Sends beacons over keep-alive connections for the given time.
pub async fn load(spec: LoadSpec) -> LoadResult {
    let start = Instant::now();
    let deadline = start + spec.duration;
    let spec = Arc::new(spec);
    let mut tasks = Vec::new();
    for c in 0..spec.connections.max(1) {
        let spec = spec.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut errors, mut lat) = (0u64, 0u64, Vec::with_capacity(100_000));
            let mut conn = None;
            let mut i = c;
            while Instant::now() < deadline {
                if conn.is_none() {
                    conn = crate::httpc::Conn::connect(spec.addr).await.ok();
                    if conn.is_none() {
                        errors += 1;
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                }
                let Some(cn) = conn.as_mut() else { continue };
                let body = format!(
                    "{{\"site\":\"{}\",\"url\":\"https://shop.example/p/{}\",\"title\":\"Product {}\",\"referrer\":\"\"}}",
                    spec.site_key,
                    i % 500,
                    i % 500
                );
                let xff = spec.addresses.get(i % spec.addresses.len().max(1)).map(String::as_str).unwrap_or("");
                let t = Instant::now();
                let r = cn
                    .request("POST", "/collect", &[("Content-Type", "text/plain"), ("X-Forwarded-For", xff)], body.as_bytes())
                    .await;
                let us = t.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                match r {
                    Ok(resp) if resp.status == 204 => {
                        ok += 1;
                        lat.push(us);
                    }
                    Ok(_) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        conn = None;
                    }
                }
                i += spec.connections.max(1);
            }
            (ok, errors, lat)
        }));
    }
    let mut res = LoadResult { ok: 0, errors: 0, elapsed: Duration::ZERO, latencies_us: Vec::new() };
    for t in tasks {
        if let Ok((ok, e, l)) = t.await {
            res.ok += ok;
            res.errors += e;
            res.latencies_us.extend(l);
        }
    }
    res.elapsed = start.elapsed();
    res.latencies_us.sort_unstable();
    res
}
