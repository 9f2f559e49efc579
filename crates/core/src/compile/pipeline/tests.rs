//! End-to-end tests of the pipeline: [`compile`] on small and sample inputs (memo, thread
//! count, opt-outs, covering records), and the shared test helpers.

use std::net::IpAddr;

use super::*;
use crate::compile::records::{Origin, SourceHint};
use crate::lookup::RegistryId;
use crate::range::IpRange;

pub(super) fn ip(range: &str, org: &str, country: Option<&str>, hint: Option<Class>) -> IpRecord {
    IpRecord {
        range: Some(IpRange::from(range.parse::<ipnet::IpNet>().unwrap())),
        origin: Origin { source: "t".into(), version: "1".into(), record_key: range.into() },
        org_name: (!org.is_empty()).then(|| org.to_string()),
        country: country.map(Into::into),
        hint: hint.map(|class| SourceHint { class, label: "provider-list:test".into(), authoritative: true }),
        ..Default::default()
    }
}

#[test]
fn covering_hints_found_by_sweep() {
    let recs = vec![
        ip("10.0.0.0/8", "", None, Some(Class::Hosting)),
        ip("10.1.0.0/16", "Acme", None, None),
        ip("11.0.0.0/24", "Other", None, None),
        ip("10.2.0.0/16", "", None, Some(Class::Anonymizer)),
        ip("10.2.3.0/24", "Acme", None, None),
        ip("2a00::/16", "", None, Some(Class::Hosting)),
        ip("2a00:1::/32", "V6", None, None),
    ];
    let c = covering_hints(&recs);
    let h: Vec<&[SourceHint]> = (0..recs.len()).map(|i| c.get(i)).collect();
    assert!(h[0].is_empty(), "a hint does not cover itself");
    assert_eq!(h[1].len(), 1);
    assert!(h[2].is_empty());
    assert_eq!(h[3].len(), 1);
    assert_eq!(h[4].iter().map(|x| x.class).collect::<Vec<_>>(), [Class::Hosting, Class::Anonymizer]);
    assert_eq!(h[6].len(), 1);
    assert_eq!(h[1], h[6], "equal lists are stored once");
    assert_eq!(c.distinct_lists(), 3);
}

#[test]
fn memoised_classification_equals_direct_classification() {
    // One holder, sizes on both sides of every power of two up to 2^22 (classify has a
    // size threshold at 2^20), plus a covering provider list for some.
    let mut recs = Vec::new();
    let mut start: u32 = 0x0a00_0000;
    for bits in 0..=22u32 {
        for delta in [-1i64, 0, 1] {
            let count = ((1u64 << bits) as i64 + delta).max(1) as u32;
            let (a, b) = (start, start + count - 1);
            let mut r = ip("10.0.0.0/32", "", None, None);
            r.range = IpRange::new(IpAddr::V4(a.into()), IpAddr::V4(b.into())).ok();
            r.origin.record_key = format!("{a}");
            recs.push(r);
            start = (b + 1).next_multiple_of(1 << 23);
        }
    }
    recs.push(ip("10.0.0.0/8", "", None, Some(Class::Hosting)));
    let rules = Rules::load_default().unwrap();
    let hints = covering_hints(&recs);
    let expected: Vec<(IpRange, String)> = recs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let ev = Evidence { covering_hints: hints.get(i), ..Evidence::new(r) };
            (r.range.unwrap(), classify::classify(&rules, &ev).reason)
        })
        .collect();
    let inputs = Inputs { ip: recs, ..Default::default() };
    let mut clock = PhaseClock::new();
    let mut report = BuildReport::default();
    let bytes =
        compile(inputs, &rules, Metadata::default(), &BuildOptions::default(), &mut clock, &mut report).unwrap();
    let db = Database::from_bytes(&bytes).unwrap();
    for (range, reason) in expected.iter().take(expected.len() - 1) {
        let m = db.lookup(range.first()).unwrap();
        assert_eq!(m.range(), *range);
        assert_eq!(m.reason(), reason, "{range}");
    }
    assert!(report.classified < expected.len() as u64, "nothing was reused");
}

