//! Application state, the router (every route registered through one table that the OpenAPI
//! test reads), middleware (timeouts, logs without addresses, status metrics) and the public
//! endpoints: snippet, opt-out, health, metrics, admin API.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use serde::Deserialize;
use serde_json::json;

use crate::auth::RateLimiter;
use crate::config::Config;
use crate::ingest::{DailySalt, Writer};
use crate::ipdb::IpDb;
use crate::metrics::Metrics;
use crate::optout::{OptOutSet, Target};
use crate::store::{Store, StoreError};
use crate::util;

/// Shared state of all handlers.
#[derive(Clone)]
pub struct AppState {
    /// Configuration.
    pub config: Arc<Config>,
    /// The storage.
    pub store: Arc<dyn Store>,
    /// The ipfirm database.
    pub ipdb: Arc<IpDb>,
    /// Public site key → site id, for the hot path.
    pub site_keys: Arc<ArcSwap<HashMap<String, i64>>>,
    /// Opt-outs consulted on every lookup.
    pub opt_outs: Arc<OptOutSet>,
    /// Batch writer.
    pub writer: Arc<Writer>,
    /// Visit-key salt.
    pub salt: Arc<DailySalt>,
    /// Counters.
    pub metrics: Arc<Metrics>,
    /// Rate limits (logins, lookups, opt-outs).
    pub limiter: Arc<RateLimiter>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("listen", &self.config.listen).finish_non_exhaustive()
    }
}

impl AppState {
    /// Builds the state: loads sites and opt-outs from the store and starts the writer.
    ///
    /// # Errors
    /// Storage errors.
    pub fn new(config: Config, store: Arc<dyn Store>, ipdb: IpDb) -> Result<AppState, StoreError> {
        let metrics = Arc::new(Metrics::default());
        let opt_outs = Arc::new(OptOutSet::new(store.opt_outs()?.iter().filter_map(Target::from_row)));
        let writer = Writer::start(
            store.clone(),
            opt_outs.clone(),
            metrics.clone(),
            config.batch_size,
            config.flush_ms,
            config.queue_capacity,
        );
        let st = AppState {
            config: Arc::new(config),
            store,
            ipdb: Arc::new(ipdb),
            site_keys: Arc::new(ArcSwap::from_pointee(HashMap::new())),
            opt_outs,
            writer: Arc::new(writer),
            salt: Arc::new(DailySalt::default()),
            metrics,
            limiter: Arc::new(RateLimiter::default()),
        };
        st.refresh_sites()?;
        Ok(st)
    }

    /// Reloads the public-key map from the store.
    ///
    /// # Errors
    /// Storage errors.
    pub fn refresh_sites(&self) -> Result<(), StoreError> {
        let map = self.store.sites()?.into_iter().map(|s| (s.public_key, s.id)).collect();
        self.site_keys.store(Arc::new(map));
        Ok(())
    }

    /// Reloads the ipfirm database, logging and counting the result.
    pub fn reload_db(&self) -> Result<String, String> {
        let r = self.ipdb.reload();
        self.note_reload(&r);
        r
    }

    /// Logs and counts a reload result.
    pub fn note_reload(&self, r: &Result<String, String>) {
        match r {
            Ok(m) => {
                Metrics::inc(&self.metrics.db_reloads);
                tracing::info!(database = %m, "ipfirm database loaded");
            }
            Err(e) => {
                Metrics::inc(&self.metrics.db_reload_errors);
                tracing::error!(error = %e, "ipfirm database reload failed; the previous one keeps serving");
            }
        }
    }

    /// Runs the retention purge once.
    pub fn purge(&self) -> Result<u64, StoreError> {
        if self.config.retention_days == 0 {
            return Ok(0);
        }
        let cutoff = util::now_ms() - i64::from(self.config.retention_days) * 86_400_000;
        let n = self.store.purge_before(cutoff)?;
        self.metrics.purged.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        if n > 0 {
            tracing::info!(purged = n, days = self.config.retention_days, "retention purge");
        }
        Ok(n)
    }
}

/// An API error: user errors keep their message; internal errors are logged and become a generic 500.
#[derive(Debug)]
pub enum ApiError {
    /// A 4xx with a message.
    User(StatusCode, String),
    /// A 500; the message is logged, not returned.
    Internal(String),
}

impl ApiError {
    /// 400.
    pub fn bad(msg: impl Into<String>) -> ApiError {
        ApiError::User(StatusCode::BAD_REQUEST, msg.into())
    }
    /// 401.
    pub fn unauthorized() -> ApiError {
        ApiError::User(StatusCode::UNAUTHORIZED, "missing or wrong key".into())
    }
    /// 404.
    pub fn not_found(msg: impl Into<String>) -> ApiError {
        ApiError::User(StatusCode::NOT_FOUND, msg.into())
    }
    /// 429.
    pub fn too_many() -> ApiError {
        ApiError::User(StatusCode::TOO_MANY_REQUESTS, "rate limit exceeded, slow down".into())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::User(s, m) => (s, Json(json!({ "error": m }))).into_response(),
            ApiError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "error": "internal error" }))).into_response()
            }
        }
    }
}

