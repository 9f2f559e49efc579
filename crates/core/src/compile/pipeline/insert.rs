//! The insert half of phase 3, **classify+insert**: decisions become builder calls, with the
//! provenance `ipfirm explain` shows (the IP record, the registry record, the synthetic
//! `ipfirm:join`, `ipfirm:rule` and `ipfirm:opt-out` records) and the companies. Apart from the
//! orchestration because it is the one serial step of the build: what many ranges share is
//! added to the builder once and cached here, so each range costs little.

use std::collections::HashMap;

use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use super::Inputs;
use super::holders::{HolderInfo, NO_HOLDER};
use crate::build::{Company, CompanyId, DatabaseBuilder, EntryIds, ProvenanceId};
use crate::class::Class;
use crate::compile::join::JoinOutcome;
use crate::compile::records::{IpRecord, OptOut, country_code_str};
use crate::error::Result;

/// Source name of the provenance records that say how a company was matched.
pub const JOIN_SOURCE: &str = "ipfirm:join";
/// Source name of the provenance records that list the classification rules that fired.
pub const RULE_SOURCE: &str = "ipfirm:rule";
/// Source name of the provenance record of an opt-out.
pub const OPT_OUT_SOURCE: &str = "ipfirm:opt-out";

/// Confidence ceiling for a shown range whose holder was not found in any registry.
pub const UNMATCHED_MAX_CONFIDENCE: u8 = 60;

/// A chunk waiting for the insert thread: its number, the decision of every record and its
/// record key's hash and [`flag`]s.
pub(super) type Pending = (usize, Vec<u32>, Vec<(u64, u8)>);

/// A classification decision with its texts interned.
#[derive(Debug, Clone, Copy)]
pub(super) struct Compact {
    pub(super) class: Class,
    pub(super) confidence: u8,
    /// Reason code (text id).
    pub(super) reason: u32,
    /// The rules that fired joined by ` > `, winner first (text id).
    pub(super) rules: u32,
    /// A sole-trader rule or the opt-out fired: no name goes in, whatever the class.
    pub(super) names_withheld: bool,
    /// Rule 10d (a listed group's company) won: the group's record goes into the provenance.
    pub(super) by_group: bool,
}

/// Interned texts of the decisions.
#[derive(Debug, Default)]
pub(super) struct Texts {
    ids: HashMap<String, u32, Xxh3DefaultBuilder>,
    all: Vec<String>,
}

impl Texts {
    /// The id of `s`, added when new.
    pub(super) fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.all.len() as u32;
        self.all.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }

    fn get(&self, i: u32) -> &str {
        self.all.get(i as usize).map_or("", String::as_str)
    }
}

/// Not cached yet (in the per-holder and per-registry-record caches of [`Inserter`]).
const UNSET: u32 = u32::MAX;

/// Facts about a record found in the parallel pass, so the serial insert need not read the
/// record's texts.
mod flag {
    /// Same source and version as the previous record.
    pub const SAME_ORIGIN: u8 = 1;
    /// The organisation name is not empty once trimmed.
    pub const HAS_NAME: u8 = 2;
    /// The organisation name has no surrounding white space (it is its holder's name).
    pub const NAME_TRIMMED: u8 = 4;
}

/// The [`flag`]s of record `i`.
pub(super) fn record_flags(ip: &[IpRecord], i: usize) -> u8 {
    let r = &ip[i];
    let mut f = 0;
    if i > 0 && ip[i - 1].origin.source == r.origin.source && ip[i - 1].origin.version == r.origin.version {
        f |= flag::SAME_ORIGIN;
    }
    if let Some(n) = r.org_name.as_deref() {
        let t = n.trim();
        if !t.is_empty() {
            f |= flag::HAS_NAME;
        }
        if t.len() == n.len() {
            f |= flag::NAME_TRIMMED;
        }
    }
    f
}