/// The IP records of the bundled sample build (real slices of every source kind).
pub(super) fn sample_inputs() -> Inputs {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/ipfirm.toml");
    let cfg = Config::load(&path).unwrap();
    read_sources(&cfg, &BuildOptions::default()).unwrap().0
}

#[test]
fn covering_rir_status_reaches_asn_ranges() {
    // The bundled sample: ASN-table ranges inside AFRINIC delegation blocks (real rows).
    let cfg = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data-samples/ipfirm.toml")).unwrap();
    let inputs = sample_inputs();
    let ip = &inputs.ip;
    let cov = covering_rir(ip);
    // Independent model: every pair, the smallest covering span, then the later input.
    let bounds = |r: &IpRecord| {
        r.range.and_then(|x| match (x.first(), x.last()) {
            (IpAddr::V4(a), IpAddr::V4(b)) => Some((4, u128::from(u32::from(a)), u128::from(u32::from(b)))),
            (IpAddr::V6(a), IpAddr::V6(b)) => Some((6, u128::from(a), u128::from(b))),
            _ => None,
        })
    };
    let status: Vec<(usize, (u8, u128, u128))> =
        ip.iter().enumerate().filter(|(_, r)| r.status.is_some()).filter_map(|(j, r)| Some((j, bounds(r)?))).collect();
    let mut covered_asn = Vec::new();
    for (i, r) in ip.iter().enumerate() {
        let expected = match (r.status.is_none(), bounds(r)) {
            (true, Some((fam, a, b))) => status
                .iter()
                .filter(|(_, (f, x, y))| *f == fam && *x <= a && b <= *y)
                .min_by_key(|(j, (_, x, y))| (y - x, std::cmp::Reverse(*j)))
                .map(|(j, _)| *j),
            _ => None,
        };
        let got = cov.get(ip, i).map(|c| std::ptr::from_ref(c) as usize);
        assert_eq!(got, expected.map(|j| std::ptr::from_ref(&ip[j]) as usize), "record {}", r.origin.record_key);
        if let Some(j) = expected
            && r.origin.source == "asn-v4"
            && ip[j].origin.source == "rir-afrinic"
            && ip[j].status.as_deref() == Some("allocated")
        {
            covered_asn.push((i, j));
        }
    }
    assert!(!covered_asn.is_empty(), "no ASN-table range of the sample lies in an AFRINIC allocation");

    let rules = Rules::load_default().unwrap();
    let mut clock = PhaseClock::new();
    let mut report = BuildReport::default();
    let again = Inputs { ip: inputs.ip.clone(), registry: inputs.registry.clone(), opt_outs: inputs.opt_outs.clone() };
    let bytes = compile(again, &rules, Metadata::default(), &BuildOptions::default(), &mut clock, &mut report).unwrap();
    let db = Database::from_bytes(&bytes).unwrap();
    let mut won = Vec::new();
    for &(i, j) in &covered_asn {
        let range = ip[i].range.unwrap();
        let m = db.lookup(range.first()).unwrap();
        if m.range() != range {
            continue; // a more specific record of another source placed this address
        }
        let fired = m.provenance().find(|p| p.source == "ipfirm:rule").unwrap().record_key.to_string();
        assert!(fired.contains("isp:rir:covering-allocation"), "{}: {fired}", ip[i].origin.record_key);
        if m.reason() == "isp:rir:covering-allocation" {
            assert_eq!(m.class(), Class::Isp);
            // Without the covering record the same evidence ends unknown (rule 11 or 12).
            let alone = classify::classify(&rules, &Evidence::new(&ip[i]));
            assert_eq!(alone.class, Class::Unknown, "{:?}", ip[i].org_name);
            won.push((i, j));
        }
    }
    assert!(!won.is_empty(), "the covering allocation decided no ASN-table range of the sample");

    // `ipfirm explain` names the covering record whose status was read.
    let (i, j) = won[0];
    let addr = ip[i].range.unwrap().first();
    let ev = crate::compile::evidence::explain_sources(&cfg, addr, &db).unwrap();
    assert_eq!(ev.winner().map(|w| w.record_key.as_str()), Some(ip[i].origin.record_key.as_str()));
    let c = ev.covering_rir.expect("explain names the covering RIR record");
    assert_eq!((c.source.as_str(), c.record_key.as_str()), ("rir-afrinic", ip[j].origin.record_key.as_str()));
    assert_eq!(c.status.as_deref(), Some("allocated"));
}

