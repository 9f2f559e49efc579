"""A tour of the ipfirm Python API on the bundled sample data.

    python example.py [DATABASE]

Without an argument it builds ``data-samples/ipfirm.toml`` into a temporary directory first.
Type-checked with ``mypy --strict`` in CI, so it doubles as a test of the stubs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import List, Optional

import ipfirm

REPO = Path(__file__).resolve().parents[2]


def describe(m: Optional[ipfirm.Match]) -> str:
    if m is None:
        return "no data"
    if m.identified and m.company is not None:
        reg = m.company.registry
        where = f" [{reg.scheme} {reg.id}]" if reg is not None else ""
        return f"{m.company.name}{where} ({m.class_}, {m.confidence}%: {m.reason})"
    return f"{m.class_}: {m.asn_org or 'unnamed'} (AS{m.asn})" if m.asn else m.class_


def tour(path: Path) -> None:
    with ipfirm.Database(path) as db:
        meta = db.metadata
        print(f"{path.name}: {meta['ipv4_ranges']} IPv4 + {meta['ipv6_ranges']} IPv6 ranges, "
              f"{db.company_count} companies")

        # One address: a str, packed bytes or an ipaddress object.
        for ip in ["1.7.225.10", "2a00:d58::1", "192.0.2.1"]:
            print(f"  {ip:>16} -> {describe(db.lookup(ip))}")

        # Many addresses at once (parsed first, then looked up without the GIL).
        ips: List[str] = ["77.75.232.1", "91.206.0.1", "3.5.140.1"]
        for ip, m in zip(ips, db.lookup_many(ips)):
            print(f"  {ip:>16} -> {describe(m)}")

        # Columns for pandas/numpy: class codes and company ids.
        classes, companies = db.lookup_columns(ips)
        names = [None if c == ipfirm.NO_MATCH else ipfirm.CLASS_NAMES[c] for c in classes.tolist()]
        ids = [None if c == ipfirm.NO_COMPANY else c for c in companies.tolist()]
        print("  columns:", list(zip(names, ids)))

        # Reverse lookup: every range of a company.
        first = next((m for m in db if m.identified), None)
        if first is not None and first.company is not None:
            ranges = db.ranges_of(first.company)
            cidrs = [str(c) for m in ranges for c in m.network.cidrs]
            print(f"  {first.company.name} holds {', '.join(cidrs[:5])}")

    try:
        db.lookup("1.1.1.1")
    except ipfirm.ClosedError as e:
        print("  after close:", e)


def main(argv: List[str]) -> int:
    if len(argv) > 1:
        tour(Path(argv[1]))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sample.ipfirm"
        try:
            ipfirm.build(REPO / "data-samples" / "ipfirm.toml", out)
        except ipfirm.SourceError as e:
            print(f"bad input {e.path}:{e.line}: {e}", file=sys.stderr)
            return 1
        except ipfirm.Error as e:
            print(f"build failed: {e}", file=sys.stderr)
            return 1
        tour(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
