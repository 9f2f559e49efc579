//! Inclusive address ranges and their covering CIDRs.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Subnets, Ipv6Subnets};

use crate::error::{Error, Result};

/// An inclusive range of addresses of one family: `first ..= last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpRange {
    first: IpAddr,
    last: IpAddr,
}

impl IpRange {
    /// A range from `first` to `last`, both included.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the families differ or `first > last`.
    pub fn new(first: IpAddr, last: IpAddr) -> Result<IpRange> {
        let ok = match (first, last) {
            (IpAddr::V4(a), IpAddr::V4(b)) => a <= b,
            (IpAddr::V6(a), IpAddr::V6(b)) => a <= b,
            _ => {
                return Err(Error::InvalidInput(format!("range {first} - {last} mixes IPv4 and IPv6")));
            }
        };
        if !ok {
            return Err(Error::InvalidInput(format!("range {first} - {last} ends before it starts")));
        }
        Ok(IpRange { first, last })
    }

    /// The first address.
    pub fn first(&self) -> IpAddr {
        self.first
    }

    /// The last address.
    pub fn last(&self) -> IpAddr {
        self.last
    }

    /// The smallest list of CIDR networks that exactly covers the range.
    pub fn cidrs(&self) -> Vec<IpNet> {
        match (self.first, self.last) {
            (IpAddr::V4(a), IpAddr::V4(b)) => Ipv4Subnets::new(a, b, 0).map(IpNet::V4).collect(),
            (IpAddr::V6(a), IpAddr::V6(b)) => Ipv6Subnets::new(a, b, 0).map(IpNet::V6).collect(),
            _ => Vec::new(),
        }
    }

    /// True when `addr` is inside the range.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.first, self.last, addr) {
            (IpAddr::V4(a), IpAddr::V4(b), IpAddr::V4(x)) => a <= x && x <= b,
            (IpAddr::V6(a), IpAddr::V6(b), IpAddr::V6(x)) => a <= x && x <= b,
            _ => false,
        }
    }

    pub(crate) fn v4(first: u32, last: u32) -> IpRange {
        IpRange { first: IpAddr::V4(Ipv4Addr::from(first)), last: IpAddr::V4(Ipv4Addr::from(last)) }
    }

    pub(crate) fn v6(first: u128, last: u128) -> IpRange {
        IpRange { first: IpAddr::V6(Ipv6Addr::from(first)), last: IpAddr::V6(Ipv6Addr::from(last)) }
    }
}

impl From<IpNet> for IpRange {
    fn from(net: IpNet) -> IpRange {
        IpRange { first: net.network(), last: net.broadcast() }
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

/// The IPv4 address behind an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), if it is one.
pub(crate) fn unmap(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(addr),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_cover_exactly() {
        let r = IpRange::new("10.0.0.1".parse().expect("address"), "10.0.0.6".parse().expect("address"))
            .expect("valid range");
        let c: Vec<String> = r.cidrs().iter().map(|n| n.to_string()).collect();
        assert_eq!(c, ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"]);
        let net: IpNet = "2a00::/12".parse().expect("address");
        assert_eq!(IpRange::from(net).cidrs(), vec![net]);
    }

    #[test]
    fn rejects_bad_ranges() {
        let a: IpAddr = "10.0.0.2".parse().expect("address");
        let b: IpAddr = "10.0.0.1".parse().expect("address");
        let c: IpAddr = "::1".parse().expect("address");
        assert!(IpRange::new(a, b).is_err());
        assert!(IpRange::new(a, c).is_err());
    }
}
