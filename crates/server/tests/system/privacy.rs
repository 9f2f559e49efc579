//! Thousands of beacons from many addresses through the real binary; then no form of any of
//! those addresses may appear in the SQLite files (main, WAL, SHM) or in the captured logs.
//!
//! One form is only four bytes, an IPv4 address in binary, and four random bytes (a millisecond
//! timestamp's low half, a WAL checksum) match one of a thousand such needles now and then: about
//! one run in fifteen found one. So that form is also counted for decoys, the same addresses with
//! one bit of the third octet flipped, which are never sent. A service that stored addresses
//! would store thousands of them; chance puts about as many on the decoys as on the sent ones.
//! Every text form, and the sixteen-byte IPv6 form, must never be found at all.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::common::{Server, fallback_db, rt};
use ipfirm_server::httpc::Conn;

/// Every address form to look for. (The IPv4-mapped IPv6 forms, binary and text, contain the
/// 4-byte and dotted forms, so finding those covers them.)
fn needles(addr: IpAddr) -> Vec<Vec<u8>> {
    let mut n: Vec<Vec<u8>> = vec![addr.to_string().into_bytes()];
    match addr {
        IpAddr::V4(a) => {
            n.push(a.octets().to_vec());
            n.push(u32::from(a).to_string().into_bytes());
        }
        IpAddr::V6(a) => {
            n.push(a.octets().to_vec());
            let full: Vec<String> = a.segments().iter().map(|s| format!("{s:04x}")).collect();
            n.push(full.join(":").into_bytes());
        }
    }
    n
}

/// One place where a form of an address was found.
struct Hit {
    addr: IpAddr,
    /// The four-byte binary form of an IPv4 address, which random bytes can match by chance.
    short: bool,
    at: String,
}

/// Every needle of every address at every offset: a bitmap of 3-byte prefixes rejects almost
/// every offset cheaply, candidates are compared in full.
fn scan(what: &str, hay: &[u8], addrs: &[IpAddr]) -> Vec<Hit> {
    let mut by_prefix: HashMap<[u8; 3], Vec<(Vec<u8>, IpAddr)>> = HashMap::new();
    let mut bits = vec![0u64; 1 << 18];
    for a in addrs {
        for needle in needles(*a) {
            let p = [needle[0], needle[1], needle[2]];
            let idx = (usize::from(p[0]) << 16) | (usize::from(p[1]) << 8) | usize::from(p[2]);
            bits[idx >> 6] |= 1 << (idx & 63);
            by_prefix.entry(p).or_default().push((needle, *a));
        }
    }
    let mut found = Vec::new();
    for i in 0..hay.len().saturating_sub(2) {
        let idx = (usize::from(hay[i]) << 16) | (usize::from(hay[i + 1]) << 8) | usize::from(hay[i + 2]);
        if bits[idx >> 6] & (1 << (idx & 63)) == 0 {
            continue;
        }
        for (needle, a) in &by_prefix[&[hay[i], hay[i + 1], hay[i + 2]]] {
            if hay[i..].starts_with(needle) {
                let at = format!("{what} @{i}: {a} (form {:?})", String::from_utf8_lossy(needle));
                found.push(Hit { addr: *a, short: needle.len() == 4, at });
            }
        }
    }
    found
}

/// The addresses and, after them, their decoys: the needles a scan looks for.
fn with_decoys(addrs: &[IpAddr]) -> Vec<IpAddr> {
    addrs.iter().copied().chain(addrs.iter().map(|a| decoy(*a))).collect()
}

/// The decoy of an address: one bit of its third octet (IPv4) or fourth segment (IPv6) flipped,
/// so that its binary form is as likely to turn up by chance as the address's own.
fn decoy(a: IpAddr) -> IpAddr {
    match a {
        IpAddr::V4(v) => {
            let o = v.octets();
            IpAddr::from([o[0], o[1], o[2] ^ 0x80, o[3]])
        }
        IpAddr::V6(v) => {
            let mut s = v.segments();
            s[3] ^= 0x8000;
            IpAddr::from(s)
        }
    }
}

