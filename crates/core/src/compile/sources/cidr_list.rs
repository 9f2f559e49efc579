//! Networks with a class from the config: plain lists (hosting, CDN, VPN, crawler lists) and the
//! providers' own formats — AWS `ip-ranges.json`, Google `cloud.json` / `goog.json`, Azure service
//! tags, Oracle `public_ip_ranges.json`, Fastly, GitHub meta, Zscaler, RFC 8805 geofeeds
//! (DigitalOcean, Linode) and client9 ipcat `datacenters.csv`.
//!
//! Every range gets `hint = SourceHint { class, label: "provider-list:<label>", authoritative }`. JSON files are
//! parsed whole with `serde_json` (the largest, Azure's, is a few MB); their entries have no
//! line, so a record key is `file#json.path` and an error names the line where the bad value
//! first appears in the file.

use std::path::Path;

use serde_json::Value;

use crate::class::Class;
use crate::compile::records::{IpRecord, Origin, SourceHint};
use crate::compile::sources::common::{
    Lines, ReadContext, clip, csv_error, csv_reader, decode_ref, domain_of, line_key, parse_range, read_to_string,
};
use crate::error::{Error, Result};
use crate::range::IpRange;

/// Options of a `cidr-list` source.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// File format; `auto` (the default) sniffs it.
    #[serde(default)]
    pub format: Format,
    /// Class the list asserts (required for `plain`; providers default to `hosting`).
    #[serde(default)]
    pub class: Option<crate::Class>,
    /// Label for the reason code (`provider-list:<label>`); defaults to the provider name.
    #[serde(default)]
    pub label: Option<String>,
    /// Whether the list is current and the ranges' own (a provider's published list): its class
    /// then wins over every name (rule 4). `false` makes it a fallback (rule 4b) that yields to
    /// the holder's own shown-class name words, registry record or sector word. Default: `true`,
    /// except for the `ipcat` format (a third-party list last compiled years ago, whose ranges
    /// have partly moved to universities, cities and enterprises).
    #[serde(default)]
    pub authoritative: Option<bool>,
}

/// Formats of a `cidr-list` file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Sniff from the content.
    #[default]
    Auto,
    /// One CIDR, address or `start-end` per line; `#`/`;`/`//` comments.
    Plain,
    /// AWS ip-ranges.json.
    Aws,
    /// Google cloud.json / goog.json.
    Gcp,
    /// Azure service tags JSON.
    Azure,
    /// Oracle Cloud public_ip_ranges.json.
    Oracle,
    /// Fastly public-ip-list JSON.
    Fastly,
    /// GitHub meta API JSON.
    Github,
    /// RFC 8805 geofeed CSV (`prefix,country,region,city,postal`), no provider implied.
    Geofeed,
    /// DigitalOcean's geofeed CSV.
    Digitalocean,
    /// Linode's geofeed CSV.
    Linode,
    /// Zscaler cloud ranges JSON.
    Zscaler,
    /// client9 ipcat datacenters.csv (`start,end,name,url`).
    Ipcat,
    /// Cloudflare's `ips-v4` / `ips-v6` text lists (plain lines, provider `cloudflare`).
    Cloudflare,
    /// Akamai's published origin / SiteShield CIDR text lists (plain lines, provider `akamai`).
    Akamai,
}

impl Format {
    /// The provider name (default label) and the holder's display name.
    fn provider(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Format::Aws => ("aws", "Amazon Web Services"),
            Format::Gcp => ("gcp", "Google Cloud"),
            Format::Azure => ("azure", "Microsoft Azure"),
            Format::Oracle => ("oracle", "Oracle Cloud Infrastructure"),
            Format::Fastly => ("fastly", "Fastly"),
            Format::Github => ("github", "GitHub"),
            Format::Zscaler => ("zscaler", "Zscaler"),
            Format::Digitalocean => ("digitalocean", "DigitalOcean"),
            Format::Linode => ("linode", "Linode"),
            Format::Ipcat => ("ipcat", ""),
            Format::Cloudflare => ("cloudflare", "Cloudflare"),
            Format::Akamai => ("akamai", "Akamai"),
            Format::Auto | Format::Plain | Format::Geofeed => return None,
        })
    }

    fn is_json(self) -> bool {
        matches!(
            self,
            Format::Aws
                | Format::Gcp
                | Format::Azure
                | Format::Oracle
                | Format::Fastly
                | Format::Github
                | Format::Zscaler
        )
    }
}

