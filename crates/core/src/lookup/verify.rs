//! The full O(n) check of a database: checksum, order, and every stored reference.

use rkyv::Archived;

use super::{ArchivedKey, Database};
use crate::error::{Error, Result};
use crate::format::{
    ArchivedIndex, HEADER_LEN, Key, NO_COMPANY, NO_ENTRY, V6_RANGE_BIT, checksum, corrupt, fences, top_table,
};

impl Database {
    /// Checks the whole file: the checksum, that ranges are sorted and the top-level tables
    /// match them, that every id points inside its table, that every string is UTF-8 and that
    /// the company reverse index agrees with the entries. [`open`](Self::open) and
    /// [`from_bytes`](Self::from_bytes) run it; [`open_mmap`](Self::open_mmap) leaves it to
    /// the caller, since it reads every byte.
    ///
    /// # Errors
    /// [`Error::Corrupt`] naming what is wrong.
    pub fn verify(&self) -> Result<()> {
        self.verify_inner().map_err(|e| match &self.path {
            Some(p) => e.with_path(p),
            None => e,
        })
    }

    fn verify_inner(&self) -> Result<()> {
        let bytes = self.as_bytes();
        let sum = checksum(&bytes[HEADER_LEN..]);
        if sum != self.header.checksum {
            return Err(corrupt(
                format!("checksum mismatch: header says {:#018x}, contents give {sum:#018x}", self.header.checksum),
                32,
            ));
        }
        let body = self.body();
        let n_entries = body.entries.len();
        index("IPv4", &body.v4, n_entries)?;
        index("IPv6", &body.v6, n_entries)?;

        // Strings: offsets sorted, inside the blob, on char boundaries of valid UTF-8.
        let blob = std::str::from_utf8(&body.string_bytes)
            .map_err(|e| corrupt(format!("string table is not UTF-8: {e}"), 0))?;
        let mut prev = 0usize;
        for s in body.string_starts.iter() {
            let s = s.to_native() as usize;
            if s < prev || s > blob.len() || !blob.is_char_boundary(s) {
                return Err(corrupt(format!("string offset {s} out of order or not on a character boundary"), 0));
            }
            prev = s;
        }
        let n_strings = body.string_starts.len() - 1;
        let string = |what: &str, id: &Archived<u32>| -> Result<()> {
            if (id.to_native() as usize) < n_strings.max(1) {
                Ok(())
            } else {
                Err(corrupt(format!("{what} names string {} of {n_strings}", id.to_native()), 0))
            }
        };

        let n_prov = body.provenance.len();
        for p in body.provenance.iter() {
            string("provenance", &p.source)?;
            string("provenance", &p.version)?;
            string("provenance", &p.record_key)?;
        }
        if let Some(bad) = body.provenance_ids.iter().find(|p| p.to_native() as usize >= n_prov) {
            return Err(corrupt(format!("provenance id {} of {n_prov}", bad.to_native()), 0));
        }
        let n_companies = body.companies.len();
        for (i, e) in body.entries.iter().enumerate() {
            string("entry reason", &e.reason)?;
            string("entry asn_org", &e.asn_org)?;
            let c = e.company.to_native();
            if c != NO_COMPANY && c as usize >= n_companies {
                return Err(corrupt(format!("entry {i} names company {c} of {n_companies}"), 0));
            }
            let end = e.prov_start.to_native() as u64 + e.prov_len.to_native() as u64;
            if end > body.provenance_ids.len() as u64 {
                return Err(corrupt(format!("entry {i} provenance list runs past the table"), 0));
            }
        }
        for c in body.companies.iter() {
            for id in [
                &c.legal_name,
                &c.trade_name,
                &c.country,
                &c.registry_scheme,
                &c.registry_id,
                &c.legal_form,
                &c.domain,
                &c.address,
                &c.industry_code,
            ] {
                string("company", id)?;
            }
        }

        // Reverse index: sorted offsets, each slot a real range of that company.
        let starts = &body.company_range_starts;
        if starts.windows(2).any(|w| w[0].to_native() > w[1].to_native())
            || starts.last().map(|s| s.to_native() as usize) != Some(body.company_ranges.len())
        {
            return Err(corrupt("company range offsets are not sorted or do not end at the table's end", 0));
        }
        for c in 0..n_companies {
            let (a, b) = (starts[c].to_native() as usize, starts[c + 1].to_native() as usize);
            for slot in body.company_ranges[a..b].iter() {
                let slot = slot.to_native();
                let i = (slot & !V6_RANGE_BIT) as usize;
                let value = if slot & V6_RANGE_BIT == 0 { body.v4.values.get(i) } else { body.v6.values.get(i) };
                let company =
                    value.and_then(|v| body.entries.get(v.to_native() as usize)).map(|e| e.company.to_native());
                if company != Some(c as u32) {
                    return Err(corrupt(format!("company {c}'s range list names a range of another company"), 0));
                }
            }
        }
        Ok(())
    }
}

fn index<K: Key + rkyv::Archive<Archived = A>, A: ArchivedKey<Native = K>>(
    name: &str,
    index: &ArchivedIndex<K>,
    n_entries: usize,
) -> Result<()> {
    let starts: Vec<K> = index.starts.iter().map(|k| k.native()).collect();
    if starts.windows(2).any(|w| w[0] >= w[1]) {
        return Err(corrupt(format!("{name} range starts are not strictly increasing"), 0));
    }
    if let Some(v) = index.values.iter().find(|v| v.to_native() != NO_ENTRY && v.to_native() as usize >= n_entries) {
        return Err(corrupt(format!("{name} range names entry {} of {n_entries}", v.to_native()), 0));
    }
    let expected = fences(&starts);
    if expected.len() != index.fences.len() || expected.iter().zip(index.fences.iter()).any(|(a, b)| *a != b.native()) {
        return Err(corrupt(format!("{name} fences do not match the range starts"), 0));
    }
    let (base, shift, top) = top_table(&expected);
    let same_top = top.len() == index.top.len() && top.iter().zip(index.top.iter()).all(|(a, b)| *a == b.to_native());
    if base != index.base.native() || shift != index.shift.to_native() || !same_top {
        return Err(corrupt(format!("{name} top-level table does not match the range starts"), 0));
    }
    Ok(())
}

#[allow(dead_code)]
fn _assert_error_is_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Error>();
}