#[test]
fn memoised_and_unmemoised_builds_are_byte_identical() {
    let rules = Rules::load_default().unwrap();
    let build = |inputs: Inputs, memoise: bool| {
        let mut clock = PhaseClock::new();
        let mut report = BuildReport::default();
        let opts = BuildOptions::default();
        let bytes = compile_memo(inputs, &rules, Metadata::default(), &opts, &mut clock, &mut report, memoise);
        (bytes.unwrap(), report.classified)
    };
    // The bundled sample, and holders with many ranges of many sizes under provider lists.
    let mut many = Vec::new();
    for i in 0..3000u32 {
        let org = ["Acme Widgets B.V.", "Nordic Broadband Ltd", "Blue Hosting SAS", "Jan de Vries", ""][i as usize % 5];
        let bits = 4 + (i * 7) % 19;
        let first = 0x0100_0000u32 + i * (1 << 20);
        let mut r = ip("10.0.0.0/8", org, Some(["NL", "GB"][i as usize % 2]), None);
        r.range = IpRange::new(IpAddr::V4(first.into()), IpAddr::V4((first + (1 << bits) - 1).into())).ok();
        r.origin.record_key = format!("many:{i}");
        r.asn = Some(64_512 + i % 7);
        many.push(r);
    }
    many.push(ip("2.0.0.0/8", "", None, Some(Class::Hosting)));
    many.push(ip("3.0.0.0/10", "", None, Some(Class::Anonymizer)));
    for inputs in [sample_inputs(), Inputs { ip: many, ..Default::default() }] {
        let n = inputs.ip.len() as u64;
        let again =
            Inputs { ip: inputs.ip.clone(), registry: inputs.registry.clone(), opt_outs: inputs.opt_outs.clone() };
        let (memo_bytes, memo_classified) = build(inputs, true);
        let (plain_bytes, plain_classified) = build(again, false);
        assert_eq!(plain_classified, n);
        assert!(memo_classified < n, "nothing was reused");
        assert!(memo_bytes == plain_bytes, "memoised and per-record classification give different files");
    }
}

#[test]
fn builds_are_identical_whatever_the_thread_count() {
    // Holder numbering, the covering-hint sweep, hashing and sorting run in parallel: the
    // file must not depend on how many threads did it.
    let rules = Rules::load_default().unwrap();
    let build = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let mut clock = PhaseClock::new();
            let mut report = BuildReport::default();
            let opts = BuildOptions::default();
            compile(sample_inputs(), &rules, Metadata::default(), &opts, &mut clock, &mut report).unwrap()
        })
    };
    let one = build(1);
    assert!(one == build(3), "1 and 3 threads give different files");
}

/// Compiles small inputs with the bundled rules and default options: the file and its report.
fn compile_small(inputs: Inputs) -> (Vec<u8>, BuildReport) {
    let rules = Rules::load_default().unwrap();
    let mut clock = PhaseClock::new();
    let mut report = BuildReport::default();
    let bytes =
        compile(inputs, &rules, Metadata::default(), &BuildOptions::default(), &mut clock, &mut report).unwrap();
    (bytes, report)
}

