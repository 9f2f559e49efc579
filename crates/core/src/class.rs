//! The classes a range can have, shared by the builder, the rules, the bindings and the service.

use std::fmt;
use std::str::FromStr;

/// What kind of network an address range is.
///
/// Only the *shown* classes (`Business`, `Education`, `Government`, `Nonprofit`) may carry a
/// company profile; a match is "identified" only for a shown class with a company. Every other
/// class is *filtered*: it is never shown as a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[repr(u8)]
pub enum Class {
    /// Nothing is known about the range.
    #[default]
    Unknown = 0,
    /// A company's own network.
    Business = 1,
    /// A university, school or research network.
    Education = 2,
    /// A government or public-administration network.
    Government = 3,
    /// A non-profit organisation's network.
    Nonprofit = 4,
    /// An internet access provider's customer pool (fixed line).
    Isp = 5,
    /// A mobile carrier's pool.
    Mobile = 6,
    /// Residential (consumer) addresses.
    Residential = 7,
    /// Cloud, hosting, CDN or data-centre space.
    Hosting = 8,
    /// VPNs, proxies, Tor exits and other anonymisers.
    Anonymizer = 9,
    /// A natural person trading on their own account: never shown, and no personal data is kept.
    SoleTrader = 10,
    /// A company that asked to be excluded.
    OptedOut = 11,
}

impl Class {
    /// Every class, in code order.
    pub const ALL: [Class; 12] = [
        Class::Unknown,
        Class::Business,
        Class::Education,
        Class::Government,
        Class::Nonprofit,
        Class::Isp,
        Class::Mobile,
        Class::Residential,
        Class::Hosting,
        Class::Anonymizer,
        Class::SoleTrader,
        Class::OptedOut,
    ];

    /// The stable one-byte code stored in database files.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The class for a stored code; unknown codes read as [`Class::Unknown`].
    pub fn from_code(code: u8) -> Class {
        Class::ALL.get(code as usize).copied().unwrap_or(Class::Unknown)
    }

    /// The snake_case name used in JSON, configs and reason codes.
    pub fn name(self) -> &'static str {
        match self {
            Class::Unknown => "unknown",
            Class::Business => "business",
            Class::Education => "education",
            Class::Government => "government",
            Class::Nonprofit => "nonprofit",
            Class::Isp => "isp",
            Class::Mobile => "mobile",
            Class::Residential => "residential",
            Class::Hosting => "hosting",
            Class::Anonymizer => "anonymizer",
            Class::SoleTrader => "sole_trader",
            Class::OptedOut => "opted_out",
        }
    }

    /// True for the classes that may be shown as an organisation.
    pub fn is_shown(self) -> bool {
        matches!(self, Class::Business | Class::Education | Class::Government | Class::Nonprofit)
    }

    /// True for the classes that must never be shown as a company.
    pub fn is_filtered(self) -> bool {
        !self.is_shown() && self != Class::Unknown
    }

    /// True where no name of any kind may be stored (sole traders are natural persons;
    /// opted-out companies asked to be left out).
    pub fn forbids_names(self) -> bool {
        matches!(self, Class::SoleTrader | Class::OptedOut)
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a string that names no class.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown class {0:?} (expected one of: business, education, government, nonprofit, isp, mobile, residential, hosting, anonymizer, sole_trader, opted_out, unknown)"
)]
pub struct ParseClassError(pub String);

impl FromStr for Class {
    type Err = ParseClassError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        Class::ALL.into_iter().find(|c| c.name() == norm).ok_or_else(|| ParseClassError(s.to_string()))
    }
}

impl serde::Serialize for Class {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Class {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_round_trip() {
        for c in Class::ALL {
            assert_eq!(Class::from_code(c.code()), c);
            assert_eq!(c.name().parse::<Class>(), Ok(c));
        }
        assert_eq!(Class::from_code(200), Class::Unknown);
        assert!("nonsense".parse::<Class>().is_err());
    }

    #[test]
    fn shown_and_filtered_partition() {
        let shown: Vec<_> = Class::ALL.into_iter().filter(|c| c.is_shown()).collect();
        assert_eq!(shown, [Class::Business, Class::Education, Class::Government, Class::Nonprofit]);
        assert!(!Class::Unknown.is_shown() && !Class::Unknown.is_filtered());
        assert!(Class::SoleTrader.is_filtered() && Class::SoleTrader.forbids_names());
    }
}
