//! The embedded store: SQLite in WAL mode, one writer connection and a few readers.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use super::*;
use crate::util;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: sites, visits, counters, opt-outs, audit.
    "CREATE TABLE sites (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        public_key TEXT NOT NULL UNIQUE,
        secret_digest TEXT NOT NULL UNIQUE,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE visits (
        id INTEGER PRIMARY KEY,
        site_id INTEGER NOT NULL REFERENCES sites(id),
        ts_ms INTEGER NOT NULL,
        day INTEGER NOT NULL,
        company_key TEXT NOT NULL,
        company_name TEXT NOT NULL,
        registry TEXT,
        domain TEXT,
        profile TEXT NOT NULL,
        page TEXT NOT NULL,
        title TEXT NOT NULL,
        referrer TEXT NOT NULL,
        visit_key TEXT NOT NULL
    );
    CREATE INDEX visits_site_day ON visits(site_id, day);
    CREATE INDEX visits_site_company ON visits(site_id, company_key, ts_ms);
    CREATE INDEX visits_registry ON visits(registry);
    CREATE INDEX visits_domain ON visits(domain);
    CREATE INDEX visits_ts ON visits(ts_ms);
    CREATE TABLE class_counts (
        site_id INTEGER NOT NULL,
        day INTEGER NOT NULL,
        class TEXT NOT NULL,
        identified INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (site_id, day, class, identified)
    ) WITHOUT ROWID;
    CREATE TABLE opt_outs (
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (kind, value)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        ts_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );",
    // 2: accounts.
    "CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE memberships (
        user_id INTEGER NOT NULL REFERENCES users(id),
        site_id INTEGER NOT NULL REFERENCES sites(id),
        role TEXT NOT NULL,
        PRIMARY KEY (user_id, site_id)
    );
    CREATE TABLE sessions (
        digest TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        expires_ms INTEGER NOT NULL
    );
    CREATE TABLE invites (
        digest TEXT PRIMARY KEY,
        site_id INTEGER NOT NULL,
        email TEXT NOT NULL,
        role TEXT NOT NULL,
        invited_by INTEGER,
        created_ms INTEGER NOT NULL
    );",
    // 3: fewer indexes on the ingest table: opt-out deletes and retention purges are rare and
    // may scan; every index costs on each of the thousands of inserts per second.
    "DROP INDEX visits_registry;
    DROP INDEX visits_domain;
    DROP INDEX visits_ts;",
    // 4: company snapshots stored once, visits point at them (most visits repeat a snapshot).
    "CREATE TABLE profiles (
        id INTEGER PRIMARY KEY,
        digest TEXT NOT NULL UNIQUE,
        json TEXT NOT NULL
    );
    ALTER TABLE visits ADD COLUMN profile_id INTEGER REFERENCES profiles(id);",
];

/// SQLite store.
#[derive(Debug)]
pub struct SqliteStore {
    writer: Mutex<Connection>,
    /// Snapshot digest → profile id, for the writer (cleared when profiles are deleted).
    profile_ids: Mutex<HashMap<u128, i64>>,
    readers: Vec<Mutex<Connection>>,
    next_reader: std::sync::atomic::AtomicUsize,
}

fn open_conn(path: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open(path)?;
    c.busy_timeout(std::time::Duration::from_secs(5))?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "NORMAL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted rows (opt-outs, erased accounts, purges) are overwritten, not left in free pages.
    c.pragma_update(None, "secure_delete", "ON")?;
    Ok(c)
}

fn lock(m: &Mutex<Connection>) -> std::sync::MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SqliteStore {
    /// Opens (creating and migrating) `dir/ipfirm-server.sqlite`.
    ///
    /// # Errors
    /// I/O or SQLite errors, naming the file.
    pub fn open(dir: &Path) -> StoreResult<SqliteStore> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError(format!("{}: {e}", dir.display())))?;
        let path = dir.join("ipfirm-server.sqlite");
        let named = |e: rusqlite::Error| StoreError(format!("{}: {e}", path.display()));
        let mut w = open_conn(&path).map_err(named)?;
        migrate(&mut w).map_err(named)?;
        let readers = (0..3).map(|_| open_conn(&path).map(Mutex::new)).collect::<Result<_, _>>().map_err(named)?;
        Ok(SqliteStore {
            writer: Mutex::new(w),
            profile_ids: Mutex::new(HashMap::new()),
            readers,
            next_reader: 0.into(),
        })
    }

    fn reader(&self) -> std::sync::MutexGuard<'_, Connection> {
        let i = self.next_reader.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.readers.len();
        lock(&self.readers[i])
    }
}