/// Runs a store call off the async workers.
pub async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = st.store.clone();
    tokio::task::spawn_blocking(move || f(&*store))
        .await
        .map_err(|e| ApiError::Internal(format!("task failed: {e}")))?
        .map_err(ApiError::from)
}

/// One registered route: method and path template (axum syntax, `{param}`).
pub type RouteSpec = (&'static str, &'static str);

/// A router that remembers what it registered, so the OpenAPI test can compare.
pub struct Routes {
    router: Router<AppState>,
    list: Vec<RouteSpec>,
}

impl std::fmt::Debug for Routes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Routes").field("list", &self.list).finish_non_exhaustive()
    }
}

impl Routes {
    fn add(mut self, method: &'static str, path: &'static str, mr: MethodRouter<AppState>) -> Self {
        self.list.push((method, path));
        self.router = self.router.route(path, mr);
        self
    }
}

fn m(method: &'static str) -> MethodFilter {
    match method {
        "POST" => MethodFilter::POST,
        "OPTIONS" => MethodFilter::OPTIONS,
        "DELETE" => MethodFilter::DELETE,
        _ => MethodFilter::GET,
    }
}

macro_rules! route {
    ($routes:expr, $method:literal, $path:literal, $handler:expr) => {
        $routes.add($method, $path, on(m($method), $handler))
    };
}

/// Every route of the service.
pub fn routes(st: &AppState) -> Routes {
    use crate::{dashboard as d, ingest as i, portal as p};
    let r = Routes { router: Router::new(), list: Vec::new() };
    let beacon_limit = DefaultBodyLimit::max(st.config.max_beacon_bytes);
    let r = r.add("POST", "/collect", on(MethodFilter::POST, i::collect).layer(beacon_limit));
    let r = route!(r, "OPTIONS", "/collect", i::collect_preflight);
    let r = route!(r, "GET", "/t.js", snippet);
    let r = route!(r, "GET", "/healthz", healthz);
    let r = route!(r, "GET", "/metrics", metrics);
    let r = route!(r, "GET", "/openapi.json", openapi);
    let r = route!(r, "GET", "/opt-out", opt_out_page);
    let r = route!(r, "POST", "/opt-out", opt_out);
    // Portal API (secret key).
    let r = route!(r, "GET", "/v1/site", p::site);
    let r = route!(r, "GET", "/v1/companies", p::companies);
    let r = route!(r, "GET", "/v1/companies/{key}", p::company);
    let r = route!(r, "GET", "/v1/export.csv", p::export_csv);
    let r = route!(r, "GET", "/v1/stats", p::stats);
    let r = route!(r, "GET", "/v1/usage", p::usage);
    let r = route!(r, "GET", "/v1/lookup/{ip}", p::lookup);
    // Admin API (admin token).
    let r = route!(r, "GET", "/admin/sites", admin_sites);
    let r = route!(r, "POST", "/admin/sites", admin_create_site);
    let r = route!(r, "POST", "/admin/users", admin_create_user);
    let r = route!(r, "POST", "/admin/reload", admin_reload);
    let r = route!(r, "POST", "/admin/purge", admin_purge);
    let r = route!(r, "GET", "/admin/audit", admin_audit);
    // Dashboard and accounts (session cookie).
    let r = route!(r, "GET", "/", d::root);
    let r = route!(r, "GET", "/login", d::login_page);
    let r = route!(r, "POST", "/login", d::login);
    let r = route!(r, "POST", "/logout", d::logout);
    let r = route!(r, "GET", "/dashboard", d::sites);
    let r = route!(r, "GET", "/dashboard/sites/{site}", d::site);
    let r = route!(r, "GET", "/dashboard/sites/{site}/companies/{key}", d::company);
    let r = route!(r, "GET", "/dashboard/sites/{site}/export.csv", d::export_csv);
    let r = route!(r, "POST", "/dashboard/sites/{site}/invites", d::invite);
    let r = route!(r, "GET", "/invite/{token}", d::invite_page);
    let r = route!(r, "POST", "/invite/{token}", d::accept_invite);
    let r = route!(r, "GET", "/account", d::account);
    let r = route!(r, "GET", "/account/data", d::account_data);
    route!(r, "POST", "/account/delete", d::delete_account)
}

/// The paths and methods the router serves.
pub fn route_list(st: &AppState) -> Vec<RouteSpec> {
    routes(st).list
}