#[test]
fn opt_out_wins_and_leaves_no_company() {
    let inputs = Inputs {
        ip: vec![ip("192.0.2.0/24", "Acme Widgets B.V.", Some("NL"), None)],
        registry: vec![RegistryRecord {
            registry: RegistryId { scheme: "NL-KVK".into(), id: "123".into() },
            legal_name: "ACME WIDGETS BV".into(),
            country: Some("NL".into()),
            active: true,
            ..Default::default()
        }],
        opt_outs: vec![OptOut::Registry(RegistryId { scheme: "NL-KVK".into(), id: "123".into() })],
    };
    let (bytes, report) = compile_small(inputs);
    let db = Database::from_bytes(&bytes).unwrap();
    let m = db.lookup("192.0.2.1".parse().unwrap()).unwrap();
    assert_eq!(m.class(), Class::OptedOut);
    assert!(m.company().is_none() && m.asn_org().is_none());
    assert_eq!(db.company_count(), 0);
    assert_eq!(report.join.matched, 1);
    assert_eq!(report.opted_out_records, 1);
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("ACME") && !text.contains("Acme"), "an opted-out name is in the file");
}

#[test]
fn a_persons_range_on_a_provider_list_is_compiled_without_the_name() {
    // The holder's range is under a Tor-exit list (a covering hint) and the holder is a natural
    // person: the class is the list's, and neither the name nor a company goes in the file.
    let inputs = Inputs {
        ip: vec![
            ip("198.51.100.0/24", "", None, Some(Class::Anonymizer)),
            ip("198.51.100.0/25", "Kevin Engelke", Some("US"), None),
            ip("203.0.113.0/24", "Clayton Donley", Some("US"), None),
        ],
        registry: Vec::new(),
        opt_outs: Vec::new(),
    };
    let (bytes, _) = compile_small(inputs);
    let db = Database::from_bytes(&bytes).unwrap();
    let exit = db.lookup("198.51.100.1".parse().unwrap()).unwrap();
    assert_eq!(exit.class(), Class::Anonymizer);
    assert!(exit.company().is_none() && exit.asn_org().is_none());
    let person = db.lookup("203.0.113.1".parse().unwrap()).unwrap();
    assert_eq!(person.class(), Class::SoleTrader);
    assert!(person.asn_org().is_none());
    let text = String::from_utf8_lossy(&bytes);
    for name in ["Kevin", "Engelke", "Clayton", "Donley"] {
        assert!(!text.contains(name), "{name} is in the file");
    }
}

#[test]
fn a_company_named_after_a_listed_group_keeps_its_own_name_and_cites_the_group() {
    let listing = |id: &str, industry: &str| RegistryRecord {
        origin: Origin { source: "listed".into(), version: "1".into(), record_key: id.into() },
        registry: RegistryId { scheme: "TICKER".into(), id: id.into() },
        legal_name: "POSCO".into(),
        country: Some("KR".into()),
        industry_code: Some(industry.into()),
        active: true,
        group: true,
        ..Default::default()
    };
    let inputs = Inputs {
        ip: vec![ip("192.0.2.0/24", "POSCO DX", None, None), ip("198.51.100.0/24", "POSCO", Some("KR"), None)],
        registry: vec![listing("005490.KS", "Metals & Mining")],
        opt_outs: Vec::new(),
    };
    let (bytes, report) = compile_small(inputs);
    let db = Database::from_bytes(&bytes).unwrap();
    let dx = db.lookup("192.0.2.1".parse().unwrap()).unwrap();
    assert_eq!((dx.class(), dx.reason()), (Class::Business, "business:listed-group:posco"));
    let company = dx.company().unwrap();
    assert_eq!(company.legal_name(), "POSCO DX");
    assert!(company.registry().is_none(), "the group's id is not the company's");
    let records: Vec<String> = dx.provenance().map(|p| format!("{}:{}", p.source, p.record_key)).collect();
    assert!(records.contains(&"listed:005490.KS".to_string()), "{records:?}");
    assert!(records.iter().any(|r| r.ends_with("named after group TICKER:005490.KS")), "{records:?}");
    // The group itself is matched by name (rule 9; a one-word name needs the country): one match.
    let group = db.lookup("198.51.100.1".parse().unwrap()).unwrap();
    assert_eq!(group.reason(), "business:registry:ticker");
    assert_eq!(report.join.matched, 1);
}

