"""``ipfirm.build`` (the core compile pipeline) and ``ipfirm.import_mmdb``: the success path on
inputs written here (so the expected answers come from the input, not from the code), and
every error path."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

import ipfirm
from conftest import SAMPLES

ROWS = [
    "10.0.0.0,10.0.0.255,64500,Example Org One",
    "10.0.1.0,10.0.1.127,64501,Example Org Two",
]


def write_config(tmp: Path, rows: list[str], kind: str = "asn-csv") -> Path:
    (tmp / "asn.csv").write_text("\n".join(rows) + "\n")
    cfg = tmp / "ipfirm.toml"
    cfg.write_text(
        '[build]\ndescription = "python test build"\n\n'
        f'[[source]]\nname = "asn-test"\nkind = "{kind}"\npath = "asn.csv"\nversion = "t1"\n'
    )
    return cfg


def test_build_success(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, ROWS)
    out = tmp_path / "out.ipfirm"
    report = ipfirm.build(cfg, out)
    assert isinstance(report, dict)
    with ipfirm.Database(out) as db:
        assert db.metadata["description"] == "python test build"
        for row in ROWS:
            first, last, asn, _org = row.split(",", 3)
            for ip in (first, last):
                m = db.lookup(ip)
                assert m is not None and m.asn == int(asn)
                assert m.network.first <= ipaddress.ip_address(ip) <= m.network.last
                assert any(s.source == "asn-test" and s.version == "t1" for s in m.sources)
        assert db.lookup("10.0.1.128") is None
        assert db.lookup("192.0.2.1") is None


def test_build_accepts_str_paths(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, ROWS)
    ipfirm.build(str(cfg), str(tmp_path / "out.ipfirm"))
    assert (tmp_path / "out.ipfirm").is_file()


def test_bad_row_strict_names_file_and_line(tmp_path: Path) -> None:
    rows = ROWS + ["10.0.2.0,not-an-address,64502,Broken Row"]
    cfg = write_config(tmp_path, rows)
    out = tmp_path / "out.ipfirm"
    with pytest.raises(ipfirm.SourceError) as e:
        ipfirm.build(cfg, out, strict=True)
    assert e.value.path is not None and Path(e.value.path).name == "asn.csv"
    assert e.value.line == len(rows)  # the broken row is the last line
    assert f":{len(rows)}:" in str(e.value)
    assert not out.exists(), "no output on failure"
    # Lenient (the default): the row is skipped and counted, the rest is built.
    ipfirm.build(cfg, out)
    with ipfirm.Database(out) as db:
        assert db.lookup("10.0.0.1") is not None


def test_missing_config(tmp_path: Path) -> None:
    cfg = tmp_path / "nope.toml"
    with pytest.raises(ipfirm.IoError) as e:
        ipfirm.build(cfg, tmp_path / "out.ipfirm")
    assert e.value.path == str(cfg)
    assert isinstance(e.value, FileNotFoundError) or e.value.errno is not None


@pytest.mark.parametrize(
    "text, needle",
    [
        ("this is [not toml", "invalid TOML"),
        ('[[source]]\nkind = "no-such-kind"\npath = "x"\n', "unknown kind"),
        ('[[source]]\nkind = "asn-csv"\npath = "missing.csv"\n', "file not found"),
        ("[surprise]\n", "unknown table"),
    ],
)
def test_config_errors(tmp_path: Path, text: str, needle: str) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    out = tmp_path / "out.ipfirm"
    with pytest.raises(ipfirm.ConfigError, match=needle) as e:
        ipfirm.build(cfg, out)
    assert e.value.path == str(cfg)
    assert not out.exists()


def test_bundled_sample_builds(sample: ipfirm.Database) -> None:
    meta = sample.metadata
    assert meta["ipv4_ranges"] > 0 and meta["companies"] > 0
    names = {i["name"] for i in meta["inputs"]}
    assert "asn-v4" in names, names


def test_import_mmdb_source_name(tmp_path: Path) -> None:
    out = tmp_path / "isp.ipfirm"
    n = ipfirm.import_mmdb(SAMPLES / "sources" / "mmdb" / "GeoIP2-ISP-Test.mmdb", out, source="isp-test")
    with ipfirm.Database(out) as db:
        ranges = list(db)
        # Each network adds one range at most, and an IPv4 one its 6to4 and Teredo aliases.
        assert 0 < len(ranges) <= 3 * n
        assert all(s.source == "isp-test" for m in ranges for s in m.sources)
