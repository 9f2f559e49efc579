//! RPSL database dumps (RIPE, AFRINIC, APNIC, LACNIC, IRRs such as RADB): `inetnum`, `inet6num`,
//! `route` and `route6` objects become [`IpRecord`]s, joined to their `organisation` by `org:`
//! and (routes) to their `aut-num` by `origin:`.
//!
//! Format: objects separated by blank lines; `key: value` attributes; a line starting with
//! whitespace or `+` continues the previous attribute; lines starting with `%` or `#` are
//! comments. Other object classes (person, role, mntner …) are read and ignored, so no
//! personal data is kept.
//!
//! `path` may be one dump or a directory of split dumps (`ripe.db.inetnum.gz`,
//! `ripe.db.organisation.gz` …), read in name order as one database: organisations and
//! aut-nums may come before or after the objects that refer to them. The input is read twice:
//! first for organisations and aut-nums (held in memory), then for the ranges, each given at
//! once — so memory stays bounded by the organisations, not the millions of inetnums.
//!
//! A small hand-written parser rather than the `rpsl-rs` crate: dumps need streaming,
//! Latin-1 tolerance and a line number per object for error messages, which a parser of single
//! objects from `&str` does not give.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::compile::records::IpRecord;
use crate::compile::sources::common::{Lines, ReadContext, clip, domain_of, parse_asn, parse_range};
use crate::error::{Error, Result};
use crate::range::IpRange;

/// One parsed object: attributes in order, and the line it starts on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Object {
    /// 1-based line of the first attribute.
    pub line: u64,
    /// `(key, value)` pairs, keys lower-cased, continuation lines joined with a space.
    pub attrs: Vec<(String, String)>,
}

impl Object {
    /// The object class (first attribute's key).
    pub fn class(&self) -> &str {
        self.attrs.first().map(|(k, _)| k.as_str()).unwrap_or("")
    }

    /// The object's primary key (first attribute's value).
    pub fn key(&self) -> &str {
        self.attrs.first().map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// First value of `key`, trimmed, end-of-line `#` comment removed unless free text; `None`
    /// when absent or empty.
    pub fn get(&self, key: &str) -> Option<String> {
        self.attrs.iter().find(|(k, _)| k == key).and_then(|(_, v)| clean(key, v))
    }

    /// All non-empty values of `key`.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.attrs.iter().filter(|(k, _)| k == key).filter_map(|(_, v)| clean(key, v)).collect()
    }
}

/// Keys whose values are free text, where `#` is not a comment.
const FREE_TEXT: &[&str] = &["descr", "remarks", "address", "org-name", "owner", "responsible"];

fn clean(key: &str, v: &str) -> Option<String> {
    let v = if FREE_TEXT.contains(&key) { v } else { v.split('#').next().unwrap_or("") };
    let v = v.trim();
    if v.is_empty() || v.chars().all(|c| c == '*' || c == '-') { None } else { Some(v.to_string()) }
}

/// Streams the objects of one RPSL text.
#[derive(Debug)]
pub struct ObjectReader<R> {
    lines: Lines<R>,
}

/// An object, or a malformed one with its line and what is wrong.
pub type ParsedObject = std::result::Result<Object, (u64, String)>;

impl<R: std::io::BufRead> ObjectReader<R> {
    /// Objects of `lines` (which name the input in I/O errors).
    pub fn new(lines: Lines<R>) -> Self {
        ObjectReader { lines }
    }

    /// The next object (or malformed object), `None` at the end.
    ///
    /// # Errors
    /// I/O errors naming the file.
    pub fn next_object(&mut self) -> Result<Option<ParsedObject>> {
        self.next_object_where(&|_| true)
    }

