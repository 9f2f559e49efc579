//! KvK (Netherlands Chamber of Commerce) basic company data as CSV, in the field names of the
//! KvK *Basisprofiel* (`kvkNummer`, `statutaireNaam`, `naam`/`handelsnaam`, `rechtsvorm`,
//! address fields, `sbiCode`). Column names are matched case-insensitively, and the Dutch
//! spellings used by the KvK's exports (`KvK-nummer`, `Handelsnaam`, `Rechtsvorm`, `Postcode`,
//! `Plaats`, `SBI-code`) are accepted too. `,` or `;` separated.
//!
//! Privacy: an *eenmanszaak* (sole proprietorship) is a natural person trading under a
//! business name. The name is kept (in memory only) so the join can recognise an IP holder as a
//! registered sole trader — the classifier then makes the range `sole_trader`, which the builder
//! stores with no name at all; its address and website are never read.

use std::path::Path;

use crate::compile::records::RegistryRecord;
use crate::compile::sources::common::{CsvRows, ReadContext, domain_of, field, join_address};
use crate::error::Result;
use crate::lookup::RegistryId;

/// Legal forms of a natural person trading alone.
const SOLE_PROPRIETOR: &[&str] = &["eenmanszaak", "eenmanszaak met meer dan één eigenaar"];

/// Reads `path`, giving every company to `out`; returns the rows read.
///
/// Columns: `kvkNummer` (8 digits, required); `statutaireNaam`, else `naam` / `handelsnaam` →
/// `legal_name`, the other names → `other_names`; `rechtsvorm` → `legal_form`;
/// `straatnaam huisnummer huisnummerToevoeging, postcode plaats` → `address`; `sbiCode` →
/// `industry_code`; `website` → `domain`; `datumUitschrijving` set → not `active`. Country
/// `NL`; registry id `NL-KVK`.
///
/// # Errors
/// [`crate::Error::Io`] naming a missing file; [`crate::Error::Source`] when the number column
/// is missing, or (strict) for a bad row (`file:line`).
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(RegistryRecord)) -> Result<u64> {
    let mut rows = CsvRows::open(path, None)?;
    let number = match rows.any(&["kvkNummer", "KvK-nummer", "kvk_nummer", "kvknummer"]) {
        Some(i) => i,
        None => rows.require("kvkNummer")?,
    };
    let statutair = rows.any(&["statutaireNaam", "Statutaire naam", "statutaire_naam"]);
    let trade = rows.any(&["naam", "handelsnaam", "Handelsnaam", "eersteHandelsnaam"]);
    let form = rows.any(&["rechtsvorm", "Rechtsvorm", "uitgebreideRechtsvorm"]);
    let street = rows.any(&["straatnaam", "Straat"]);
    let house = rows.any(&["huisnummer", "Huisnummer"]);
    let house_add = rows.any(&["huisnummerToevoeging", "Toevoeging"]);
    let postcode = rows.any(&["postcode", "Postcode"]);
    let place = rows.any(&["plaats", "Plaats", "woonplaats"]);
    let sbi = rows.any(&["sbiCode", "SBI-code", "hoofdSbiCode", "sbi_code"]);
    let website = rows.any(&["website", "Website"]);
    let ended = rows.any(&["datumUitschrijving", "Datum uitschrijving"]);
    let mut rec = csv::ByteRecord::new();
    while let Some(line) = rows.next(&mut rec, ctx)? {
        let id = field(&rec, Some(number)).unwrap_or_default();
        if id.len() != 8 || !id.chars().all(|c| c.is_ascii_digit()) {
            ctx.bad_row(path, line, format!("KvK number {:?} is not 8 digits", super::common::clip(&id)))?;
            continue;
        }
        let legal_form = field(&rec, form);
        let sole = legal_form.as_deref().is_some_and(|f| SOLE_PROPRIETOR.contains(&f.to_lowercase().as_str()));
        let (s, t) = (field(&rec, statutair), field(&rec, trade));
        let Some(legal_name) = s.or_else(|| t.clone()) else {
            ctx.bad_row(path, line, format!("KvK {id}: no name"))?;
            continue;
        };
        let other_names: Vec<String> = t.into_iter().filter(|t| *t != legal_name).collect();
        let street_line = join_address(
            [field(&rec, street), field(&rec, house), field(&rec, house_add)].iter().map(|p| p.as_deref()),
        )
        .map(|s| s.replace(", ", " "));
        let town = join_address([field(&rec, postcode), field(&rec, place)].iter().map(|p| p.as_deref()))
            .map(|s| s.replace(", ", " "));
        out(RegistryRecord {
            origin: ctx.origin(id.clone()),
            registry: RegistryId { scheme: "NL-KVK".into(), id },
            legal_name,
            other_names,
            country: Some("NL".into()),
            legal_form,
            category: None,
            domain: if sole { None } else { field(&rec, website).and_then(|w| domain_of(&w)) },
            address: if sole { None } else { join_address([street_line.as_deref(), town.as_deref()]) },
            industry_code: field(&rec, sbi),
            active: field(&rec, ended).is_none(),
            group: false,
            all_companies: false,
        });
    }
    Ok(rows.rows())
}
