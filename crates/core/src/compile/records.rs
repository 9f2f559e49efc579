//! The records every source adapter produces: the common language of the pipeline.

use crate::class::Class;
use crate::lookup::RegistryId;
use crate::range::IpRange;

/// Where a record came from: the source's name from the config, its version or date, and the
/// record's key within it (`file:line`, an RPSL object key, a registry id …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Origin {
    /// Source name as given in the build config (`[[source]] name`).
    pub source: String,
    /// Version or date of the source data.
    pub version: String,
    /// Record key within the source.
    pub record_key: String,
}

/// A class that the source itself asserts for its ranges (a provider list says "hosting",
/// an MMDB says `user_type = cellular`), with the label to put in the reason code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceHint {
    /// The asserted class.
    pub class: Class,
    /// Short evidence label, e.g. `provider-list:aws`, `mmdb:user_type:cellular`.
    pub label: String,
    /// `false` for a third-party list compiled long ago (client9 ipcat): its ranges were a
    /// provider's once but many have since been re-assigned, so the class yields to what the
    /// holder's own name or registry record says (rule 4b in `classify/RULES.md`). A provider's
    /// own published list, an MMDB flag or a libloc flag is authoritative.
    pub authoritative: bool,
}

/// A two-letter country code kept as bytes (`registration_country`) as text.
pub fn country_code_str(code: &[u8; 2]) -> Option<&str> {
    std::str::from_utf8(code).ok()
}

/// An IP-side record: a range and what the source says about the range's holder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpRecord {
    /// The addresses.
    pub range: Option<IpRange>,
    /// Where it came from.
    pub origin: Origin,
    /// Autonomous system number.
    pub asn: Option<u32>,
    /// Organisation name (AS org, RPSL `org-name`, MMDB organization/isp).
    pub org_name: Option<String>,
    /// RPSL `netname`.
    pub netname: Option<String>,
    /// RPSL `descr` lines joined with "; ".
    pub descr: Option<String>,
    /// ISO 3166 alpha-2 country.
    pub country: Option<String>,
    /// RPSL `status` (e.g. `ASSIGNED PA`, `ALLOCATED PA`) or delegation status.
    pub status: Option<String>,
    /// RPSL `org-type` (e.g. `LIR`, `OTHER`).
    pub org_type: Option<String>,
    /// Organisation handle (RPSL `org:` / opaque id).
    pub org_handle: Option<String>,
    /// Web domain of the holder, when the source gives one.
    pub domain: Option<String>,
    /// Holder's address (one line).
    pub address: Option<String>,
    /// Class asserted by the source itself.
    pub hint: Option<SourceHint>,
    /// The country the range is registered in (WHOIS), when the source gives no `country` of
    /// its own and a country table does (`asn-csv`'s `countries` option): the holder's
    /// subsidiary or site may sit there rather than its registry record, so the join only
    /// falls back on it when the name alone does not settle the company.
    pub registration_country: Option<[u8; 2]>,
}

/// A company from a public registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryRecord {
    /// Where it came from.
    pub origin: Origin,
    /// Registry scheme and id (`LEI`, `GB-CH`, `FR-SIREN`, `NL-KVK`, `US-CIK` …).
    pub registry: RegistryId,
    /// Registered legal name.
    pub legal_name: String,
    /// Other names (trade names, previous names).
    pub other_names: Vec<String>,
    /// ISO 3166 alpha-2 country.
    pub country: Option<String>,
    /// Legal form: an ISO 20275 ELF code where known, else the registry's own code/text.
    pub legal_form: Option<String>,
    /// Registry category (GLEIF `EntityCategory`, Companies House `CompanyCategory` …).
    pub category: Option<String>,
    /// Web domain.
    pub domain: Option<String>,
    /// Address on one line.
    pub address: Option<String>,
    /// Industry code (SIC, NAF, SBI …).
    pub industry_code: Option<String>,
    /// False for dissolved / inactive entities.
    pub active: bool,
    /// A large corporate group (a company-csv row marked by `group_column`, e.g. a listing of
    /// mid cap or more): an IP holder whose name begins with the group's name and goes on
    /// (`POSCO DX`, `Securitas Polska Sp. z o.o.`) is taken for one of its companies (rule 10d).
    pub group: bool,
    /// From a registry of all companies (a `gleif` source with `all_companies = true`: every
    /// size and trade, providers included, and no industry code). Weaker evidence: the join
    /// takes it only in the holder's own or registration country, an LEI of it does not by itself
    /// make a legal person (rule 3), and it does not outrank a stale provider list (rule 4b).
    pub all_companies: bool,
}

/// Something that must never be compiled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OptOut {
    /// A registry id.
    Registry(RegistryId),
    /// A web domain (and its subdomains).
    Domain(String),
    /// A normalised company name.
    Name(String),
}
