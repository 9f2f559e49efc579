//! Configuration: a TOML file, then `IPFIRM_SERVER_*` environment variables on top.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// One price tier: up to `max_companies` unique identified companies per month cost `eur_per_month`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    /// Upper bound (inclusive); `None` = everything above the previous tier.
    pub max_companies: Option<u64>,
    /// Monthly price in euros; `None` = on request.
    pub eur_per_month: Option<u32>,
}

/// The default tiers from the public price list (issue 7).
pub fn default_tiers() -> Vec<Tier> {
    let t = |max, eur| Tier { max_companies: Some(max), eur_per_month: Some(eur) };
    vec![
        t(50, 49),
        t(100, 79),
        t(250, 129),
        t(500, 149),
        t(750, 199),
        t(1000, 269),
        t(1500, 399),
        t(2000, 449),
        Tier { max_companies: None, eur_per_month: None },
    ]
}

/// The service configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Public base URL of the portal (used in printed links and the snippet tag).
    pub public_url: String,
    /// The ipfirm database file.
    pub database: PathBuf,
    /// Directory for the SQLite store.
    pub data_dir: PathBuf,
    /// Opt-out list appended on every opt-out (the file `ipfirm build` reads).
    pub opt_out_file: PathBuf,
    /// Peers whose `X-Forwarded-For` / `Forwarded` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Bearer token for the admin API; admin API disabled when empty.
    pub admin_token: String,
    /// Visit events older than this many days are purged (0 = keep forever).
    pub retention_days: u32,
    /// Writer batch size.
    pub batch_size: usize,
    /// Writer flush interval.
    pub flush_ms: u64,
    /// Capacity of the ingest queue; beacons beyond it get 503.
    pub queue_capacity: usize,
    /// Seconds between checks of the database file for changes (0 = no polling; SIGHUP and the admin call still work).
    pub reload_poll_secs: u64,
    /// Per-request timeout.
    pub request_timeout_ms: u64,
    /// Max body size of a beacon.
    pub max_beacon_bytes: usize,
    /// `/v1/lookup` requests per second per site (burst = 5×).
    pub lookup_rate_per_sec: f64,
    /// Failed logins allowed per email per 15 minutes.
    pub login_attempts_per_15min: u32,
    /// Session lifetime.
    pub session_hours: u32,
    /// Mark the session cookie `Secure` (turn off only for plain-http development).
    pub cookie_secure: bool,
    /// Argon2id memory cost in KiB (19456 = OWASP minimum; tests lower it).
    pub argon2_m_kib: u32,
    /// Log level: error, warn, info, debug, trace.
    pub log_level: String,
    /// Price tiers.
    pub tiers: Vec<Tier>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            database: PathBuf::from("ipfirm.db"),
            data_dir: PathBuf::from("ipfirm-server-data"),
            opt_out_file: PathBuf::from("ipfirm-server-data/opt-out.txt"),
            trusted_proxies: Vec::new(),
            admin_token: String::new(),
            retention_days: 365,
            batch_size: 512,
            flush_ms: 50,
            queue_capacity: 100_000,
            reload_poll_secs: 2,
            request_timeout_ms: 10_000,
            max_beacon_bytes: 8 * 1024,
            lookup_rate_per_sec: 10.0,
            login_attempts_per_15min: 10,
            session_hours: 24 * 7,
            cookie_secure: true,
            argon2_m_kib: 19_456,
            log_level: "info".into(),
            tiers: default_tiers(),
        }
    }
}

/// A configuration error naming the file or variable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable file.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Bad TOML.
    #[error("{path}: {message}")]
    Toml {
        /// File.
        path: PathBuf,
        /// Parser message (with line and column).
        message: String,
    },
    /// Bad environment variable.
    #[error("environment variable {name}: {message}")]
    Env {
        /// Variable.
        name: String,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Reads `path` (if given), then applies environment overrides.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file (with TOML line/column) or the variable.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let mut cfg = match path {
            Some(p) => {
                let text =
                    std::fs::read_to_string(p).map_err(|source| ConfigError::Io { path: p.to_path_buf(), source })?;
                toml::from_str(&text)
                    .map_err(|e| ConfigError::Toml { path: p.to_path_buf(), message: e.to_string() })?
            }
            None => Config::default(),
        };
        cfg.apply_env(|k| std::env::var(k).ok())?;
        Ok(cfg)
    }

    /// Applies `IPFIRM_SERVER_*` overrides read through `get`.
    ///
    /// # Errors
    /// [`ConfigError::Env`] for an unparsable value.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            v.trim().parse().map_err(|e: T::Err| ConfigError::Env { name: name.into(), message: e.to_string() })
        }
        let var = |k: &str| get(&format!("IPFIRM_SERVER_{k}")).map(|v| (format!("IPFIRM_SERVER_{k}"), v));
        if let Some((n, v)) = var("LISTEN") {
            self.listen = parse(&n, &v)?;
        }
        if let Some((_, v)) = var("PUBLIC_URL") {
            self.public_url = v;
        }
        if let Some((_, v)) = var("DATABASE") {
            self.database = v.into();
        }
        if let Some((_, v)) = var("DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some((_, v)) = var("OPT_OUT_FILE") {
            self.opt_out_file = v.into();
        }
        if let Some((n, v)) = var("TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<IpNet>().or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from)))
                .collect::<Result<_, _>>()
                .map_err(|e| ConfigError::Env { name: n, message: e.to_string() })?;
        }
        if let Some((_, v)) = var("ADMIN_TOKEN") {
            self.admin_token = v;
        }
        if let Some((n, v)) = var("RETENTION_DAYS") {
            self.retention_days = parse(&n, &v)?;
        }
        if let Some((n, v)) = var("COOKIE_SECURE") {
            self.cookie_secure = parse(&n, &v)?;
        }
        if let Some((n, v)) = var("ARGON2_M_KIB") {
            self.argon2_m_kib = parse(&n, &v)?;
        }
        if let Some((_, v)) = var("LOG") {
            self.log_level = v;
        }
        Ok(())
    }

    /// The tier for a count of unique identified companies: (index, tier).
    pub fn tier_for(&self, companies: u64) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.max_companies.is_none_or(|m| companies <= m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_env() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "listen = \"127.0.0.1:9\"\nretention_days = 7\n").expect("write");
        let mut c = Config::load(Some(&p)).expect("load");
        assert_eq!(c.retention_days, 7);
        c.apply_env(|k| (k == "IPFIRM_SERVER_TRUSTED_PROXIES").then(|| "127.0.0.1, 10.0.0.0/8".to_string()))
            .expect("env");
        assert_eq!(c.trusted_proxies.len(), 2);
        let e =
            c.apply_env(|k| (k == "IPFIRM_SERVER_RETENTION_DAYS").then(|| "x".to_string())).expect_err("bad number");
        assert!(e.to_string().contains("IPFIRM_SERVER_RETENTION_DAYS"));
        std::fs::write(&p, "listen = 3\n").expect("write");
        let e = Config::load(Some(&p)).expect_err("bad toml").to_string();
        assert!(e.contains("c.toml") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn tiers_follow_the_price_list() {
        let c = Config::default();
        let price = |n| c.tier_for(n).and_then(|t| t.eur_per_month);
        assert_eq!(price(0), Some(49));
        assert_eq!(price(50), Some(49));
        assert_eq!(price(51), Some(79));
        assert_eq!(price(2000), Some(449));
        assert_eq!(price(2001), None);
    }
}