#[test]
fn a_holder_takes_the_registration_country_of_most_of_its_ranges() {
    let mut recs: Vec<IpRecord> = ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24"]
        .iter()
        .map(|r| ip(r, "Acme Widgets Ltd", None, None))
        .collect();
    for (r, c) in recs.iter_mut().zip([Some(*b"IE"), Some(*b"US"), Some(*b"US"), None, Some(*b"IE")]) {
        r.registration_country = c;
    }
    recs.push(ip("10.1.0.0/24", "Other Co", None, None));
    // Acme: IE twice, US twice (a tie keeps the first in alphabetical order); Other: none.
    let record_holder = [0, 0, 0, 0, 0, 1];
    assert_eq!(super::holders::holder_registration_countries(&recs, &record_holder, 2), [Some(*b"IE"), None]);
    recs[3].registration_country = Some(*b"US");
    assert_eq!(super::holders::holder_registration_countries(&recs, &record_holder, 2), [Some(*b"US"), None]);
}

#[test]
fn the_registration_country_matches_a_one_word_name_and_dates_an_unmatched_profile() {
    let listing = |id: &str, country: &str| RegistryRecord {
        registry: RegistryId { scheme: "TICKER".into(), id: id.into() },
        legal_name: "Sanofi".into(),
        country: Some(country.into()),
        active: true,
        ..Default::default()
    };
    let registered = |range: &str, org: &str, country: &[u8; 2]| IpRecord {
        registration_country: Some(*country),
        ..ip(range, org, None, None)
    };
    let inputs = Inputs {
        ip: vec![
            registered("192.0.2.0/24", "Sanofi", b"FR"),
            registered("198.51.100.0/24", "Acme Savings Bank", b"IE"),
        ],
        registry: vec![listing("SAN.PA", "FR"), listing("SANOFI.BO", "IN")],
        opt_outs: Vec::new(),
    };
    let (bytes, report) = compile_small(inputs);
    let db = Database::from_bytes(&bytes).unwrap();
    let fr = db.lookup("192.0.2.1".parse().unwrap()).unwrap();
    assert_eq!(fr.reason(), "business:registry:ticker");
    assert_eq!(fr.company().unwrap().registry(), Some(("TICKER", "SAN.PA")));
    assert_eq!(report.join.matched, 1);
    // A business shown under its own name gets the country its ranges are registered in.
    let bank = db.lookup("198.51.100.1".parse().unwrap()).unwrap();
    assert_eq!(bank.class(), Class::Business);
    let company = bank.company().unwrap();
    assert_eq!((company.legal_name(), company.country()), ("Acme Savings Bank", Some("IE")));
}

#[test]
fn a_holder_named_as_a_group_is_of_the_group_where_the_group_is_listed() {
    let ubs = RegistryRecord {
        registry: RegistryId { scheme: "TICKER".into(), id: "UBSG.SW".into() },
        legal_name: "UBS Group AG".into(),
        country: Some("CH".into()),
        industry_code: Some("Banks".into()),
        active: true,
        group: true,
        ..Default::default()
    };
    let registered = |range: &str, country: &[u8; 2]| IpRecord {
        registration_country: Some(*country),
        ..ip(range, if country == b"CH" { "UBS AG" } else { "UBS Ltd" }, None, None)
    };
    let inputs = Inputs {
        ip: vec![registered("192.0.2.0/24", b"CH"), registered("198.51.100.0/24", b"BR")],
        registry: vec![ubs],
        opt_outs: Vec::new(),
    };
    let (bytes, _) = compile_small(inputs);
    let db = Database::from_bytes(&bytes).unwrap();
    let ch = db.lookup("192.0.2.1".parse().unwrap()).unwrap();
    assert_eq!(ch.reason(), "business:listed-group:ubs");
    assert_eq!(ch.company().unwrap().legal_name(), "UBS AG");
    let br = db.lookup("198.51.100.1".parse().unwrap()).unwrap();
    assert_ne!(br.class(), Class::Business, "a namesake where no listing is");
}
