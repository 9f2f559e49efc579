//! What every source adapter shares: the read context, the error log, transparent `.gz`
//! opening, line reading that survives non-UTF-8 bytes, and small parsers for addresses.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;

use crate::error::{Error, Result};
use crate::range::IpRange;

/// How many errors an [`ErrorLog`] keeps by default (all are counted).
pub const DEFAULT_KEPT_ERRORS: usize = 10;

/// Rows skipped while reading a source: all are counted, the first few kept with their
/// `file:line` ([`Error::Source`]) for the build report.
#[derive(Debug)]
pub struct ErrorLog {
    skipped: u64,
    keep: usize,
    errors: Vec<Error>,
}

impl Default for ErrorLog {
    fn default() -> Self {
        ErrorLog::new(DEFAULT_KEPT_ERRORS)
    }
}

impl ErrorLog {
    /// A log that keeps the first `keep` errors.
    pub fn new(keep: usize) -> ErrorLog {
        ErrorLog { skipped: 0, keep, errors: Vec::new() }
    }

    /// Counts a skipped row and keeps its error if fewer than `keep` are kept.
    pub fn push(&mut self, error: Error) {
        self.skipped += 1;
        if self.errors.len() < self.keep {
            self.errors.push(error);
        }
    }

    /// Rows skipped so far.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The first errors, in the order met.
    pub fn errors(&self) -> &[Error] {
        &self.errors
    }

    /// Takes the kept errors out (the count stays).
    pub fn take_errors(&mut self) -> Vec<Error> {
        std::mem::take(&mut self.errors)
    }
}

/// What an adapter needs besides the file: the source's name and version for provenance, the
/// strictness, and where bad rows go.
#[derive(Debug)]
pub struct ReadContext<'a> {
    /// Source name from the build config (goes into [`crate::compile::records::Origin::source`]).
    pub source: &'a str,
    /// Version or date of the data (goes into `Origin::version`). When empty, an adapter that
    /// can read a date from the file itself (RIR stats header, MMDB build epoch, RPSL
    /// `last-modified`) uses that.
    pub version: &'a str,
    /// Fail on the first bad row instead of skipping it.
    pub strict: bool,
    /// Skipped rows and their first errors.
    pub errors: &'a mut ErrorLog,
}

impl ReadContext<'_> {
    /// Reports a bad row: with `strict` returns the error, else logs it and returns `Ok`
    /// (the caller then skips the row).
    ///
    /// # Errors
    /// [`Error::Source`] naming `path:line` when `strict`.
    pub fn bad_row(&mut self, path: &Path, line: u64, message: impl Into<String>) -> Result<()> {
        let err = Error::Source { path: path.to_path_buf(), line, message: message.into() };
        if self.strict {
            return Err(err);
        }
        self.errors.push(err);
        Ok(())
    }

    /// An [`crate::compile::records::Origin`] for a record of this source.
    pub fn origin(&self, record_key: String) -> crate::compile::records::Origin {
        crate::compile::records::Origin {
            source: self.source.to_string(),
            version: self.version.to_string(),
            record_key,
        }
    }
}

/// Opens `path` for buffered reading; gzip data (found by its magic bytes, whatever the file
/// name) is decompressed on the fly, concatenated members included.
///
/// # Errors
/// [`Error::Io`] naming the path when the file cannot be opened or read.
pub fn open_text(path: &Path) -> Result<Box<dyn BufRead>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let head = reader.fill_buf().map_err(|e| Error::io(path, e))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(reader);
        Ok(Box::new(BufReader::with_capacity(1 << 16, gz)))
    } else {
        Ok(Box::new(reader))
    }
}

/// Reads the whole (possibly gzipped) file into a string, decoding as in [`decode`].
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn read_to_string(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    open_text(path)?.read_to_end(&mut bytes).map_err(|e| gz_err(path, e))?;
    Ok(decode(bytes))
}

/// Text from outside bytes: UTF-8 when valid (a leading BOM dropped), else Latin-1 (every byte
/// one character), which is what old whois dumps and registry exports use.
pub fn decode(bytes: Vec<u8>) -> String {
    let mut s = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    };
    if s.starts_with('\u{feff}') {
        s.drain(..3);
    }
    s
}

/// Same as [`decode`] for a borrowed field.
pub fn decode_ref(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

fn gz_err(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::InvalidInput || e.kind() == std::io::ErrorKind::InvalidData {
        Error::Source { path: path.to_path_buf(), line: 0, message: format!("cannot decompress: {e}") }
    } else {
        Error::io(path, e)
    }
}

/// Lines of a text file with their 1-based numbers, line ends (`\n`, `\r\n`) removed.
#[derive(Debug)]
pub struct Lines<R> {
    reader: R,
    path: PathBuf,
    line: u64,
    buf: Vec<u8>,
}

impl Lines<Box<dyn BufRead>> {
    /// Opens `path` with [`open_text`].
    ///
    /// # Errors
    /// [`Error::Io`] naming the path.
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Lines::new(open_text(path)?, path))
    }
}

