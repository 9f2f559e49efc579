//! Any company CSV, read through a column [`Mapping`] given in the config, e.g. SEC EDGAR's
//! `company_tickers` (`cik,ticker,exchange,name` → scheme `US-CIK`) or FinanceDatabase equities
//! (`name,country,website,…`).

use std::path::Path;

use crate::compile::records::RegistryRecord;
use crate::compile::sources::common::{CsvRows, ReadContext, country_code, domain_of, field, join_address};
use crate::error::Result;
use crate::lookup::RegistryId;

/// Which CSV column holds what (column names as in the header row). Constants are marked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Column of the legal name (required).
    pub name: String,
    /// Registry scheme, a constant (`US-CIK`, `ISIN` …) (required).
    pub scheme: String,
    /// Column of the id within the scheme (required).
    pub id: String,
    /// Columns of other names.
    #[serde(default)]
    pub other_names: Vec<String>,
    /// Column of the country (ISO alpha-2 or an English country name).
    #[serde(default)]
    pub country: Option<String>,
    /// Constant country for every row (used when `country` is absent or empty).
    #[serde(default)]
    pub default_country: Option<String>,
    /// Column of the web domain or site URL.
    #[serde(default)]
    pub domain: Option<String>,
    /// Column of the legal form.
    #[serde(default)]
    pub legal_form: Option<String>,
    /// Column of the category.
    #[serde(default)]
    pub category: Option<String>,
    /// Columns joined into the address.
    #[serde(default)]
    pub address: Vec<String>,
    /// Column of the industry code.
    #[serde(default)]
    pub industry: Option<String>,
    /// Broader industry columns, tried in order when `industry` is empty (FinanceDatabase leaves
    /// `industry` empty for many listings but gives `industry_group` and `sector`).
    #[serde(default)]
    pub industry_fallback: Vec<String>,
    /// Column that marks an inactive row, with the values that mean inactive.
    #[serde(default)]
    pub inactive_column: Option<String>,
    /// Values of `inactive_column` meaning "inactive" (compared case-insensitively).
    #[serde(default)]
    pub inactive_values: Vec<String>,
    /// Column that marks a large corporate group (`market_cap`), with the values that mean one
    /// (`Mega Cap`, `Large Cap`, `Mid Cap`; compared case-insensitively): see
    /// [`RegistryRecord::group`].
    #[serde(default)]
    pub group_column: Option<String>,
    /// Values of `group_column` meaning "a large group".
    #[serde(default)]
    pub group_values: Vec<String>,
    /// The name column names a listed security, not only its issuer: a share-class phrase at
    /// its end (`CrowdStrike Holdings, Inc. Class A`, `… Common Stock`, `… Ordinary Shares`,
    /// `… ADR`) is dropped, so the name is the company's ([`issuer_name`]).
    #[serde(default)]
    pub security_names: bool,
    /// Field delimiter (default `,`).
    #[serde(default)]
    pub delimiter: Option<char>,
}

/// Share-class phrases that end a security's name, as lower-case words (`CL.A` reads `cl a`);
/// `?` stands for any one letter (the class).
const SHARE_CLASS_PHRASES: &[&str] = &[
    "class ? common stock",
    "class ? ordinary shares",
    "class ? common shares",
    "class ? subordinate voting shares",
    "class ? shares",
    "class ?",
    "cl ?",
    "common stock",
    "common shares",
    "ordinary shares",
    "ord shs",
    "registered shares",
    "reg shs",
    "bearer shares",
    "subordinate voting shares",
    "sponsored american depositary shares",
    "american depositary shares",
    "depositary shares",
    "depositary receipts",
    "sponsored adr",
    "sp adr",
    "adr",
    "ads",
    "units",
];

/// The issuer's name in a security's name: `name` without a share-class phrase at its end
/// (`SHARE_CLASS_PHRASES`) and the punctuation before it; `name` itself when there is none,
/// or when nothing would be left.
pub fn issuer_name(name: &str) -> &str {
    // Words with their byte offsets; punctuation and spaces separate words.
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut start = None;
    for (i, c) in name.char_indices().chain(std::iter::once((name.len(), ' '))) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, name[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    for phrase in SHARE_CLASS_PHRASES {
        let p: Vec<&str> = phrase.split(' ').collect();
        if p.len() >= words.len() {
            continue;
        }
        let tail = &words[words.len() - p.len()..];
        let fits = tail.iter().zip(&p).all(|((_, w), p)| if *p == "?" { w.chars().count() == 1 } else { w == p });
        if fits {
            let cut = tail[0].0;
            return name[..cut].trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == '-');
        }
    }
    name
}

