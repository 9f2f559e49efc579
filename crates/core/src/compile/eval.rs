//! Measuring the classification of a compiled database against labelled networks.
//!
//! A label file (`data-samples/eval/labels.csv`) holds one address per row with the class its
//! network has by public fact (`ip,expected_class,asn,org,why`). [`evaluate`] looks every
//! address up and reports per-class precision and recall and the **leak rate**: the share of
//! addresses whose true class is filtered (ISP, mobile, hosting, sole trader …) that the
//! database returns as an identified company — the failure that matters most.
//!
//! [`agreement_ipinfo`] and [`agreement_maxmind`] compare the database with the `type` column
//! of IPinfo's public IP-to-company sample and the `user_type` of MaxMind's GeoIP2 Enterprise
//! test database where they overlap.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use crate::class::Class;
use crate::error::{Error, Result};
use crate::lookup::Database;

/// One labelled address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The address (a network address from public data, not a visitor's).
    pub ip: IpAddr,
    /// Its network's class by public fact.
    pub expected: Class,
    /// The AS number, when given.
    pub asn: Option<u32>,
    /// The holder's name as in the source.
    pub org: String,
    /// The public fact the label rests on.
    pub why: String,
    /// 1-based line in the label file.
    pub line: u64,
}

/// Reads a label CSV with a header naming at least `ip` and `expected_class` (also `asn`,
/// `org`, `why` when present).
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Source`] naming the line for a bad
/// address, an unknown class or a missing column.
pub fn read_labels(path: &Path) -> Result<Vec<Label>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rd = csv::ReaderBuilder::new().flexible(true).comment(Some(b'#')).from_reader(file);
    let bad = |line: u64, message: String| Error::Source { path: path.to_path_buf(), line, message };
    let headers = rd.headers().map_err(|e| bad(1, format!("cannot read the header: {e}")))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let ip_col = col("ip").ok_or_else(|| bad(1, "no `ip` column in the header".into()))?;
    let class_col = col("expected_class").ok_or_else(|| bad(1, "no `expected_class` column in the header".into()))?;
    let (asn_col, org_col, why_col) = (col("asn"), col("org"), col("why"));
    let mut out = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), format!("bad CSV: {e}")))?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).unwrap_or("");
        let ip_text = get(Some(ip_col));
        let ip: IpAddr = ip_text.parse().map_err(|_| bad(line, format!("{ip_text:?} is not an IP address")))?;
        let class_text = get(Some(class_col));
        let expected: Class = class_text.parse().map_err(|e| bad(line, format!("{e}")))?;
        let asn_text = get(asn_col).trim_start_matches("AS");
        let asn = if asn_text.is_empty() {
            None
        } else {
            Some(asn_text.parse().map_err(|_| bad(line, format!("{asn_text:?} is not an AS number")))?)
        };
        out.push(Label { ip, expected, asn, org: get(org_col).to_string(), why: get(why_col).to_string(), line });
    }
    Ok(out)
}

/// Precision and recall of one class.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClassStats {
    /// The class.
    pub class: Class,
    /// Labels of this class.
    pub labelled: usize,
    /// Addresses the database puts in this class.
    pub predicted: usize,
    /// Both.
    pub correct: usize,
    /// correct / predicted (None when nothing was predicted).
    pub precision: Option<f64>,
    /// correct / labelled (None when nothing is labelled).
    pub recall: Option<f64>,
}

/// A labelled address the database got wrong: a filtered-class address shown as a company (a
/// leak) or, in [`EvalReport::misses`], any address given another class.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Leak {
    /// Line in the label file (the address itself is not repeated in reports).
    pub line: u64,
    /// The true class.
    pub expected: Class,
    /// The class the database gave.
    pub got: Class,
    /// The label's holder name.
    pub org: String,
    /// The database's reason code.
    pub reason: String,
}

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EvalReport {
    /// Labels read.
    pub labels: usize,
    /// Labels whose address the database covers.
    pub covered: usize,
    /// Labels whose class the database got right.
    pub correct: usize,
    /// Per class, in class order (classes with neither labels nor predictions left out).
    pub classes: Vec<ClassStats>,
    /// Labels of a filtered class.
    pub filtered_labels: usize,
    /// Of those, shown as an identified company.
    pub leaks: Vec<Leak>,
    /// leaks / filtered_labels (0 when there are no filtered labels).
    pub leak_rate: f64,
    /// Labels of a shown class that came back identified or at least in a shown class.
    pub shown_labels: usize,
    /// Of the shown labels, how many came back in a shown class.
    pub shown_kept: usize,
    /// Confusion counts: (expected, got) → n.
    pub confusion: Vec<(Class, Class, usize)>,
    /// Every label whose class the database got wrong (with the database's reason code), in
    /// label-file order: what to read when a class misses its target.
    pub misses: Vec<Leak>,
    /// Agreement with outside references, where computed.
    pub agreement: Vec<Agreement>,
}

/// Looks every label up and scores the answers.
pub fn evaluate(db: &Database, labels: &[Label]) -> EvalReport {
    let mut labelled: BTreeMap<Class, usize> = BTreeMap::new();
    let mut predicted: BTreeMap<Class, usize> = BTreeMap::new();
    let mut correct: BTreeMap<Class, usize> = BTreeMap::new();
    let mut confusion: BTreeMap<(Class, Class), usize> = BTreeMap::new();
    let (mut covered, mut leaks, mut filtered_labels, mut shown_labels, mut shown_kept) = (0, Vec::new(), 0, 0, 0);
    let mut misses = Vec::new();
    for l in labels {
        let m = db.lookup(l.ip);
        if m.is_some() {
            covered += 1;
        }
        let got = m.as_ref().map_or(Class::Unknown, |m| m.class());
        *labelled.entry(l.expected).or_default() += 1;
        *predicted.entry(got).or_default() += 1;
        *confusion.entry((l.expected, got)).or_default() += 1;
        if got == l.expected {
            *correct.entry(got).or_default() += 1;
        } else {
            misses.push(Leak {
                line: l.line,
                expected: l.expected,
                got,
                org: l.org.clone(),
                reason: m.as_ref().map_or_else(|| "no-match".to_string(), |m| m.reason().to_string()),
            });
        }
        if l.expected.is_filtered() {
            filtered_labels += 1;
            if let Some(m) = m.as_ref().filter(|m| m.is_identified()) {
                leaks.push(Leak {
                    line: l.line,
                    expected: l.expected,
                    got,
                    org: l.org.clone(),
                    reason: m.reason().to_string(),
                });
            }
        }
        if l.expected.is_shown() {
            shown_labels += 1;
            if got.is_shown() {
                shown_kept += 1;
            }
        }
    }
    let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
    let classes = Class::ALL
        .into_iter()
        .filter(|c| labelled.contains_key(c) || predicted.contains_key(c))
        .map(|c| {
            let (l, p, k) = (
                labelled.get(&c).copied().unwrap_or(0),
                predicted.get(&c).copied().unwrap_or(0),
                correct.get(&c).copied().unwrap_or(0),
            );
            ClassStats { class: c, labelled: l, predicted: p, correct: k, precision: ratio(k, p), recall: ratio(k, l) }
        })
        .collect();
    EvalReport {
        labels: labels.len(),
        covered,
        correct: correct.values().sum(),
        classes,
        filtered_labels,
        leak_rate: ratio(leaks.len(), filtered_labels).unwrap_or(0.0),
        leaks,
        shown_labels,
        shown_kept,
        confusion: confusion.into_iter().map(|((e, g), n)| (e, g, n)).collect(),
        misses,
        agreement: Vec::new(),
    }
}

/// Agreement of the database with an outside reference's class column.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Agreement {
    /// The reference (`ipinfo:type`, `maxmind:user_type`).
    pub reference: String,
    /// Reference rows read.
    pub rows: usize,
    /// Rows whose address the database covers and whose reference value maps to ipfirm classes.
    pub compared: usize,
    /// Rows where the database's class is one the reference value allows.
    pub agreed: usize,
    /// Rows where both sides agree on shown (may be a company) versus filtered.
    pub agreed_shown_filtered: usize,
    /// (reference value, ipfirm class) → n, over the compared rows.
    pub pairs: Vec<(String, Class, usize)>,
}

/// ipfirm classes that an IPinfo `type` or MaxMind `user_type` value allows.
fn allowed(value: &str) -> Option<&'static [Class]> {
    Some(match value.trim().to_ascii_lowercase().as_str() {
        "isp" | "residential" => &[Class::Isp, Class::Residential, Class::Mobile],
        "cellular" => &[Class::Mobile, Class::Isp],
        "hosting" | "content_delivery_network" | "search_engine_spider" => &[Class::Hosting],
        "business" | "cafe" => &[Class::Business],
        "education" | "university" | "school" | "library" => &[Class::Education],
        "government" | "military" => &[Class::Government],
        "consumer_privacy" => &[Class::Anonymizer],
        _ => return None,
    })
}

fn compare(db: &Database, reference: &str, rows: Vec<(IpAddr, String)>) -> Agreement {
    let mut a = Agreement {
        reference: reference.into(),
        rows: rows.len(),
        compared: 0,
        agreed: 0,
        agreed_shown_filtered: 0,
        pairs: Vec::new(),
    };
    let mut pairs: BTreeMap<(String, Class), usize> = BTreeMap::new();
    for (ip, value) in rows {
        let (Some(ok), Some(m)) = (allowed(&value), db.lookup(ip)) else { continue };
        a.compared += 1;
        let got = m.class();
        if ok.contains(&got) {
            a.agreed += 1;
        }
        if ok[0].is_shown() == got.is_shown() {
            a.agreed_shown_filtered += 1;
        }
        *pairs.entry((value.to_ascii_lowercase(), got)).or_default() += 1;
    }
    a.pairs = pairs.into_iter().map(|((v, c), n)| (v, c, n)).collect();
    a
}

/// Compares with IPinfo's IP-to-company sample CSV (`start_ip,…,type,…`): the first address of
/// every sample range is looked up.
///
/// # Errors
/// [`Error::Io`] / [`Error::Source`] for an unreadable file, a missing column or a bad address.
pub fn agreement_ipinfo(db: &Database, path: &Path) -> Result<Agreement> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rd = csv::Reader::from_reader(file);
    let bad = |line: u64, message: String| Error::Source { path: path.to_path_buf(), line, message };
    let headers = rd.headers().map_err(|e| bad(1, format!("cannot read the header: {e}")))?.clone();
    let col = |n: &str| headers.iter().position(|h| h == n).ok_or_else(|| bad(1, format!("no `{n}` column")));
    let (ip_col, type_col) = (col("start_ip")?, col("type")?);
    let mut rows = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), format!("bad CSV: {e}")))?;
        let line = rec.position().map_or(0, |p| p.line());
        let text = rec.get(ip_col).unwrap_or("");
        let ip: IpAddr = text.parse().map_err(|_| bad(line, format!("{text:?} is not an IP address")))?;
        rows.push((ip, rec.get(type_col).unwrap_or("").to_string()));
    }
    Ok(compare(db, "ipinfo:type", rows))
}

/// Compares with the `user_type` of a MaxMind DB (the GeoIP2 Enterprise test database): the
/// first address of every network that has one is looked up.
///
/// # Errors
/// [`Error::Mmdb`] / [`Error::Io`] when the file cannot be read.
pub fn agreement_maxmind(db: &Database, path: &Path) -> Result<Agreement> {
    let file = crate::mmdb::MmdbFile::open(path)?;
    let mut rows = Vec::new();
    file.for_each(|net, rec| {
        if let Some(t) = rec.user_type {
            rows.push((net.network(), t));
        }
        Ok(())
    })?;
    Ok(compare(db, "maxmind:user_type", rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DatabaseBuilder, Entry};

    fn db() -> Database {
        let mut b = DatabaseBuilder::new();
        let acme = b.add_company(crate::Company { legal_name: "Acme Widgets B.V.".into(), ..Default::default() });
        let ins = |b: &mut DatabaseBuilder, net: &str, class: Class, company| {
            let net: ipnet::IpNet = net.parse().expect("net");
            b.insert(net, Entry { class, reason: format!("{class}:test"), company, ..Default::default() })
                .expect("insert");
        };
        ins(&mut b, "198.51.100.0/24", Class::Business, Some(acme));
        ins(&mut b, "203.0.113.0/25", Class::Isp, None);
        // A wrongly shown ISP range: the leak the report must count.
        ins(&mut b, "203.0.113.128/25", Class::Business, Some(acme));
        Database::from_bytes(b.finish().expect("finish")).expect("open")
    }

    fn label(ip: &str, c: Class, line: u64) -> Label {
        Label { ip: ip.parse().expect("ip"), expected: c, asn: None, org: "x".into(), why: "y".into(), line }
    }

    #[test]
    fn precision_recall_and_leaks_follow_the_definitions() {
        let labels = [
            label("198.51.100.1", Class::Business, 2),
            label("203.0.113.1", Class::Isp, 3),
            label("203.0.113.200", Class::Isp, 4),
            label("192.0.2.1", Class::Hosting, 5),
        ];
        let r = evaluate(&db(), &labels);
        assert_eq!((r.labels, r.covered, r.correct, r.filtered_labels), (4, 3, 2, 3));
        assert_eq!(r.leaks.len(), 1);
        assert_eq!(r.leaks[0].line, 4);
        assert!((r.leak_rate - 1.0 / 3.0).abs() < 1e-9);
        let b = r.classes.iter().find(|c| c.class == Class::Business).expect("business row");
        assert_eq!((b.labelled, b.predicted, b.correct), (1, 2, 1));
        assert_eq!((b.precision, b.recall), (Some(0.5), Some(1.0)));
        let h = r.classes.iter().find(|c| c.class == Class::Hosting).expect("hosting row");
        assert_eq!((h.precision, h.recall), (None, Some(0.0)));
        // The two wrong answers, with the database's reason (none for an uncovered address).
        let misses: Vec<(u64, Class, &str)> = r.misses.iter().map(|m| (m.line, m.got, m.reason.as_str())).collect();
        assert_eq!(misses, [(4, Class::Business, "business:test"), (5, Class::Unknown, "no-match")]);
    }

    #[test]
    fn bad_label_rows_name_the_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("labels.csv");
        std::fs::write(&p, "ip,expected_class,asn,org,why\n192.0.2.1,isp,AS1,a,b\n192.0.2.300,isp,1,a,b\n")
            .expect("write");
        let e = read_labels(&p).expect_err("bad address").to_string();
        assert!(e.contains("labels.csv:3:") && e.contains("192.0.2.300"), "{e}");
        std::fs::write(&p, "ip,expected_class\n192.0.2.1,consumer\n").expect("write");
        let e = read_labels(&p).expect_err("bad class").to_string();
        assert!(e.contains(":2:") && e.contains("consumer"), "{e}");
        std::fs::write(&p, "ip,class\n").expect("write");
        assert!(read_labels(&p).expect_err("no column").to_string().contains("expected_class"));
    }
}