impl<R: BufRead> Lines<R> {
    /// Lines of `reader`; `path` names it in errors.
    pub fn new(reader: R, path: &Path) -> Self {
        Lines { reader, path: path.to_path_buf(), line: 0, buf: Vec::new() }
    }

    /// The next line and its number, or `None` at the end.
    ///
    /// # Errors
    /// [`Error::Io`] (or [`Error::Source`] for broken gzip data) naming the path.
    pub fn next_line(&mut self) -> Result<Option<(u64, String)>> {
        self.buf.clear();
        let n = self.reader.read_until(b'\n', &mut self.buf).map_err(|e| gz_err(&self.path, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        let mut s = decode_ref(&self.buf);
        if self.line != 1 && s.starts_with('\u{feff}') {
            s = s.trim_start_matches('\u{feff}').to_string();
        }
        Ok(Some((self.line, s)))
    }
}

/// A CSV reader over a (possibly gzipped) file; `has_headers` as given, flexible row lengths.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn csv_reader(path: &Path, has_headers: bool, delimiter: u8) -> Result<csv::Reader<Box<dyn BufRead>>> {
    Ok(csv::ReaderBuilder::new()
        .has_headers(has_headers)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(open_text(path)?))
}

/// Turns a csv error into an ipfirm error: I/O problems stay [`Error::Io`], the rest become
/// [`Error::Source`] at the record's line.
pub fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    match e.into_kind() {
        csv::ErrorKind::Io(io) => gz_err(path, io),
        other => Error::Source { path: path.to_path_buf(), line, message: format!("{other:?}") },
    }
}

/// A header map for a CSV: column index by name, names trimmed (Companies House writes
/// `" CompanyNumber"`) and compared case-sensitively after trimming.
#[derive(Debug, Clone, Default)]
pub struct Header {
    names: Vec<String>,
}

impl Header {
    /// From the raw header record.
    pub fn new(record: &csv::ByteRecord) -> Header {
        Header { names: record.iter().map(|f| decode_ref(f).trim().to_string()).collect() }
    }

    /// The column of `name` (exact after trimming, else ASCII case-insensitive).
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|n| n == name)
            .or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(name)))
    }

    /// The column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// A field of `record` by column index: decoded, trimmed, `None` when absent or empty.
pub fn field(record: &csv::ByteRecord, index: Option<usize>) -> Option<String> {
    let s = text(record.get(index?)?);
    let t = s.trim();
    if t.is_empty() { None } else { Some(t.to_string()) }
}

/// Outside bytes as text, borrowed when valid UTF-8 (the common case), else decoded as in
/// [`decode_ref`].
pub fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s.trim_start_matches('\u{feff}')),
        Err(_) => std::borrow::Cow::Owned(decode_ref(bytes)),
    }
}

/// A CSV file with a header row, read record by record; broken records are reported through
/// the context and skipped.
pub struct CsvRows {
    rdr: csv::Reader<Box<dyn BufRead>>,
    path: PathBuf,
    /// The header row.
    pub header: Header,
    rows: u64,
}

impl std::fmt::Debug for CsvRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvRows").field("path", &self.path).field("rows", &self.rows).finish_non_exhaustive()
    }
}

impl CsvRows {
    /// Opens `path` and reads its header. `delimiter` `None` picks the most frequent of
    /// `,` `;` TAB `|` in the first line.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path; [`Error::Source`] when the file is empty.
    pub fn open(path: &Path, delimiter: Option<u8>) -> Result<CsvRows> {
        let delimiter = match delimiter {
            Some(d) => d,
            None => {
                let mut lines = Lines::open(path)?;
                let first = lines.next_line()?.map(|(_, l)| l).unwrap_or_default();
                [b',', b';', b'\t', b'|']
                    .into_iter()
                    .max_by_key(|d| (first.bytes().filter(|b| b == d).count(), *d == b','))
                    .unwrap_or(b',')
            }
        };
        let mut rdr = csv_reader(path, true, delimiter)?;
        let header = Header::new(rdr.byte_headers().map_err(|e| csv_error(path, e))?);
        if header.names().iter().all(|n| n.is_empty()) {
            return Err(Error::Source {
                path: path.to_path_buf(),
                line: 1,
                message: "empty file: no header row".into(),
            });
        }
        Ok(CsvRows { rdr, path: path.to_path_buf(), header, rows: 0 })
    }

