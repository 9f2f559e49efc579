//! Router tests: the real router driven with `tower::ServiceExt::oneshot`, no socket.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use ipfirm::Database;
use ipfirm_server::app::{AppState, app, route_list};
use ipfirm_server::config::Config;
use ipfirm_server::ipdb::IpDb;
use ipfirm_server::store::Write;
use ipfirm_server::store::sqlite::SqliteStore;
use serde_json::{Value, json};
use tower::ServiceExt;

const ADMIN: &str = "test-admin-token";

struct T {
    st: AppState,
    _dir: tempfile::TempDir,
}

fn setup() -> T {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("t.ipfirm");
    ipfirm::write_atomically(&db_path, &ipfirm_server::demo::fallback_database().expect("db")).expect("write db");
    let config = Config {
        database: db_path.clone(),
        data_dir: dir.path().join("data"),
        opt_out_file: dir.path().join("opt-out.txt"),
        trusted_proxies: vec!["10.0.0.0/8".parse().expect("net")],
        admin_token: ADMIN.into(),
        argon2_m_kib: 64,
        login_attempts_per_15min: 3,
        lookup_rate_per_sec: 1.0,
        flush_ms: 5,
        ..Config::default()
    };
    let store = SqliteStore::open(&config.data_dir).expect("store");
    let st = AppState::new(config, Arc::new(store), IpDb::open(&db_path).expect("ipdb")).expect("state");
    T { st, _dir: dir }
}

/// An independent view of what the database says about an address.
fn expected_company(st: &AppState, ip: &str) -> Option<String> {
    let db = st.ipdb.load();
    let m = db.lookup(ip.parse().expect("ip"))?;
    m.is_identified().then(|| m.company().map(|c| c.display_name().to_string())).flatten()
}

