//! Open an ipfirm database and look up the addresses given on the command line.
//!
//! ```sh
//! cargo run -p ipfirm-examples --example build_from_mmdb -- \
//!     data-samples/mmdb/GeoIP2-Enterprise-Test.mmdb target/enterprise.ipfirm
//! cargo run -p ipfirm-examples --example lookup -- target/enterprise.ipfirm 81.2.69.160 2001:480::1 192.0.2.1
//! ```
//!
//! Prints one line per address, then the full answer as JSON (the shape the CLI, the
//! bindings and the server share).

use std::net::IpAddr;
use std::process::ExitCode;

use ipfirm::Database;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((path, addrs)) = args.split_first() else {
        eprintln!("usage: lookup <database.ipfirm> <address>...");
        return ExitCode::from(2);
    };

    // `open` reads the file into memory and checks all of it (checksum included); after that
    // a lookup cannot fail. Errors name the file and what is wrong with it.
    let db = match Database::open(path) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };

    let mut status = ExitCode::SUCCESS;
    for (i, arg) in addrs.iter().enumerate() {
        // Never echo an unparsable argument back: it may be someone's address mistyped.
        let Ok(addr) = arg.parse::<IpAddr>() else {
            eprintln!("error: argument {} is not an IPv4 or IPv6 address", i + 2);
            status = ExitCode::FAILURE;
            continue;
        };
        match db.lookup(addr) {
            None => println!("{addr}\tnot covered"),
            Some(m) => {
                // `company()` is only ever set for shown classes (business, education,
                // government, nonprofit): ISPs, mobile, hosting… never carry a company.
                let who = m.company().map(|c| c.display_name()).or(m.asn_org()).unwrap_or("-");
                let nets: Vec<String> = m.cidrs().iter().map(|n| n.to_string()).collect();
                println!("{addr}\t{}\t{who}\t{}", m.class(), nets.join(","));
                // The owned record serialises to the JSON every front end uses.
                match serde_json::to_string(&m.to_record()) {
                    Ok(json) => println!("  {json}"),
                    Err(e) => eprintln!("error: {e}"),
                }
            }
        }
    }
    status
}