    /// Opens a CSV file without a header row (`header` is empty; every row is a record).
    ///
    /// # Errors
    /// [`Error::Io`] naming the path.
    pub fn open_headless(path: &Path, delimiter: u8) -> Result<CsvRows> {
        let rdr = csv_reader(path, false, delimiter)?;
        Ok(CsvRows { rdr, path: path.to_path_buf(), header: Header::new(&csv::ByteRecord::new()), rows: 0 })
    }

    /// Takes back the count of the row just read (a header row met as a record).
    pub fn uncount(&mut self) {
        self.rows = self.rows.saturating_sub(1);
    }

    /// The column of `name`, or an error naming the file and the columns it has.
    ///
    /// # Errors
    /// [`Error::Source`] at line 1.
    pub fn require(&self, name: &str) -> Result<usize> {
        self.header.index(name).ok_or_else(|| Error::Source {
            path: self.path.clone(),
            line: 1,
            message: format!("no column {name:?} in the header (found: {})", clip(&self.header.names().join(","))),
        })
    }

    /// The column of the first of `names` that exists.
    pub fn any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.header.index(n))
    }

    /// Reads the next record into `rec`, returning its line; broken records are given to
    /// `ctx.bad_row` and skipped. `None` at the end.
    ///
    /// # Errors
    /// I/O errors; a broken record in strict mode.
    pub fn next(&mut self, rec: &mut csv::ByteRecord, ctx: &mut ReadContext) -> Result<Option<u64>> {
        loop {
            match self.rdr.read_byte_record(rec) {
                Ok(false) => return Ok(None),
                Ok(true) => {
                    let line = rec.position().map(|p| p.line()).unwrap_or(0);
                    if rec.len() == 1 && rec.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
                        continue;
                    }
                    self.rows += 1;
                    return Ok(Some(line));
                }
                Err(e) => match csv_error(&self.path, e) {
                    Error::Source { line, message, .. } => {
                        self.rows += 1;
                        ctx.bad_row(&self.path, line, message)?;
                    }
                    other => return Err(other),
                },
            }
        }
    }

    /// Records read so far (bad ones included).
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

/// ISO 3166-1 alpha-2 for a country code or English name (`NL`, `nl`, `Netherlands`,
/// `United States`); `None` when unknown.
pub fn country_code(s: &str) -> Option<String> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<String, &'static str>> = std::sync::OnceLock::new();
    let t = s.trim();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(t.to_ascii_uppercase());
    }
    let table = TABLE.get_or_init(|| {
        include_str!("country_names.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(n, c)| (n.to_string(), c))
            .collect()
    });
    table.get(&t.to_lowercase()).map(|c| c.to_string())
}

/// An address as a number (IPv4 as its 32-bit value), for sorting and comparing ranges of
/// either family.
pub fn addr_num(a: IpAddr) -> u128 {
    match a {
        IpAddr::V4(v) => u128::from(u32::from(v)),
        IpAddr::V6(v) => u128::from(v),
    }
}

/// Parses an inclusive range written as its first and last address (two CSV fields).
///
/// # Errors
/// A message saying which address is bad or that the range ends before it starts.
pub fn parse_start_end(start: &str, end: &str) -> std::result::Result<IpRange, String> {
    let first: IpAddr = start.trim().parse().map_err(|_| format!("bad start address {:?}", clip(start)))?;
    let last: IpAddr = end.trim().parse().map_err(|_| format!("bad end address {:?}", clip(end)))?;
    IpRange::new(first, last).map_err(|e| match e {
        Error::InvalidInput(m) => m,
        other => other.to_string(),
    })
}

/// Parses `a.b.c.d`, an IPv6 address, `net/len` (host bits allowed and cleared), or
/// `first - last` / `first-last` (IPv4 or IPv6) into a range.
///
/// # Errors
/// A message saying what is wrong (the caller adds `file:line`).
pub fn parse_range(text: &str) -> std::result::Result<IpRange, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty network".into());
    }
    if let Some((a, b)) = split_range(t) {
        let first: IpAddr = a.trim().parse().map_err(|_| format!("bad start address {:?}", clip(a.trim())))?;
        let last: IpAddr = b.trim().parse().map_err(|_| format!("bad end address {:?}", clip(b.trim())))?;
        return IpRange::new(first, last).map_err(|e| match e {
            Error::InvalidInput(m) => m,
            other => other.to_string(),
        });
    }
    if t.contains('/') {
        let net: IpNet = t.parse().map_err(|_| format!("bad CIDR {:?}", clip(t)))?;
        return Ok(IpRange::from(net.trunc()));
    }
    let ip: IpAddr = t.parse().map_err(|_| format!("bad address or network {:?}", clip(t)))?;
    IpRange::new(ip, ip).map_err(|e| e.to_string())
}