/// The complete application.
pub fn app(st: AppState) -> Router {
    let timeout = Duration::from_millis(st.config.request_timeout_ms.max(1));
    routes(&st)
        .router
        .layer(axum::middleware::from_fn_with_state(st.clone(), observe))
        .layer(axum::middleware::from_fn(move |req: Request, next: Next| async move {
            match tokio::time::timeout(timeout, next.run(req)).await {
                Ok(r) => r,
                Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "request timed out").into_response(),
            }
        }))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(st)
}

/// Counts statuses and logs method, route template, status and latency — never the URI (a
/// lookup path holds an address), never the peer, never headers.
async fn observe(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let mut resp = next.run(req).await;
    let status = resp.status().as_u16();
    if let Some(c) = st.metrics.http.get((status / 100).saturating_sub(1) as usize) {
        Metrics::inc(c);
    }
    let route = route.as_deref().unwrap_or("(unmatched)");
    if route != "/collect" {
        tracing::debug!(%method, route, status, micros = start.elapsed().as_micros() as u64, "request");
    } else {
        tracing::trace!(%method, route, status, micros = start.elapsed().as_micros() as u64, "request");
    }
    let h = resp.headers_mut();
    h.entry(header::X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    h.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("no-referrer"));
    resp
}

const SNIPPET: &str = include_str!("../assets/t.js");
/// The OpenAPI description served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

async fn snippet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SNIPPET,
    )
        .into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn healthz(State(st): State<AppState>) -> Json<serde_json::Value> {
    let db = st.ipdb.load();
    Json(json!({ "status": "ok", "companies": db.company_count(), "built": db.metadata().build_time }))
}

async fn metrics(State(st): State<AppState>) -> Response {
    let db = st.ipdb.load();
    let body = st.metrics.render(&[
        ("ipfirm_companies", "Companies in the loaded ipfirm database.", db.company_count() as f64),
        ("ipfirm_opt_out_entries", "Opt-outs in force.", st.opt_outs.len() as f64),
        ("ipfirm_sites", "Sites.", st.site_keys.load().len() as f64),
    ]);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// An opt-out request: exactly one of `registry` (`SCHEME:ID`) or `domain`.
#[derive(Debug, Deserialize)]
pub struct OptOutRequest {
    /// `SCHEME:ID`, e.g. `LEI:5299…`.
    #[serde(default)]
    pub registry: Option<String>,
    /// A domain, e.g. `example.com` (subdomains included).
    #[serde(default)]
    pub domain: Option<String>,
}

async fn opt_out_page() -> Response {
    axum::response::Html(crate::dashboard::page(
        "Opt out",
        "<h1>Exclude your organisation</h1>\
         <p>Give your company's registry id (e.g. <code>LEI:5299…</code>, <code>GB-CH:01234567</code>) or its web \
         domain. From then on visits from your networks are not attributed to your organisation, stored visits are \
         deleted, and the next database build leaves you out.</p>\
         <form method=post action=/opt-out><label>Registry id <input name=registry></label> or \
         <label>domain <input name=domain></label> <button>Opt out</button></form>",
    ))
    .into_response()
}

async fn opt_out(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    if !st.limiter.allow("opt-out", 5.0, 50.0) {
        Metrics::inc(&st.metrics.rate_limited);
        return Err(ApiError::too_many());
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let req: OptOutRequest = if is_form {
        serde_urlencoded::from_bytes(&body).map_err(|e| ApiError::bad(format!("bad form: {e}")))?
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad(format!("body must be JSON {{\"registry\"|\"domain\"}}: {e}")))?
    };
    let target = match (
        req.registry.as_deref().filter(|s| !s.trim().is_empty()),
        req.domain.as_deref().filter(|s| !s.trim().is_empty()),
    ) {
        (Some(r), None) => Target::registry(r),
        (None, Some(d)) => Target::domain(d),
        _ => Err("give exactly one of registry or domain".to_string()),
    }
    .map_err(ApiError::bad)?;
    let row = target.row();
    // 1. In memory first: new lookups stop matching immediately.
    st.opt_outs.insert(target.clone());
    // 2. The list the next `ipfirm build` reads.
    let list = st.config.opt_out_file.clone();
    let t2 = target.clone();
    let file = tokio::task::spawn_blocking(move || crate::optout::append_to_list(&list, &t2))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Err(e) = &file {
        tracing::error!(error = %e, "could not append to the opt-out list");
    }
    // 3. Delete stored visits (after everything queued so far) and audit.
    let writer = st.writer.clone();
    let r2 = row.clone();
    let deleted = tokio::task::spawn_blocking(move || writer.opt_out(r2))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    let detail = format!(
        "{}:{} deleted_visits={deleted} list={}",
        row.kind,
        row.value,
        if file.is_ok() { "ok" } else { "failed" }
    );
    blocking(&st, move |s| s.audit(util::now_ms(), "public", "opt-out", &detail)).await?;
    Metrics::inc(&st.metrics.opt_outs);
    tracing::info!(kind = %row.kind, value = %row.value, deleted, "opt-out applied");
    if let Err(e) = file {
        return Err(ApiError::Internal(e));
    }
    Ok(Json(json!({ "opted_out": { "kind": row.kind, "value": row.value }, "deleted_visits": deleted }))
        .into_response())
}

fn admin_auth(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let token = &st.config.admin_token;
    if token.is_empty() {
        return Err(ApiError::User(StatusCode::FORBIDDEN, "admin API disabled (no admin_token configured)".into()));
    }
    match bearer(headers) {
        Some(t) if util::digest_hex(t) == util::digest_hex(token) => Ok(()),
        _ => Err(ApiError::unauthorized()),
    }
}

/// The `Authorization: Bearer …` token.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

#[derive(Debug, Deserialize)]
struct NewSite {
    name: String,
}

/// Creates a site and returns its keys and snippet.
pub fn create_site(st: &AppState, name: &str) -> Result<serde_json::Value, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(ApiError::bad("name must be 1–200 characters"));
    }
    let (site, secret) = st.store.create_site(name)?;
    st.refresh_sites()?;
    st.store.audit(util::now_ms(), "admin", "create-site", &format!("site={}", site.id))?;
    let snippet = format!(
        "<script src=\"{}/t.js\" data-site=\"{}\" async></script>",
        st.config.public_url.trim_end_matches('/'),
        site.public_key
    );
    Ok(
        json!({ "id": site.id, "name": site.name, "public_key": site.public_key, "secret_key": secret, "snippet": snippet }),
    )
}