/// What the inserter needs of one holder, in one small slot read once per range: the join's
/// result and what the builder holds for the holder.
#[derive(Debug, Clone, Copy)]
struct HolderSlot {
    /// The registry record the holder was matched to, or [`UNSET`].
    matched: u32,
    /// An opt-out covers the holder.
    opted_out: bool,
    /// The company under the holder's own name (unmatched holders).
    company: u32,
    /// String id of the holder's (trimmed) name.
    name: u32,
    /// The `ipfirm:join` record and what it was for (0 = a shown class, else 1 + the code of
    /// the filtered class).
    join: u32,
    join_for: u8,
}

/// What the builder holds for one registry record: its company and its provenance record.
#[derive(Debug, Clone, Copy)]
struct RegistrySlot {
    company: u32,
    provenance: u32,
}

/// Turns decisions into builder calls. What many ranges share — a holder's company, name and
/// join record, a registry record's provenance, a reason's text — is added to the builder once
/// and cached by holder, registry record or text id, so a range costs the builder little more
/// than its own source record (whose key is hashed beforehand, in parallel).
pub(super) struct Inserter<'a> {
    inputs: &'a Inputs,
    infos: &'a [HolderInfo<'a>],
    pub(super) builder: DatabaseBuilder,
    registry: Vec<RegistrySlot>,
    holders: Vec<HolderSlot>,
    /// Per synthetic source: record key -> provenance (probed with `&str`, no allocation).
    synthetic: HashMap<&'static str, HashMap<String, ProvenanceId, Xxh3DefaultBuilder>>,
    /// The `ipfirm:rule` provenance per rules text.
    rule_prov: Vec<Option<ProvenanceId>>,
    /// String id per decision text id.
    text_str: Vec<u32>,
    /// String ids of the source and version of the previous record.
    origin: (u32, u32),
    version: String,
}