/// Reads `path`, giving every network to `out`; returns the entries read.
///
/// Options: `format` (default `auto`: JSON formats by their keys, `start,end,name,url` rows as
/// ipcat, `prefix,CC,…` rows as a geofeed, else plain); `class` (required for `plain` and
/// `geofeed`, `hosting` by default for provider formats); `label` (default: the provider name,
/// for plain lists the file stem); `authoritative` (default `true`, `false` for ipcat: see
/// [`Options::authoritative`]). Fields: `range`, `hint`, `org_name` (the provider, ipcat's
/// name column), `descr` (service / region / tag), `country` (geofeed), `domain` (ipcat url).
///
/// # Errors
/// [`Error::Io`] naming a missing file; [`Error::Source`] for a file that is not the given
/// format (invalid JSON, missing class) or, in strict mode, for a bad entry (`file:line`).
pub fn read(path: &Path, opts: &Options, ctx: &mut ReadContext, out: &mut dyn FnMut(IpRecord)) -> Result<u64> {
    let format = match opts.format {
        Format::Auto => sniff(path)?,
        f => f,
    };
    let provider = format.provider();
    let class = match (opts.class, provider) {
        (Some(c), _) => c,
        (None, Some(_)) => Class::Hosting,
        (None, None) => {
            return Err(Error::Source {
                path: path.to_path_buf(),
                line: 0,
                message: format!("cidr-list in {format:?} format needs a `class` (hosting, anonymizer, …)")
                    .to_lowercase(),
            });
        }
    };
    let label = opts.label.clone().unwrap_or_else(|| match provider {
        Some((l, _)) => l.to_string(),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().split('.').next().unwrap_or("list").to_string())
            .unwrap_or_else(|| "list".into()),
    });
    let mut emit = Emit {
        path,
        hint: SourceHint {
            class,
            label: format!("provider-list:{label}"),
            authoritative: opts.authoritative.unwrap_or(format != Format::Ipcat),
        },
        org: provider.map(|(_, n)| n).filter(|n| !n.is_empty()).map(String::from),
        out,
    };
    if format.is_json() {
        read_json(path, format, ctx, &mut emit)
    } else if format == Format::Ipcat {
        read_ipcat(path, ctx, &mut emit)
    } else {
        read_lines(path, ctx, &mut emit)
    }
}

struct Emit<'a> {
    path: &'a Path,
    hint: SourceHint,
    org: Option<String>,
    out: &'a mut dyn FnMut(IpRecord),
}

impl Emit<'_> {
    fn emit(&mut self, ctx: &ReadContext, version: &str, key: String, range: IpRange, f: impl FnOnce(&mut IpRecord)) {
        let mut rec = IpRecord {
            range: Some(range),
            origin: Origin { source: ctx.source.to_string(), version: version.to_string(), record_key: key },
            org_name: self.org.clone(),
            hint: Some(self.hint.clone()),
            ..Default::default()
        };
        f(&mut rec);
        (self.out)(rec);
    }
}

/// Guesses the format from the first kilobytes.
fn sniff(path: &Path) -> Result<Format> {
    let mut lines = Lines::open(path)?;
    let mut head = String::new();
    let mut first_data: Option<String> = None;
    while let Some((_, l)) = lines.next_line()? {
        let t = l.trim();
        if first_data.is_none() && !t.is_empty() && !t.starts_with('#') {
            first_data = Some(t.to_string());
        }
        head.push_str(&l);
        head.push('\n');
        if head.len() > 4096 {
            break;
        }
    }
    let h = head.trim_start();
    if h.starts_with('{') {
        let has = |k: &str| h.contains(&format!("\"{k}\""));
        return Ok(if has("ip_prefix") || has("ipv6_prefix") {
            Format::Aws
        } else if has("ipv4Prefix") || has("ipv6Prefix") {
            Format::Gcp
        } else if has("addressPrefixes") || has("changeNumber") {
            Format::Azure
        } else if has("regions") && has("cidrs") {
            Format::Oracle
        } else if has("hubPrefixes") || has("cloudName") {
            Format::Zscaler
        } else if has("addresses") && has("ipv6_addresses") {
            Format::Fastly
        } else {
            // GitHub meta and any other JSON: every array of CIDR strings.
            Format::Github
        });
    }
    if let Some(l) = first_data {
        let f: Vec<&str> = l.split(',').map(str::trim).collect();
        if f.len() >= 3 && f[0].parse::<std::net::IpAddr>().is_ok() && f[1].parse::<std::net::IpAddr>().is_ok() {
            return Ok(Format::Ipcat);
        }
        if f.len() >= 2 && f[0].contains('/') && (f[1].is_empty() || f[1].len() == 2) {
            return Ok(Format::Geofeed);
        }
    }
    Ok(Format::Plain)
}

