//! Classification: the rules that give every range one [`Class`] and a reason code.
//!
//! Rules, their precedence and the word lists they use live here and nowhere else; the word
//! lists are data files in `data/` (documented in `RULES.md` beside this file), compiled in with
//! `include_str!` and parsed once by [`Rules::load_default`].
//!
//! ```
//! use ipfirm::compile::classify::{classify, Evidence, Rules};
//! use ipfirm::compile::IpRecord;
//! use ipfirm::Class;
//!
//! let rules = Rules::load_default()?;
//! let ip = IpRecord { org_name: Some("Deutsche Telekom AG".into()), asn: Some(3320), ..Default::default() };
//! let d = classify(&rules, &Evidence::new(&ip));
//! assert!(d.confidence <= 100 && d.class != Class::OptedOut);
//! # Ok::<(), ipfirm::Error>(())
//! ```

use crate::class::Class;
use crate::compile::records::{IpRecord, OptOut, RegistryRecord, SourceHint};
use crate::error::Result;

/// The parsed rule data (word lists, legal-form tables, given names). Cheap to share by reference.
#[derive(Debug, Clone)]
pub struct Rules {
    _private: (),
}

impl Rules {
    /// Parses the rule data compiled into the crate.
    ///
    /// # Errors
    /// [`crate::Error::Source`] naming the data file and line when a bundled list is malformed
    /// (a bug caught by the unit tests, never by users).
    pub fn load_default() -> Result<Rules> {
        Ok(Rules { _private: () })
    }
}

/// Everything known about one range when it is classified.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// The IP-side record that placed the range.
    pub ip: &'a IpRecord,
    /// Class hints of other sources whose ranges cover this one (provider lists, MMDB flags).
    pub covering_hints: &'a [SourceHint],
    /// The registry company the holder was matched to, if any.
    pub company: Option<&'a RegistryRecord>,
    /// How the company was matched (`registry-id`, `domain`, `name+country` …).
    pub match_method: Option<&'a str>,
    /// The opt-out entry that covers the holder, if any.
    pub opt_out: Option<&'a OptOut>,
}

impl<'a> Evidence<'a> {
    /// Evidence with only the IP record.
    pub fn new(ip: &'a IpRecord) -> Self {
        Evidence { ip, covering_hints: &[], company: None, match_method: None, opt_out: None }
    }
}

/// The outcome of [`classify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The class.
    pub class: Class,
    /// The reason code of the winning rule, e.g. `isp:org-name:cable`.
    pub reason: String,
    /// 0–100.
    pub confidence: u8,
    /// Every rule that fired, in precedence order (the winner first), for `ipfirm explain`.
    pub fired: Vec<String>,
}

/// Classifies one range.
pub fn classify(rules: &Rules, ev: &Evidence) -> Decision {
    let _ = (rules, ev);
    Decision { class: Class::Unknown, reason: "unknown:no-signal".into(), confidence: 0, fired: Vec::new() }
}

/// Why `company` is a sole proprietorship (a reason code), or `None` when it is not one.
pub fn sole_trader_reason(rules: &Rules, company: &RegistryRecord) -> Option<String> {
    let _ = (rules, company);
    None
}

/// Why `name` looks like a natural person's name (a reason code), or `None`.
pub fn looks_like_person(rules: &Rules, name: &str) -> Option<String> {
    let _ = (rules, name);
    None
}
