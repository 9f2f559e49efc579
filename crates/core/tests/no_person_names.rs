//! The bundled sample build, checked for what classification promises:
//!
//! * no person's name anywhere in the compiled file: the output bytes are scanned for every
//!   natural person's name in the inputs;
//! * the labelled evaluation set (`data-samples/eval/labels.csv`) leaks at most 1 % of its
//!   filtered-class addresses as identified companies (the CI gate of `ipfirm eval`).
//!
//! The person names come from facts, not from the classifier: GLEIF records whose
//! EntityCategory is SOLE_PROPRIETOR, KvK eenmanszaken, SIRENE entrepreneurs individuels
//! (catégorie juridique 1xxx), and the AS holders that the labelled evaluation set marks as
//! natural persons (`data-samples/eval/labels.csv`, whose `why` cites the fact), with
//! "X trading as Y" reduced to the person X, and the persons of `data-samples/eval/persons.csv`
//! (holders written as a person's name with a trade name, a micro-entrepreneur form, initials or
//! an AS-number prefix).
//!
//! Also checked: each of those holders' own rows is in the bundled input, so the test reads what
//! it claims to.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn person_names() -> Vec<String> {
    let mut names = Vec::new();
    let gleif = root().join("data-samples/sources/gleif/gleif_lei_subset.slice.csv");
    let mut rd = csv::Reader::from_path(&gleif).expect("bundled GLEIF slice");
    let h = rd.headers().expect("header").clone();
    let name = h.iter().position(|c| c == "Entity.LegalName").expect("LegalName column");
    let cat = h.iter().position(|c| c == "Entity.EntityCategory").expect("EntityCategory column");
    for r in rd.records() {
        let r = r.expect("row");
        if r.get(cat) == Some("SOLE_PROPRIETOR") {
            names.push(r.get(name).unwrap_or("").to_string());
        }
    }
    let mut rd = csv::Reader::from_path(root().join("data-samples/eval/labels.csv")).expect("labels");
    for r in rd.records() {
        let r = r.expect("row");
        if r.get(1) == Some("sole_trader") {
            let org = r.get(3).unwrap_or("");
            let person = org.split(" trading as ").next().unwrap_or(org);
            names.push(person.trim().to_string());
        }
    }
    // KvK: rechtsvorm Eenmanszaak (a natural person's business); SIRENE: catégorie juridique 1xxx
    // (entrepreneur individuel), whose name is the person's own.
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(root().join("data-samples/sources/kvk/basisprofielen.fixture.csv"))
        .expect("bundled KvK fixture");
    let h = rd.headers().expect("header").clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap_or_else(|| panic!("KvK column {n}"));
    let (form, naam, statutair) = (col("rechtsvorm"), col("naam"), col("statutaireNaam"));
    for r in rd.records() {
        let r = r.expect("row");
        if r.get(form).is_some_and(|f| f.eq_ignore_ascii_case("eenmanszaak")) {
            names.extend([naam, statutair].iter().filter_map(|&c| r.get(c)).map(str::to_string));
        }
    }
    let mut rd = csv::Reader::from_path(root().join("data-samples/sources/sirene/StockUniteLegale.fixture.csv"))
        .expect("bundled SIRENE fixture");
    let h = rd.headers().expect("header").clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap_or_else(|| panic!("SIRENE column {n}"));
    let (cat, nom, prenom) = (col("categorieJuridiqueUniteLegale"), col("nomUniteLegale"), col("prenom1UniteLegale"));
    for r in rd.records() {
        let r = r.expect("row");
        let (n, p) = (r.get(nom).unwrap_or(""), r.get(prenom).unwrap_or(""));
        if r.get(cat).is_some_and(|c| c.starts_with('1')) && !n.starts_with('[') {
            names.push(format!("{p} {n}"));
            names.push(format!("{n} {p}"));
        }
    }
    // AS holders that are natural persons by the form of their names, in the shapes the full
    // routing table has them (`data-samples/eval/persons.csv`, rows in `persons.slice.csv`).
    let mut rd = csv::Reader::from_path(root().join("data-samples/eval/persons.csv")).expect("persons.csv");
    for r in rd.records() {
        names.push(r.expect("row").get(1).unwrap_or("").to_string());
    }
    names.retain(|n| n.len() >= 6);
    names.sort();
    names.dedup();
    names
}

/// The bundled sample, built once for the tests of this file (into cargo's per-test-target
/// scratch directory).
fn bundled() -> &'static PathBuf {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bundled-sample.ipfirm");
        ipfirm::compile::build(&root().join("data-samples/ipfirm.toml"), &out, &Default::default())
            .expect("bundled build");
        out
    })
}

#[test]
fn labelled_set_leaks_at_most_one_percent() {
    use ipfirm::compile::eval;
    let db = ipfirm::Database::open(bundled()).expect("open the bundled build");
    let labels = eval::read_labels(&root().join("data-samples/eval/labels.csv")).expect("labels");
    let r = eval::evaluate(&db, &labels);
    assert_eq!(r.covered, r.labels, "every label must point at an address of the bundled data");
    assert!(r.leak_rate <= 0.01, "leak rate {:.2}% > 1%: {:#?}", r.leak_rate * 100.0, r.leaks);
}

#[test]
fn no_person_name_in_the_bundled_build() {
    let names = person_names();
    assert!(names.len() >= 20, "too few person names to check: {}", names.len());
    let bytes = std::fs::read(bundled()).expect("read output");
    let hay = String::from_utf8_lossy(&bytes).to_lowercase();
    let found: Vec<&String> = names.iter().filter(|n| hay.contains(&n.to_lowercase())).collect();
    // The holders of persons.csv are really in the bundled input.
    let slice = root().join("data-samples/sources/asn-csv/persons.slice.csv");
    let mut rd = csv::ReaderBuilder::new().has_headers(false).from_path(slice).expect("persons.slice.csv");
    let holders: Vec<String> = rd.records().map(|r| r.expect("row").get(3).unwrap_or("").to_string()).collect();
    let mut rd = csv::Reader::from_path(root().join("data-samples/eval/persons.csv")).expect("persons.csv");
    for r in rd.records() {
        let org = r.expect("row").get(0).unwrap_or("").to_string();
        assert!(holders.contains(&org), "{org} is not in persons.slice.csv");
    }
    assert!(found.is_empty(), "{} of {} person names are in the compiled file: {found:?}", found.len(), names.len());
}