/// Plain lists and geofeeds.
fn read_lines(path: &Path, ctx: &mut ReadContext, emit: &mut Emit) -> Result<u64> {
    let mut lines = Lines::open(path)?;
    let mut rows = 0;
    let version = ctx.version.to_string();
    while let Some((n, line)) = lines.next_line()? {
        let t = strip_comment(&line).trim();
        if t.is_empty() {
            continue;
        }
        rows += 1;
        let (net, rest) = match t.split_once(',') {
            Some((a, b)) => (a.trim(), Some(b)),
            None => (t.split(['\t', ' ']).next().unwrap_or(t), None),
        };
        // A plain "a - b" range keeps its spaces.
        let net = if rest.is_none() && t.contains('-') { t } else { net };
        match parse_range(net) {
            Ok(range) => {
                let country = rest
                    .and_then(|r| r.split(',').next())
                    .map(str::trim)
                    .filter(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()))
                    .map(str::to_ascii_uppercase);
                emit.emit(ctx, &version, line_key(path, n), range, |r| r.country = country);
            }
            Err(m) => ctx.bad_row(path, n, m)?,
        }
    }
    Ok(rows)
}

fn strip_comment(line: &str) -> &str {
    let mut end = line.len();
    for pat in ["#", ";", "//"] {
        if let Some(i) = line.find(pat) {
            end = end.min(i);
        }
    }
    &line[..end]
}

/// client9 ipcat `datacenters.csv`: `start,end,name,url`.
fn read_ipcat(path: &Path, ctx: &mut ReadContext, emit: &mut Emit) -> Result<u64> {
    let mut rdr = csv_reader(path, false, b',')?;
    let mut rec = csv::ByteRecord::new();
    let mut rows = 0;
    let version = ctx.version.to_string();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => match csv_error(path, e) {
                Error::Source { line, message, .. } => {
                    rows += 1;
                    ctx.bad_row(path, line, message)?;
                    continue;
                }
                other => return Err(other),
            },
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let f = |i: usize| rec.get(i).map(decode_ref).unwrap_or_default();
        if rec.len() == 1 && f(0).trim().is_empty() {
            continue;
        }
        rows += 1;
        if rec.len() < 3 {
            ctx.bad_row(path, line, format!("expected start,end,name,url; found {} fields", rec.len()))?;
            continue;
        }
        match parse_range(&format!("{}-{}", f(0).trim(), f(1).trim())) {
            Ok(range) => {
                let name = f(2).trim().to_string();
                let domain = domain_of(&f(3));
                emit.emit(ctx, &version, line_key(path, line), range, |r| {
                    r.org_name = (!name.is_empty()).then_some(name);
                    r.domain = domain;
                })
            }
            Err(m) => ctx.bad_row(path, line, m)?,
        }
    }
    Ok(rows)
}

/// One network string found in a JSON document, with its JSON path and description.
struct JsonNet {
    key: String,
    net: String,
    descr: Option<String>,
}

