//! The portal API, authenticated with a site's secret key (`Authorization: Bearer sk_…`).

use std::net::IpAddr;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::app::{ApiError, AppState, bearer, blocking};
use crate::metrics::Metrics;
use crate::store::{ClassCount, CompanySummary, Site, TimelineEntry};
use crate::util;

/// `from` / `to` (inclusive, `YYYY-MM-DD`, UTC); default: the last 30 days.
#[derive(Debug, Default, Deserialize)]
pub struct Range {
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    /// Max rows.
    pub limit: Option<u32>,
}

impl Range {
    /// Day numbers.
    ///
    /// # Errors
    /// A 400 naming the bad parameter.
    pub fn days(&self) -> Result<(i64, i64), ApiError> {
        let today = util::day_of(util::now_ms());
        let parse = |name: &str, v: &Option<String>, default: i64| match v.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => util::parse_date(s).ok_or_else(|| ApiError::bad(format!("{name} must be a date YYYY-MM-DD"))),
        };
        let to = parse("to", &self.to, today)?;
        let from = parse("from", &self.from, to - 29)?;
        if from > to {
            return Err(ApiError::bad("from is after to"));
        }
        Ok((from, to))
    }
}

/// The site whose secret key is presented.
pub async fn site_from_key(st: &AppState, headers: &HeaderMap) -> Result<Site, ApiError> {
    let key = bearer(headers).filter(|k| k.starts_with("sk_")).ok_or_else(ApiError::unauthorized)?;
    let digest = util::digest_hex(key);
    blocking(st, move |s| s.site_by_secret_digest(&digest)).await?.ok_or_else(ApiError::unauthorized)
}

/// A company row as the API shows it.
#[derive(Debug, Serialize)]
pub struct CompanyOut {
    /// Key (use in `/v1/companies/{key}`).
    pub key: String,
    /// Name.
    pub name: String,
    /// Profile snapshot.
    pub profile: serde_json::Value,
    /// Page views.
    pub page_views: u64,
    /// Visits (distinct daily visit keys).
    pub visits: u64,
    /// Distinct pages.
    pub pages: Vec<String>,
    /// First seen (RFC 3339).
    pub first_seen: String,
    /// Last seen.
    pub last_seen: String,
}

impl From<CompanySummary> for CompanyOut {
    fn from(c: CompanySummary) -> Self {
        CompanyOut {
            key: c.key,
            name: c.name,
            profile: c.profile,
            page_views: c.page_views,
            visits: c.visits,
            pages: c.pages,
            first_seen: util::format_ts(c.first_seen_ms),
            last_seen: util::format_ts(c.last_seen_ms),
        }
    }
}

/// `GET /v1/site`.
pub async fn site(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    Ok(Json(site_from_key(&st, &headers).await?).into_response())
}

/// `GET /v1/companies`.
pub async fn companies(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Range>,
) -> Result<Response, ApiError> {
    let site = site_from_key(&st, &headers).await?;
    let (from, to) = q.days()?;
    let limit = q.limit.unwrap_or(1000).min(10_000);
    let rows = blocking(&st, move |s| s.companies(site.id, from, to, limit)).await?;
    let out: Vec<CompanyOut> = rows.into_iter().map(CompanyOut::from).collect();
    Ok(Json(
        json!({ "site_id": site.id, "from": util::format_day(from), "to": util::format_day(to), "companies": out }),
    )
    .into_response())
}

/// One company with its timeline.
pub async fn company_data(
    st: &AppState,
    site_id: i64,
    key: String,
    q: &Range,
) -> Result<(CompanySummary, Vec<TimelineEntry>), ApiError> {
    let (from, to) = q.days()?;
    blocking(st, move |s| s.company(site_id, &key, from, to))
        .await?
        .ok_or_else(|| ApiError::not_found("no visits from this company in the range"))
}

/// `GET /v1/companies/{key}`.
pub async fn company(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(q): Query<Range>,
) -> Result<Response, ApiError> {
    let site = site_from_key(&st, &headers).await?;
    let (summary, timeline) = company_data(&st, site.id, key, &q).await?;
    let timeline: Vec<_> = timeline
        .into_iter()
        .map(|t| json!({ "time": util::format_ts(t.ts_ms), "page": t.page, "title": t.title, "referrer": t.referrer, "visit_key": t.visit_key }))
        .collect();
    Ok(Json(json!({ "company": CompanyOut::from(summary), "timeline": timeline })).into_response())
}

