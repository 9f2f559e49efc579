//! Import of MaxMind DB files (GeoIP2 / GeoLite2 ASN, ISP, Enterprise, Connection-Type,
//! Anonymous-IP; IPinfo and ip-location-db MMDBs) through the `maxminddb` crate.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde_json::Value;

use crate::build::{Company, DatabaseBuilder, Entry, Provenance};
use crate::class::Class;
use crate::error::{Error, Result};

/// The fields ipfirm reads from one MMDB record, whatever the database type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MmdbRecord {
    /// `organization` (GeoIP2 ISP / Enterprise `traits.organization`) or IPinfo `name`.
    pub organization: Option<String>,
    /// `isp`.
    pub isp: Option<String>,
    /// `autonomous_system_organization` or IPinfo `as_name`.
    pub asn_org: Option<String>,
    /// `autonomous_system_number` or IPinfo `asn` (`AS…`).
    pub asn: Option<u32>,
    /// `user_type` (GeoIP2 Enterprise) or IPinfo `type`.
    pub user_type: Option<String>,
    /// `connection_type`.
    pub connection_type: Option<String>,
    /// `is_hosting_provider`.
    pub is_hosting_provider: bool,
    /// Any of `is_anonymous`, `is_anonymous_vpn`, `is_public_proxy`, `is_tor_exit_node`,
    /// `is_residential_proxy`, `anonymizer_confidence`.
    pub is_anonymous: bool,
    /// Domain (`domain`, IPinfo `domain`).
    pub domain: Option<String>,
    /// ISO country code.
    pub country: Option<String>,
    /// Offset of the record in the MMDB data section (set by [`MmdbFile::for_each`]): the
    /// record's own key, shared by every network that points at the same record.
    pub data_offset: Option<u64>,
}

