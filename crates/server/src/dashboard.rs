//! The server-rendered dashboard and the account pages (plain HTML forms, no scripts).

use std::sync::OnceLock;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::app::{ApiError, AppState, blocking};
use crate::auth;
use crate::metrics::Metrics;
use crate::portal::{self, Range};
use crate::store::{Role, Site, User};
use crate::util::{self, esc, url_encode};

/// Wraps a body in the page layout.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
         <title>{} · ipfirm</title><style>body{{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;\
         padding:0 1rem;color:#1d2433}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #dde;\
         padding:.35rem .5rem;text-align:left;vertical-align:top}}th{{background:#f3f5f9}}nav a,nav form{{margin-right:1rem;\
         display:inline}}.muted{{color:#667}}.card{{display:inline-block;border:1px solid #dde;border-radius:6px;padding:.6rem 1rem;\
         margin:0 .6rem .6rem 0}}.err{{color:#b00020}}code{{background:#f3f5f9;padding:0 .2rem}}</style></head><body>{}</body></html>",
        esc(title),
        body
    )
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let mut r = (status, Html(page(title, body))).into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn nav(user: &User) -> String {
    format!(
        "<nav><a href=/dashboard>Sites</a><a href=/account>Account ({})</a>\
         <form method=post action=/logout><button>Sign out</button></form></nav>",
        esc(&user.email)
    )
}

/// The signed-in user, if any.
pub async fn current_user(st: &AppState, headers: &HeaderMap) -> Result<Option<User>, ApiError> {
    let Some(token) = auth::session_token(headers) else { return Ok(None) };
    let digest = util::digest_hex(&token);
    blocking(st, move |s| match s.session_user(&digest, util::now_ms())? {
        Some(id) => s.user(id),
        None => Ok(None),
    })
    .await
}

enum Gate {
    User(User),
    Login(Response),
}

async fn require_user(st: &AppState, headers: &HeaderMap) -> Result<Gate, ApiError> {
    Ok(match current_user(st, headers).await? {
        Some(u) => Gate::User(u),
        None => Gate::Login(Redirect::to("/login").into_response()),
    })
}

async fn site_role(st: &AppState, user: &User, site_id: i64) -> Result<(Site, Role), ApiError> {
    let uid = user.id;
    blocking(st, move |s| s.memberships(uid))
        .await?
        .into_iter()
        .find(|(s, _)| s.id == site_id)
        // The same answer for "no such site" and "not yours".
        .ok_or_else(|| ApiError::not_found("no such site"))
}

macro_rules! user_or_login {
    ($st:expr, $headers:expr) => {
        match require_user(&$st, &$headers).await? {
            Gate::User(u) => u,
            Gate::Login(r) => return Ok(r),
        }
    };
}

/// `GET /`.
pub async fn root(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    Ok(match current_user(&st, &headers).await? {
        Some(_) => Redirect::to("/dashboard").into_response(),
        None => Redirect::to("/login").into_response(),
    })
}

fn login_form(msg: &str) -> String {
    format!(
        "<h1>Sign in</h1>{}<form method=post action=/login><p><label>Email<br><input name=email type=email required \
         autocomplete=username></label></p><p><label>Password<br><input name=password type=password required \
         autocomplete=current-password></label></p><p><button>Sign in</button></p></form>\
         <p class=muted><a href=/opt-out>Exclude your organisation from identification</a></p>",
        if msg.is_empty() { String::new() } else { format!("<p class=err>{}</p>", esc(msg)) }
    )
}

/// `GET /login`.
pub async fn login_page() -> Response {
    html(StatusCode::OK, "Sign in", &login_form(""))
}

/// Login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

fn dummy_hash(m_kib: u32) -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| auth::hash_password("dummy password for timing", m_kib).unwrap_or_default())
}