/// CSV of the companies list.
pub fn companies_csv(rows: Vec<CompanySummary>) -> Result<String, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::Internal(e.to_string());
    w.write_record([
        "key",
        "name",
        "country",
        "domain",
        "registry",
        "page_views",
        "visits",
        "pages",
        "first_seen",
        "last_seen",
    ])
    .map_err(fail)?;
    for c in rows {
        let p = &c.profile;
        let s = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let registry = p
            .get("registry")
            .and_then(|r| Some(format!("{}:{}", r.get("scheme")?.as_str()?, r.get("id")?.as_str()?)))
            .unwrap_or_default();
        w.write_record([
            c.key.clone(),
            c.name.clone(),
            s("country"),
            s("domain"),
            registry,
            c.page_views.to_string(),
            c.visits.to_string(),
            c.pages.join(" "),
            util::format_ts(c.first_seen_ms),
            util::format_ts(c.last_seen_ms),
        ])
        .map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| ApiError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ApiError::Internal(e.to_string()))
}

/// A CSV response.
pub fn csv_response(body: String, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

/// `GET /v1/export.csv`.
pub async fn export_csv(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Range>,
) -> Result<Response, ApiError> {
    let site = site_from_key(&st, &headers).await?;
    let (from, to) = q.days()?;
    let rows = blocking(&st, move |s| s.companies(site.id, from, to, 1_000_000)).await?;
    Ok(csv_response(
        companies_csv(rows)?,
        &format!("companies-{}-{}.csv", util::format_day(from), util::format_day(to)),
    ))
}

/// Identification statistics from the per-class counters.
pub fn stats_json(counts: &[ClassCount]) -> serde_json::Value {
    let total: u64 = counts.iter().map(|c| c.count).sum();
    let identified: u64 = counts.iter().filter(|c| c.identified).map(|c| c.count).sum();
    let rate = if total == 0 { 0.0 } else { identified as f64 / total as f64 };
    json!({ "beacons": total, "identified": identified, "identification_rate": rate, "by_class": counts })
}

/// `GET /v1/stats`.
pub async fn stats(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Range>,
) -> Result<Response, ApiError> {
    let site = site_from_key(&st, &headers).await?;
    let (from, to) = q.days()?;
    let counts = blocking(&st, move |s| s.class_counts(site.id, from, to)).await?;
    let mut v = stats_json(&counts);
    v["from"] = json!(util::format_day(from));
    v["to"] = json!(util::format_day(to));
    Ok(Json(v).into_response())
}

/// `?month=YYYY-MM` (default: this month).
#[derive(Debug, Default, Deserialize)]
pub struct MonthQuery {
    /// Month.
    pub month: Option<String>,
}

/// The month's unique identified companies and price tier.
pub async fn usage_json(st: &AppState, site_id: i64, month: Option<&str>) -> Result<serde_json::Value, ApiError> {
    let month = month.map(str::to_string).unwrap_or_else(|| util::month_of_day(util::day_of(util::now_ms())));
    let (from, to) = util::parse_month(&month).ok_or_else(|| ApiError::bad("month must be YYYY-MM"))?;
    let n = blocking(st, move |s| s.unique_companies(site_id, from, to)).await?;
    let tier = st.config.tier_for(n);
    let price = match tier.and_then(|t| t.eur_per_month) {
        Some(eur) => format!("€{eur} per month"),
        None => "on request".to_string(),
    };
    Ok(json!({ "month": month, "unique_companies": n, "tier": tier, "price": price }))
}

/// `GET /v1/usage`.
pub async fn usage(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<MonthQuery>,
) -> Result<Response, ApiError> {
    let site = site_from_key(&st, &headers).await?;
    Ok(Json(usage_json(&st, site.id, q.month.as_deref()).await?).into_response())
}

/// `GET /v1/lookup/{ip}`: the shared match record, rate limited per site. Opted-out companies
/// are answered as class `opted_out` without a company.
pub async fn lookup(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(ip): Path<String>,
) -> Result<Response, ApiError> {
    let site = site_from_key(&st, &headers).await?;
    let rate = st.config.lookup_rate_per_sec;
    if !st.limiter.allow(&format!("lookup:{}", site.id), rate, rate * 5.0) {
        Metrics::inc(&st.metrics.rate_limited);
        return Err(ApiError::too_many());
    }
    // The message does not echo the input.
    let addr: IpAddr = ip.trim().parse().map_err(|_| ApiError::bad("not an IPv4 or IPv6 address"))?;
    let db = st.ipdb.load();
    Metrics::inc(&st.metrics.api_lookups);
    let Some(m) = db.lookup(addr) else {
        return Ok(Json(json!({ "found": false })).into_response());
    };
    let mut rec = m.to_record();
    if m.company().is_some_and(|c| st.opt_outs.excludes_company(&c)) {
        rec.class = ipfirm::Class::OptedOut;
        rec.identified = false;
        rec.company = None;
        rec.reason = "opted_out:request".into();
    }
    Ok(Json(json!({ "found": true, "match": rec })).into_response())
}