impl T {
    async fn send(&self, req: Request<Body>) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
        self.send_from(req, "10.0.0.1:5000").await
    }
    async fn send_from(&self, mut req: Request<Body>, peer: &str) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
        req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().expect("peer")));
        let resp = app(self.st.clone()).oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body").to_vec();
        (status, headers, body)
    }
    async fn json(&self, req: Request<Body>) -> (StatusCode, Value) {
        let (s, _, b) = self.send(req).await;
        (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }
    async fn create_site(&self, name: &str) -> (String, String, i64) {
        let (s, v) = self
            .json(
                Request::post("/admin/sites")
                    .header(header::AUTHORIZATION, format!("Bearer {ADMIN}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(json!({ "name": name }).to_string()))
                    .expect("req"),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        (
            v["public_key"].as_str().expect("pk").into(),
            v["secret_key"].as_str().expect("sk").into(),
            v["id"].as_i64().expect("id"),
        )
    }
    async fn beacon(&self, site: &str, visitor: &str, url: &str) -> StatusCode {
        let body = json!({ "site": site, "url": url, "title": "T", "referrer": "https://ref.example/x?q=1" });
        let (s, h, _) = self
            .send(
                Request::post("/collect")
                    .header(header::CONTENT_TYPE, "text/plain")
                    .header("x-forwarded-for", visitor)
                    .body(Body::from(body.to_string()))
                    .expect("req"),
            )
            .await;
        assert!(h.iter().any(|(k, v)| k == "access-control-allow-origin" && v == "*"), "CORS on /collect");
        s
    }
    async fn get(&self, path: &str, secret: &str) -> (StatusCode, Value) {
        self.json(
            Request::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .expect("req"),
        )
        .await
    }
    fn flush(&self) {
        self.st.writer.flush();
    }
}

#[tokio::test]
async fn identified_visits_reach_the_portal_and_others_only_count() {
    let t = setup();
    let (pk, sk, _) = t.create_site("Shop").await;
    let company = expected_company(&t.st, "198.51.100.7").expect("sample has a company there");
    assert_eq!(expected_company(&t.st, "203.0.113.9"), None, "ISP range");
    for url in ["https://shop.example/", "https://shop.example/pricing?utm=x#top"] {
        assert_eq!(t.beacon(&pk, "198.51.100.7", url).await, StatusCode::NO_CONTENT);
    }
    assert_eq!(t.beacon(&pk, "2001:db8:a::5", "https://shop.example/").await, StatusCode::NO_CONTENT);
    assert_eq!(t.beacon(&pk, "203.0.113.9", "https://shop.example/").await, StatusCode::NO_CONTENT);
    assert_eq!(t.beacon(&pk, "192.0.2.200", "https://shop.example/").await, StatusCode::NO_CONTENT);
    assert_eq!(t.beacon(&pk, "100.64.0.1", "https://shop.example/").await, StatusCode::NO_CONTENT);
    t.flush();
    assert_eq!(t.st.store.visit_count().expect("count"), 3, "only identified beacons are stored");
    assert_eq!(sql_count(&t, "SELECT COUNT(*) FROM profiles"), 1, "one snapshot shared by the company's visits");

    let (s, v) = t.get("/v1/companies", &sk).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let list = v["companies"].as_array().expect("array");
    assert_eq!(list.len(), 1, "{v}");
    let c = &list[0];
    assert_eq!(c["name"], company.as_str());
    assert_eq!(c["page_views"], 3);
    let mut pages: Vec<&str> = c["pages"].as_array().expect("pages").iter().filter_map(Value::as_str).collect();
    pages.sort();
    assert_eq!(pages, ["https://shop.example/", "https://shop.example/pricing"], "query and fragment dropped");

    let key = c["key"].as_str().expect("key");
    let (s, v) = t.get(&format!("/v1/companies/{}", ipfirm_server::util::url_encode(key)), &sk).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["timeline"].as_array().expect("timeline").len(), 3);
    assert_eq!(v["timeline"][0]["referrer"], "https://ref.example/x");

    let (_, stats) = t.get("/v1/stats", &sk).await;
    assert_eq!(stats["beacons"], 6);
    assert_eq!(stats["identified"], 3);
    let classes: Vec<&str> =
        stats["by_class"].as_array().expect("a").iter().filter_map(|c| c["class"].as_str()).collect();
    for cls in ["business", "isp", "hosting", "unknown"] {
        assert!(classes.contains(&cls), "{cls} in {classes:?}");
    }
    let (_, usage) = t.get("/v1/usage", &sk).await;
    assert_eq!(usage["unique_companies"], 1);
    assert_eq!(usage["tier"]["eur_per_month"], 49);
    let (s, _) = t.get("/v1/usage?month=2024-13", &sk).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, h, csv) = t
        .send(
            Request::get("/v1/export.csv")
                .header(header::AUTHORIZATION, format!("Bearer {sk}"))
                .body(Body::empty())
                .expect("r"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(h.iter().any(|(k, v)| k == "content-type" && v.starts_with("text/csv")));
    let mut rd = csv::Reader::from_reader(csv.as_slice());
    let rows: Vec<csv::StringRecord> = rd.records().collect::<Result<_, _>>().expect("csv parses");
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1], company.as_str());
    // CORS only on /collect.
    assert!(!h.iter().any(|(k, _)| k == "access-control-allow-origin"));
}

#[tokio::test]
async fn malformed_beacons_are_4xx_and_store_nothing() {
    let t = setup();
    let (pk, _, _) = t.create_site("Shop").await;
    type Case<'a> = (Vec<(&'a str, String)>, Vec<u8>, &'a str);
    let cases: Vec<Case> = vec![
        (vec![], b"{not json".to_vec(), "bad json"),
        (vec![], b"".to_vec(), "empty"),
        (vec![], json!({ "site": 5, "url": "https://a.example/" }).to_string().into_bytes(), "wrong type"),
        (vec![], json!({ "site": "pk_nope", "url": "https://a.example/" }).to_string().into_bytes(), "unknown site"),
        (vec![], json!({ "site": pk, "url": "javascript:alert(1)" }).to_string().into_bytes(), "bad url"),
        (
            vec![],
            json!({ "site": pk, "url": "https://a.example/", "title": "x".repeat(20_000) }).to_string().into_bytes(),
            "huge",
        ),
        (vec![], vec![0xff; 100], "binary"),
        (
            vec![("x-forwarded-for", "198.51.100.7, garbage".into())],
            json!({ "site": pk, "url": "https://a.example/" }).to_string().into_bytes(),
            "xff garbage",
        ),
        (
            vec![("x-forwarded-for", "999.1.2.3".into())],
            json!({ "site": pk, "url": "https://a.example/" }).to_string().into_bytes(),
            "xff bad ip",
        ),
        (
            vec![("forwarded", "for=\"[::1\"".into())],
            json!({ "site": pk, "url": "https://a.example/" }).to_string().into_bytes(),
            "forwarded garbage",
        ),
        (
            vec![("forwarded", "nonsense".into())],
            json!({ "site": pk, "url": "https://a.example/" }).to_string().into_bytes(),
            "forwarded no pair",
        ),
    ];
    for (headers, body, what) in cases {
        let mut b = Request::post("/collect").header(header::CONTENT_TYPE, "text/plain");
        for (k, v) in &headers {
            b = b.header(*k, v.as_str());
        }
        let (s, _, msg) = t.send(b.body(Body::from(body)).expect("req")).await;
        assert!(s.is_client_error(), "{what}: {s}");
        let msg = String::from_utf8_lossy(&msg);
        assert!(!msg.contains("198.51.100.7") && !msg.contains("garbage"), "{what}: error echoes input: {msg}");
    }
    // Non-UTF-8 header bytes in X-Forwarded-For.
    let mut req = Request::post("/collect")
        .body(Body::from(json!({ "site": pk, "url": "https://a.example/" }).to_string()))
        .expect("r");
    req.headers_mut().insert("x-forwarded-for", axum::http::HeaderValue::from_bytes(b"\xff\xfe1.2.3.4").expect("v"));
    assert_eq!(t.send(req).await.0, StatusCode::BAD_REQUEST);
    t.flush();
    assert_eq!(t.st.store.visit_count().expect("count"), 0);
    let site_id = t.st.site_keys.load()[&pk];
    assert!(
        t.st.store.class_counts(site_id, 0, 1_000_000).expect("counts").is_empty(),
        "no counters for rejected beacons"
    );
}