fn migrate(c: &mut Connection) -> rusqlite::Result<()> {
    let done: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        let tx = c.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Snapshots no visit points at any more (an opted-out or purged company's profile goes too).
fn delete_orphan_profiles(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<usize> {
    tx.execute("DELETE FROM profiles WHERE id NOT IN (SELECT profile_id FROM visits WHERE profile_id IS NOT NULL)", [])
}

fn site_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Site> {
    Ok(Site { id: r.get(0)?, name: r.get(1)?, public_key: r.get(2)?, created_ms: r.get(3)? })
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User { id: r.get(0)?, email: r.get(1)?, password_hash: r.get(2)?, created_ms: r.get(3)? })
}

const SUMMARY_SQL: &str = "SELECT company_key, company_name,
        COALESCE((SELECT json FROM profiles WHERE profiles.id = visits.profile_id), profile), COUNT(*), COUNT(DISTINCT visit_key),
        json_group_array(DISTINCT page), MIN(ts_ms), MAX(ts_ms)
    FROM visits WHERE site_id = ?1 AND day BETWEEN ?2 AND ?3";

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CompanySummary> {
    let profile: String = r.get(2)?;
    let pages: String = r.get(5)?;
    Ok(CompanySummary {
        key: r.get(0)?,
        name: r.get(1)?,
        profile: serde_json::from_str(&profile).unwrap_or(serde_json::Value::Null),
        page_views: r.get::<_, i64>(3)? as u64,
        visits: r.get::<_, i64>(4)? as u64,
        pages: serde_json::from_str(&pages).unwrap_or_default(),
        first_seen_ms: r.get(6)?,
        last_seen_ms: r.get(7)?,
    })
}

impl Store for SqliteStore {
    fn create_site(&self, name: &str) -> StoreResult<(Site, String)> {
        let c = lock(&self.writer);
        let public_key = util::token("pk_");
        let secret = util::token("sk_");
        let now = util::now_ms();
        c.execute(
            "INSERT INTO sites (name, public_key, secret_digest, created_ms) VALUES (?1, ?2, ?3, ?4)",
            params![name, public_key, util::digest_hex(&secret), now],
        )?;
        Ok((Site { id: c.last_insert_rowid(), name: name.into(), public_key, created_ms: now }, secret))
    }

    fn sites(&self) -> StoreResult<Vec<Site>> {
        let c = self.reader();
        let mut st = c.prepare("SELECT id, name, public_key, created_ms FROM sites ORDER BY id")?;
        Ok(st.query_map([], site_row)?.collect::<Result<_, _>>()?)
    }

    fn site_by_secret_digest(&self, digest: &str) -> StoreResult<Option<Site>> {
        let c = self.reader();
        Ok(c.query_row(
            "SELECT id, name, public_key, created_ms FROM sites WHERE secret_digest = ?1",
            [digest],
            site_row,
        )
        .optional()?)
    }

    fn rotate_secret(&self, site_id: i64) -> StoreResult<String> {
        let secret = util::token("sk_");
        let n = lock(&self.writer).execute(
            "UPDATE sites SET secret_digest = ?1 WHERE id = ?2",
            params![util::digest_hex(&secret), site_id],
        )?;
        if n == 0 {
            return Err(StoreError(format!("no site {site_id}")));
        }
        Ok(secret)
    }

    fn write_batch(&self, batch: &[Write]) -> StoreResult<()> {
        let mut counts: HashMap<(i64, i64, &str, bool), i64> = HashMap::new();
        let mut c = lock(&self.writer);
        let mut ids = self.profile_ids.lock().unwrap_or_else(|p| p.into_inner());
        if ids.len() > 100_000 {
            ids.clear();
        }
        let tx = c.transaction()?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO visits (site_id, ts_ms, day, company_key, company_name, registry, domain, profile,
                    profile_id, page, title, referrer, visit_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut ins_profile = tx.prepare_cached(
                "INSERT INTO profiles (digest, json) VALUES (?1, ?2) ON CONFLICT (digest) DO NOTHING",
            )?;
            let mut get_profile = tx.prepare_cached("SELECT id FROM profiles WHERE digest = ?1")?;
            for w in batch {
                match w {
                    Write::Visit(v) => {
                        let h = xxhash_rust::xxh3::xxh3_128(v.profile_json.as_bytes());
                        let profile_id = match ids.get(&h) {
                            Some(id) => *id,
                            None => {
                                let digest = format!("{h:032x}");
                                ins_profile.execute(params![digest, v.profile_json])?;
                                let id: i64 = get_profile.query_row([&digest], |r| r.get(0))?;
                                ids.insert(h, id);
                                id
                            }
                        };
                        ins.execute(params![
                            v.site_id,
                            v.ts_ms,
                            util::day_of(v.ts_ms),
                            v.company_key,
                            v.company_name,
                            v.registry,
                            v.domain,
                            profile_id,
                            v.page,
                            v.title,
                            v.referrer,
                            v.visit_key
                        ])?;
                    }
                    Write::Count { site_id, day, class, identified } => {
                        *counts.entry((*site_id, *day, class.as_str(), *identified)).or_default() += 1;
                    }
                }
            }
            let mut up = tx.prepare_cached(
                "INSERT INTO class_counts (site_id, day, class, identified, n) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (site_id, day, class, identified) DO UPDATE SET n = n + excluded.n",
            )?;
            for ((site, day, class, ident), n) in counts {
                up.execute(params![site, day, class, ident, n])?;
            }
        }
        if let Err(e) = tx.commit() {
            // Ids handed out inside the failed transaction do not exist.
            ids.clear();
            return Err(e.into());
        }
        Ok(())
    }

    fn companies(&self, site_id: i64, from_day: i64, to_day: i64, limit: u32) -> StoreResult<Vec<CompanySummary>> {
        let c = self.reader();
        let sql = format!("{SUMMARY_SQL} GROUP BY company_key ORDER BY MAX(ts_ms) DESC LIMIT ?4");
        let mut st = c.prepare_cached(&sql)?;
        Ok(st.query_map(params![site_id, from_day, to_day, limit], summary_row)?.collect::<Result<_, _>>()?)
    }

    fn company(
        &self,
        site_id: i64,
        key: &str,
        from_day: i64,
        to_day: i64,
    ) -> StoreResult<Option<(CompanySummary, Vec<TimelineEntry>)>> {
        let c = self.reader();
        let sql = format!("{SUMMARY_SQL} AND company_key = ?4 GROUP BY company_key");
        let Some(summary) = c.query_row(&sql, params![site_id, from_day, to_day, key], summary_row).optional()? else {
            return Ok(None);
        };
        let mut st = c.prepare_cached(
            "SELECT ts_ms, page, title, referrer, visit_key FROM visits
             WHERE site_id = ?1 AND company_key = ?2 AND day BETWEEN ?3 AND ?4 ORDER BY ts_ms DESC LIMIT 1000",
        )?;
        let timeline = st
            .query_map(params![site_id, key, from_day, to_day], |r| {
                Ok(TimelineEntry {
                    ts_ms: r.get(0)?,
                    page: r.get(1)?,
                    title: r.get(2)?,
                    referrer: r.get(3)?,
                    visit_key: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Some((summary, timeline)))
    }

    fn class_counts(&self, site_id: i64, from_day: i64, to_day: i64) -> StoreResult<Vec<ClassCount>> {
        let c = self.reader();
        let mut st = c.prepare_cached(
            "SELECT class, identified, SUM(n) FROM class_counts WHERE site_id = ?1 AND day BETWEEN ?2 AND ?3
             GROUP BY class, identified ORDER BY SUM(n) DESC, class",
        )?;
        Ok(st
            .query_map(params![site_id, from_day, to_day], |r| {
                Ok(ClassCount { class: r.get(0)?, identified: r.get(1)?, count: r.get::<_, i64>(2)? as u64 })
            })?
            .collect::<Result<_, _>>()?)
    }

    fn unique_companies(&self, site_id: i64, from_day: i64, to_day: i64) -> StoreResult<u64> {
        let c = self.reader();
        let n: i64 = c.query_row(
            "SELECT COUNT(DISTINCT company_key) FROM visits WHERE site_id = ?1 AND day BETWEEN ?2 AND ?3",
            params![site_id, from_day, to_day],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    fn visit_count(&self) -> StoreResult<u64> {
        let n: i64 = self.reader().query_row("SELECT COUNT(*) FROM visits", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    fn apply_opt_out(&self, row: &OptOutRow, now_ms: i64) -> StoreResult<u64> {
        let mut c = lock(&self.writer);
        let tx = c.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO opt_outs (kind, value, created_ms) VALUES (?1, ?2, ?3)",
            params![row.kind, row.value, now_ms],
        )?;
        let n = match row.kind.as_str() {
            "registry" => tx.execute("DELETE FROM visits WHERE registry = ?1", [&row.value])?,
            _ => tx.execute(
                "DELETE FROM visits WHERE domain = ?1 OR domain LIKE ?2 ESCAPE '\\'",
                params![
                    row.value,
                    format!("%.{}", row.value.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
                ],
            )?,
        };
        delete_orphan_profiles(&tx)?;
        tx.commit()?;
        self.profile_ids.lock().unwrap_or_else(|p| p.into_inner()).clear();
        Ok(n as u64)
    }

    fn opt_outs(&self) -> StoreResult<Vec<OptOutRow>> {
        let c = self.reader();
        let mut st = c.prepare("SELECT kind, value FROM opt_outs ORDER BY created_ms")?;
        Ok(st.query_map([], |r| Ok(OptOutRow { kind: r.get(0)?, value: r.get(1)? }))?.collect::<Result<_, _>>()?)
    }

    fn audit(&self, ts_ms: i64, actor: &str, action: &str, detail: &str) -> StoreResult<()> {
        lock(&self.writer).execute(
            "INSERT INTO audit (ts_ms, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![ts_ms, actor, action, detail],
        )?;
        Ok(())
    }

    fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let c = self.reader();
        let mut st = c.prepare("SELECT ts_ms, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?1")?;
        Ok(st
            .query_map([limit], |r| {
                Ok(AuditEntry { ts_ms: r.get(0)?, actor: r.get(1)?, action: r.get(2)?, detail: r.get(3)? })
            })?
            .collect::<Result<_, _>>()?)
    }

    fn purge_before(&self, before_ms: i64) -> StoreResult<u64> {
        let mut c = lock(&self.writer);
        let tx = c.transaction()?;
        let n = tx.execute("DELETE FROM visits WHERE ts_ms < ?1", [before_ms])?;
        if n > 0 {
            delete_orphan_profiles(&tx)?;
        }
        tx.commit()?;
        if n > 0 {
            self.profile_ids.lock().unwrap_or_else(|p| p.into_inner()).clear();
        }
        Ok(n as u64)
    }

    fn create_user(&self, email: &str, password_hash: &str, now_ms: i64) -> StoreResult<Option<User>> {
        let c = lock(&self.writer);
        let n = c.execute(
            "INSERT OR IGNORE INTO users (email, password_hash, created_ms) VALUES (?1, ?2, ?3)",
            params![email, password_hash, now_ms],
        )?;
        if n == 0 {
            return Ok(None);
        }
        Ok(Some(User {
            id: c.last_insert_rowid(),
            email: email.into(),
            password_hash: password_hash.into(),
            created_ms: now_ms,
        }))
    }

    fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        Ok(self
            .reader()
            .query_row("SELECT id, email, password_hash, created_ms FROM users WHERE email = ?1", [email], user_row)
            .optional()?)
    }

    fn user(&self, id: i64) -> StoreResult<Option<User>> {
        Ok(self
            .reader()
            .query_row("SELECT id, email, password_hash, created_ms FROM users WHERE id = ?1", [id], user_row)
            .optional()?)
    }

    fn set_role(&self, user_id: i64, site_id: i64, role: Role) -> StoreResult<()> {
        lock(&self.writer).execute(
            "INSERT INTO memberships (user_id, site_id, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role",
            params![user_id, site_id, role.as_str()],
        )?;
        Ok(())
    }

    fn memberships(&self, user_id: i64) -> StoreResult<Vec<(Site, Role)>> {
        let c = self.reader();
        let mut st = c.prepare(
            "SELECT s.id, s.name, s.public_key, s.created_ms, m.role FROM memberships m JOIN sites s ON s.id = m.site_id
             WHERE m.user_id = ?1 ORDER BY s.id",
        )?;
        Ok(st
            .query_map([user_id], |r| {
                let role: String = r.get(4)?;
                Ok((site_row(r)?, Role::parse(&role).unwrap_or(Role::Viewer)))
            })?
            .collect::<Result<_, _>>()?)
    }

    fn create_session(&self, digest: &str, user_id: i64, expires_ms: i64) -> StoreResult<()> {
        lock(&self.writer).execute(
            "INSERT INTO sessions (digest, user_id, expires_ms) VALUES (?1, ?2, ?3)",
            params![digest, user_id, expires_ms],
        )?;
        Ok(())
    }

    fn session_user(&self, digest: &str, now_ms: i64) -> StoreResult<Option<i64>> {
        Ok(self
            .reader()
            .query_row(
                "SELECT user_id FROM sessions WHERE digest = ?1 AND expires_ms > ?2",
                params![digest, now_ms],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn delete_session(&self, digest: &str) -> StoreResult<()> {
        lock(&self.writer).execute("DELETE FROM sessions WHERE digest = ?1", [digest])?;
        Ok(())
    }

    fn session_count(&self, user_id: i64, now_ms: i64) -> StoreResult<u64> {
        let n: i64 = self.reader().query_row(
            "SELECT COUNT(*) FROM sessions WHERE user_id = ?1 AND expires_ms > ?2",
            params![user_id, now_ms],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    fn create_invite(
        &self,
        digest: &str,
        site_id: i64,
        email: &str,
        role: Role,
        by: i64,
        now_ms: i64,
    ) -> StoreResult<()> {
        lock(&self.writer).execute(
            "INSERT INTO invites (digest, site_id, email, role, invited_by, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![digest, site_id, email, role.as_str(), by, now_ms],
        )?;
        Ok(())
    }

    fn take_invite(&self, digest: &str) -> StoreResult<Option<(i64, String, Role)>> {
        let mut c = lock(&self.writer);
        let tx = c.transaction()?;
        let row: Option<(i64, String, String)> = tx
            .query_row("SELECT site_id, email, role FROM invites WHERE digest = ?1", [digest], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        tx.execute("DELETE FROM invites WHERE digest = ?1", [digest])?;
        tx.commit()?;
        Ok(row.map(|(s, e, r)| (s, e, Role::parse(&r).unwrap_or(Role::Viewer))))
    }

    fn delete_user(&self, user_id: i64) -> StoreResult<()> {
        let mut c = lock(&self.writer);
        let tx = c.transaction()?;
        let email: Option<String> =
            tx.query_row("SELECT email FROM users WHERE id = ?1", [user_id], |r| r.get(0)).optional()?;
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
        tx.execute("DELETE FROM memberships WHERE user_id = ?1", [user_id])?;
        tx.execute("DELETE FROM invites WHERE invited_by = ?1", [user_id])?;
        if let Some(e) = email {
            tx.execute("DELETE FROM invites WHERE email = ?1", [e])?;
        }
        tx.execute("DELETE FROM users WHERE id = ?1", [user_id])?;
        tx.commit()?;
        Ok(())
    }
}
