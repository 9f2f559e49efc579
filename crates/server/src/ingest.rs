//! `POST /collect`: client address → one in-memory lookup → a visit event or a class counter.
//! The address lives in one stack variable for the duration of the lookup and the keyed hash;
//! it is never formatted, logged, stored or put in an error.

use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc::{Receiver, Sender, SyncSender, TryRecvError, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use serde::Deserialize;

use crate::app::AppState;
use crate::metrics::Metrics;
use crate::optout::OptOutSet;
use crate::store::{OptOutRow, Store, StoreResult, VisitEvent, Write};
use crate::util;

/// Why a beacon was refused (the message never contains request data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    /// Body is not the beacon JSON.
    BadJson,
    /// No such site key.
    UnknownSite,
    /// Page URL missing or not http(s).
    BadUrl,
    /// A trusted proxy sent an unparsable forwarding header.
    BadForwarding,
    /// The peer address is unavailable.
    NoPeer,
}

impl Reject {
    fn message(self) -> &'static str {
        match self {
            Reject::BadJson => {
                "body must be JSON: {\"site\": \"pk_…\", \"url\": \"https://…\", \"title\": …, \"referrer\": …}"
            }
            Reject::UnknownSite => "unknown site key",
            Reject::BadUrl => "url must be an absolute http(s) URL",
            Reject::BadForwarding => "unparsable X-Forwarded-For / Forwarded header from a trusted proxy",
            Reject::NoPeer => "peer address unavailable",
        }
    }
}

/// Resolves the client address: the socket peer, or — only when the peer is a trusted proxy —
/// the right-most untrusted address in `Forwarded` (preferred) or `X-Forwarded-For`.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> Result<IpAddr, Reject> {
    let is_trusted = |a: &IpAddr| trusted.iter().any(|n| n.contains(&canonical(*a)));
    if !is_trusted(&peer) {
        return Ok(canonical(peer));
    }
    let mut chain: Vec<IpAddr> = Vec::new();
    let forwarded: Vec<&HeaderValue> = headers.get_all(header::FORWARDED).iter().collect();
    if !forwarded.is_empty() {
        for v in forwarded {
            let v = v.to_str().map_err(|_| Reject::BadForwarding)?;
            for elem in v.split(',') {
                for pair in elem.split(';') {
                    let Some((k, val)) = pair.trim().split_once('=') else {
                        if pair.trim().is_empty() {
                            continue;
                        }
                        return Err(Reject::BadForwarding);
                    };
                    if k.trim().eq_ignore_ascii_case("for") {
                        chain.push(parse_forwarded_node(val.trim())?);
                    }
                }
            }
        }
    } else {
        for v in headers.get_all("x-forwarded-for") {
            let v = v.to_str().map_err(|_| Reject::BadForwarding)?;
            for part in v.split(',') {
                chain.push(parse_xff_node(part.trim())?);
            }
        }
    }
    if chain.is_empty() {
        return Ok(canonical(peer));
    }
    let chosen = chain.iter().rev().find(|a| !is_trusted(a)).or(chain.first()).copied().ok_or(Reject::BadForwarding)?;
    Ok(canonical(chosen))
}

fn canonical(a: IpAddr) -> IpAddr {
    match a {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(a),
        v4 => v4,
    }
}

fn parse_xff_node(s: &str) -> Result<IpAddr, Reject> {
    if let Ok(a) = s.parse::<IpAddr>() {
        return Ok(a);
    }
    // Some proxies append a port: `1.2.3.4:5678` or `[2001:db8::1]:80`.
    s.parse::<SocketAddr>().map(|sa| sa.ip()).map_err(|_| Reject::BadForwarding)
}

fn parse_forwarded_node(s: &str) -> Result<IpAddr, Reject> {
    let s = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s);
    if let Some(rest) = s.strip_prefix('[') {
        let (inner, after) = rest.split_once(']').ok_or(Reject::BadForwarding)?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(|p| !p.is_empty())) {
            return Err(Reject::BadForwarding);
        }
        return inner.parse().map_err(|_| Reject::BadForwarding);
    }
    let host = match s.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && !port.is_empty() => h,
        _ => s,
    };
    host.parse().map_err(|_| Reject::BadForwarding)
}

/// The beacon the snippet sends.
#[derive(Debug, Deserialize)]
struct Beacon {
    site: String,
    url: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    referrer: Option<String>,
}