#[tokio::test]
async fn forwarding_headers_from_untrusted_peers_are_ignored() {
    let t = setup();
    let (pk, _, _) = t.create_site("Shop").await;
    let body = json!({ "site": pk, "url": "https://a.example/" }).to_string();
    let req = Request::post("/collect").header("x-forwarded-for", "198.51.100.7").body(Body::from(body)).expect("r");
    // The peer (an ISP address) is not a trusted proxy: its header is not believed.
    let (s, _, _) = t.send_from(req, "203.0.113.50:1234").await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    t.flush();
    assert_eq!(t.st.store.visit_count().expect("count"), 0);
}

#[tokio::test]
async fn tenants_are_isolated() {
    let t = setup();
    let (pk_a, sk_a, _) = t.create_site("A").await;
    let (pk_b, sk_b, _) = t.create_site("B").await;
    assert_eq!(t.beacon(&pk_a, "198.51.100.7", "https://a.example/").await, StatusCode::NO_CONTENT);
    assert_eq!(t.beacon(&pk_b, "192.0.2.10", "https://b.example/secret-b-page").await, StatusCode::NO_CONTENT);
    t.flush();
    let (_, a) = t.get("/v1/companies", &sk_a).await;
    let (_, b) = t.get("/v1/companies", &sk_b).await;
    let names = |v: &Value| {
        v["companies"]
            .as_array()
            .expect("a")
            .iter()
            .map(|c| c["name"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), [expected_company(&t.st, "198.51.100.7").expect("c")]);
    assert_eq!(names(&b), [expected_company(&t.st, "192.0.2.10").expect("c")]);
    let b_key = b["companies"][0]["key"].as_str().expect("key").to_string();
    let (s, _) = t.get(&format!("/v1/companies/{}", ipfirm_server::util::url_encode(&b_key)), &sk_a).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "A cannot read B's company");
    let (_, _, csv) = t
        .send(
            Request::get("/v1/export.csv")
                .header(header::AUTHORIZATION, format!("Bearer {sk_a}"))
                .body(Body::empty())
                .expect("r"),
        )
        .await;
    assert!(!String::from_utf8_lossy(&csv).contains("secret-b-page"));
    for bad in ["", "sk_wrong", pk_a.as_str(), ADMIN] {
        let (s, _) = t.get("/v1/companies", bad).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "key {bad:?}");
    }
    let (s, _) = t.get("/admin/sites", &sk_a).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a site key is not an admin token");
}

