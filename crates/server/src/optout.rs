//! Opt-outs: the in-memory set consulted on every lookup, and the opt-out list file that the
//! next `ipfirm build` reads (`registry:SCHEME:ID` / `domain:example.com`, one per line).

use std::collections::HashSet;
use std::path::Path;

use arc_swap::ArcSwap;
use ipfirm::compile::OptOut;
use ipfirm::{CompanyView, RegistryId};

use crate::store::OptOutRow;

/// A parsed, normalised opt-out request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// `SCHEME:ID`, upper-case.
    Registry(String, String),
    /// Lower-case domain.
    Domain(String),
}

impl Target {
    /// Parses `SCHEME:ID` (e.g. `LEI:529900T8BM49AURSDO55`).
    pub fn registry(s: &str) -> Result<Target, String> {
        let (scheme, id) = s.trim().split_once(':').ok_or("registry must look like SCHEME:ID, e.g. LEI:5299…")?;
        let ok = |p: &str| !p.is_empty() && p.len() <= 64 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok(scheme) || !ok(id) {
            return Err("registry scheme and id may contain only letters, digits and '-'".into());
        }
        Ok(Target::Registry(scheme.to_ascii_uppercase(), id.to_ascii_uppercase()))
    }

    /// Parses a domain (`example.com`, also accepting `www.` and a leading `https://`).
    pub fn domain(s: &str) -> Result<Target, String> {
        let s = s.trim().to_ascii_lowercase();
        let s = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).unwrap_or(&s);
        let s = s.split('/').next().unwrap_or("");
        let s = s.strip_prefix("www.").unwrap_or(s).trim_end_matches('.');
        let valid = s.len() <= 253
            && s.contains('.')
            && s.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !valid {
            return Err("not a valid domain name".into());
        }
        Ok(Target::Domain(s.to_string()))
    }

    /// Stored row form.
    pub fn row(&self) -> OptOutRow {
        match self {
            Target::Registry(s, i) => OptOutRow { kind: "registry".into(), value: format!("{s}:{i}") },
            Target::Domain(d) => OptOutRow { kind: "domain".into(), value: d.clone() },
        }
    }

    /// From a stored row.
    pub fn from_row(r: &OptOutRow) -> Option<Target> {
        match r.kind.as_str() {
            "registry" => Target::registry(&r.value).ok(),
            "domain" => Target::domain(&r.value).ok(),
            _ => None,
        }
    }

    /// The core crate's record type.
    pub fn to_opt_out(&self) -> OptOut {
        match self {
            Target::Registry(scheme, id) => OptOut::Registry(RegistryId { scheme: scheme.clone(), id: id.clone() }),
            Target::Domain(d) => OptOut::Domain(d.clone()),
        }
    }
}

/// The set consulted on every lookup; swapped atomically when an opt-out arrives.
#[derive(Debug, Default)]
pub struct OptOutSet {
    set: ArcSwap<HashSet<Target>>,
}

impl OptOutSet {
    /// A set holding `targets`.
    pub fn new(targets: impl IntoIterator<Item = Target>) -> OptOutSet {
        OptOutSet { set: ArcSwap::from_pointee(targets.into_iter().collect()) }
    }

    /// Adds one target (copy-on-write: readers never wait).
    pub fn insert(&self, t: Target) {
        self.set.rcu(|cur| {
            let mut next = HashSet::clone(cur);
            next.insert(t.clone());
            next
        });
    }

    /// Number of targets.
    pub fn len(&self) -> usize {
        self.set.load().len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a company (by registry id or domain, subdomains included) has opted out.
    pub fn excludes(&self, registry: Option<(&str, &str)>, domain: Option<&str>) -> bool {
        let set = self.set.load();
        if set.is_empty() {
            return false;
        }
        if let Some((s, i)) = registry
            && set.contains(&Target::Registry(s.to_ascii_uppercase(), i.to_ascii_uppercase()))
        {
            return true;
        }
        if let Some(d) = domain {
            let d = d.to_ascii_lowercase();
            let mut rest = d.strip_prefix("www.").unwrap_or(&d);
            loop {
                if set.contains(&Target::Domain(rest.to_string())) {
                    return true;
                }
                match rest.split_once('.') {
                    Some((_, r)) if r.contains('.') => rest = r,
                    _ => break,
                }
            }
        }
        false
    }

    /// [`Self::excludes`] for a company view.
    pub fn excludes_company(&self, c: &CompanyView<'_>) -> bool {
        self.excludes(c.registry(), c.domain())
    }
}

/// Appends one line to the opt-out list (`registry:SCHEME:ID` or `domain:…`) with the core
/// crate's writer (the same format `ipfirm build` reads) and syncs it.
///
/// # Errors
/// I/O errors naming the file.
pub fn append_to_list(path: &Path, t: &Target) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    ipfirm::compile::sources::opt_out::append(path, &t.to_opt_out()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_match() {
        assert!(Target::registry("LEI").is_err());
        assert!(Target::registry("LEI:a b").is_err());
        assert!(Target::domain("localhost").is_err());
        assert!(Target::domain("-x.com").is_err());
        let set = OptOutSet::default();
        assert!(!set.excludes(Some(("LEI", "abc")), Some("shop.example.com")));
        set.insert(Target::domain("https://www.Example.com/about").expect("domain"));
        set.insert(Target::registry("lei:abc").expect("registry"));
        assert!(set.excludes(None, Some("shop.example.com")));
        assert!(set.excludes(None, Some("example.com")));
        assert!(!set.excludes(None, Some("example.org")));
        assert!(!set.excludes(None, Some("notexample.com")));
        assert!(set.excludes(Some(("LEI", "ABC")), None));
        assert!(!set.excludes(Some(("GB-CH", "ABC")), None));
    }

    #[test]
    fn list_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("sub/opt-out.txt");
        append_to_list(&p, &Target::registry("LEI:X1").expect("r")).expect("append");
        append_to_list(&p, &Target::domain("example.com").expect("d")).expect("append");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "registry:LEI:X1\ndomain:example.com\n");
    }
}
