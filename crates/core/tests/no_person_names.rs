//! No person's name anywhere in a compiled file: builds the bundled sample and scans the output
//! bytes for every natural person's name in its inputs. The names come from facts, not from the
//! classifier: GLEIF records whose EntityCategory is SOLE_PROPRIETOR, and the AS holders that the
//! labelled evaluation set marks as natural persons (`data-samples/eval/labels.csv`, whose `why`
//! cites the fact), with "X trading as Y" reduced to the person X.

use std::path::Path;

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
    names.retain(|n| n.len() >= 6);
    names.sort();
    names.dedup();
    names
}

#[test]
fn no_person_name_in_the_bundled_build() {
    let names = person_names();
    assert!(names.len() >= 20, "too few person names to check: {}", names.len());
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sample.ipfirm");
    ipfirm::compile::build(&root().join("data-samples/ipfirm.toml"), &out, &Default::default()).expect("bundled build");
    let bytes = std::fs::read(&out).expect("read output");
    let hay = String::from_utf8_lossy(&bytes).to_lowercase();
    let found: Vec<&String> = names.iter().filter(|n| hay.contains(&n.to_lowercase())).collect();
    assert!(found.is_empty(), "{} of {} person names are in the compiled file: {found:?}", found.len(), names.len());
}