/// The scanner must find what it looks for (so a pass means something).
#[test]
fn scanner_finds_every_form() {
    let v4: IpAddr = "198.51.100.7".parse().expect("ip");
    let v6: IpAddr = "2001:db8:a::7".parse().expect("ip");
    for a in [v4, v6] {
        for needle in needles(a) {
            let mut hay = b"xx prefix ".to_vec();
            hay.extend_from_slice(&needle);
            hay.extend_from_slice(b" suffix");
            let hits = scan("t", &hay, &[v4, v6]);
            assert_eq!(hits.len(), 1, "{a} form {needle:?}");
            assert_eq!(hits[0].short, needle.len() == 4);
        }
    }
    assert!(scan("t", b"198.51.100.8 and 2001:db8:a::8", &[v4, v6]).is_empty());
}

fn scan_dir(dir: &std::path::Path, addrs: &[IpAddr]) -> (Vec<Hit>, Vec<String>) {
    let mut found = Vec::new();
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).expect("data dir").flatten() {
        let p = e.path();
        let bytes = std::fs::read(&p).expect("read");
        files.push(format!("{} ({} bytes)", p.file_name().unwrap_or_default().to_string_lossy(), bytes.len()));
        found.extend(scan(&p.display().to_string(), &bytes, addrs));
    }
    (found, files)
}

#[test]
fn no_visitor_address_is_ever_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = fallback_db(tmp.path());
    // Trace level: every log line the service can write is written.
    let mut server = Server::start(&db, "trace", None);

    // Addresses chosen so that their 4-byte forms are not ASCII text that SQLite pages or
    // log lines contain by construction: company (198.51.100/24, 2001:db8:a::/48),
    // education (192.0.2.0/25), hosting (192.0.2.128/25), ISP (203.0.113/24), unknown
    // (198.18.0.0/23 and 2001:db8:ffff::/48).
    let mut addrs: Vec<IpAddr> = Vec::new();
    for i in 1..=254u32 {
        for s in [
            format!("198.51.100.{i}"),
            format!("192.0.2.{i}"),
            format!("203.0.113.{i}"),
            format!("198.18.0.{i}"),
            format!("198.18.1.{i}"),
        ] {
            addrs.push(s.parse().expect("v4"));
        }
        addrs.push(format!("2001:db8:a::{:x}:{:x}", i * 7, i).parse().expect("v6"));
        addrs.push(format!("2001:db8:ffff::{:x}", i * 13).parse().expect("v6"));
    }
    let db_handle = ipfirm::Database::open(&db).expect("db");
    let identified = |a: &IpAddr| db_handle.lookup(*a).is_some_and(|m| m.is_identified());
    let per_addr = 2;
    let expected_events = addrs.iter().filter(|a| identified(a)).count() * per_addr;
    assert!(expected_events > 1000, "enough identified traffic: {expected_events}");

    let rt = rt();
    let sent = rt.block_on(async {
        let mut tasks = Vec::new();
        for chunk in addrs.chunks(addrs.len().div_ceil(8)) {
            let chunk = chunk.to_vec();
            let (addr, key) = (server.addr, server.public_key.clone());
            tasks.push(tokio::spawn(async move {
                let mut c = Conn::connect(addr).await.expect("connect");
                let mut n = 0;
                for round in 0..per_addr {
                    for a in &chunk {
                        let body = format!(
                            "{{\"site\":\"{key}\",\"url\":\"https://shop.example/page-{round}?email=someone%40mail.example\",\
                             \"title\":\"Page\",\"referrer\":\"https://search.example/?q=x\"}}"
                        );
                        let xff = a.to_string();
                        let r = c
                            .request("POST", "/collect", &[("Content-Type", "text/plain"), ("X-Forwarded-For", &xff), ("User-Agent", "privacy-test")], body.as_bytes())
                            .await
                            .expect("beacon");
                        assert_eq!(r.status, 204, "{}", r.text());
                        n += 1;
                    }
                }
                // Some rejected beacons too: their error paths must not leak either.
                for a in chunk.iter().take(20) {
                    let xff = format!("{a}, not-an-address");
                    let r = c.request("POST", "/collect", &[("X-Forwarded-For", &xff)], b"{\"site\":\"x\"}").await.expect("bad beacon");
                    assert_eq!(r.status, 400);
                }
                n
            }));
        }
        let mut total = 0;
        for t in tasks {
            total += t.await.expect("task");
        }
        total
    });
    assert_eq!(sent, addrs.len() * per_addr);
    // Lookups through the API are also answered without logging the address.
    for a in addrs.iter().take(50) {
        let r = server.get(&format!("/v1/lookup/{a}"), &[("Authorization", &format!("Bearer {}", server.secret_key))]);
        assert!(r.status == 200 || r.status == 429);
    }

    // Wait until the writer has stored every identified event, then scan while running (WAL present).
    let start = Instant::now();
    while server.metric("ipfirm_events_written_total ") < expected_events as u64 {
        assert!(start.elapsed() < Duration::from_secs(30), "events not written in time");
        std::thread::sleep(Duration::from_millis(50));
    }
    let companies = server.api("/v1/companies?limit=10000");
    let stored: u64 =
        companies["companies"].as_array().expect("a").iter().map(|c| c["page_views"].as_u64().unwrap_or(0)).sum();
    assert_eq!(stored, expected_events as u64, "every identified beacon stored exactly once");
    // The sent addresses and their decoys, scanned together.
    let needles_of = with_decoys(&addrs);
    assert!(needles_of.iter().skip(addrs.len()).all(|d| !addrs.contains(d)), "decoys are never sent");
    let (mut found, files) = scan_dir(&server.data_dir(), &needles_of);
    assert!(files.iter().any(|f| f.contains("-wal")), "WAL file present while running: {files:?}");
    server.stop();
    let (after, files_after) = scan_dir(&server.data_dir(), &needles_of);
    found.extend(after);
    let log = std::fs::read(&server.log).expect("log");
    assert!(log.len() > 1000, "logs were captured ({} bytes)", log.len());
    found.extend(scan("server log", &log, &needles_of));
    let (short_sent, short_decoys) = verdict(&found, &addrs).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "privacy: {} beacons from {} addresses; scanned {files:?} then {files_after:?} and {} bytes of logs; \
         four-byte forms found by chance: {short_sent} of sent addresses, {short_decoys} of decoys",
        sent,
        addrs.len(),
        log.len(),
    );
}

