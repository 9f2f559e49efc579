//! Accounts: argon2id password hashes, a token-bucket rate limiter, session cookies.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::http::{HeaderMap, header};

/// Session cookie name.
pub const SESSION_COOKIE: &str = "ipfirm_session";

/// Hashes a password with argon2id (`m_kib` memory, 2 passes, 1 lane).
///
/// # Errors
/// When the parameters are invalid.
pub fn hash_password(password: &str, m_kib: u32) -> Result<String, String> {
    let params = Params::new(m_kib.max(8), 2, 1, None).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&crate::util::random_bytes::<16>()).map_err(|e| e.to_string())?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a stored PHC string (parameters come from the string).
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Password rules: 10–200 characters.
pub fn check_password_rules(p: &str) -> Result<(), &'static str> {
    let n = p.chars().count();
    if n < 10 {
        return Err("password must have at least 10 characters");
    }
    if n > 200 {
        return Err("password must have at most 200 characters");
    }
    Ok(())
}

/// Normalises and checks an email address (lower-case, one `@`, a dot in the domain).
pub fn normalise_email(e: &str) -> Result<String, &'static str> {
    let e = e.trim().to_ascii_lowercase();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'))
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok { Ok(e) } else { Err("not a valid email address") }
}

/// Token buckets by key.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// Takes one token from `key`'s bucket (`rate` tokens per second, `burst` capacity).
    pub fn allow(&self, key: &str, rate: f64, burst: f64) -> bool {
        let now = Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if b.len() > 100_000 {
            b.retain(|_, (tokens, t)| *tokens + now.duration_since(*t).as_secs_f64() * rate < burst);
        }
        let (tokens, t) = b.entry(key.to_string()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*t).as_secs_f64() * rate).min(burst);
        *t = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The session token from the `Cookie` header.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_string())
    })
}

/// `Set-Cookie` value for a new session: host-only (no `Domain`), so it is never sent to tracked sites.
pub fn session_cookie(token: &str, max_age_secs: u64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    session_cookie("", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("correct horse battery", 64).expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn buckets_refuse_after_burst() {
        let r = RateLimiter::default();
        assert!((0..3).all(|_| r.allow("a", 0.0001, 3.0)));
        assert!(!r.allow("a", 0.0001, 3.0));
        assert!(r.allow("b", 0.0001, 3.0));
    }

    #[test]
    fn cookie_shape() {
        let c = session_cookie("t", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
        assert!(!c.to_ascii_lowercase().contains("domain="));
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=b; ipfirm_session=xyz".parse().expect("v"));
        assert_eq!(session_token(&h).as_deref(), Some("xyz"));
        assert!(normalise_email("A@B.example").is_ok());
        assert!(normalise_email("ab.example").is_err());
    }
}