#[tokio::test]
async fn opt_out_takes_effect_deletes_and_is_listed_and_audited() {
    let t = setup();
    let (pk, sk, _) = t.create_site("Shop").await;
    assert_eq!(t.beacon(&pk, "198.51.100.7", "https://a.example/").await, StatusCode::NO_CONTENT);
    assert_eq!(t.beacon(&pk, "192.0.2.10", "https://a.example/").await, StatusCode::NO_CONTENT);
    // Not flushed yet: the opt-out must still remove the queued event.
    let db = t.st.ipdb.load();
    let c = db.lookup("198.51.100.7".parse().expect("ip")).and_then(|m| m.company()).expect("company");
    let (scheme, id) = c.registry().expect("registry in sample");
    let reg = format!("{scheme}:{id}");
    let (s, v) = t
        .json(
            Request::post("/opt-out")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({ "registry": reg }).to_string()))
                .expect("r"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(t.beacon(&pk, "198.51.100.8", "https://a.example/").await, StatusCode::NO_CONTENT);
    t.flush();
    let (_, list) = t.get("/v1/companies", &sk).await;
    let names: Vec<&str> = list["companies"].as_array().expect("a").iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, [expected_company(&t.st, "192.0.2.10").expect("c").as_str()], "opted-out company gone");
    let file = std::fs::read_to_string(&t.st.config.opt_out_file).expect("opt-out list written");
    assert_eq!(file, format!("registry:{}\n", reg.to_ascii_uppercase()));
    let (s, audit) = t.get("/admin/audit", ADMIN).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        audit
            .as_array()
            .expect("a")
            .iter()
            .any(|e| e["action"] == "opt-out" && e["detail"].as_str().unwrap_or("").contains(&reg))
    );
    // Domain opt-out via the HTML form.
    let dom = expected_company(&t.st, "192.0.2.10")
        .and_then(|_| db.lookup("192.0.2.10".parse().expect("ip"))?.company()?.domain().map(str::to_string))
        .expect("domain");
    let (s, _, _) = t
        .send(
            Request::post("/opt-out")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("domain={dom}")))
                .expect("r"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t.st.store.visit_count().expect("n"), 0);
    assert_eq!(sql_count(&t, "SELECT COUNT(*) FROM profiles"), 0, "opted-out companies' snapshots deleted too");
    let (_, v) = t.get("/v1/lookup/192.0.2.10", &sk).await;
    assert_eq!(v["match"]["class"], "opted_out");
    assert!(v["match"]["company"].is_null());
    for bad in [json!({}), json!({ "registry": "X:1", "domain": "a.example" }), json!({ "domain": "nodot" })] {
        let (s, _) = t
            .json(
                Request::post("/opt-out")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(bad.to_string()))
                    .expect("r"),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn lookup_api_needs_a_key_and_is_rate_limited() {
    let t = setup();
    let (_, sk, _) = t.create_site("Shop").await;
    let (s, _) = t.get("/v1/lookup/198.51.100.7", "").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, v) = t.get("/v1/lookup/198.51.100.7", &sk).await;
    assert_eq!(s, StatusCode::OK);
    let expect = t.st.ipdb.load().lookup("198.51.100.7".parse().expect("ip")).expect("m").to_record();
    assert_eq!(v["match"], serde_json::to_value(expect).expect("json"));
    let (s, v) = t.get("/v1/lookup/not-an-ip", &sk).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(!v.to_string().contains("not-an-ip"));
    let mut limited = false;
    for _ in 0..20 {
        if t.get("/v1/lookup/192.0.2.1", &sk).await.0 == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "burst of 5 at 1/s must run out within 20 calls");
}

/// A count straight from the SQLite file.
fn sql_count(t: &T, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(t.st.config.data_dir.join("ipfirm-server.sqlite")).expect("open");
    c.query_row(sql, [], |r| r.get(0)).expect("query")
}

fn cookie_of(h: &[(String, String)]) -> Option<String> {
    h.iter().find(|(k, _)| k == "set-cookie").map(|(_, v)| v.clone())
}