/// Whether the hits show a leak: any text or sixteen-byte form of a sent address, or more
/// four-byte forms of sent addresses than chance puts on their decoys (plus two). Without one,
/// the four-byte hits on sent addresses and on decoys.
fn verdict(found: &[Hit], sent: &[IpAddr]) -> Result<(usize, usize), String> {
    let list = |hits: Vec<&Hit>| hits.iter().map(|h| h.at.as_str()).collect::<Vec<_>>().join("\n");
    let exact: Vec<&Hit> = found.iter().filter(|h| !h.short && sent.contains(&h.addr)).collect();
    if !exact.is_empty() {
        return Err(format!("visitor addresses found:\n{}", list(exact)));
    }
    let short: Vec<&Hit> = found.iter().filter(|h| h.short && sent.contains(&h.addr)).collect();
    let decoys = found.iter().filter(|h| h.short && !sent.contains(&h.addr)).count();
    if short.len() > decoys + 2 {
        return Err(format!(
            "binary IPv4 forms of sent addresses found {} times, of never-sent decoys {decoys} times:\n{}",
            short.len(),
            list(short)
        ));
    }
    Ok((short.len(), decoys))
}

/// The verdict fails on one text form, and on a binary leak of many addresses; chance hits on
/// both sides pass.
#[test]
fn verdict_tells_a_leak_from_chance() {
    let sent: Vec<IpAddr> = (1..=50u8).map(|i| IpAddr::from([198, 51, 100, i])).collect();
    let mut file = b"header ".to_vec();
    let chance = [sent[3], decoy(sent[7])];
    for a in chance {
        if let IpAddr::V4(v) = a {
            file.extend_from_slice(&v.octets());
        }
    }
    let needles_of = with_decoys(&sent);
    assert!(verdict(&scan("f", &file, &needles_of), &sent).is_ok(), "one chance hit on each side");
    let mut leaked = file.clone();
    for a in &sent {
        if let IpAddr::V4(v) = a {
            leaked.extend_from_slice(&v.octets());
            leaked.push(0);
        }
    }
    assert!(verdict(&scan("f", &leaked, &needles_of), &sent).is_err(), "every address in binary");
    let mut text = file;
    text.extend_from_slice(b" 198.51.100.9 ");
    assert!(verdict(&scan("f", &text, &needles_of), &sent).is_err(), "one address as text");
}