impl MmdbRecord {
    /// Reads the known fields from a decoded record; GeoIP2 Enterprise keeps them under
    /// `traits`.
    pub fn from_value(v: &Value) -> MmdbRecord {
        let traits = v.get("traits");
        let field = |name: &str| -> Option<&Value> { v.get(name).or_else(|| traits.and_then(|t| t.get(name))) };
        let text =
            |name: &str| field(name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let flag = |name: &str| field(name).and_then(Value::as_bool).unwrap_or(false);
        let asn = field("autonomous_system_number").and_then(Value::as_u64).map(|n| n as u32).or_else(|| {
            field("asn").and_then(|a| match a {
                Value::String(s) => s.trim_start_matches("AS").parse().ok(),
                Value::Number(n) => n.as_u64().map(|n| n as u32),
                _ => None,
            })
        });
        let country = v
            .get("country")
            .and_then(|c| c.get("iso_code").or(Some(c)))
            .and_then(Value::as_str)
            .or_else(|| v.get("country_code").and_then(Value::as_str))
            .map(String::from);
        MmdbRecord {
            organization: text("organization").or_else(|| text("name")),
            isp: text("isp"),
            asn_org: text("autonomous_system_organization").or_else(|| text("as_name")),
            asn,
            user_type: text("user_type").or_else(|| text("type")),
            connection_type: text("connection_type"),
            is_hosting_provider: flag("is_hosting_provider"),
            is_anonymous: [
                "is_anonymous",
                "is_anonymous_vpn",
                "is_public_proxy",
                "is_tor_exit_node",
                "is_residential_proxy",
            ]
            .iter()
            .any(|f| flag(f))
                || field("anonymizer_confidence").is_some(),
            domain: text("domain").or_else(|| text("as_domain")),
            country,
            data_offset: None,
        }
    }

    /// The name of the network's holder: organization, else ISP, else AS organisation.
    pub fn holder_name(&self) -> Option<&str> {
        self.organization.as_deref().or(self.isp.as_deref()).or(self.asn_org.as_deref())
    }

    /// The class the record's own flags give, with a reason code; `Unknown` when it has none.
    pub fn class(&self) -> (Class, String) {
        if self.is_anonymous {
            return (Class::Anonymizer, "anonymizer:mmdb:is_anonymous".into());
        }
        if self.is_hosting_provider {
            return (Class::Hosting, "hosting:mmdb:is_hosting_provider".into());
        }
        if let Some(t) = &self.user_type {
            let class = match t.to_ascii_lowercase().as_str() {
                "business" => Some(Class::Business),
                "cellular" | "mobile" => Some(Class::Mobile),
                "college" | "school" | "education" | "library" => Some(Class::Education),
                "government" | "military" => Some(Class::Government),
                "hosting" | "content_delivery_network" | "search_engine_spider" => Some(Class::Hosting),
                "consumer_privacy_network" => Some(Class::Anonymizer),
                "residential" | "dialup" | "cafe" | "traveler" => Some(Class::Residential),
                "isp" | "router" => Some(Class::Isp),
                _ => None,
            };
            if let Some(c) = class {
                return (c, format!("{c}:mmdb:user_type:{t}"));
            }
        }
        if let Some(t) = &self.connection_type {
            let class = match t.as_str() {
                "Cellular" => Some(Class::Mobile),
                "Cable/DSL" | "Dialup" | "Satellite" => Some(Class::Isp),
                "Corporate" => Some(Class::Business),
                _ => None,
            };
            if let Some(c) = class {
                return (c, format!("{c}:mmdb:connection_type:{t}"));
            }
        }
        (Class::Unknown, "unknown:mmdb:no-class-signal".into())
    }
}

/// Reads every network of an MMDB file with its record.
#[derive(Debug)]
pub struct MmdbFile {
    reader: maxminddb::Reader<Vec<u8>>,
    path: PathBuf,
}

impl MmdbFile {
    /// Opens `path` with the `maxminddb` reader.
    ///
    /// # Errors
    /// [`Error::Mmdb`] naming the file.
    pub fn open(path: impl AsRef<Path>) -> Result<MmdbFile> {
        let path = path.as_ref().to_path_buf();
        let reader = maxminddb::Reader::open_readfile(&path).map_err(|e| mmdb_err(&path, e))?;
        Ok(MmdbFile { reader, path })
    }

    /// The database type from the file's metadata (e.g. `GeoIP2-ISP`).
    pub fn database_type(&self) -> &str {
        &self.reader.metadata().database_type
    }

    /// The build epoch from the file's metadata.
    pub fn build_epoch(&self) -> u64 {
        self.reader.metadata().build_epoch
    }

    /// Calls `f` with every network that has data, in the reader's order. IPv4 networks of an
    /// IPv6 database (stored under `::/96`) are given as IPv4. The IPv6 aliases of the IPv4
    /// networks (see [`for_each_ipv4_alias`](Self::for_each_ipv4_alias)) are not given.
    ///
    /// # Errors
    /// [`Error::Mmdb`] naming the file when the tree or a record cannot be decoded.
    pub fn for_each(&self, mut f: impl FnMut(IpNet, MmdbRecord) -> Result<()>) -> Result<()> {
        let err = |e| mmdb_err(&self.path, e);
        for item in self.reader.networks(Default::default()).map_err(err)? {
            let item = item.map_err(err)?;
            let net = item.network().map_err(err)?;
            let Some(value) = item.decode::<Value>().map_err(err)? else {
                continue;
            };
            let net = to_ipnet(net.ip(), net.prefix(), self.reader.metadata().ip_version);
            let mut rec = MmdbRecord::from_value(&value);
            rec.data_offset = item.offset().map(|o| o as u64);
            f(net, rec)?;
        }
        Ok(())
    }