/// Keeps `scheme://host/path` of an http(s) URL: queries and fragments can carry personal data.
pub fn clean_url(s: &str) -> Option<String> {
    let s = s.trim();
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let end = s.find(['?', '#']).unwrap_or(s.len());
    let base = &s[..end];
    let host_start = base.find("://").map(|i| i + 3)?;
    if base[host_start..].split('/').next().is_none_or(str::is_empty) {
        return None;
    }
    Some(util::truncate(base, 1024).to_string())
}

/// The salt for visit keys: random, in memory only, replaced when the UTC day changes.
#[derive(Debug)]
pub struct DailySalt(ArcSwap<(i64, [u8; 32])>);

impl Default for DailySalt {
    fn default() -> Self {
        DailySalt(ArcSwap::from_pointee((util::day_of(util::now_ms()), util::random_bytes())))
    }
}

impl DailySalt {
    /// The salt for `day` (rotating if the day moved on).
    pub fn for_day(&self, day: i64) -> [u8; 32] {
        let cur = self.0.load();
        if cur.0 == day {
            return cur.1;
        }
        drop(cur);
        self.0.rcu(|c| if c.0 == day { **c } else { (day, util::random_bytes()) });
        self.0.load().1
    }
}

/// What a lookup decided.
enum Outcome {
    Visit(Box<VisitEvent>, String),
    Count(String),
    OptedOut,
}

/// `POST /collect`.
pub async fn collect(
    State(st): State<AppState>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match ingest(&st, peer.map(|p| p.0.0.ip()), &headers, &body) {
        Ok(true) => cors(StatusCode::NO_CONTENT.into_response()),
        Ok(false) => {
            Metrics::inc(&st.metrics.beacons_shed);
            cors((StatusCode::SERVICE_UNAVAILABLE, "ingest queue full, retry later").into_response())
        }
        Err(r) => {
            Metrics::inc(&st.metrics.beacons_rejected);
            let status = if r == Reject::NoPeer { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::BAD_REQUEST };
            cors((status, r.message()).into_response())
        }
    }
}

/// `OPTIONS /collect` (CORS preflight; the snippet's requests do not need one, other clients may).
pub async fn collect_preflight() -> Response {
    let mut r = cors(StatusCode::NO_CONTENT.into_response());
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST, OPTIONS"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    r
}

fn cors(mut r: Response) -> Response {
    r.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    r
}

/// Validates, looks up and enqueues one beacon (`peer` is the socket address). `Ok(false)` when the queue is full.
///
/// # Errors
/// A [`Reject`] for bad input.
pub fn ingest(st: &AppState, peer: Option<IpAddr>, headers: &HeaderMap, body: &[u8]) -> Result<bool, Reject> {
    let beacon: Beacon = serde_json::from_slice(body).map_err(|_| Reject::BadJson)?;
    let site_id = *st.site_keys.load().get(beacon.site.as_str()).ok_or(Reject::UnknownSite)?;
    let page = clean_url(&beacon.url).ok_or(Reject::BadUrl)?;
    let referrer = beacon.referrer.as_deref().and_then(clean_url).unwrap_or_default();
    let title = util::truncate(beacon.title.as_deref().unwrap_or("").trim(), 300).to_string();
    let now = util::now_ms();
    let day = util::day_of(now);

    let outcome = {
        let ip = client_addr(peer.ok_or(Reject::NoPeer)?, headers, &st.config.trusted_proxies)?;
        let db = st.ipdb.load();
        match db.lookup(ip) {
            Some(m) => match m.company().filter(|_| m.is_identified()) {
                Some(c) if st.opt_outs.excludes_company(&c) => Outcome::OptedOut,
                Some(c) => {
                    let ua = headers.get(header::USER_AGENT).map(|v| v.as_bytes()).unwrap_or(b"");
                    let octets: Vec<u8> = match ip {
                        IpAddr::V4(a) => a.octets().to_vec(),
                        IpAddr::V6(a) => a.octets().to_vec(),
                    };
                    let visit_key = util::keyed_hash_hex(&st.salt.for_day(day), &[&site_id.to_le_bytes(), &octets, ua]);
                    let rec = c.to_record();
                    let registry =
                        c.registry().map(|(s, i)| format!("{}:{}", s.to_ascii_uppercase(), i.to_ascii_uppercase()));
                    let domain = c.domain().map(str::to_ascii_lowercase);
                    let company_key = match (&registry, &domain) {
                        (Some(r), _) => r.clone(),
                        (None, Some(d)) => format!("domain:{d}"),
                        (None, None) => format!("name:{}", c.legal_name()),
                    };
                    Outcome::Visit(
                        Box::new(VisitEvent {
                            site_id,
                            ts_ms: now,
                            company_key,
                            company_name: c.display_name().to_string(),
                            registry,
                            domain,
                            profile_json: serde_json::to_string(&rec).unwrap_or_else(|_| "null".into()),
                            page,
                            title,
                            referrer,
                            visit_key,
                        }),
                        m.class().name().to_string(),
                    )
                }
                None => Outcome::Count(m.class().name().to_string()),
            },
            None => Outcome::Count("unknown".into()),
        }
        // `ip` goes out of scope here.
    };

    let count = |class: String, identified| Write::Count { site_id, day, class, identified };
    let sent = match outcome {
        Outcome::Visit(ev, class) => {
            Metrics::inc(&st.metrics.beacons_identified);
            st.writer.send(Write::Visit(*ev)) && st.writer.send(count(class, true))
        }
        Outcome::Count(class) => {
            Metrics::inc(&st.metrics.beacons_unidentified);
            st.writer.send(count(class, false))
        }
        Outcome::OptedOut => {
            Metrics::inc(&st.metrics.beacons_opted_out);
            st.writer.send(count("opted_out".into(), false))
        }
    };
    Ok(sent)
}

