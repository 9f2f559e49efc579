//! Starting the real binary with a config, a database and a site; talking to it over loopback.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ipfirm_server::httpc;

pub const BIN: &str = env!("CARGO_BIN_EXE_ipfirm-server");

pub struct Server {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub log: PathBuf,
    pub site_id: i64,
    pub public_key: String,
    pub secret_key: String,
    child: Option<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

impl Server {
    /// Writes a config, creates a site (and optionally a user) with the CLI, starts `serve`.
    pub fn start(db: &Path, log_level: &str, user: Option<(&str, &str)>) -> Server {
        Server::start_with(db, log_level, user, "")
    }

    /// [`Server::start`] with extra TOML lines.
    pub fn start_with(db: &Path, log_level: &str, user: Option<(&str, &str)>, extra: &str) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let config = dir.path().join("server.toml");
        std::fs::write(
            &config,
            format!(
                "listen = \"{addr}\"\npublic_url = \"http://{addr}\"\ndatabase = {:?}\ndata_dir = {:?}\n\
                 opt_out_file = {:?}\ntrusted_proxies = [\"127.0.0.1/32\"]\nadmin_token = \"adm-test\"\n\
                 argon2_m_kib = 256\ncookie_secure = false\nlog_level = \"{log_level}\"\n{extra}\n",
                db.display().to_string(),
                dir.path().join("data").display().to_string(),
                dir.path().join("opt-out.txt").display().to_string(),
            ),
        )
        .expect("config");
        let out = Command::new(BIN)
            .args(["--config", config.to_str().expect("utf8"), "admin", "create-site", "--name", "E2E shop"])
            .output()
            .expect("run admin create-site");
        assert!(out.status.success(), "create-site: {}", String::from_utf8_lossy(&out.stderr));
        let site: serde_json::Value = serde_json::from_slice(&out.stdout).expect("create-site prints JSON");
        let site_id = site["id"].as_i64().expect("id");
        if let Some((email, password)) = user {
            let out = Command::new(BIN)
                .args(["--config", config.to_str().expect("utf8"), "admin", "create-user", "--email", email])
                .args(["--site", &site_id.to_string()])
                .env("IPFIRM_PASSWORD", password)
                .output()
                .expect("run admin create-user");
            assert!(out.status.success(), "create-user: {}", String::from_utf8_lossy(&out.stderr));
        }
        let log = dir.path().join("server.log");
        let logf = std::fs::File::create(&log).expect("log file");
        let child = Command::new(BIN)
            .args(["--config", config.to_str().expect("utf8"), "serve"])
            .stdout(logf.try_clone().expect("dup"))
            .stderr(logf)
            .stdin(Stdio::null())
            .spawn()
            .expect("spawn server");
        let s = Server {
            addr,
            log,
            site_id,
            public_key: site["public_key"].as_str().expect("pk").into(),
            secret_key: site["secret_key"].as_str().expect("sk").into(),
            child: Some(child),
            dir,
        };
        s.wait_ready();
        s
    }

    fn wait_ready(&self) {
        let start = Instant::now();
        let rt = rt();
        while start.elapsed() < Duration::from_secs(30) {
            if rt.block_on(httpc::request(self.addr, "GET", "/healthz", &[], b"")).is_ok_and(|r| r.status == 200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("server did not start; log:\n{}", std::fs::read_to_string(&self.log).unwrap_or_default());
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> httpc::Resp {
        rt().block_on(httpc::request(self.addr, "GET", path, headers, b"")).expect("request")
    }

    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> httpc::Resp {
        rt().block_on(httpc::request(self.addr, "POST", path, headers, body)).expect("request")
    }

    pub fn api(&self, path: &str) -> serde_json::Value {
        let auth = format!("Bearer {}", self.secret_key);
        let r = self.get(path, &[("Authorization", &auth)]);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        serde_json::from_slice(&r.body).expect("json")
    }

    /// A counter from `/metrics`.
    pub fn metric(&self, line_prefix: &str) -> u64 {
        let m = self.get("/metrics", &[]).text();
        m.lines()
            .find_map(|l| l.strip_prefix(line_prefix).and_then(|v| v.trim().parse().ok()))
            .unwrap_or_else(|| panic!("metric {line_prefix} missing"))
    }

    /// SIGTERM, then wait for the graceful exit.
    /// Sends a signal (`HUP`, `TERM`).
    pub fn signal(&self, sig: &str) {
        if let Some(c) = &self.child {
            let ok = Command::new("kill")
                .args([&format!("-{sig}"), &c.id().to_string()])
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "kill -{sig}");
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill").args(["-TERM", &c.id().to_string()]).status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(20) {
                if let Ok(Some(status)) = c.try_wait() {
                    assert!(status.success(), "server exit status {status}");
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            panic!("server did not shut down within 20 s");
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// Writes the fallback demo database (documentation ranges) to `dir`.
pub fn fallback_db(dir: &Path) -> PathBuf {
    let p = dir.join("fallback.ipfirm");
    ipfirm::write_atomically(&p, &ipfirm_server::demo::fallback_database().expect("db")).expect("write");
    p
}
