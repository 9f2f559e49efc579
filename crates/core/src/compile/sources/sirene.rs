//! INSEE SIRENE `StockUniteLegale` CSV (legal units; the open stock file from data.gouv.fr).
//!
//! Privacy: a natural person (`categorieJuridiqueUniteLegale` 1000, *entrepreneur individuel*)
//! or a unit whose diffusion is restricted (`statutDiffusionUniteLegale` `P`) is given with no
//! name at all — `legal_name` empty, `legal_form` `1000` — so no person's name ever reaches the
//! pipeline; the classifier turns such records into sole traders.

use std::path::Path;

use crate::compile::records::RegistryRecord;
use crate::compile::sources::common::{CsvRows, ReadContext, field};
use crate::error::Result;
use crate::lookup::RegistryId;

/// The legal-form code of an *entrepreneur individuel* (a natural person).
pub const NATURAL_PERSON: &str = "1000";

/// Reads `path`, giving every legal unit to `out`; returns the rows read.
///
/// Columns: `siren` (required, 9 digits); `denominationUniteLegale` → `legal_name` (units that
/// are not natural persons must have one); `sigleUniteLegale`,
/// `denominationUsuelle{1,2,3}UniteLegale` → `other_names`; `categorieJuridiqueUniteLegale` →
/// `legal_form`; `categorieEntreprise` → `category`; `activitePrincipaleUniteLegale` →
/// `industry_code`; `etatAdministratifUniteLegale` `A` → `active` (`C` ceased). Country `FR`;
/// registry id `FR-SIREN`. The person columns (`nomUniteLegale`, `prenom1UniteLegale` …) are
/// never read.
///
/// # Errors
/// [`crate::Error::Io`] naming a missing file; [`crate::Error::Source`] when a required column
/// is missing, or (strict) for a bad row (`file:line`).
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    let mut rows = CsvRows::open(path, None)?;
    let siren = rows.require("siren")?;
    let denom = rows.require("denominationUniteLegale")?;
    let h = &rows.header;
    let others: Vec<Option<usize>> = [
        "sigleUniteLegale",
        "denominationUsuelle1UniteLegale",
        "denominationUsuelle2UniteLegale",
        "denominationUsuelle3UniteLegale",
    ]
    .iter()
    .map(|n| h.index(n))
    .collect();
    let (cat_j, cat_e, naf, etat, diffusion) = (
        h.index("categorieJuridiqueUniteLegale"),
        h.index("categorieEntreprise"),
        h.index("activitePrincipaleUniteLegale"),
        h.index("etatAdministratifUniteLegale"),
        h.index("statutDiffusionUniteLegale"),
    );
    let mut rec = csv::ByteRecord::new();
    while let Some(line) = rows.next(&mut rec, ctx)? {
        let id = field(&rec, Some(siren)).unwrap_or_default();
        if id.len() != 9 || !id.chars().all(|c| c.is_ascii_digit()) {
            ctx.bad_row(path, line, format!("siren {:?} is not 9 digits", super::common::clip(&id)))?;
            continue;
        }
        let form = field(&rec, cat_j);
        let person = form.as_deref() == Some(NATURAL_PERSON)
            || field(&rec, diffusion).is_some_and(|d| d.eq_ignore_ascii_case("P"));
        let (legal_name, other_names, legal_form) = if person {
            (String::new(), Vec::new(), Some(NATURAL_PERSON.to_string()))
        } else {
            let Some(name) = field(&rec, Some(denom)) else {
                ctx.bad_row(path, line, format!("siren {id}: empty denominationUniteLegale"))?;
                continue;
            };
            let mut o: Vec<String> = others.iter().filter_map(|&i| field(&rec, i)).filter(|o| *o != name).collect();
            o.dedup();
            (name, o, form)
        };
        out(RegistryRecord {
            origin: ctx.origin(id.clone()),
            registry: RegistryId { scheme: "FR-SIREN".into(), id },
            legal_name,
            other_names,
            country: Some("FR".into()),
            legal_form,
            category: field(&rec, cat_e),
            domain: None,
            address: None,
            industry_code: field(&rec, naf),
            active: !field(&rec, etat).is_some_and(|e| e.eq_ignore_ascii_case("C")),
            group: false,
            all_companies: false,
        });
    }
    Ok(rows.rows())
}
