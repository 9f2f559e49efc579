"""The golden lookups of ``data-samples/golden/lookups.jsonl`` against the bundled sample build
(the same file and the same fields the CLI's golden test checks: ``class``, ``company``
{``name``, ``registry``} and ``asn``)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import ipfirm
from conftest import SAMPLES, loud_skip

GOLDEN = SAMPLES / "golden" / "lookups.jsonl"


def golden_view(ip: str, m: Optional[ipfirm.Match]) -> Dict[str, Any]:
    if m is None:
        return {"ip": ip, "class": None, "company": None, "asn": None}
    d = m.to_dict()
    c = d["company"]
    company = None if c is None else {"name": c["name"], "registry": c["registry"]}
    return {"ip": ip, "class": d["class"], "company": company, "asn": d["asn"]}


def load() -> List[Dict[str, Any]]:
    if not GOLDEN.is_file():
        loud_skip(f"golden file {GOLDEN} is missing")
    rows = [json.loads(line) for line in GOLDEN.read_text().splitlines() if line.strip()]
    if not rows or not all("class" in r for r in rows):
        loud_skip(f"golden file {GOLDEN} has no expected answers yet (bless it with the CLI test)")
    return rows


def test_golden_lookups(sample: ipfirm.Database) -> None:
    rows = load()
    got = [golden_view(r["ip"], sample.lookup(r["ip"])) for r in rows]
    bad = [f"expected {e}\n     got {g}" for e, g in zip(rows, got) if e != g]
    assert not bad, f"{len(bad)} golden lookups differ:\n" + "\n".join(bad)
    # The batched and columnar forms give the same answers.
    ips = [r["ip"] for r in rows]
    assert [golden_view(ip, m) for ip, m in zip(ips, sample.lookup_many(ips))] == got
    classes, _companies = sample.lookup_columns(ips)
    names = [None if c == ipfirm.NO_MATCH else ipfirm.CLASS_NAMES[c] for c in classes.tolist()]
    assert names == [g["class"] for g in got]
