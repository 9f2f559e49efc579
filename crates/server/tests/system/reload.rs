//! Hot reload on SIGHUP (and the admin call) while beacons keep flowing: no request fails during
//! a swap, and a broken file leaves the old database serving.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::common::{Server, fallback_db, rt};
use ipfirm_server::httpc::Conn;

fn companies(s: &Server) -> u64 {
    let r = s.get("/healthz", &[]);
    serde_json::from_slice::<serde_json::Value>(&r.body).expect("json")["companies"].as_u64().expect("companies")
}

fn wait_for(s: &Server, want: u64) {
    let start = Instant::now();
    while companies(s) != want {
        assert!(start.elapsed() < Duration::from_secs(10), "database not swapped to {want} companies");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sighup_and_admin_reload_swap_without_failing_requests() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = fallback_db(tmp.path());
    let original = ipfirm::Database::open(&db).expect("db").company_count() as u64;
    // No file polling: only the signal and the admin call reload.
    let server = Server::start_with(&db, "info", None, "reload_poll_secs = 0");
    assert_eq!(companies(&server), original);

    let stop = Arc::new(AtomicBool::new(false));
    let (ok, bad) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let pump = {
        let (stop, ok, bad, addr, key) =
            (stop.clone(), ok.clone(), bad.clone(), server.addr, server.public_key.clone());
        std::thread::spawn(move || {
            rt().block_on(async move {
                let mut c = Conn::connect(addr).await.expect("connect");
                let body = format!("{{\"site\":\"{key}\",\"url\":\"https://a.example/\"}}");
                while !stop.load(Ordering::Relaxed) {
                    let r =
                        c.request("POST", "/collect", &[("X-Forwarded-For", "198.51.100.9")], body.as_bytes()).await;
                    match r {
                        Ok(r) if r.status == 204 => ok.fetch_add(1, Ordering::Relaxed),
                        _ => bad.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
    };

    // A smaller database with one company, swapped in by SIGHUP.
    let mut b = ipfirm::DatabaseBuilder::new();
    let c = b.add_company(ipfirm::Company { legal_name: "Only One Ltd".into(), ..Default::default() });
    b.insert(
        "198.51.100.0/24".parse::<ipnet::IpNet>().expect("net"),
        ipfirm::Entry {
            class: ipfirm::Class::Business,
            reason: "business:test".into(),
            confidence: 50,
            company: Some(c),
            ..Default::default()
        },
    )
    .expect("insert");
    ipfirm::write_atomically(&db, &b.finish().expect("finish")).expect("write");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(companies(&server), original, "no polling configured: nothing changes before the signal");
    server.signal("HUP");
    wait_for(&server, 1);

    // A corrupt file: SIGHUP and the admin call refuse it and the old database keeps serving.
    std::fs::write(&db, b"not a database").expect("write");
    server.signal("HUP");
    let r = server.post("/admin/reload", &[("Authorization", "Bearer adm-test")], b"");
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(companies(&server), 1);

    // And back through the admin call.
    ipfirm::write_atomically(&db, &ipfirm_server::demo::fallback_database().expect("db")).expect("write");
    let r = server.post("/admin/reload", &[("Authorization", "Bearer adm-test")], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    wait_for(&server, original);

    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    pump.join().expect("pump");
    let (ok, bad) = (ok.load(Ordering::Relaxed), bad.load(Ordering::Relaxed));
    println!("reload: {ok} beacons answered during three swaps, {bad} failed");
    assert!(ok > 0);
    assert_eq!(bad, 0, "requests failed during a swap");
    let m = server.get("/metrics", &[]).text();
    assert!(m.contains("ipfirm_db_reloads_total{result=\"error\"} 2"), "{m}");
}

#[test]
fn graceful_shutdown_flushes_queued_events() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = fallback_db(tmp.path());
    // Nothing is flushed by size or time before the signal.
    let mut server = Server::start_with(&db, "info", None, "flush_ms = 600000\nbatch_size = 1000000");
    let n = 300;
    let body = format!("{{\"site\":\"{}\",\"url\":\"https://a.example/\"}}", server.public_key);
    rt().block_on(async {
        let mut c = Conn::connect(server.addr).await.expect("connect");
        for i in 0..n {
            let xff = format!("198.51.100.{}", i % 250 + 1);
            let r = c.request("POST", "/collect", &[("X-Forwarded-For", &xff)], body.as_bytes()).await.expect("beacon");
            assert_eq!(r.status, 204);
        }
    });
    assert_eq!(server.metric("ipfirm_events_written_total "), 0, "still queued");
    server.stop();
    let conn = rusqlite::Connection::open(server.data_dir().join("ipfirm-server.sqlite")).expect("open store");
    let stored: i64 = conn.query_row("SELECT COUNT(*) FROM visits", [], |r| r.get(0)).expect("count");
    assert_eq!(stored, n, "every accepted beacon survives SIGTERM");
}
