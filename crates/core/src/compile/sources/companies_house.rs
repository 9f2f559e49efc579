//! Companies House "Free Company Data Product" (`BasicCompanyDataAsOneFile-….csv`). The real
//! file's header has leading spaces in some names (`" CompanyNumber"`); names are trimmed.

use std::path::Path;

use crate::compile::records::RegistryRecord;
use crate::compile::sources::common::{CsvRows, ReadContext, field, join_address};
use crate::error::Result;
use crate::lookup::RegistryId;

/// Reads `path`, giving every company to `out`; returns the rows read.
///
/// Columns: `CompanyName`, `CompanyNumber` (required); `RegAddress.{CareOf, POBox,
/// AddressLine1, AddressLine2, PostTown, County, Country, PostCode}` → `address`;
/// `CompanyCategory` → `legal_form` and `category`; `CompanyStatus` (`Active…` is active);
/// `SICCode.SicText_1` (`62020 - …`) → `industry_code` `62020`; `PreviousName_N.CompanyName` →
/// `other_names`. Country is `GB`; registry id `GB-CH`.
///
/// # Errors
/// [`crate::Error::Io`] naming a missing file; [`crate::Error::Source`] when a required column
/// is missing, or (strict) for a bad row (`file:line`).
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    let mut rows = CsvRows::open(path, Some(b','))?;
    let name = rows.require("CompanyName")?;
    let number = rows.require("CompanyNumber")?;
    let h = &rows.header;
    let addr: Vec<Option<usize>> = [
        "RegAddress.CareOf",
        "RegAddress.POBox",
        "RegAddress.AddressLine1",
        "RegAddress.AddressLine2",
        "RegAddress.PostTown",
        "RegAddress.County",
        "RegAddress.PostCode",
        "RegAddress.Country",
    ]
    .iter()
    .map(|n| h.index(n))
    .collect();
    let previous: Vec<usize> = h
        .names()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.starts_with("PreviousName_") && n.ends_with(".CompanyName"))
        .map(|(i, _)| i)
        .collect();
    let (category, status, sic) = (h.index("CompanyCategory"), h.index("CompanyStatus"), h.index("SICCode.SicText_1"));
    let mut rec = csv::ByteRecord::new();
    while let Some(line) = rows.next(&mut rec, ctx)? {
        let Some(id) = field(&rec, Some(number)) else {
            ctx.bad_row(path, line, "empty CompanyNumber")?;
            continue;
        };
        if id.len() > 10 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            ctx.bad_row(path, line, format!("CompanyNumber {:?} is not a company number", super::common::clip(&id)))?;
            continue;
        }
        let Some(legal_name) = field(&rec, Some(name)) else {
            ctx.bad_row(path, line, format!("company {id}: empty CompanyName"))?;
            continue;
        };
        let address = {
            let parts: Vec<Option<String>> = addr.iter().map(|&i| field(&rec, i)).collect();
            join_address(parts.iter().map(|p| p.as_deref()))
        };
        let cat = field(&rec, category);
        let industry_code = field(&rec, sic)
            .and_then(|s| s.split(" - ").next().map(str::trim).map(String::from))
            .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit()));
        out(RegistryRecord {
            origin: ctx.origin(id.clone()),
            registry: RegistryId { scheme: "GB-CH".into(), id },
            legal_name,
            other_names: previous.iter().filter_map(|&i| field(&rec, Some(i))).collect(),
            country: Some("GB".into()),
            legal_form: cat.clone(),
            category: cat,
            domain: None,
            address,
            industry_code,
            active: field(&rec, status).is_none_or(|s| s.starts_with("Active")),
            group: false,
            all_companies: false,
        });
    }
    Ok(rows.rows())
}
