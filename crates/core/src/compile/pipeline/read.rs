//! Phase 1, **read**: every source through its adapter, in parallel, merged back in config
//! order. Apart from the orchestration because it is the only phase that touches files and
//! adapters; what follows works on [`Inputs`] alone (tests build those directly).

use std::time::Instant;

use rayon::prelude::*;

use super::{BuildOptions, Inputs, ProgressEvent};
use crate::compile::config::Config;
use crate::compile::report::SourceReport;
use crate::compile::sources::{self, ErrorLog, ReadContext, Record};
use crate::error::Result;

/// Reads every source (in parallel) and returns the records in config order.
pub(super) fn read_sources(cfg: &Config, opts: &BuildOptions) -> Result<(Inputs, Vec<SourceReport>)> {
    opts.emit(ProgressEvent::Start { phase: "read", total: Some(cfg.sources.len() as u64) });
    let results: Vec<Result<(Inputs, SourceReport)>> = cfg
        .sources
        .par_iter()
        .map(|s| {
            let t = Instant::now();
            let mut log = ErrorLog::default();
            let mut part = Inputs::default();
            let rows = {
                let mut ctx =
                    ReadContext { source: &s.name, version: &s.version, strict: opts.strict, errors: &mut log };
                sources::read(&s.kind, &s.path, &mut ctx, &mut |r| match r {
                    Record::Ip(r) => part.ip.push(r),
                    Record::Registry(r) => part.registry.push(r),
                    Record::OptOut(o) => part.opt_outs.push(o),
                })?
            };
            let records = part.ip.len() + part.registry.len() + part.opt_outs.len();
            opts.emit(ProgressEvent::Advance(1));
            let rep = SourceReport {
                name: s.name.clone(),
                kind: s.kind.name().to_string(),
                path: s.path_as_written.clone(),
                version: s.version.clone(),
                rows,
                records: records as u64,
                skipped: log.skipped(),
                errors: log.errors().iter().map(ToString::to_string).collect(),
                seconds: t.elapsed().as_secs_f64(),
            };
            part.ip.shrink_to_fit();
            part.registry.shrink_to_fit();
            Ok((part, rep))
        })
        .collect();
    opts.emit(ProgressEvent::Finish);
    let mut parts = Vec::with_capacity(results.len());
    let mut reports = Vec::with_capacity(results.len());
    for r in results {
        let (part, rep) = r?;
        parts.push(part);
        reports.push(rep);
    }
    // Concatenate in config order without regrowing: each part is freed once moved.
    let mut inputs = Inputs {
        ip: Vec::with_capacity(parts.iter().map(|p| p.ip.len()).sum()),
        registry: Vec::with_capacity(parts.iter().map(|p| p.registry.len()).sum()),
        opt_outs: Vec::new(),
    };
    for mut p in parts {
        inputs.ip.append(&mut p.ip);
        inputs.registry.append(&mut p.registry);
        inputs.opt_outs.append(&mut p.opt_outs);
    }
    Ok((inputs, reports))
}