fn split_range(t: &str) -> Option<(&str, &str)> {
    // IPv6 has no '-', so a '-' always separates two addresses.
    let i = t.find('-')?;
    Some((&t[..i], &t[i + 1..]))
}

/// The first 60 characters of outside text, for error messages.
pub fn clip(s: &str) -> String {
    if s.chars().count() <= 60 { s.to_string() } else { format!("{}…", s.chars().take(60).collect::<String>()) }
}

/// `Some(trimmed)` unless empty.
pub fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() { None } else { Some(t.to_string()) }
}

/// Parses an AS number: `64500`, `AS64500`, `as64500`.
pub fn parse_asn(s: &str) -> Option<u32> {
    let t = s.trim();
    let t = t.strip_prefix("AS").or_else(|| t.strip_prefix("as")).or_else(|| t.strip_prefix("As")).unwrap_or(t);
    t.parse().ok()
}

/// A domain from a web address or e-mail: `https://www.Example.com/x` → `example.com`.
pub fn domain_of(s: &str) -> Option<String> {
    let mut t = s.trim();
    if let Some(i) = t.rfind('@') {
        t = &t[i + 1..];
    }
    if let Some(i) = t.find("://") {
        t = &t[i + 3..];
    }
    let end = t.find(['/', '?', '#', ':', ' ']).unwrap_or(t.len());
    let host = t[..end].trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    if host.contains('.')
        && !host.starts_with('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && host.parse::<IpAddr>().is_err()
    {
        Some(host)
    } else {
        None
    }
}

/// The record key of a line: `<file name>:<line>`.
pub fn line_key(path: &Path, line: u64) -> String {
    format!("{}:{line}", file_name(path))
}

/// The file name of `path` (the whole path when it has none), for record keys.
pub fn file_name(path: &Path) -> std::borrow::Cow<'_, str> {
    path.file_name().map(|n| n.to_string_lossy()).unwrap_or_else(|| path.to_string_lossy())
}

/// Joins the non-empty parts with `", "`.
pub fn join_address<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let v: Vec<&str> = parts.into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    if v.is_empty() { None } else { Some(v.join(", ")) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn ranges_parse() {
        let r = parse_range("193.0.0.0 - 193.0.7.255").unwrap();
        assert_eq!(r.to_string(), "193.0.0.0-193.0.7.255");
        assert_eq!(parse_range("10.1.2.3/8").unwrap().to_string(), "10.0.0.0-10.255.255.255");
        assert_eq!(
            parse_range("2001:db8::/32").unwrap().to_string(),
            "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"
        );
        assert!(parse_range("10.0.0.9 - 10.0.0.1").is_err());
        assert!(parse_range("10.0.0.0/33").is_err());
        assert!(parse_range("").is_err());
        assert!(parse_range("10.0.0.1 - ::1").is_err());
    }

    #[test]
    fn domains() {
        assert_eq!(domain_of("https://www.Example.COM/about").as_deref(), Some("example.com"));
        assert_eq!(domain_of("abuse@ripe.net").as_deref(), Some("ripe.net"));
        assert_eq!(domain_of("n/a"), None);
        assert_eq!(domain_of("1.2.3.4"), None);
    }

    #[test]
    fn gz_is_transparent_and_lines_are_numbered() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.txt.gz");
        let mut gz = flate2::write::GzEncoder::new(File::create(&p).unwrap(), flate2::Compression::fast());
        gz.write_all(b"a\r\nb\xe9\n").unwrap();
        gz.finish().unwrap();
        let mut l = Lines::open(&p).unwrap();
        assert_eq!(l.next_line().unwrap(), Some((1, "a".to_string())));
        assert_eq!(l.next_line().unwrap(), Some((2, "bé".to_string())));
        assert_eq!(l.next_line().unwrap(), None);
    }

    #[test]
    fn missing_file_names_path() {
        let e = open_text(Path::new("/nonexistent/ipfirm-x.csv")).err().unwrap();
        assert!(e.to_string().contains("/nonexistent/ipfirm-x.csv"), "{e}");
    }

    #[test]
    fn broken_gzip_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.gz");
        std::fs::write(&p, b"\x1f\x8b\x08\x00garbage").unwrap();
        let mut l = Lines::open(&p).unwrap();
        let e = l.next_line().err().unwrap();
        assert!(e.to_string().contains("bad.gz"), "{e}");
    }
}