#[tokio::test]
async fn accounts_sessions_invites_and_erasure() {
    let t = setup();
    let (pk, _, site_id) = t.create_site("Shop").await;
    let admin_json = |path: &str, body: Value| {
        Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("r")
    };
    let (s, v) = t
        .json(admin_json(
            "/admin/users",
            json!({ "email": "Owner@Shop.example", "password": "a long password", "site_id": site_id }),
        ))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, _) = t.json(admin_json("/admin/users", json!({ "email": "x@shop.example", "password": "short" }))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(t.beacon(&pk, "198.51.100.7", "https://a.example/").await, StatusCode::NO_CONTENT);
    t.flush();

    let form = |path: &str, body: String, cookie: Option<&str>| {
        let mut b = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::from(body)).expect("r")
    };
    let (s, h, _) = t.send(form("/login", "email=owner%40shop.example&password=wrong+password".into(), None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(cookie_of(&h).is_none());
    let (s, h, _) = t.send(form("/login", "email=owner%40shop.example&password=a+long+password".into(), None)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let set = cookie_of(&h).expect("session cookie");
    for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(set.contains(attr), "{attr} in {set}");
    }
    assert!(!set.to_ascii_lowercase().contains("domain="), "host-only cookie: {set}");
    let cookie = set.split(';').next().expect("kv").to_string();
    let page = |path: &str, c: &str| Request::get(path).header(header::COOKIE, c).body(Body::empty()).expect("r");
    let (s, _, html) = t.send(page(&format!("/dashboard/sites/{site_id}"), &cookie)).await;
    assert_eq!(s, StatusCode::OK);
    let html = String::from_utf8_lossy(&html);
    assert!(html.contains(&ipfirm_server::util::esc(&expected_company(&t.st, "198.51.100.7").expect("c"))), "{html}");
    let (s, h, _) = t.send(Request::get(format!("/dashboard/sites/{site_id}")).body(Body::empty()).expect("r")).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "no cookie → login");
    assert!(h.iter().any(|(k, v)| k == "location" && v == "/login"));

    // Invite a viewer; the viewer sees the site but cannot invite.
    let (s, _, body) = t
        .send(form(
            &format!("/dashboard/sites/{site_id}/invites"),
            "email=viewer%40shop.example&role=viewer".into(),
            Some(&cookie),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    let body = String::from_utf8_lossy(&body).to_string();
    let token = body.split("/invite/").nth(1).and_then(|r| r.split('<').next()).expect("invite link").to_string();
    let (s, _, _) = t.send(form(&format!("/invite/{token}"), "password=short".into(), None)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "rules enforced; invite survives");
    let (s, _, _) = t.send(form(&format!("/invite/{token}"), "password=viewer+password+1".into(), None)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = t.send(form(&format!("/invite/{token}"), "password=viewer+password+1".into(), None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "invites are single use");
    let (_, h, _) = t.send(form("/login", "email=viewer%40shop.example&password=viewer+password+1".into(), None)).await;
    let vcookie = cookie_of(&h).expect("viewer cookie").split(';').next().expect("kv").to_string();
    assert_eq!(t.send(page(&format!("/dashboard/sites/{site_id}"), &vcookie)).await.0, StatusCode::OK);
    let (s, _, _) = t
        .send(form(
            &format!("/dashboard/sites/{site_id}/invites"),
            "email=z%40shop.example&role=owner".into(),
            Some(&vcookie),
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The viewer cannot see a site it has no role on.
    let (_, _, other) = t.create_site("Other").await;
    assert_eq!(t.send(page(&format!("/dashboard/sites/{other}"), &vcookie)).await.0, StatusCode::NOT_FOUND);

    // Own data, then erasure.
    let (s, _, data) = t.send(page("/account/data", &vcookie)).await;
    assert_eq!(s, StatusCode::OK);
    let data: Value = serde_json::from_slice(&data).expect("json");
    assert_eq!(data["email"], "viewer@shop.example");
    assert!(!data.to_string().contains("argon2id$"), "no hash in the export");
    let (s, _, _) = t.send(form("/account/delete", "password=viewer+password+1".into(), Some(&vcookie))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(t.st.store.user_by_email("viewer@shop.example").expect("q").is_none());
    assert_eq!(t.send(page("/account/data", &vcookie)).await.0, StatusCode::UNAUTHORIZED, "session gone");

    // Login rate limit (3 per 15 min in this config), counted per email.
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(t.send(form("/login", "email=owner%40shop.example&password=nope+nope+nope".into(), None)).await.0);
    }
    assert!(codes.contains(&StatusCode::TOO_MANY_REQUESTS), "{codes:?}");
}

#[tokio::test]
async fn reload_swaps_the_database_and_keeps_the_old_one_on_error() {
    let t = setup();
    let (_, sk, _) = t.create_site("Shop").await;
    let admin = || {
        Request::post("/admin/reload")
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN}"))
            .body(Body::empty())
            .expect("r")
    };
    assert!(t.st.ipdb.load().lookup("100.64.0.1".parse().expect("ip")).is_none());
    // A new file with one more range.
    let mut b = ipfirm::DatabaseBuilder::new();
    b.insert(
        "100.64.0.0/10".parse::<ipnet::IpNet>().expect("net"),
        ipfirm::Entry { class: ipfirm::Class::Isp, reason: "isp:cgnat".into(), confidence: 50, ..Default::default() },
    )
    .expect("insert");
    ipfirm::write_atomically(&t.st.config.database, &b.finish().expect("finish")).expect("write");
    // The file watch notices the change (mtime/size) once, then not again.
    assert!(matches!(t.st.ipdb.reload_if_changed(), Some(Ok(_))));
    assert!(t.st.ipdb.reload_if_changed().is_none());
    let (s, v) = t.json(admin()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = t.get("/v1/lookup/100.64.0.1", &sk).await;
    assert_eq!(v["match"]["class"], "isp");
    // A corrupt file: reload refuses, the previous database keeps answering.
    std::fs::write(&t.st.config.database, b"garbage").expect("write");
    let (s, _) = t.json(admin()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, v) = t.get("/v1/lookup/100.64.0.1", &sk).await;
    assert_eq!(v["match"]["class"], "isp");
    let _ = Database::from_bytes(ipfirm_server::demo::fallback_database().expect("db")).expect("valid");
}

#[tokio::test]
async fn retention_purges_old_visits() {
    let t = setup();
    let (pk, _, _) = t.create_site("Shop").await;
    let site_id = t.st.site_keys.load()[&pk];
    let old = ipfirm_server::util::now_ms() - 400 * 86_400_000;
    let ev = |ts| ipfirm_server::store::VisitEvent {
        site_id,
        ts_ms: ts,
        company_key: "X:1".into(),
        company_name: "X".into(),
        registry: Some("X:1".into()),
        domain: None,
        profile_json: "{}".into(),
        page: "https://a.example/".into(),
        title: String::new(),
        referrer: String::new(),
        visit_key: "k".into(),
    };
    t.st.store.write_batch(&[Write::Visit(ev(old)), Write::Visit(ev(ipfirm_server::util::now_ms()))]).expect("write");
    let (s, v) = t
        .json(
            Request::post("/admin/purge")
                .header(header::AUTHORIZATION, format!("Bearer {ADMIN}"))
                .body(Body::empty())
                .expect("r"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["purged"], 1, "retention_days = 365 by default");
    assert_eq!(t.st.store.visit_count().expect("n"), 1);
}

#[tokio::test]
async fn openapi_matches_the_routes() {
    let t = setup();
    let doc: Value = serde_json::from_str(ipfirm_server::app::OPENAPI).expect("openapi.json parses");
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("ops").keys() {
            documented.push((method.to_ascii_uppercase(), path.clone()));
        }
    }
    let mut served: Vec<(String, String)> =
        route_list(&t.st).into_iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    documented.sort();
    served.sort();
    assert_eq!(documented, served, "openapi.json and the router disagree");
    // And each documented operation really is routed (not 404/405 from the router itself).
    for (method, path) in &documented {
        let concrete = path
            .replace("{key}", "X%3A1")
            .replace("{ip}", "192.0.2.1")
            .replace("{site}", "1")
            .replace("{token}", "inv_x");
        let req = Request::builder().method(method.as_str()).uri(&concrete).body(Body::empty()).expect("r");
        let (s, h, body) = t.send(req).await;
        assert_ne!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        let unrouted = s == StatusCode::NOT_FOUND && body.is_empty() && !h.iter().any(|(k, _)| k == "content-type");
        assert!(!unrouted, "{method} {path} is not routed");
    }
    let (s, _, _) = t.send(Request::get("/no/such/route").body(Body::empty()).expect("r")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[test]
fn example_config_parses() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ipfirm-server.example.toml");
    let c = Config::load(Some(&p)).expect("example config parses");
    assert_eq!(c.tiers, ipfirm_server::config::default_tiers(), "example lists the default tiers");
    assert!(!c.trusted_proxies.is_empty());
}

#[tokio::test]
async fn snippet_and_metrics() {
    let t = setup();
    let (s, h, js) = t.send(Request::get("/t.js").body(Body::empty()).expect("r")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h.iter().any(|(k, v)| k == "content-type" && v.starts_with("application/javascript")));
    let js = String::from_utf8_lossy(&js);
    assert!(
        js.contains("sendBeacon") && js.contains("keepalive") && js.contains("pushState") && js.contains("popstate")
    );
    for banned in ["document.cookie", "localStorage", "sessionStorage", "indexedDB"] {
        assert!(!js.contains(banned), "snippet must not touch {banned}");
    }
    let (pk, _, _) = t.create_site("Shop").await;
    t.beacon(&pk, "198.51.100.7", "https://a.example/").await;
    let (s, _, m) = t.send(Request::get("/metrics").body(Body::empty()).expect("r")).await;
    assert_eq!(s, StatusCode::OK);
    let m = String::from_utf8_lossy(&m);
    assert!(m.contains("ipfirm_beacons_total{outcome=\"identified\"} 1"), "{m}");
}
