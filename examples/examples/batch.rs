//! Look up every address of a file at once with `lookup_batch`, from a memory-mapped
//! database.
//!
//! ```sh
//! cargo run -p ipfirm-examples --example build_from_mmdb -- \
//!     data-samples/mmdb/GeoIP2-Enterprise-Test.mmdb target/enterprise.ipfirm
//! cargo run -p ipfirm-examples --example batch -- target/enterprise.ipfirm examples/addresses.txt
//! ```
//!
//! The file has one address per line; blank lines and `#` comments are skipped. Output is one
//! line per address, by line number (addresses are not echoed: they may be visitors').

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipfirm::Database;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db_path, list] = args.as_slice() else {
        return Err("usage: batch <database.ipfirm> <addresses.txt>".into());
    };

    // Parse the whole file first: a bad line is reported by file and line number.
    let text = std::fs::read_to_string(list).map_err(|e| format!("{list}: {e}"))?;
    let mut lines = Vec::new();
    let mut addrs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let field = line.split('#').next().unwrap_or("").trim();
        if field.is_empty() {
            continue;
        }
        let addr: IpAddr = field.parse().map_err(|_| format!("{list}:{}: not an IP address", i + 1))?;
        lines.push(i + 1);
        addrs.push(addr);
    }

    // Open in constant time by mapping the file, then check it once in full: after `verify`
    // the mapped bytes are known good (as long as nobody rewrites the file in place).
    // SAFETY: the database file is not truncated or modified while it is mapped; ipfirm
    // writes databases by renaming a new file over the old one, which keeps this mapping's
    // contents intact.
    #[allow(unsafe_code)]
    let db = unsafe { Database::open_mmap(db_path)? };
    db.verify()?;

    // One call for all addresses: the searches run interleaved so their memory loads
    // overlap. Result `i` is exactly `db.lookup(addrs[i])`.
    let results = db.lookup_batch(&addrs);

    let mut per_class: BTreeMap<String, usize> = BTreeMap::new();
    for (line, m) in lines.iter().zip(&results) {
        match m {
            None => println!("line {line}: not covered"),
            Some(m) => {
                let company = m.company().map(|c| c.display_name()).unwrap_or("-");
                println!("line {line}: {} {company} ({})", m.class(), m.range());
                *per_class.entry(m.class().to_string()).or_default() += 1;
            }
        }
    }
    println!("{} addresses, {} covered: {per_class:?}", addrs.len(), results.iter().flatten().count());
    Ok(())
}