/// Messages to the writer thread.
#[derive(Debug)]
enum Msg {
    Write(Write),
    Flush(Sender<()>),
    OptOut(OptOutRow, Sender<StoreResult<u64>>),
    Shutdown,
}

/// The batch writer: a bounded channel into one thread that flushes every `batch` writes or
/// `flush_ms` milliseconds, whichever comes first, in one transaction.
#[derive(Debug)]
pub struct Writer {
    tx: SyncSender<Msg>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Writer {
    /// Starts the writer thread.
    pub fn start(
        store: Arc<dyn Store>,
        opt_outs: Arc<OptOutSet>,
        metrics: Arc<Metrics>,
        batch: usize,
        flush_ms: u64,
        capacity: usize,
    ) -> Writer {
        let (tx, rx) = std::sync::mpsc::sync_channel(capacity.max(1));
        let thread = std::thread::Builder::new()
            .name("ipfirm-writer".into())
            .spawn(move || writer_loop(rx, &*store, &opt_outs, &metrics, batch.max(1), Duration::from_millis(flush_ms)))
            .ok();
        Writer { tx, thread: Mutex::new(thread) }
    }

    /// Enqueues a write; false when the queue is full.
    pub fn send(&self, w: Write) -> bool {
        match self.tx.try_send(Msg::Write(w)) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => false,
        }
    }

    /// Blocks until everything enqueued so far is written.
    pub fn flush(&self) {
        let (ack, done) = std::sync::mpsc::channel();
        if self.tx.send(Msg::Flush(ack)).is_ok() {
            let _ = done.recv();
        }
    }

    /// Applies an opt-out after everything enqueued so far (so no earlier event survives it).
    pub fn opt_out(&self, row: OptOutRow) -> StoreResult<u64> {
        let (ack, done) = std::sync::mpsc::channel();
        self.tx.send(Msg::OptOut(row, ack)).map_err(|_| crate::store::StoreError("writer stopped".into()))?;
        done.recv().map_err(|_| crate::store::StoreError("writer stopped".into()))?
    }

    /// Flushes and stops the thread.
    pub fn shutdown(&self) {
        let _ = self.tx.send(Msg::Shutdown);
        if let Some(t) = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = t.join();
        }
    }
}