fn read_json(path: &Path, format: Format, ctx: &mut ReadContext, emit: &mut Emit) -> Result<u64> {
    let text = read_to_string(path)?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| Error::Source {
        path: path.to_path_buf(),
        line: e.line() as u64,
        message: format!("not valid JSON: {e}"),
    })?;
    let join = |parts: &[Option<&str>]| {
        let v: Vec<&str> = parts.iter().flatten().copied().collect();
        (!v.is_empty()).then(|| v.join(" "))
    };
    let mut nets: Vec<JsonNet> = Vec::new();
    let mut version = ctx.version.to_string();
    let arr = |v: &Value, k: &str| v.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
    match format {
        Format::Aws => {
            if version.is_empty() {
                version = s(&doc, "createDate").unwrap_or("").to_string();
            }
            for (list, field) in [("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")] {
                for (i, p) in arr(&doc, list).iter().enumerate() {
                    nets.push(JsonNet {
                        key: format!("{list}[{i}]"),
                        net: s(p, field).unwrap_or("").to_string(),
                        descr: join(&[s(p, "service"), s(p, "region")]),
                    });
                }
            }
        }
        Format::Gcp => {
            if version.is_empty() {
                version = s(&doc, "creationTime").unwrap_or("").chars().take(10).collect();
            }
            for (i, p) in arr(&doc, "prefixes").iter().enumerate() {
                nets.push(JsonNet {
                    key: format!("prefixes[{i}]"),
                    net: s(p, "ipv4Prefix").or_else(|| s(p, "ipv6Prefix")).unwrap_or("").to_string(),
                    descr: join(&[s(p, "service"), s(p, "scope")]),
                });
            }
        }
        Format::Azure => {
            if version.is_empty() {
                version = doc.get("changeNumber").map(|c| c.to_string()).unwrap_or_default();
            }
            for (i, tag) in arr(&doc, "values").iter().enumerate() {
                let props = tag.get("properties").cloned().unwrap_or(Value::Null);
                let descr = join(&[s(tag, "name"), s(&props, "region")]);
                for (j, p) in arr(&props, "addressPrefixes").iter().enumerate() {
                    nets.push(JsonNet {
                        key: format!("values[{i}].addressPrefixes[{j}]"),
                        net: p.as_str().unwrap_or("").to_string(),
                        descr: descr.clone(),
                    });
                }
            }
        }
        Format::Oracle => {
            if version.is_empty() {
                version = s(&doc, "last_updated_timestamp").unwrap_or("").chars().take(10).collect();
            }
            for (i, region) in arr(&doc, "regions").iter().enumerate() {
                for (j, c) in arr(region, "cidrs").iter().enumerate() {
                    let tags: Vec<&str> = c
                        .get("tags")
                        .and_then(Value::as_array)
                        .map(|t| t.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let tags = tags.join(",");
                    nets.push(JsonNet {
                        key: format!("regions[{i}].cidrs[{j}]"),
                        net: s(c, "cidr").unwrap_or("").to_string(),
                        descr: join(&[Some(tags.as_str()).filter(|t| !t.is_empty()), s(region, "region")]),
                    });
                }
            }
        }
        _ => {
            // Fastly, GitHub meta, Zscaler and unknown JSON: every top-level array of strings that
            // holds at least one network; the array's name is the description.
            if let Value::Object(map) = &doc {
                for (k, v) in map {
                    let Some(items) = v.as_array() else { continue };
                    let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                    if strings.len() != items.len()
                        || !strings.iter().any(|s| s.contains('/') && parse_range(s).is_ok())
                    {
                        continue;
                    }
                    for (i, n) in strings.iter().enumerate() {
                        nets.push(JsonNet { key: format!("{k}[{i}]"), net: n.to_string(), descr: Some(k.clone()) });
                    }
                }
            }
        }
    }
    drop(doc);
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let rows = nets.len() as u64;
    for n in nets {
        match parse_range(&n.net) {
            Ok(range) => emit.emit(ctx, &version, format!("{file}#{}", n.key), range, |r| r.descr = n.descr),
            Err(m) => {
                let line = line_of(&text, &n.net);
                ctx.bad_row(emit.path, line, format!("{}: {m}", clip(&n.key)))?
            }
        }
    }
    Ok(rows)
}

fn s<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    v.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// The 1-based line where `"value"` first appears in `text` (0 when not found).
fn line_of(text: &str, value: &str) -> u64 {
    let needle = format!("\"{value}\"");
    match text.find(&needle) {
        Some(i) => text[..i].bytes().filter(|&b| b == b'\n').count() as u64 + 1,
        None => 0,
    }
}
