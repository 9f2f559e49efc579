//! Small helpers: UTC calendar arithmetic, random tokens, keyed hashes, HTML escaping.

use std::time::{SystemTime, UNIX_EPOCH};

use blake2::digest::{Mac, Update, VariableOutput};

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Days since 1970-01-01 (UTC) of a millisecond timestamp.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(86_400_000)
}

/// (year, month, day) of a day number (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day number of a civil date (`days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `YYYY-MM-DD` into a day number.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Parses `YYYY-MM` into the month's first and last day numbers.
pub fn parse_month(s: &str) -> Option<(i64, i64)> {
    let (y, m) = s.split_once('-')?;
    let y: i64 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    Some((days_from_civil(y, m, 1), days_from_civil(y, m, days_in_month(y, m))))
}

/// The month (`YYYY-MM`) containing a day number.
pub fn month_of_day(day: i64) -> String {
    let (y, m, _) = civil_from_days(day);
    format!("{y:04}-{m:02}")
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a millisecond timestamp.
pub fn format_ts(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let sod = secs.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}Z", format_day(secs.div_euclid(86_400)), sod / 3600, sod % 3600 / 60, sod % 60)
}

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    if getrandom::fill(&mut b).is_err() {
        // The OS generator does not fail on Linux; if it ever did, refuse to hand out predictable keys.
        panic!("operating system random number generator unavailable");
    }
    b
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A random token with a prefix, e.g. `sk_3f9a…` (128 bits).
pub fn token(prefix: &str) -> String {
    format!("{prefix}{}", hex(&random_bytes::<16>()))
}

/// Unkeyed BLAKE2b-256 hex digest: how secret keys, session tokens and invites are stored.
pub fn digest_hex(data: &str) -> String {
    let mut h = blake2::Blake2bVar::new(32).unwrap_or_else(|_| unreachable!("32 is a valid BLAKE2b length"));
    h.update(data.as_bytes());
    let mut out = [0u8; 32];
    let _ = h.finalize_variable(&mut out);
    hex(&out)
}

/// Keyed BLAKE2b-128 over the parts; hex.
pub fn keyed_hash_hex(key: &[u8; 32], parts: &[&[u8]]) -> String {
    let mut mac = <blake2::Blake2bMac<blake2::digest::consts::U16> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("32-byte keys are valid for BLAKE2b"));
    for p in parts {
        Mac::update(&mut mac, &(p.len() as u32).to_le_bytes());
        Mac::update(&mut mac, p);
    }
    hex(&mac.finalize().into_bytes())
}

/// Escapes text for HTML bodies and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Percent-encodes a path segment.
pub fn url_encode(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// Truncates to at most `max` bytes on a char boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips_against_a_day_by_day_walk() {
        // Independent model: walk forward one day at a time from 1970-01-01.
        let (mut y, mut m, mut d) = (1970i64, 1u32, 1u32);
        for day in 0..40_000i64 {
            assert_eq!(civil_from_days(day), (y, m, d), "day {day}");
            assert_eq!(days_from_civil(y, m, d), day);
            d += 1;
            if d > days_in_month(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }

    #[test]
    fn dates_parse_and_reject() {
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("x"), None);
        assert_eq!(parse_month("1970-02"), Some((31, 58)));
        assert_eq!(format_ts(86_400_000 + 3_661_000), "1970-01-02T01:01:01Z");
    }
}
