//! Opt-out lists: registry ids, domains or names whose data must never be compiled in.
//!
//! One entry per line: `registry:SCHEME:ID` (`registry:GB-CH:01234567`), `domain:example.com`,
//! `name:Some Company Ltd`. Blank lines and lines starting with `#` are ignored; a `,` or tab
//! after the kind is accepted in place of `:` (so the file may be a two-column CSV).

use std::io::Write;
use std::path::Path;

use crate::compile::records::OptOut;
use crate::compile::sources::common::{Lines, ReadContext, clip, domain_of};
use crate::error::{Error, Result};
use crate::lookup::RegistryId;

/// Reads `path`, giving every entry to `out`; returns the entries read.
///
/// # Errors
/// [`Error::Io`] naming a missing file; [`Error::Source`] (`file:line`) for a bad line in
/// strict mode.
pub fn read(path: &Path, ctx: &mut ReadContext, out: &mut dyn FnMut(OptOut)) -> Result<u64> {
    let mut lines = Lines::open(path)?;
    let mut rows = 0;
    while let Some((n, line)) = lines.next_line()? {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        rows += 1;
        match parse(t) {
            Ok(o) => out(o),
            Err(m) => ctx.bad_row(path, n, m)?,
        }
    }
    Ok(rows)
}

/// Parses one entry.
///
/// # Errors
/// What is wrong with it.
pub fn parse(line: &str) -> std::result::Result<OptOut, String> {
    let t = line.trim();
    let (kind, rest) = t
        .split_once([':', ',', '\t'])
        .ok_or_else(|| format!("expected registry:SCHEME:ID, domain:NAME or name:NAME, found {:?}", clip(t)))?;
    let rest = rest.trim();
    match kind.trim().to_ascii_lowercase().as_str() {
        "registry" => {
            let (scheme, id) = rest
                .split_once([':', ',', '\t'])
                .map(|(s, i)| (s.trim(), i.trim()))
                .filter(|(s, i)| !s.is_empty() && !i.is_empty())
                .ok_or_else(|| format!("registry entry needs SCHEME:ID, found {:?}", clip(rest)))?;
            Ok(OptOut::Registry(RegistryId { scheme: scheme.to_string(), id: id.to_string() }))
        }
        "domain" => domain_of(rest).map(OptOut::Domain).ok_or_else(|| format!("not a domain: {:?}", clip(rest))),
        "name" => {
            if rest.is_empty() {
                Err("empty name".into())
            } else {
                Ok(OptOut::Name(rest.to_string()))
            }
        }
        other => Err(format!("unknown opt-out kind {:?} (registry, domain or name)", clip(other))),
    }
}

/// The line [`read`] parses back into `entry`.
///
/// # Errors
/// [`Error::InvalidInput`] when a field holds a line break (it would split the entry).
pub fn format(entry: &OptOut) -> Result<String> {
    let s = match entry {
        OptOut::Registry(r) => format!("registry:{}:{}", r.scheme, r.id),
        OptOut::Domain(d) => format!("domain:{d}"),
        OptOut::Name(n) => format!("name:{n}"),
    };
    if s.contains(['\n', '\r']) {
        return Err(Error::InvalidInput("an opt-out entry cannot contain a line break".into()));
    }
    Ok(s)
}

/// Appends `entry` as one line to the opt-out list at `path` (created if missing) and syncs it
/// to disk before returning, so an accepted opt-out survives a crash. A file that does not end
/// with a line break gets one first.
///
/// # Errors
/// [`Error::Io`] naming the path; [`Error::InvalidInput`] for an entry with a line break.
pub fn append(path: &Path, entry: &OptOut) -> Result<()> {
    let line = format(entry)?;
    let mut f =
        std::fs::OpenOptions::new().create(true).append(true).read(true).open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut buf = String::new();
    if len > 0 {
        use std::io::{Read, Seek, SeekFrom};
        let mut last = [0u8; 1];
        f.seek(SeekFrom::Start(len - 1)).map_err(|e| Error::io(path, e))?;
        f.read_exact(&mut last).map_err(|e| Error::io(path, e))?;
        if last[0] != b'\n' {
            buf.push('\n');
        }
    }
    buf.push_str(&line);
    buf.push('\n');
    f.write_all(buf.as_bytes()).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))
}
