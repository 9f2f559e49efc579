//! `ipfirm-server`: serve, administer, demo and load-test the visitor identification service.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use ipfirm_server::config::Config;
use ipfirm_server::store::sqlite::SqliteStore;
use ipfirm_server::store::{Role, Store};
use ipfirm_server::{auth, demo, server, util};

#[derive(Parser)]
#[command(name = "ipfirm-server", version, about = "Privacy-first visitor identification on top of ipfirm")]
struct Cli {
    /// TOML configuration file (environment variables IPFIRM_SERVER_* override it).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the service.
    Serve,
    /// Manage sites and accounts directly in the store.
    Admin {
        #[command(subcommand)]
        cmd: AdminCmd,
    },
    /// Start on the bundled sample database with a demo site and account; prints the dashboard URL.
    Demo {
        /// Listen address.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Working directory for the database, store and opt-out list.
        #[arg(long, default_value = "target/ipfirm-demo")]
        dir: PathBuf,
        /// Use this ipfirm database instead of building the sample.
        #[arg(long)]
        database: Option<PathBuf>,
    },
    /// Load bench: start the service in-process on loopback and send beacons (prints beacons/s and latency percentiles).
    Bench {
        /// Seconds to run.
        #[arg(long, default_value_t = 10)]
        secs: u64,
        /// Concurrent keep-alive connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// ipfirm database (default: the demo's fallback database).
        #[arg(long)]
        database: Option<PathBuf>,
    },
    /// Load generator against a running server that trusts this host as a proxy.
    Loadgen {
        /// Server address.
        #[arg(long)]
        addr: SocketAddr,
        /// Public site key.
        #[arg(long)]
        site: String,
        /// Seconds to run.
        #[arg(long, default_value_t = 10)]
        secs: u64,
        /// Concurrent keep-alive connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Comma-separated addresses to send as X-Forwarded-For.
        #[arg(long, default_value = "198.51.100.7,203.0.113.9,192.0.2.200")]
        addresses: String,
    },
}

