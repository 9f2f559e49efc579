//! Storage behind one small trait, so a server database (Postgres) can follow the embedded
//! SQLite store when one machine is outgrown. Nothing stored here ever contains a visitor IP.

use serde::Serialize;

pub mod sqlite;

/// A storage error (never carries request data).
#[derive(Debug, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

/// Result alias.
pub type StoreResult<T> = Result<T, StoreError>;

/// A site as stored (the secret key only as a digest).
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// Site id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Public key embedded in the snippet.
    pub public_key: String,
    /// Creation time (ms).
    pub created_ms: i64,
}

/// One identified page view.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitEvent {
    /// Site id.
    pub site_id: i64,
    /// Time (ms).
    pub ts_ms: i64,
    /// Stable company key (`scheme:id`, else `domain:…`, else `name:…`).
    pub company_key: String,
    /// Display name at the time.
    pub company_name: String,
    /// `scheme:id` when known (for opt-out deletes).
    pub registry: Option<String>,
    /// Web domain when known (for opt-out deletes).
    pub domain: Option<String>,
    /// Profile snapshot (JSON of [`ipfirm::CompanyRecord`]).
    pub profile_json: String,
    /// Page URL (no query, no fragment).
    pub page: String,
    /// Page title.
    pub title: String,
    /// Referrer (origin and path only).
    pub referrer: String,
    /// Keyed hash with a daily salt that lives only in memory.
    pub visit_key: String,
}

/// One write for the batch writer.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// An identified visit.
    Visit(VisitEvent),
    /// An unidentified (or identified) beacon counted per site, day and class.
    Count {
        /// Site.
        site_id: i64,
        /// Day number.
        day: i64,
        /// Class name (`unknown` when no range matched).
        class: String,
        /// Whether it was identified.
        identified: bool,
    },
}

/// A company in the companies list.
#[derive(Debug, Clone, Serialize)]
pub struct CompanySummary {
    /// Company key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Latest profile snapshot.
    pub profile: serde_json::Value,
    /// Page views.
    pub page_views: u64,
    /// Distinct visit keys (visits).
    pub visits: u64,
    /// Distinct pages viewed.
    pub pages: Vec<String>,
    /// First seen (ms).
    pub first_seen_ms: i64,
    /// Last seen (ms).
    pub last_seen_ms: i64,
}

/// One page view in a company timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// Time (ms).
    pub ts_ms: i64,
    /// Page URL.
    pub page: String,
    /// Title.
    pub title: String,
    /// Referrer.
    pub referrer: String,
    /// Visit key (rotates daily).
    pub visit_key: String,
}

/// Beacon counts per class.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClassCount {
    /// Class name.
    pub class: String,
    /// Identified?
    pub identified: bool,
    /// Count.
    pub count: u64,
}

/// A dashboard account.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Email.
    pub email: String,
    /// Argon2id PHC string (never serialised).
    #[serde(skip)]
    pub password_hash: String,
    /// Created (ms).
    pub created_ms: i64,
}

/// A role on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// May invite and manage.
    Owner,
    /// Read only.
    Viewer,
}

impl Role {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Viewer => "viewer",
        }
    }
    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}

/// An audit-log row.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    /// Time (ms).
    pub ts_ms: i64,
    /// Who (`public`, `admin`, `user:<id>`).
    pub actor: String,
    /// What.
    pub action: String,
    /// Details.
    pub detail: String,
}

/// An opt-out as stored: kind (`registry` / `domain`) and value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct OptOutRow {
    /// `registry` or `domain`.
    pub kind: String,
    /// `SCHEME:ID` or the domain.
    pub value: String,
}

/// Everything the service stores.
pub trait Store: Send + Sync + 'static {
    /// Creates a site; returns it and the secret key (shown once; only its digest is stored).
    fn create_site(&self, name: &str) -> StoreResult<(Site, String)>;
    /// All sites.
    fn sites(&self) -> StoreResult<Vec<Site>>;
    /// The site whose secret key has this digest.
    fn site_by_secret_digest(&self, digest: &str) -> StoreResult<Option<Site>>;
    /// Replaces a site's secret key; returns the new secret.
    fn rotate_secret(&self, site_id: i64) -> StoreResult<String>;

    /// Applies a batch of writes in one transaction.
    fn write_batch(&self, batch: &[Write]) -> StoreResult<()>;
    /// Companies seen on a site between two day numbers (inclusive).
    fn companies(&self, site_id: i64, from_day: i64, to_day: i64, limit: u32) -> StoreResult<Vec<CompanySummary>>;
    /// One company's summary and timeline.
    fn company(
        &self,
        site_id: i64,
        key: &str,
        from_day: i64,
        to_day: i64,
    ) -> StoreResult<Option<(CompanySummary, Vec<TimelineEntry>)>>;
    /// Beacon counts per class.
    fn class_counts(&self, site_id: i64, from_day: i64, to_day: i64) -> StoreResult<Vec<ClassCount>>;
    /// Unique identified companies between two days.
    fn unique_companies(&self, site_id: i64, from_day: i64, to_day: i64) -> StoreResult<u64>;
    /// Total visit events stored (all sites).
    fn visit_count(&self) -> StoreResult<u64>;

    /// Records an opt-out and deletes matching visit events; returns the number deleted.
    fn apply_opt_out(&self, row: &OptOutRow, now_ms: i64) -> StoreResult<u64>;
    /// Every opt-out recorded.
    fn opt_outs(&self) -> StoreResult<Vec<OptOutRow>>;
    /// Appends to the audit log.
    fn audit(&self, ts_ms: i64, actor: &str, action: &str, detail: &str) -> StoreResult<()>;
    /// The audit log, newest first.
    fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// Deletes visit events older than `before_ms`; returns how many.
    fn purge_before(&self, before_ms: i64) -> StoreResult<u64>;

    /// Creates a user; `None` if the email is taken.
    fn create_user(&self, email: &str, password_hash: &str, now_ms: i64) -> StoreResult<Option<User>>;
    /// Finds a user by email.
    fn user_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    /// Finds a user by id.
    fn user(&self, id: i64) -> StoreResult<Option<User>>;
    /// Grants (or changes) a role.
    fn set_role(&self, user_id: i64, site_id: i64, role: Role) -> StoreResult<()>;
    /// A user's sites and roles.
    fn memberships(&self, user_id: i64) -> StoreResult<Vec<(Site, Role)>>;
    /// Creates a session.
    fn create_session(&self, digest: &str, user_id: i64, expires_ms: i64) -> StoreResult<()>;
    /// The user of a live session.
    fn session_user(&self, digest: &str, now_ms: i64) -> StoreResult<Option<i64>>;
    /// Ends a session.
    fn delete_session(&self, digest: &str) -> StoreResult<()>;
    /// Number of live sessions of a user.
    fn session_count(&self, user_id: i64, now_ms: i64) -> StoreResult<u64>;
    /// Stores an invite.
    fn create_invite(
        &self,
        digest: &str,
        site_id: i64,
        email: &str,
        role: Role,
        by: i64,
        now_ms: i64,
    ) -> StoreResult<()>;
    /// Consumes an invite: (site, email, role).
    fn take_invite(&self, digest: &str) -> StoreResult<Option<(i64, String, Role)>>;
    /// Deletes a user with sessions, memberships and invites they sent.
    fn delete_user(&self, user_id: i64) -> StoreResult<()>;
}
