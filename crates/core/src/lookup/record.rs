//! Owned, serialisable copies of lookup answers: the one JSON shape that the CLI, the bindings
//! and the service all print.

use serde::{Deserialize, Serialize};

use super::{CompanyView, Match};
use crate::class::Class;

/// A matched network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkRecord {
    /// First address.
    pub first: String,
    /// Last address.
    pub last: String,
    /// CIDRs exactly covering the range.
    pub cidrs: Vec<String>,
}

/// A company profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRecord {
    /// Company index within this database file.
    pub id: u32,
    /// Name to show (trade name, else legal name).
    pub name: String,
    /// Registered legal name.
    pub legal_name: String,
    /// ISO country code.
    pub country: Option<String>,
    /// Web domain.
    pub domain: Option<String>,
    /// Registry id.
    pub registry: Option<RegistryId>,
    /// Legal form.
    pub legal_form: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Industry code.
    pub industry_code: Option<String>,
}

/// A source record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvenanceRecord {
    /// Source name.
    pub source: String,
    /// Version or date.
    pub version: String,
    /// Record key.
    pub record: String,
}

/// Everything known about a looked-up address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRecord {
    /// The matched network.
    pub network: NetworkRecord,
    /// Class.
    pub class: Class,
    /// True for a shown class with a company.
    pub identified: bool,
    /// Reason code.
    pub reason: String,
    /// Confidence 0–100.
    pub confidence: u8,
    /// Company profile, for shown classes.
    pub company: Option<CompanyRecord>,
    /// Autonomous system number.
    pub asn: Option<u32>,
    /// The network holder's name from the IP data.
    pub asn_org: Option<String>,
    /// Source records behind the answer.
    pub sources: Vec<ProvenanceRecord>,
}

impl MatchRecord {
    pub(crate) fn from_match(m: &Match<'_>) -> MatchRecord {
        let r = m.range();
        MatchRecord {
            network: NetworkRecord {
                first: r.first().to_string(),
                last: r.last().to_string(),
                cidrs: r.cidrs().iter().map(|c| c.to_string()).collect(),
            },
            class: m.class(),
            identified: m.is_identified(),
            reason: m.reason().to_string(),
            confidence: m.confidence(),
            company: m.company().map(|c| c.to_record()),
            asn: m.asn(),
            asn_org: m.asn_org().map(str::to_string),
            sources: m
                .provenance()
                .map(|p| ProvenanceRecord {
                    source: p.source.to_string(),
                    version: p.version.to_string(),
                    record: p.record_key.to_string(),
                })
                .collect(),
        }
    }
}

impl CompanyRecord {
    pub(crate) fn from_view(c: &CompanyView<'_>) -> CompanyRecord {
        CompanyRecord {
            id: c.index() as u32,
            name: c.display_name().to_string(),
            legal_name: c.legal_name().to_string(),
            country: c.country().map(str::to_string),
            domain: c.domain().map(str::to_string),
            registry: c.registry().map(|(s, id)| RegistryId { scheme: s.to_string(), id: id.to_string() }),
            legal_form: c.legal_form().map(str::to_string),
            address: c.address().map(str::to_string),
            industry_code: c.industry_code().map(str::to_string),
        }
    }
}

/// A company's identifier in a public registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct RegistryId {
    /// The scheme: `LEI`, `GB-CH` (Companies House), `NL-KVK`, `FR-SIREN`, `US-CIK` …
    pub scheme: String,
    /// The id within the scheme.
    pub id: String,
}