#[derive(Subcommand)]
enum AdminCmd {
    /// Create a site; prints its id, keys and snippet (the secret key is shown once).
    CreateSite {
        /// Site name.
        #[arg(long)]
        name: String,
    },
    /// Create an account, optionally with a role on a site.
    CreateUser {
        /// Email.
        #[arg(long)]
        email: String,
        /// Environment variable holding the password (keeps it out of shell history).
        #[arg(long, default_value = "IPFIRM_PASSWORD")]
        password_env: String,
        /// Site id.
        #[arg(long)]
        site: Option<i64>,
        /// Role on the site.
        #[arg(long, default_value = "owner")]
        role: String,
    },
    /// List sites.
    ListSites,
    /// Replace a site's secret key.
    RotateSecret {
        /// Site id.
        #[arg(long)]
        site: i64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref())?;
    match cli.cmd {
        Cmd::Serve => {
            server::init_logging(&config.log_level);
            let rt = runtime()?;
            rt.block_on(async {
                let listener = tokio::net::TcpListener::bind(config.listen)
                    .await
                    .with_context(|| format!("binding {}", config.listen))?;
                let st = server::open_state(config)?;
                server::serve(st, listener).await
            })
        }
        Cmd::Admin { cmd } => admin(config, cmd),
        Cmd::Demo { listen, dir, database } => run_demo(config, listen, dir, database),
        Cmd::Bench { secs, connections, database } => bench(config, secs, connections, database),
        Cmd::Loadgen { addr, site, secs, connections, addresses } => {
            let rt = runtime()?;
            let addresses = addresses.split(',').map(|s| s.trim().to_string()).collect();
            let r = rt.block_on(server::load(server::LoadSpec {
                addr,
                site_key: site,
                connections,
                duration: Duration::from_secs(secs),
                addresses,
            }));
            println!("{}", r.summary());
            Ok(())
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

fn admin(config: Config, cmd: AdminCmd) -> anyhow::Result<()> {
    let store = SqliteStore::open(&config.data_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let e = |e: ipfirm_server::store::StoreError| anyhow::anyhow!("{e}");
    match cmd {
        AdminCmd::CreateSite { name } => {
            let (site, secret) = store.create_site(name.trim()).map_err(e)?;
            store.audit(util::now_ms(), "admin-cli", "create-site", &format!("site={}", site.id)).map_err(e)?;
            let snippet = format!(
                "<script src=\"{}/t.js\" data-site=\"{}\" async></script>",
                config.public_url.trim_end_matches('/'),
                site.public_key
            );
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "id": site.id, "name": site.name, "public_key": site.public_key, "secret_key": secret, "snippet": snippet
                }))?
            );
            eprintln!("(a running server picks the new site up after `POST /admin/reload` or a restart)");
        }
        AdminCmd::CreateUser { email, password_env, site, role } => {
            let password =
                std::env::var(&password_env).with_context(|| format!("set the password in ${password_env}"))?;
            let email = auth::normalise_email(&email).map_err(|m| anyhow::anyhow!("{m}"))?;
            auth::check_password_rules(&password).map_err(|m| anyhow::anyhow!("{m}"))?;
            let role = Role::parse(&role).context("role must be owner or viewer")?;
            let hash = auth::hash_password(&password, config.argon2_m_kib).map_err(|m| anyhow::anyhow!("{m}"))?;
            let Some(user) = store.create_user(&email, &hash, util::now_ms()).map_err(e)? else {
                bail!("an account with this email exists");
            };
            if let Some(s) = site {
                if !store.sites().map_err(e)?.iter().any(|x| x.id == s) {
                    bail!("no site {s}");
                }
                store.set_role(user.id, s, role).map_err(e)?;
            }
            store.audit(util::now_ms(), "admin-cli", "create-user", &format!("user={}", user.id)).map_err(e)?;
            println!("{}", serde_json::json!({ "id": user.id, "email": user.email }));
        }
        AdminCmd::ListSites => println!("{}", serde_json::to_string_pretty(&store.sites().map_err(e)?)?),
        AdminCmd::RotateSecret { site } => {
            println!("{}", serde_json::json!({ "secret_key": store.rotate_secret(site).map_err(e)? }))
        }
    }
    Ok(())
}