impl<'a> Inserter<'a> {
    pub(super) fn new(inputs: &'a Inputs, infos: &'a [HolderInfo<'a>]) -> Self {
        Inserter {
            inputs,
            infos,
            builder: DatabaseBuilder::new(),
            registry: vec![RegistrySlot { company: UNSET, provenance: UNSET }; inputs.registry.len()],
            holders: infos
                .iter()
                .map(|i| HolderSlot {
                    matched: i.outcome.index().unwrap_or(UNSET),
                    opted_out: i.opt_out.is_some(),
                    company: UNSET,
                    name: UNSET,
                    join: UNSET,
                    join_for: 0,
                })
                .collect(),
            synthetic: HashMap::new(),
            rule_prov: Vec::new(),
            text_str: Vec::new(),
            origin: (UNSET, UNSET),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    fn synthetic(&mut self, source: &'static str, key: &str) -> ProvenanceId {
        let known = self.synthetic.entry(source).or_default();
        if let Some(&id) = known.get(key) {
            return id;
        }
        let id = self.builder.add_provenance_parts(source, &self.version, key);
        known.insert(key.to_string(), id);
        id
    }

    /// The provenance record of registry record `index` (added once).
    fn registry_provenance(&mut self, index: u32) -> ProvenanceId {
        let slot = &mut self.registry[index as usize];
        if slot.provenance == UNSET {
            let o = &self.inputs.registry[index as usize].origin;
            slot.provenance = self.builder.add_provenance_parts(&o.source, &o.version, &o.record_key).0;
        }
        ProvenanceId(slot.provenance)
    }

    /// The string id of decision text `t`.
    fn text(&mut self, t: u32, texts: &Texts) -> u32 {
        let i = t as usize;
        if self.text_str.len() <= i {
            self.text_str.resize(i + 1, UNSET);
        }
        if self.text_str[i] == UNSET {
            self.text_str[i] = self.builder.intern_str(texts.get(t));
        }
        self.text_str[i]
    }

    /// The `ipfirm:join` record of `holder` for a range of class `class`, made by `key`.
    fn join_provenance(&mut self, holder: u32, class: Class, key: impl FnOnce() -> String) -> ProvenanceId {
        let tag = if class.is_shown() { 0 } else { 1 + class.code() };
        let slot = self.holders[holder as usize];
        if slot.join != UNSET && slot.join_for == tag {
            return ProvenanceId(slot.join);
        }
        let id = self.synthetic(JOIN_SOURCE, &key());
        let slot = &mut self.holders[holder as usize];
        (slot.join, slot.join_for) = (id.0, tag);
        id
    }

    /// The string id of `holder`'s name (`name`, trimmed).
    fn holder_name(&mut self, holder: u32, name: &str) -> u32 {
        let slot = &mut self.holders[holder as usize];
        if slot.name == UNSET {
            slot.name = self.builder.intern_str(name.trim());
        }
        slot.name
    }

    /// Inserts record `ip` (whose [`flag`]s are `flags` and whose key hashes to `key_hash`)
    /// with decision `d`. Every record must pass here, in order, even one without a range.
    pub(super) fn insert(
        &mut self,
        ip: &IpRecord,
        holder: u32,
        key_hash: u64,
        flags: u8,
        d: &Compact,
        texts: &Texts,
    ) -> Result<Class> {
        if flags & flag::SAME_ORIGIN == 0 || self.origin.0 == UNSET {
            self.origin = (self.builder.intern_str(&ip.origin.source), self.builder.intern_str(&ip.origin.version));
        }
        let Some(range) = ip.range else {
            return Ok(d.class);
        };
        // The holder's join result is read from `infos` only where the slot does not tell.
        let infos = self.infos;
        let info = move || (holder != NO_HOLDER).then(|| &infos[holder as usize]);
        let (matched_index, opted_out) = match self.holders.get(holder as usize) {
            Some(h) => ((h.matched != UNSET).then_some(h.matched), h.opted_out),
            None => (None, false),
        };
        let mut class = d.class;
        let mut reason = self.text(d.reason, texts);
        let mut confidence = d.confidence;
        let mut rule_override = None;
        if let Some(o) = info().filter(|_| opted_out).and_then(|i| i.opt_out) {
            if class != Class::OptedOut {
                class = Class::OptedOut;
                let text = format!("opted_out:{}", opt_out_kind(o));
                rule_override = Some(format!("{text} > {}", texts.get(d.rules)));
                reason = self.builder.intern_str(&text);
            }
            confidence = 100;
        }

        // At most five ids (IP record, registry record, join, opt-out, rules): no allocation.
        let mut provenance = [ProvenanceId(0); 5];
        let mut n_prov = 1;
        provenance[0] = self.builder.add_provenance_ids(self.origin.0, self.origin.1, &ip.origin.record_key, key_hash);
        let mut push = |p: ProvenanceId| {
            provenance[n_prov] = p;
            n_prov += 1;
        };
        let mut company = None;
        let method = move || match info().map(|i| &i.outcome) {
            Some(JoinOutcome::Matched { method, .. }) => *method,
            _ => "",
        };
        if class.is_shown() && !d.names_withheld {
            if let Some(index) = matched_index {
                let rec = &self.inputs.registry[index as usize];
                let slot = self.registry[index as usize];
                let cid = if slot.company == UNSET {
                    let c = self.builder.add_company(Company {
                        legal_name: rec.legal_name.clone(),
                        trade_name: None,
                        country: rec.country.clone(),
                        registry: Some(rec.registry.clone()),
                        legal_form: rec.legal_form.clone(),
                        domain: rec.domain.clone().or_else(|| ip.domain.clone()),
                        address: rec.address.clone(),
                        industry_code: rec.industry_code.clone(),
                    });
                    self.registry[index as usize].company = c.0;
                    c.0
                } else {
                    slot.company
                };
                company = Some(CompanyId(cid));
                push(self.registry_provenance(index));
                let reg = &rec.registry;
                push(self.join_provenance(holder, class, || format!("matched:{}:{}:{}", method(), reg.scheme, reg.id)));
            } else if flags & flag::HAS_NAME != 0 && holder != NO_HOLDER {
                // Unmatched: the holder keeps its own name, with a lower confidence and no id.
                // (A record with a name always has a holder; its company is the holder's.)
                let h = holder as usize;
                if self.holders[h].company == UNSET {
                    let name = ip.org_name.as_deref().unwrap_or_default().trim();
                    let registered = info().and_then(|i| i.registration_country);
                    let country = ip
                        .country
                        .clone()
                        .or_else(|| registered.as_ref().and_then(country_code_str).map(str::to_string));
                    let c = self.builder.add_company(Company {
                        legal_name: name.to_string(),
                        country,
                        domain: ip.domain.clone(),
                        address: ip.address.clone(),
                        ..Default::default()
                    });
                    self.holders[h].company = c.0;
                }
                company = Some(CompanyId(self.holders[h].company));
                confidence = confidence.min(UNMATCHED_MAX_CONFIDENCE);
                // The group a holder is named after (rule 10d) is a source record of its own.
                let group = info().and_then(|i| i.group.first().copied());
                if let (true, Some(g)) = (d.by_group, group) {
                    push(self.registry_provenance(g));
                }
                let registry = &self.inputs.registry;
                push(self.join_provenance(holder, class, || {
                    let kept = match info().map(|i| &i.outcome) {
                        Some(JoinOutcome::Ambiguous { candidates, method }) => {
                            format!("ambiguous:{method}:{candidates} candidates:own name kept")
                        }
                        Some(JoinOutcome::Abroad { candidates, method }) => {
                            format!("abroad:{method}:{candidates} candidates:own name kept")
                        }
                        _ => "unmatched:own name kept".to_string(),
                    };
                    match group.map(|g| &registry[g as usize].registry) {
                        Some(id) => format!("{kept}:named after group {}:{}", id.scheme, id.id),
                        None => kept,
                    }
                }));
            }
        } else if matched_index.is_some() {
            // Filtered: say that a match existed, never which company (a sole trader's
            // registry id is personal data).
            push(self.join_provenance(holder, class, || format!("matched:{}:withheld ({})", method(), class.name())));
        } else if let (Some(JoinOutcome::Abroad { candidates, method }), false, true) =
            (info().map(|i| &i.outcome), d.names_withheld, holder != NO_HOLDER)
        {
            // Not shown, and the registry's namesakes were refused: `explain` says why there is
            // no company (no record is named).
            push(self.join_provenance(holder, class, || format!("abroad:{method}:{candidates} candidates:none kept")));
        }
        if class == Class::OptedOut {
            push(self.synthetic(OPT_OUT_SOURCE, "opt-out list"));
        }
        let rule = match rule_override {
            Some(text) => self.synthetic(RULE_SOURCE, &text),
            None => {
                let ti = d.rules as usize;
                if self.rule_prov.len() <= ti {
                    self.rule_prov.resize(ti + 1, None);
                }
                match self.rule_prov[ti] {
                    Some(id) => id,
                    None => {
                        let id = self.synthetic(RULE_SOURCE, texts.get(d.rules));
                        self.rule_prov[ti] = Some(id);
                        id
                    }
                }
            }
        };
        push(rule);

        // The name as the IP data gives it: the holder's name unless white space surrounds it.
        let asn_org = match ip.org_name.as_deref() {
            _ if class.forbids_names() || d.names_withheld => 0,
            None => 0,
            Some(name) if holder != NO_HOLDER && flags & flag::HAS_NAME != 0 && flags & flag::NAME_TRIMMED != 0 => {
                self.holder_name(holder, name)
            }
            Some(name) => self.builder.intern_str(name),
        };
        self.builder.insert_ids(
            range,
            &EntryIds {
                class,
                reason,
                confidence,
                company,
                asn: ip.asn,
                asn_org,
                provenance: &provenance[..n_prov],
                ..Default::default()
            },
        )?;
        Ok(class)
    }
}

fn opt_out_kind(o: &OptOut) -> &'static str {
    match o {
        OptOut::Registry(_) => "registry-id",
        OptOut::Domain(_) => "domain",
        OptOut::Name(_) => "name",
    }
}