/// `POST /login`: rate-limited per email; the same answer and similar time for unknown emails.
pub async fn login(State(st): State<AppState>, axum::Form(f): axum::Form<LoginForm>) -> Result<Response, ApiError> {
    let email = f.email.trim().to_ascii_lowercase();
    let per = f64::from(st.config.login_attempts_per_15min.max(1));
    if !st.limiter.allow(&format!("login:{email}"), per / 900.0, per) || !st.limiter.allow("login:*", 50.0, 200.0) {
        Metrics::inc(&st.metrics.rate_limited);
        return Ok(html(
            StatusCode::TOO_MANY_REQUESTS,
            "Sign in",
            &login_form("Too many attempts; wait a few minutes."),
        ));
    }
    let e2 = email.clone();
    let user = blocking(&st, move |s| s.user_by_email(&e2)).await?;
    let m_kib = st.config.argon2_m_kib;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || match stored {
        Some(h) => auth::verify_password(&f.password, &h),
        None => {
            let _ = auth::verify_password(&f.password, dummy_hash(m_kib));
            false
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let Some(user) = user.filter(|_| ok) else {
        return Ok(html(StatusCode::UNAUTHORIZED, "Sign in", &login_form("Wrong email or password.")));
    };
    let token = util::token("s_");
    let digest = util::digest_hex(&token);
    let max_age = u64::from(st.config.session_hours) * 3600;
    let expires = util::now_ms() + (max_age as i64) * 1000;
    let uid = user.id;
    blocking(&st, move |s| s.create_session(&digest, uid, expires)).await?;
    let mut r = Redirect::to("/dashboard").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(&token, max_age, st.config.cookie_secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// `POST /logout`.
pub async fn logout(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(t) = auth::session_token(&headers) {
        let d = util::digest_hex(&t);
        blocking(&st, move |s| s.delete_session(&d)).await?;
    }
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(st.config.cookie_secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// `GET /dashboard`: the user's sites.
pub async fn sites(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let user = user_or_login!(st, headers);
    let uid = user.id;
    let sites = blocking(&st, move |s| s.memberships(uid)).await?;
    let mut b = format!("{}<h1>Your sites</h1>", nav(&user));
    if sites.is_empty() {
        b.push_str("<p>No sites yet. Ask an owner for an invite.</p>");
    }
    b.push_str("<ul>");
    for (s, role) in &sites {
        b.push_str(&format!(
            "<li><a href=\"/dashboard/sites/{}\">{}</a> <span class=muted>({})</span></li>",
            s.id,
            esc(&s.name),
            role.as_str()
        ));
    }
    b.push_str("</ul>");
    Ok(html(StatusCode::OK, "Sites", &b))
}

/// `GET /dashboard/sites/{site}`: identification rate, month usage and tier, companies.
pub async fn site(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(site_id): Path<i64>,
    Query(q): Query<Range>,
) -> Result<Response, ApiError> {
    let user = user_or_login!(st, headers);
    let (site, role) = site_role(&st, &user, site_id).await?;
    let (from, to) = q.days()?;
    let rows = blocking(&st, move |s| s.companies(site_id, from, to, 500)).await?;
    let counts = blocking(&st, move |s| s.class_counts(site_id, from, to)).await?;
    let stats = portal::stats_json(&counts);
    let usage = portal::usage_json(&st, site_id, None).await?;
    let range_q = format!("from={}&to={}", util::format_day(from), util::format_day(to));
    let mut b = format!(
        "{}<h1>{}</h1><p class=muted>Snippet: <code>{}</code></p>\
         <form method=get><label>From <input type=date name=from value={}></label> \
         <label>to <input type=date name=to value={}></label> <button>Show</button> \
         <a href=\"/dashboard/sites/{site_id}/export.csv?{range_q}\">Export CSV</a></form>\
         <p><span class=card>Beacons<br><b>{}</b></span><span class=card>Identified<br><b>{}</b></span>\
         <span class=card>Identification rate<br><b>{:.1}%</b></span><span class=card>Companies this month ({})<br>\
         <b>{}</b> · {}</span></p>",
        nav(&user),
        esc(&site.name),
        esc(&format!(
            "<script src=\"{}/t.js\" data-site=\"{}\" async></script>",
            st.config.public_url.trim_end_matches('/'),
            site.public_key
        )),
        util::format_day(from),
        util::format_day(to),
        stats["beacons"],
        stats["identified"],
        stats["identification_rate"].as_f64().unwrap_or(0.0) * 100.0,
        esc(usage["month"].as_str().unwrap_or("")),
        usage["unique_companies"],
        esc(usage["price"].as_str().unwrap_or("")),
    );
    b.push_str(
        "<h2>Companies</h2><table><tr><th>Company</th><th>Country</th><th>Visits</th><th>Page views</th>\
         <th>Pages</th><th>First seen</th><th>Last seen</th></tr>",
    );
    for c in &rows {
        let country = c.profile.get("country").and_then(|v| v.as_str()).unwrap_or("");
        b.push_str(&format!(
            "<tr><td><a href=\"/dashboard/sites/{site_id}/companies/{}?{range_q}\">{}</a></td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            url_encode(&c.key),
            esc(&c.name),
            esc(country),
            c.visits,
            c.page_views,
            c.pages.len(),
            util::format_ts(c.first_seen_ms),
            util::format_ts(c.last_seen_ms)
        ));
    }
    b.push_str("</table>");
    if rows.is_empty() {
        b.push_str("<p class=muted>No identified companies in this range.</p>");
    }
    if role == Role::Owner {
        b.push_str(&format!(
            "<h2>Invite a colleague</h2><form method=post action=\"/dashboard/sites/{site_id}/invites\">\
             <input name=email type=email required placeholder=email> <select name=role><option>viewer</option>\
             <option>owner</option></select> <button>Create invite link</button></form>"
        ));
    }
    Ok(html(StatusCode::OK, &site.name, &b))
}

/// `GET /dashboard/sites/{site}/companies/{key}`.
pub async fn company(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((site_id, key)): Path<(i64, String)>,
    Query(q): Query<Range>,
) -> Result<Response, ApiError> {
    let user = user_or_login!(st, headers);
    let (site, _) = site_role(&st, &user, site_id).await?;
    let (c, timeline) = portal::company_data(&st, site_id, key, &q).await?;
    let mut b = format!(
        "{}<p><a href=\"/dashboard/sites/{site_id}\">← {}</a></p><h1>{}</h1><table>",
        nav(&user),
        esc(&site.name),
        esc(&c.name)
    );
    let p = &c.profile;
    let field = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let registry =
        p.get("registry").and_then(|r| Some(format!("{}:{}", r.get("scheme")?.as_str()?, r.get("id")?.as_str()?)));
    for (label, v) in [
        ("Legal name", field("legal_name")),
        ("Country", field("country")),
        ("Domain", field("domain")),
        ("Registry", registry),
        ("Legal form", field("legal_form")),
        ("Address", field("address")),
        ("Industry", field("industry_code")),
    ] {
        if let Some(v) = v {
            b.push_str(&format!("<tr><th>{label}</th><td>{}</td></tr>", esc(&v)));
        }
    }
    b.push_str(&format!(
        "<tr><th>Visits</th><td>{}</td></tr><tr><th>Page views</th><td>{}</td></tr></table><h2>Timeline</h2>\
         <table><tr><th>Time</th><th>Page</th><th>Title</th><th>Referrer</th></tr>",
        c.visits, c.page_views
    ));
    for t in &timeline {
        b.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            util::format_ts(t.ts_ms),
            esc(&t.page),
            esc(&t.title),
            esc(&t.referrer)
        ));
    }
    b.push_str("</table>");
    Ok(html(StatusCode::OK, &c.name, &b))
}

/// `GET /dashboard/sites/{site}/export.csv`.
pub async fn export_csv(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(site_id): Path<i64>,
    Query(q): Query<Range>,
) -> Result<Response, ApiError> {
    let user = user_or_login!(st, headers);
    site_role(&st, &user, site_id).await?;
    let (from, to) = q.days()?;
    let rows = blocking(&st, move |s| s.companies(site_id, from, to, 1_000_000)).await?;
    Ok(portal::csv_response(portal::companies_csv(rows)?, "companies.csv"))
}

/// Invite form.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    email: String,
    role: String,
}

/// `POST /dashboard/sites/{site}/invites` (owners): shows a one-time invite link.
pub async fn invite(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(site_id): Path<i64>,
    axum::Form(f): axum::Form<InviteForm>,
) -> Result<Response, ApiError> {
    let user = user_or_login!(st, headers);
    let (site, role) = site_role(&st, &user, site_id).await?;
    if role != Role::Owner {
        return Err(ApiError::User(StatusCode::FORBIDDEN, "only owners can invite".into()));
    }
    let email = auth::normalise_email(&f.email).map_err(ApiError::bad)?;
    let new_role = Role::parse(&f.role).ok_or_else(|| ApiError::bad("role must be owner or viewer"))?;
    let token = util::token("inv_");
    let digest = util::digest_hex(&token);
    let (uid, e2) = (user.id, email.clone());
    blocking(&st, move |s| {
        s.create_invite(&digest, site_id, &e2, new_role, uid, util::now_ms())?;
        s.audit(util::now_ms(), &format!("user:{uid}"), "invite", &format!("site={site_id} role={}", new_role.as_str()))
    })
    .await?;
    let link = format!("{}/invite/{token}", st.config.public_url.trim_end_matches('/'));
    let b = format!(
        "{}<h1>Invite created</h1><p>Send this one-time link to {} ({} on {}):</p><p><code>{}</code></p>\
         <p><a href=\"/dashboard/sites/{site_id}\">Back</a></p>",
        nav(&user),
        esc(&email),
        new_role.as_str(),
        esc(&site.name),
        esc(&link)
    );
    Ok(html(StatusCode::OK, "Invite", &b))
}

/// `GET /invite/{token}`.
pub async fn invite_page(Path(token): Path<String>) -> Response {
    html(
        StatusCode::OK,
        "Accept invite",
        &format!(
            "<h1>Accept invite</h1><p>New here? Choose a password (at least 10 characters). Already have an account? \
             Enter its password.</p><form method=post action=\"/invite/{}\"><p><input name=password type=password \
             required></p><p><button>Accept</button></p></form>",
            url_encode(&token)
        ),
    )
}

/// Accept-invite form.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    password: String,
}

/// `POST /invite/{token}`: creates the account (or checks the existing one's password) and grants the role.
pub async fn accept_invite(
    State(st): State<AppState>,
    Path(token): Path<String>,
    axum::Form(f): axum::Form<AcceptForm>,
) -> Result<Response, ApiError> {
    let digest = util::digest_hex(&token);
    let d2 = digest.clone();
    let Some((site_id, email, role)) = blocking(&st, move |s| s.take_invite(&d2)).await? else {
        return Err(ApiError::not_found("invite unknown or already used"));
    };
    let st2 = st.clone();
    let (e2, pw) = (email.clone(), f.password);
    let result = tokio::task::spawn_blocking(move || -> Result<i64, ApiError> {
        let s = &st2.store;
        let uid = match s.user_by_email(&e2)? {
            Some(u) if auth::verify_password(&pw, &u.password_hash) => u.id,
            Some(_) => {
                return Err(ApiError::User(StatusCode::UNAUTHORIZED, "wrong password for the existing account".into()));
            }
            None => {
                auth::check_password_rules(&pw).map_err(ApiError::bad)?;
                let h = auth::hash_password(&pw, st2.config.argon2_m_kib).map_err(ApiError::Internal)?;
                s.create_user(&e2, &h, util::now_ms())?.ok_or_else(|| ApiError::Internal("user race".into()))?.id
            }
        };
        s.set_role(uid, site_id, role)?;
        s.audit(
            util::now_ms(),
            &format!("user:{uid}"),
            "accept-invite",
            &format!("site={site_id} role={}", role.as_str()),
        )?;
        Ok(uid)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    match result {
        Ok(_) => Ok(html(StatusCode::OK, "Welcome", "<h1>Invite accepted</h1><p><a href=/login>Sign in</a></p>")),
        Err(e) => {
            // Give the invite back so a typo does not burn it.
            let by = 0;
            blocking(&st, move |s| s.create_invite(&digest, site_id, &email, role, by, util::now_ms())).await?;
            Err(e)
        }
    }
}

/// The user's own data (everything stored about them, minus the password hash).
async fn own_data(st: &AppState, user: &User) -> Result<serde_json::Value, ApiError> {
    let uid = user.id;
    let (sites, sessions) =
        blocking(st, move |s| Ok((s.memberships(uid)?, s.session_count(uid, util::now_ms())?))).await?;
    let sites: Vec<_> = sites.iter().map(|(s, r)| json!({ "site_id": s.id, "site": s.name, "role": r })).collect();
    Ok(json!({
        "id": user.id,
        "email": user.email,
        "created": util::format_ts(user.created_ms),
        "password": "stored only as an argon2id hash",
        "memberships": sites,
        "active_sessions": sessions,
    }))
}

/// `GET /account`.
pub async fn account(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let user = user_or_login!(st, headers);
    let data = own_data(&st, &user).await?;
    let pretty = serde_json::to_string_pretty(&data).unwrap_or_default();
    let b = format!(
        "{}<h1>Your account</h1><p>This is everything stored about you:</p><pre>{}</pre>\
         <p><a href=/account/data>Download as JSON</a></p><h2>Erase my account</h2>\
         <form method=post action=/account/delete><label>Password <input name=password type=password required></label> \
         <button>Erase my account and data</button></form>",
        nav(&user),
        esc(&pretty)
    );
    Ok(html(StatusCode::OK, "Account", &b))
}

/// `GET /account/data`.
pub async fn account_data(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(user) = current_user(&st, &headers).await? else {
        return Err(ApiError::User(StatusCode::UNAUTHORIZED, "sign in first".into()));
    };
    Ok(Json(own_data(&st, &user).await?).into_response())
}

/// `POST /account/delete`: erases the account, its sessions, memberships and invites.
pub async fn delete_account(
    State(st): State<AppState>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<AcceptForm>,
) -> Result<Response, ApiError> {
    let user = user_or_login!(st, headers);
    let stored = user.password_hash.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&f.password, &stored))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !ok {
        return Err(ApiError::User(StatusCode::UNAUTHORIZED, "wrong password".into()));
    }
    let uid = user.id;
    blocking(&st, move |s| {
        s.delete_user(uid)?;
        s.audit(util::now_ms(), &format!("user:{uid}"), "erase-account", "")
    })
    .await?;
    let mut r = html(StatusCode::OK, "Erased", "<h1>Your account and its data are erased.</h1>");
    if let Ok(v) = HeaderValue::from_str(&auth::clear_cookie(st.config.cookie_secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}