fn run_demo(mut config: Config, listen: SocketAddr, dir: PathBuf, database: Option<PathBuf>) -> anyhow::Result<()> {
    server::init_logging(&config.log_level);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let db_path = match database {
        Some(p) => p,
        None => {
            let out = dir.join("sample.ipfirm");
            let what = demo::prepare_database(&out)?;
            eprintln!("database: {what}");
            out
        }
    };
    config.listen = listen;
    config.public_url = format!("http://{listen}");
    config.database = db_path;
    config.data_dir = dir.join("data");
    config.opt_out_file = dir.join("opt-out.txt");
    // Loopback only: let `curl -H 'X-Forwarded-For: …'` stand in for a visitor, and allow the
    // session cookie over plain http.
    config.trusted_proxies = vec!["127.0.0.0/8".parse()?, "::1/128".parse()?];
    config.cookie_secure = false;
    if config.admin_token.is_empty() {
        config.admin_token = util::token("adm_");
    }
    let rt = runtime()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
        let st = server::open_state(config)?;
        let store: Arc<dyn Store> = st.store.clone();
        let e = |e: ipfirm_server::store::StoreError| anyhow::anyhow!("{e}");
        let (site, secret) = match store.sites().map_err(e)?.into_iter().next() {
            Some(s) => {
                let secret = store.rotate_secret(s.id).map_err(e)?;
                (s, secret)
            }
            None => store.create_site("Demo site").map_err(e)?,
        };
        st.refresh_sites().map_err(e)?;
        let email = "demo@example.com";
        let password = util::token("demo-");
        if let Some(u) = store.user_by_email(email).map_err(e)? {
            store.delete_user(u.id).map_err(e)?;
        }
        let hash = auth::hash_password(&password, st.config.argon2_m_kib).map_err(|m| anyhow::anyhow!("{m}"))?;
        let user = store.create_user(email, &hash, util::now_ms()).map_err(e)?.context("demo user")?;
        store.set_role(user.id, site.id, Role::Owner).map_err(e)?;
        let st2 = st.clone();
        let key = site.public_key.clone();
        let seeded = tokio::task::spawn_blocking(move || demo::seed_visits(&st2, &key, 6)).await?;
        let url = &st.config.public_url;
        println!("\n=== ipfirm-server demo ===");
        println!("Dashboard:   {url}/login");
        println!("Email:       {email}");
        println!("Password:    {password}");
        println!("Site key:    {}   (snippet: <script src=\"{url}/t.js\" data-site=\"{}\" async></script>)", site.public_key, site.public_key);
        println!("Secret key:  {secret}   (curl -H 'Authorization: Bearer {secret}' {url}/v1/companies)");
        println!("Admin token: {}", st.config.admin_token);
        let names: Vec<&str> = seeded.iter().map(|(_, n)| n.as_str()).collect();
        println!("Seeded visits from: {}", if names.is_empty() { "(none)".into() } else { names.join(", ") });
        let example = seeded.first().map(|(a, _)| a.to_string()).unwrap_or_else(|| "<address>".into());
        println!(
            "Try a visit: curl -X POST {url}/collect -H 'X-Forwarded-For: {example}' -d '{{\"site\":\"{}\",\"url\":\"https://demo.example/\"}}'",
            site.public_key
        );
        println!("Ctrl-C stops the server.\n");
        server::serve(st, listener).await
    })
}

fn bench(mut config: Config, secs: u64, connections: usize, database: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = tempfile_dir()?;
    let db_path = match database {
        Some(p) => p,
        None => {
            let p = dir.join("bench.ipfirm");
            ipfirm::write_atomically(&p, &demo::fallback_database()?)?;
            p
        }
    };
    config.database = db_path;
    config.data_dir = dir.join("data");
    config.opt_out_file = dir.join("opt-out.txt");
    config.trusted_proxies = vec!["127.0.0.0/8".parse()?];
    config.reload_poll_secs = 0;
    config.log_level = "warn".into();
    server::init_logging(&config.log_level);
    let rt = runtime()?;
    let r = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let st = server::open_state(config)?;
        let (site, _) = st.store.create_site("bench").map_err(|e| anyhow::anyhow!("{e}"))?;
        st.refresh_sites().map_err(|e| anyhow::anyhow!("{e}"))?;
        let st2 = st.clone();
        tokio::spawn(async move { server::serve(st2, listener).await });
        // Identified (company), ISP, hosting, unknown, IPv6 company.
        let addresses: Vec<String> = (0..=255u32)
            .flat_map(|i| {
                [
                    format!("198.51.100.{i}"),
                    format!("203.0.113.{i}"),
                    format!("192.0.2.{i}"),
                    format!("2001:db8:a::{i:x}"),
                ]
            })
            .collect();
        let r = server::load(server::LoadSpec {
            addr,
            site_key: site.public_key,
            connections,
            duration: Duration::from_secs(secs),
            addresses,
        })
        .await;
        let w = st.writer.clone();
        tokio::task::spawn_blocking(move || w.flush()).await?;
        let stored = st.store.visit_count().map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::Ok((r, stored))
    })?;
    let (r, stored) = r;
    println!("bench ({connections} connections, {secs} s, server and load generator share this machine):");
    println!("  {}", r.summary());
    println!("  visit events stored: {stored}");
    println!("  target: >= 20000 beacons/s with p99 <= 10 ms (printed, not asserted)");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let d = std::env::temp_dir().join(format!("ipfirm-bench-{}", util::token("")));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