async fn admin_sites(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    admin_auth(&st, &headers)?;
    Ok(Json(blocking(&st, |s| s.sites()).await?).into_response())
}

async fn admin_create_site(
    State(st): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<NewSite>,
) -> Result<Response, ApiError> {
    admin_auth(&st, &headers)?;
    let st2 = st.clone();
    let v = tokio::task::spawn_blocking(move || create_site(&st2, &req.name))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

#[derive(Debug, Deserialize)]
struct NewUser {
    email: String,
    password: String,
    site_id: Option<i64>,
    role: Option<crate::store::Role>,
}

/// Creates an account (and optionally a role on a site).
pub fn create_user(
    st: &AppState,
    email: &str,
    password: &str,
    site: Option<(i64, crate::store::Role)>,
) -> Result<serde_json::Value, ApiError> {
    let email = crate::auth::normalise_email(email).map_err(ApiError::bad)?;
    crate::auth::check_password_rules(password).map_err(ApiError::bad)?;
    if let Some((sid, _)) = site
        && !st.store.sites()?.iter().any(|s| s.id == sid)
    {
        return Err(ApiError::not_found(format!("no site {sid}")));
    }
    let hash = crate::auth::hash_password(password, st.config.argon2_m_kib).map_err(ApiError::Internal)?;
    let user = st
        .store
        .create_user(&email, &hash, util::now_ms())?
        .ok_or_else(|| ApiError::User(StatusCode::CONFLICT, "an account with this email exists".into()))?;
    if let Some((sid, role)) = site {
        st.store.set_role(user.id, sid, role)?;
    }
    st.store.audit(util::now_ms(), "admin", "create-user", &format!("user={}", user.id))?;
    Ok(json!({ "id": user.id, "email": user.email }))
}

async fn admin_create_user(
    State(st): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<NewUser>,
) -> Result<Response, ApiError> {
    admin_auth(&st, &headers)?;
    let st2 = st.clone();
    let site = req.site_id.map(|s| (s, req.role.unwrap_or(crate::store::Role::Owner)));
    let v = tokio::task::spawn_blocking(move || create_user(&st2, &req.email, &req.password, site))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

async fn admin_reload(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    admin_auth(&st, &headers)?;
    let st2 = st.clone();
    let r =
        tokio::task::spawn_blocking(move || st2.reload_db()).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    match r {
        Ok(m) => Ok(Json(json!({ "reloaded": m })).into_response()),
        Err(e) => {
            Err(ApiError::User(StatusCode::UNPROCESSABLE_ENTITY, format!("reload failed, old database kept: {e}")))
        }
    }
}

async fn admin_purge(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    admin_auth(&st, &headers)?;
    let st2 = st.clone();
    let n = tokio::task::spawn_blocking(move || st2.purge()).await.map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(Json(json!({ "purged": n, "retention_days": st.config.retention_days })).into_response())
}

async fn admin_audit(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    admin_auth(&st, &headers)?;
    Ok(Json(blocking(&st, |s| s.audit_log(1000)).await?).into_response())
}

/// Method names the route table uses.
pub fn method_of(s: &str) -> Method {
    Method::from_bytes(s.as_bytes()).unwrap_or(Method::GET)
}
