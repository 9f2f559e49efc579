//! Build an ipfirm database from a MaxMind DB file (GeoIP2/GeoLite2 ASN, ISP, Enterprise,
//! Connection-Type, Anonymous-IP; IPinfo and ip-location-db MMDBs).
//!
//! ```sh
//! cargo run -p ipfirm-examples --example build_from_mmdb -- \
//!     data-samples/mmdb/GeoIP2-Enterprise-Test.mmdb target/enterprise.ipfirm
//! ```

use std::path::Path;

use ipfirm::mmdb::{MmdbFile, import_mmdb};
use ipfirm::{Database, DatabaseBuilder, InputInfo, Metadata};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: build_from_mmdb <input.mmdb> <output.ipfirm>".into());
    };
    let name = Path::new(input).file_stem().and_then(|s| s.to_str()).unwrap_or("mmdb").to_string();

    // The file's own metadata says what kind of MMDB it is and when it was built.
    let mmdb = MmdbFile::open(input)?;
    let (kind, epoch) = (mmdb.database_type().to_string(), mmdb.build_epoch());

    // Every network becomes a range: the record's flags (user_type, connection_type,
    // is_hosting_provider, is_anonymous…) give its class, and organisation / ISP / AS
    // organisation the company name for shown classes or the holder name otherwise.
    let mut builder = DatabaseBuilder::new();
    let stats = import_mmdb(input, &mut builder, &name)?;

    // Record where the data came from; counts per class are filled in by the builder.
    builder.set_metadata(Metadata {
        description: format!("{kind} imported from {name}"),
        inputs: vec![InputInfo {
            name: name.clone(),
            kind: "mmdb".into(),
            path: input.clone(),
            version: epoch.to_string(),
            rows: stats.networks,
            ..Default::default()
        }],
        ..Default::default()
    });

    // Written to a temporary file, flushed and renamed: readers never see half a file.
    builder.finish_to_path(output)?;

    // Read it back (fully checked) and say what is in it.
    let db = Database::open(output)?;
    let meta = db.metadata();
    println!(
        "{output}: {} networks from {kind} -> {} IPv4 and {} IPv6 ranges, {} companies",
        stats.networks, meta.ipv4_ranges, meta.ipv6_ranges, meta.companies
    );
    for (class, count) in &meta.classes {
        println!("  {class:<12} {:>6} ranges", count.ranges);
    }
    Ok(())
}