    /// As [`Self::next_object`], but an object whose class `keep` refuses is read past and given
    /// with its first attribute only (cheap skipping of classes the caller does not need).
    ///
    /// # Errors
    /// I/O errors naming the file.
    pub fn next_object_where(&mut self, keep: &dyn Fn(&str) -> bool) -> Result<Option<ParsedObject>> {
        let mut obj = Object::default();
        let mut bad: Option<(u64, String)> = None;
        let mut skipping = false;
        while let Some((n, line)) = self.lines.next_line()? {
            if line.trim().is_empty() {
                if obj.attrs.is_empty() && bad.is_none() {
                    continue;
                }
                break;
            }
            let first = line.chars().next().unwrap_or(' ');
            if (first == '%' || first == '#') && obj.attrs.is_empty() {
                continue;
            }
            if first == '%' || first == '#' {
                continue; // comment lines inside an object
            }
            if skipping {
                continue;
            }
            if first == ' ' || first == '\t' || first == '+' {
                match obj.attrs.last_mut() {
                    Some((_, v)) => {
                        let cont = line[first.len_utf8()..].trim();
                        if !cont.is_empty() {
                            if !v.is_empty() {
                                v.push(' ');
                            }
                            v.push_str(cont);
                        }
                    }
                    None => {
                        bad.get_or_insert((n, "continuation line before any attribute".into()));
                    }
                }
                continue;
            }
            match line.split_once(':') {
                Some((k, v)) if valid_key(k) => {
                    if obj.attrs.is_empty() {
                        obj.line = n;
                        let class = k.to_ascii_lowercase();
                        skipping = !keep(&class);
                        obj.attrs.push((class, v.trim().to_string()));
                        continue;
                    }
                    obj.attrs.push((k.to_ascii_lowercase(), v.trim().to_string()));
                }
                _ => {
                    bad.get_or_insert((n, format!("not an RPSL attribute line: {:?}", clip(&line))));
                }
            }
        }
        Ok(match bad {
            Some(b) => Some(Err(b)),
            None if obj.attrs.is_empty() => None,
            None => Some(Ok(obj)),
        })
    }
}

fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= 64 && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What is kept of an `organisation` object.
#[derive(Debug, Clone, Default)]
struct Org {
    name: Option<String>,
    org_type: Option<String>,
    country: Option<String>,
    address: Option<String>,
    domain: Option<String>,
}

/// What is kept of an `aut-num` object.
#[derive(Debug, Clone, Default)]
struct AutNum {
    as_name: Option<String>,
    descr: Option<String>,
    org: Option<String>,
}

/// Web-mail domains that say nothing about an organisation.
const FREEMAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "aol.com",
    "mail.ru",
    "yandex.ru",
    "qq.com",
    "163.com",
    "126.com",
    "gmx.de",
    "web.de",
    "icloud.com",
    "protonmail.com",
];

