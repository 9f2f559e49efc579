//! GLEIF golden-copy LEI CSV (`…-gleif-goldencopy-lei2-golden-copy.csv`), columns by header
//! name, so subsets with fewer columns (as the bundled one) read too.
//!
//! Privacy: an entity of category `SOLE_PROPRIETOR` is a natural person trading under a
//! business name. Its legal name is kept (in memory only) so the join can recognise an IP holder
//! as a registered sole trader — the classifier then makes the range `sole_trader`, which the
//! builder stores with no name at all; its address is never read.

use std::path::Path;

use crate::compile::records::RegistryRecord;
use crate::compile::sources::common::{CsvRows, ReadContext, country_code, field, join_address};
use crate::error::Result;
use crate::lookup::RegistryId;

/// The GLEIF entity category of a natural person trading alone.
pub const SOLE_PROPRIETOR: &str = "SOLE_PROPRIETOR";

/// Options of a `gleif` source.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The file lists companies of every size and trade (the whole golden copy, or a slice of
    /// it beyond an industry subset), providers included: its records are marked
    /// [`RegistryRecord::all_companies`], weaker evidence for the join and the rules.
    #[serde(default)]
    pub all_companies: bool,
}

/// Reads `path`, giving every entity to `out`; returns the rows read.
///
/// Columns: `LEI` and `Entity.LegalName` (required); `Entity.OtherEntityNames.OtherEntityName.N`
/// and `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.N` → `other_names`;
/// `Entity.LegalAddress.{FirstAddressLine, AdditionalAddressLine.N, City, PostalCode}` →
/// `address`; `Entity.LegalAddress.Country` → `country`; `Entity.LegalForm.EntityLegalFormCode`
/// (else `Entity.LegalForm.OtherLegalForm`) → `legal_form`; `Entity.EntityCategory` →
/// `category`; `Entity.EntityStatus` = `INACTIVE` → not `active`. Registry id: `LEI`.
/// Sole proprietors ([`SOLE_PROPRIETOR`]) keep their names (for the join) but get no address.
///
/// # Errors
/// [`crate::Error::Io`] naming a missing file; [`crate::Error::Source`] when a required column
/// is missing, or (strict) for a bad row (`file:line`).
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    read_with(path, &Options::default(), ctx, out)
}

/// [`read`] with the source's options.
///
/// # Errors
/// As [`read`].
pub fn read_with(path: &Path, o: &Options, ctx: &mut ReadContext, out: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    let mut rows = CsvRows::open(path, Some(b','))?;
    let lei = rows.require("LEI")?;
    let name = rows.require("Entity.LegalName")?;
    let h = &rows.header;
    let col = |n: &str| h.index(n);
    let others: Vec<usize> = h
        .names()
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            // `…OtherEntityName.1`, not its `.1.xmllang` / `.1.type` companions.
            [
                "Entity.OtherEntityNames.OtherEntityName.",
                "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.",
            ]
            .iter()
            .any(|p| n.strip_prefix(p).is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit())))
        })
        .map(|(i, _)| i)
        .collect();
    let addr_lines: Vec<usize> = h
        .names()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.starts_with("Entity.LegalAddress.AdditionalAddressLine."))
        .map(|(i, _)| i)
        .collect();
    let (first_line, city, postal, country) = (
        col("Entity.LegalAddress.FirstAddressLine"),
        col("Entity.LegalAddress.City"),
        col("Entity.LegalAddress.PostalCode"),
        col("Entity.LegalAddress.Country"),
    );
    let (elf, other_form, category, status) = (
        col("Entity.LegalForm.EntityLegalFormCode"),
        col("Entity.LegalForm.OtherLegalForm"),
        col("Entity.EntityCategory"),
        col("Entity.EntityStatus"),
    );
    let mut rec = csv::ByteRecord::new();
    while let Some(line) = rows.next(&mut rec, ctx)? {
        let Some(id) = field(&rec, Some(lei)) else {
            ctx.bad_row(path, line, "empty LEI")?;
            continue;
        };
        if id.len() != 20 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            ctx.bad_row(path, line, format!("LEI {:?} is not 20 letters and digits", super::common::clip(&id)))?;
            continue;
        }
        let Some(legal_name) = field(&rec, Some(name)) else {
            ctx.bad_row(path, line, format!("LEI {id}: empty Entity.LegalName"))?;
            continue;
        };
        let mut other_names: Vec<String> = others.iter().filter_map(|&i| field(&rec, Some(i))).collect();
        other_names.dedup();
        let mut addr = vec![field(&rec, first_line)];
        addr.extend(addr_lines.iter().map(|&i| field(&rec, Some(i))));
        addr.push(field(&rec, postal));
        addr.push(field(&rec, city));
        let address = join_address(addr.iter().map(|a| a.as_deref()));
        let category = field(&rec, category);
        let address = if category.as_deref() == Some(SOLE_PROPRIETOR) { None } else { address };
        let legal_form = field(&rec, elf).filter(|f| f != "8888" && f != "9999").or_else(|| field(&rec, other_form));
        out(RegistryRecord {
            origin: ctx.origin(id.clone()),
            registry: RegistryId { scheme: "LEI".into(), id },
            legal_name,
            other_names,
            country: field(&rec, country).and_then(|c| country_code(&c)),
            legal_form,
            category,
            domain: None,
            address,
            industry_code: None,
            active: !field(&rec, status).is_some_and(|s| s.eq_ignore_ascii_case("INACTIVE")),
            group: false,
            all_companies: o.all_companies,
        });
    }
    Ok(rows.rows())
}