    /// Calls `f` with every IPv6 network that a MaxMind reader answers from the IPv4 part of
    /// an IPv6 tree through an alias: 6to4 `2002::/16` (the IPv4 address in bits 16–47) and
    /// Teredo `2001::/32` (the server's IPv4 address in bits 32–63), as MaxMind's writers
    /// link them and `maxminddb`'s lookup follows them. Returns how many it gave.
    ///
    /// Only alias prefixes where the plain walk ([`for_each`](Self::for_each)) finds no data
    /// are given, so a file that stores its own data there is never answered twice. The
    /// IPv4-mapped alias `::ffff:0:0/96` is left out: ipfirm looks those addresses up in its
    /// IPv4 index already. Nothing is given for an IPv4 database or one without aliases.
    ///
    /// # Errors
    /// [`Error::Mmdb`] naming the file when the tree or a record cannot be decoded.
    pub fn for_each_ipv4_alias(&self, mut f: impl FnMut(IpNet, MmdbRecord) -> Result<()>) -> Result<u64> {
        if self.reader.metadata().ip_version != 6 {
            return Ok(0);
        }
        let err = |e| mmdb_err(&self.path, e);
        let mut n = 0u64;
        // Each alias prefix alone (`within`), not the whole tree: a file without aliases
        // costs two empty walks, not two walks of every network.
        for &(prefix, len) in &IPV4_ALIASES {
            let text = format!("{}/{len}", std::net::Ipv6Addr::from(prefix));
            let cidr = parse_net(&text).ok_or_else(|| Error::Mmdb {
                path: self.path.clone(),
                message: format!("alias prefix {text} does not parse"),
            })?;
            // Data of its own under the prefix (the plain walk skips aliased nodes): not aliased.
            if self.reader.within(cidr, Default::default()).map_err(err)?.next().transpose().map_err(err)?.is_some() {
                continue;
            }
            let with_aliases = maxminddb::WithinOptions::default().include_aliased_networks();
            for item in self.reader.within(cidr, with_aliases).map_err(err)? {
                let item = item.map_err(err)?;
                let net = item.network().map_err(err)?;
                let IpAddr::V6(v6) = net.ip() else { continue };
                if !in_prefix(u128::from(v6), prefix, len) {
                    continue;
                }
                let Some(value) = item.decode::<Value>().map_err(err)? else {
                    continue;
                };
                let net = IpNet::new(net.ip(), net.prefix()).map_err(|e| Error::Mmdb {
                    path: self.path.clone(),
                    message: format!("alias network {}/{}: {e}", net.ip(), net.prefix()),
                })?;
                let mut rec = MmdbRecord::from_value(&value);
                rec.data_offset = item.offset().map(|o| o as u64);
                f(net, rec)?;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// A CIDR in the reader's own network type (named by inference, not by a dependency).
fn parse_net<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.parse().ok()
}

/// IPv6 prefixes (bits, length) that MaxMind's writers point at the IPv4 subtree and its
/// readers follow: 6to4 and Teredo. (`::ffff:0:0/96` too, which ipfirm maps at lookup.)
pub const IPV4_ALIASES: [(u128, u8); 2] = [(0x2002 << 112, 16), (0x2001 << 112, 32)];

/// The provenance record key of an MMDB record: `<file name>@<data offset>` (e.g.
/// `GeoIP2-ISP-Test.mmdb@1234`), the network when the reader gave no offset. For an alias
/// network ([`MmdbFile::for_each_ipv4_alias`], `alias` true) the key says so:
/// `GeoIP2-ISP-Test.mmdb@1234#6to4-alias` or `…#teredo-alias`, so an answer there shows it
/// came through the alias. [`import_mmdb`] and the build pipeline's MMDB source key alike.
pub fn record_key(file_name: &str, data_offset: Option<u64>, net: IpNet, alias: bool) -> String {
    let base = match data_offset {
        Some(o) => format!("{file_name}@{o}"),
        None => format!("{file_name}:{net}"),
    };
    let bits = match net {
        IpNet::V6(n) => u128::from(n.network()),
        IpNet::V4(_) => return base,
    };
    match IPV4_ALIASES.iter().position(|&(p, len)| in_prefix(bits, p, len)) {
        Some(0) if alias => format!("{base}#6to4-alias"),
        Some(_) if alias => format!("{base}#teredo-alias"),
        _ => base,
    }
}

/// The file name of `path` for [`record_key`] (the whole path when it has none).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |f| f.to_string_lossy().into_owned())
}

fn in_prefix(bits: u128, prefix: u128, len: u8) -> bool {
    (bits ^ prefix) >> (128 - u32::from(len)) == 0
}

fn to_ipnet(ip: IpAddr, prefix: u8, ip_version: u16) -> IpNet {
    if let (IpAddr::V6(v6), 6) = (ip, ip_version) {
        // An IPv6 database keeps IPv4 at ::/96.
        let bits = u128::from(v6);
        if prefix >= 96
            && bits >> 32 == 0
            && let Ok(n) = IpNet::new(IpAddr::V4((bits as u32).into()), prefix - 96)
        {
            return n;
        }
    }
    IpNet::new(ip, prefix).unwrap_or_else(|_| IpNet::new(ip, 0).unwrap_or_default())
}

fn mmdb_err(path: &Path, e: maxminddb::MaxMindDbError) -> Error {
    Error::Mmdb { path: path.to_path_buf(), message: e.to_string() }
}

/// What [`import_mmdb`] added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportStats {
    /// Networks read.
    pub networks: u64,
    /// IPv6 alias networks of the IPv4 data added besides (6to4, Teredo; see
    /// [`MmdbFile::for_each_ipv4_alias`]).
    pub alias_networks: u64,
}

/// Adds every network of the MMDB file at `path` to `builder`: the record's flags give the
/// class, its organisation (or ISP, or AS organisation) the company name for shown classes
/// and the holder name otherwise. Confidence is 60 for a class from the file's own flags,
/// 30 without one; there is no registry id (MMDB files carry none).
///
/// An IPv6 file with IPv4 data answers 6to4 (`2002::/16`) and Teredo (`2001::/32`) addresses
/// from its IPv4 networks, as MaxMind readers do: those alias ranges are inserted too
/// ([`MmdbFile::for_each_ipv4_alias`]), so ipfirm answers them as `maxminddb` does.
///
/// # Errors
/// [`Error::Mmdb`] naming the file.
pub fn import_mmdb(path: impl AsRef<Path>, builder: &mut DatabaseBuilder, source_name: &str) -> Result<ImportStats> {
    let name = file_name(path.as_ref());
    let file = MmdbFile::open(path)?;
    let version = file.build_epoch().to_string();
    let mut stats = ImportStats::default();
    let mut add = |net: IpNet, rec: MmdbRecord, alias: bool| {
        let (class, reason) = rec.class();
        let company = match (class.is_shown(), rec.holder_name()) {
            (true, Some(name)) => Some(builder.add_company(Company {
                legal_name: name.to_string(),
                country: rec.country.clone(),
                domain: rec.domain.clone(),
                ..Default::default()
            })),
            _ => None,
        };
        let prov = builder.add_provenance(Provenance {
            source: source_name.to_string(),
            version: version.clone(),
            // The record's data-section offset, not the network: networks sharing a record
            // then share an entry and adjacent ones merge (a per-network key made the
            // ip-location-db country file 10x larger and its lookups 2x slower). The matched
            // range itself is in every answer.
            record_key: record_key(&name, rec.data_offset, net, alias),
        });
        builder.insert(
            net,
            Entry {
                class,
                reason,
                confidence: if class == Class::Unknown { 30 } else { 60 },
                company,
                asn: rec.asn,
                asn_org: rec.asn_org.clone().or_else(|| rec.holder_name().map(String::from)),
                provenance: vec![prov],
                country: rec.country.clone(),
            },
        )
    };
    file.for_each(|net, rec| {
        stats.networks += 1;
        add(net, rec, false)
    })?;
    stats.alias_networks = file.for_each_ipv4_alias(|net, rec| add(net, rec, true))?;
    Ok(stats)
}