/// Reads `path` (a dump or a directory of dumps), giving every inetnum / inet6num / route /
/// route6 to `out`; returns the objects read (all classes).
///
/// Fields: `range`; `netname` (route: the aut-num's `as-name`); `descr` lines joined with
/// `"; "`; `country`; `status`; `org_handle` (`org:`, LACNIC `ownerid:`); from the
/// organisation `org-name` → `org_name`, `org-type`, `address`, `e-mail` domain → `domain`
/// (web-mail domains skipped); route `origin:` → `asn`. Without an organisation the object's own
/// `owner:` (LACNIC) and `address:` are used. `origin.version` is the object's `last-modified`
/// date when present, else the context's version; `origin.record_key` is `class:key`
/// (`inetnum:193.0.0.0 - 193.0.23.255`).
///
/// # Errors
/// [`Error::Io`] naming a missing file; [`Error::Source`] (`file:line`) for a malformed object
/// or range in strict mode.
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(IpRecord)) -> Result<u64> {
    let files = input_files(path)?;
    // Pass 1: organisations and aut-nums only (malformed objects are reported in pass 2).
    let mut orgs: HashMap<String, Org> = HashMap::new();
    let mut autnums: HashMap<u32, AutNum> = HashMap::new();
    let wanted = |c: &str| c == "organisation" || c == "aut-num";
    for file in &files {
        let mut reader = ObjectReader::new(Lines::open(file)?);
        while let Some(obj) = reader.next_object_where(&wanted)? {
            let Ok(obj) = obj else { continue };
            match obj.class() {
                "organisation" => {
                    let email =
                        obj.all("e-mail").iter().filter_map(|e| domain_of(e)).find(|d| !FREEMAIL.contains(&d.as_str()));
                    let address = obj.all("address");
                    orgs.insert(
                        obj.key().trim().to_ascii_uppercase(),
                        Org {
                            name: obj.get("org-name"),
                            org_type: obj.get("org-type"),
                            country: obj.get("country").map(|c| c.to_ascii_uppercase()),
                            address: (!address.is_empty()).then(|| address.join(", ")),
                            domain: email,
                        },
                    );
                }
                "aut-num" => {
                    if let Some(asn) = parse_asn(obj.key()) {
                        let descr = obj.all("descr");
                        autnums.insert(
                            asn,
                            AutNum {
                                as_name: obj.get("as-name"),
                                descr: (!descr.is_empty()).then(|| descr.join("; ")),
                                org: obj.get("org").map(|o| o.to_ascii_uppercase()),
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }
    // Pass 2: the ranges, each given at once with its organisation and aut-num.
    let ranges = |c: &str| matches!(c, "inetnum" | "inet6num" | "route" | "route6");
    let mut objects = 0u64;
    for file in &files {
        let mut reader = ObjectReader::new(Lines::open(file)?);
        while let Some(obj) = reader.next_object_where(&ranges)? {
            objects += 1;
            let obj = match obj {
                Ok(o) => o,
                Err((line, msg)) => {
                    ctx.bad_row(file, line, msg)?;
                    continue;
                }
            };
            let class = obj.class();
            if class == "aut-num" && parse_asn(obj.key()).is_none() {
                ctx.bad_row(file, obj.line, format!("bad aut-num {:?}", clip(obj.key())))?;
                continue;
            }
            if !ranges(class) {
                continue;
            }
            let range = match parse_rpsl_range(obj.key()) {
                Ok(r) => r,
                Err(m) => {
                    ctx.bad_row(file, obj.line, format!("{class}: {m}"))?;
                    continue;
                }
            };
            let is_route = class.starts_with("route");
            let asn = if is_route {
                match obj.get("origin").as_deref().map(parse_asn) {
                    Some(Some(a)) => Some(a),
                    _ => {
                        ctx.bad_row(file, obj.line, format!("{class} without a valid origin: AS number"))?;
                        continue;
                    }
                }
            } else {
                None
            };
            let descr = obj.all("descr");
            let address = obj.all("address");
            let version = obj
                .get("last-modified")
                .map(|d| d.chars().take(10).collect::<String>())
                .unwrap_or_else(|| ctx.version.to_string());
            let rec = IpRecord {
                range: Some(range),
                origin: crate::compile::records::Origin {
                    source: ctx.source.to_string(),
                    version,
                    record_key: format!("{class}:{}", obj.key().trim()),
                },
                asn,
                org_name: obj.get("owner"),
                netname: obj.get("netname"),
                descr: (!descr.is_empty()).then(|| descr.join("; ")),
                country: obj.get("country").map(|c| c.to_ascii_uppercase()),
                status: obj.get("status"),
                org_type: None,
                org_handle: obj.get("org").or_else(|| obj.get("ownerid")).map(|o| o.to_ascii_uppercase()),
                domain: None,
                address: (!address.is_empty()).then(|| address.join(", ")),
                hint: None,
                registration_country: None,
            };
            out(finish(rec, is_route, &orgs, &autnums));
        }
    }
    Ok(objects)
}

fn finish(mut rec: IpRecord, is_route: bool, orgs: &HashMap<String, Org>, autnums: &HashMap<u32, AutNum>) -> IpRecord {
    if let Some(a) = rec.asn.filter(|_| is_route).and_then(|a| autnums.get(&a)) {
        rec.netname = rec.netname.take().or_else(|| a.as_name.clone());
        rec.descr = rec.descr.take().or_else(|| a.descr.clone());
        if rec.org_handle.is_none() {
            rec.org_handle = a.org.clone();
        }
    }
    if let Some(org) = rec.org_handle.as_ref().and_then(|h| orgs.get(h)) {
        if org.name.is_some() {
            rec.org_name = org.name.clone();
        }
        rec.org_type = org.org_type.clone();
        if org.address.is_some() {
            rec.address = org.address.clone();
        }
        rec.domain = org.domain.clone();
        if rec.country.is_none() {
            rec.country = org.country.clone();
        }
    }
    rec
}

/// `a.b.c.d - e.f.g.h`, a CIDR, or LACNIC's short IPv4 CIDR (`200.3.12/22`).
fn parse_rpsl_range(key: &str) -> std::result::Result<IpRange, String> {
    let k = key.trim();
    match parse_range(k) {
        Ok(r) => Ok(r),
        Err(e) => {
            if let Some((net, len)) = k.split_once('/') {
                let parts = net.split('.').count();
                if !net.contains(':') && (1..4).contains(&parts) {
                    let padded = format!("{net}{}/{len}", ".0".repeat(4 - parts));
                    return parse_range(&padded);
                }
            }
            Err(e)
        }
    }
}

/// The files of `path`: itself, or the regular files of a directory in name order.
fn input_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        let p = entry.path();
        let name = entry.file_name();
        if p.is_file() && !name.to_string_lossy().starts_with('.') && !name.to_string_lossy().ends_with(".md") {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::Source {
            path: path.to_path_buf(),
            line: 0,
            message: "directory holds no RPSL dump".into(),
        });
    }
    Ok(files)
}