/// Reads `path` with `mapping`, giving every row to `out`; returns the rows read.
///
/// A row without a name or id is a bad row. `country` accepts ISO alpha-2 codes and English
/// names; `domain` accepts URLs. `active` is true unless `inactive_column` holds one of
/// `inactive_values`.
///
/// # Errors
/// [`crate::Error::Io`] naming a missing file; [`crate::Error::Source`] when a mapped column
/// is missing from the header, or (strict) for a bad row (`file:line`).
pub fn read(path: &Path, mapping: &Mapping, ctx: &mut ReadContext, out: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    let delimiter = match mapping.delimiter {
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(c) => {
            return Err(crate::Error::Source {
                path: path.to_path_buf(),
                line: 0,
                message: format!("delimiter {c:?} is not an ASCII character"),
            });
        }
        None => Some(b','),
    };
    let mut rows = CsvRows::open(path, delimiter)?;
    let name = rows.require(&mapping.name)?;
    let id = rows.require(&mapping.id)?;
    let opt = |rows: &CsvRows, c: &Option<String>| -> Result<Option<usize>> {
        c.as_ref().map(|c| rows.require(c)).transpose()
    };
    let many = |rows: &CsvRows, cs: &[String]| -> Result<Vec<usize>> { cs.iter().map(|c| rows.require(c)).collect() };
    let others = many(&rows, &mapping.other_names)?;
    let address = many(&rows, &mapping.address)?;
    let country = opt(&rows, &mapping.country)?;
    let domain = opt(&rows, &mapping.domain)?;
    let legal_form = opt(&rows, &mapping.legal_form)?;
    let category = opt(&rows, &mapping.category)?;
    let industry = opt(&rows, &mapping.industry)?;
    let industry_fallback = many(&rows, &mapping.industry_fallback)?;
    let inactive = opt(&rows, &mapping.inactive_column)?;
    let group = opt(&rows, &mapping.group_column)?;
    let marks = |i: Option<usize>, values: &[String], rec: &csv::ByteRecord| {
        field(rec, i).is_some_and(|v| values.iter().any(|x| x.eq_ignore_ascii_case(&v)))
    };
    let default_country = mapping.default_country.as_deref().and_then(country_code);
    let mut rec = csv::ByteRecord::new();
    while let Some(line) = rows.next(&mut rec, ctx)? {
        let Some(rid) = field(&rec, Some(id)) else {
            ctx.bad_row(path, line, format!("empty {}", mapping.id))?;
            continue;
        };
        let Some(mut legal_name) = field(&rec, Some(name)) else {
            ctx.bad_row(path, line, format!("{rid}: empty {}", mapping.name))?;
            continue;
        };
        if mapping.security_names {
            legal_name = issuer_name(&legal_name).to_string();
        }
        let addr: Vec<Option<String>> = address.iter().map(|&i| field(&rec, Some(i))).collect();
        out(RegistryRecord {
            origin: ctx.origin(rid.clone()),
            registry: RegistryId { scheme: mapping.scheme.clone(), id: rid },
            other_names: others.iter().filter_map(|&i| field(&rec, Some(i))).filter(|o| *o != legal_name).collect(),
            legal_name,
            country: field(&rec, country).and_then(|c| country_code(&c)).or_else(|| default_country.clone()),
            legal_form: field(&rec, legal_form),
            category: field(&rec, category),
            domain: field(&rec, domain).and_then(|d| domain_of(&d)),
            address: join_address(addr.iter().map(|a| a.as_deref())),
            industry_code: field(&rec, industry)
                .or_else(|| industry_fallback.iter().find_map(|&i| field(&rec, Some(i)))),
            active: !marks(inactive, &mapping.inactive_values, &rec),
            group: marks(group, &mapping.group_values, &rec),
            all_companies: false,
        });
    }
    Ok(rows.rows())
}