fn writer_loop(rx: Receiver<Msg>, store: &dyn Store, opt_outs: &OptOutSet, m: &Metrics, batch: usize, every: Duration) {
    let mut buf: Vec<Write> = Vec::with_capacity(batch);
    let flush = |buf: &mut Vec<Write>| {
        if buf.is_empty() {
            return;
        }
        // An opt-out may have arrived after these were looked up: check again.
        buf.retain(|w| match w {
            Write::Visit(v) => {
                let reg = v.registry.as_deref().and_then(|r| r.split_once(':'));
                !opt_outs.excludes(reg, v.domain.as_deref())
            }
            Write::Count { .. } => true,
        });
        let visits = buf.iter().filter(|w| matches!(w, Write::Visit(_))).count() as u64;
        match store.write_batch(buf) {
            Ok(()) => {
                m.events_written.fetch_add(visits, std::sync::atomic::Ordering::Relaxed);
                Metrics::inc(&m.batches_flushed);
            }
            Err(e) => {
                Metrics::inc(&m.write_errors);
                tracing::error!(error = %e, writes = buf.len(), "batch write failed");
            }
        }
        buf.clear();
    };
    // Block only when idle. While a batch is open the thread polls with short sleeps, so the
    // request path's `try_send` finds no sleeping receiver to wake (no futex call per beacon).
    loop {
        let Ok(first) = rx.recv() else {
            flush(&mut buf);
            return;
        };
        if !handle(first, &mut buf, &flush, store, batch) {
            return;
        }
        let deadline = Instant::now() + every;
        loop {
            loop {
                match rx.try_recv() {
                    Ok(m) => {
                        if !handle(m, &mut buf, &flush, store, batch) {
                            return;
                        }
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        flush(&mut buf);
                        return;
                    }
                }
            }
            if buf.is_empty() {
                break;
            }
            let now = Instant::now();
            if now >= deadline {
                flush(&mut buf);
                break;
            }
            std::thread::sleep((deadline - now).min(Duration::from_millis(2)));
        }
    }
}

/// Applies one message; false after `Shutdown`.
fn handle(msg: Msg, buf: &mut Vec<Write>, flush: &dyn Fn(&mut Vec<Write>), store: &dyn Store, batch: usize) -> bool {
    match msg {
        Msg::Write(w) => {
            buf.push(w);
            if buf.len() >= batch {
                flush(buf);
            }
        }
        Msg::Flush(ack) => {
            flush(buf);
            let _ = ack.send(());
        }
        Msg::OptOut(row, ack) => {
            flush(buf);
            let _ = ack.send(store.apply_opt_out(&row, util::now_ms()));
        }
        Msg::Shutdown => {
            flush(buf);
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.append(header::HeaderName::from_bytes(k.as_bytes()).expect("name"), HeaderValue::from_str(v).expect("v"));
        }
        m
    }

    #[test]
    fn forwarding_headers_only_from_trusted_peers() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let peer: IpAddr = "10.1.1.1".parse().expect("ip");
        let outsider: IpAddr = "192.0.2.9".parse().expect("ip");
        let x = h(&[("x-forwarded-for", "198.51.100.7, 10.2.2.2")]);
        assert_eq!(client_addr(peer, &x, &trusted), Ok("198.51.100.7".parse().expect("ip")));
        assert_eq!(client_addr(outsider, &x, &trusted), Ok(outsider));
        // A client-supplied left-most entry is not believed over the proxy's own entry.
        let spoof = h(&[("x-forwarded-for", "203.0.113.1, 198.51.100.7")]);
        assert_eq!(client_addr(peer, &spoof, &trusted), Ok("198.51.100.7".parse().expect("ip")));
        let fwd = h(&[("forwarded", "for=\"[2001:db8::1]:4711\";proto=https, for=10.3.3.3")]);
        assert_eq!(client_addr(peer, &fwd, &trusted), Ok("2001:db8::1".parse().expect("ip")));
        let fwd4 = h(&[("forwarded", "for=198.51.100.8:1234")]);
        assert_eq!(client_addr(peer, &fwd4, &trusted), Ok("198.51.100.8".parse().expect("ip")));
        for bad in ["garbage", "1.2.3.4, ", "999.1.1.1", "1.2.3.4; drop table"] {
            assert_eq!(
                client_addr(peer, &h(&[("x-forwarded-for", bad)]), &trusted),
                Err(Reject::BadForwarding),
                "{bad}"
            );
        }
        assert_eq!(client_addr(peer, &h(&[("forwarded", "for=unknown")]), &trusted), Err(Reject::BadForwarding));
        assert_eq!(client_addr(peer, &h(&[]), &trusted), Ok(peer));
    }

    #[test]
    fn urls_lose_query_and_fragment() {
        assert_eq!(clean_url("https://a.example/p?q=mail@x#f").as_deref(), Some("https://a.example/p"));
        assert_eq!(clean_url("javascript:alert(1)"), None);
        assert_eq!(clean_url("https://"), None);
        assert_eq!(clean_url("HTTP://A.example").as_deref(), Some("HTTP://A.example"));
    }

    #[test]
    fn salt_rotates_by_day() {
        let s = DailySalt::default();
        let a = s.for_day(10);
        assert_eq!(s.for_day(10), a);
        assert_ne!(s.for_day(11), a);
    }
}
