"""Every error path: bad database files, bad builds, bad MMDB files, and the mapping of the
core's error variants onto exception classes."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest

import ipfirm
from conftest import SAMPLES, loud_skip


def test_hierarchy() -> None:
    for cls in (
        ipfirm.InvalidDatabaseError,
        ipfirm.NotADatabaseError,
        ipfirm.UnsupportedVersionError,
        ipfirm.CorruptDatabaseError,
        ipfirm.SourceError,
        ipfirm.ConfigError,
        ipfirm.MmdbError,
        ipfirm.IoError,
        ipfirm.InvalidInputError,
        ipfirm.ClosedError,
    ):
        assert issubclass(cls, ipfirm.Error)
    for cls in (ipfirm.NotADatabaseError, ipfirm.UnsupportedVersionError, ipfirm.CorruptDatabaseError):
        assert issubclass(cls, ipfirm.InvalidDatabaseError)
    assert issubclass(ipfirm.IoError, OSError)
    assert issubclass(ipfirm.ClosedError, ValueError)
    assert issubclass(ipfirm.InvalidInputError, ValueError)


@pytest.mark.parametrize("mmap", [False, True])
def test_missing_file(tmp_path: Path, mmap: bool) -> None:
    path = tmp_path / "missing.ipfirm"
    with pytest.raises(ipfirm.IoError) as e:
        ipfirm.Database(path, mmap=mmap)
    assert isinstance(e.value, OSError)
    assert e.value.errno == errno.ENOENT
    assert e.value.path == e.value.filename == str(path)
    assert str(path) in str(e.value)


@pytest.mark.parametrize("mmap", [False, True])
def test_directory(tmp_path: Path, mmap: bool) -> None:
    with pytest.raises(ipfirm.IoError) as e:
        ipfirm.Database(tmp_path, mmap=mmap)
    assert e.value.path == str(tmp_path)


@pytest.mark.parametrize("mmap", [False, True])
def test_not_a_database(tmp_path: Path, mmap: bool) -> None:
    for name, data in [("empty", b""), ("text", b"hello, this is not a database\n" * 10)]:
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(ipfirm.NotADatabaseError) as e:
            ipfirm.Database(p, mmap=mmap)
        assert e.value.path == str(p) and str(p) in str(e.value)


def test_an_mmdb_is_not_a_database() -> None:
    mmdb = SAMPLES / "sources" / "mmdb" / "GeoIP2-ISP-Test.mmdb"
    with pytest.raises(ipfirm.NotADatabaseError):
        ipfirm.Database(mmdb)


@pytest.mark.parametrize("mmap", [False, True])
def test_unsupported_version(tmp_path: Path, isp_path: Path, mmap: bool) -> None:
    data = bytearray(isp_path.read_bytes())
    data[8:12] = (ipfirm.FORMAT_VERSION + 98).to_bytes(4, "little")  # the header's version field
    p = tmp_path / "future.ipfirm"
    p.write_bytes(bytes(data))
    with pytest.raises(ipfirm.UnsupportedVersionError) as e:
        ipfirm.Database(p, mmap=mmap)
    assert e.value.found == ipfirm.FORMAT_VERSION + 98
    assert e.value.supported == ipfirm.FORMAT_VERSION
    assert e.value.path == str(p)


@pytest.mark.parametrize("keep", [12, 48, 0.5, 0.99])
def test_truncated(tmp_path: Path, isp_path: Path, keep: float) -> None:
    data = isp_path.read_bytes()
    n = int(len(data) * keep) if isinstance(keep, float) else keep
    p = tmp_path / "truncated.ipfirm"
    p.write_bytes(data[:n])
    with pytest.raises(ipfirm.InvalidDatabaseError) as e:
        ipfirm.Database(p)
    assert e.value.path == str(p)
    with pytest.raises(ipfirm.InvalidDatabaseError):
        ipfirm.Database(p, mmap=True)


def test_flipped_byte_is_corrupt(tmp_path: Path, isp_path: Path) -> None:
    data = bytearray(isp_path.read_bytes())
    data[len(data) * 3 // 4] ^= 0x55
    p = tmp_path / "flipped.ipfirm"
    p.write_bytes(bytes(data))
    with pytest.raises(ipfirm.CorruptDatabaseError) as e:
        ipfirm.Database(p)
    assert e.value.path == str(p)
    assert isinstance(e.value.offset, int)
    # A memory map only checks the structure at open; verify() finds the damage.
    try:
        mapped = ipfirm.Database(p, mmap=True)
    except ipfirm.InvalidDatabaseError:
        return
    with mapped, pytest.raises(ipfirm.CorruptDatabaseError):
        mapped.verify()


VARIANTS = {
    "NotADatabase": ipfirm.NotADatabaseError,
    "UnsupportedVersion": ipfirm.UnsupportedVersionError,
    "Corrupt": ipfirm.CorruptDatabaseError,
}


def bad_files() -> list[tuple[Path, type[ipfirm.Error]]]:
    """The damaged files of ``data-samples/bad/`` with the error their README table names
    (core variant -> Python class); files not in the table must still be invalid."""
    d = SAMPLES / "bad"
    if not d.is_dir():
        return []
    readme = d / "README.md"
    table = dict(re.findall(r"^\|\s*`([^`]+)`\s*\|\s*`(\w+)`", readme.read_text(), re.M)) if readme.is_file() else {}
    out: list[tuple[Path, type[ipfirm.Error]]] = []
    for p in sorted(d.iterdir()):
        if p.is_file() and p.name != "README.md" and not p.name.startswith("."):
            variant = table.get(p.name)
            out.append((p, VARIANTS[variant] if variant else ipfirm.InvalidDatabaseError))
    return out


@pytest.mark.parametrize("case", bad_files() or [None], ids=lambda c: c[0].name if c else "none")
def test_bundled_bad_files(case: tuple[Path, type[ipfirm.Error]] | None) -> None:
    if case is None:
        loud_skip("data-samples/bad/ holds no files")
    assert case is not None
    path, expected = case
    with pytest.raises(expected) as e:
        ipfirm.Database(path)
    assert e.value.path == str(path)
    # A memory map checks the header and structure at open; the rest (e.g. the checksum)
    # is found by verify().
    try:
        mapped = ipfirm.Database(path, mmap=True)
    except expected:
        return
    with mapped, pytest.raises(expected):
        mapped.verify()


def test_import_mmdb_errors(tmp_path: Path) -> None:
    not_mmdb = tmp_path / "x.mmdb"
    not_mmdb.write_bytes(b"definitely not a MaxMind DB" * 10)
    with pytest.raises(ipfirm.MmdbError) as e:
        ipfirm.import_mmdb(not_mmdb, tmp_path / "out.ipfirm")
    assert e.value.path == str(not_mmdb)
    with pytest.raises(ipfirm.Error) as e2:
        ipfirm.import_mmdb(tmp_path / "missing.mmdb", tmp_path / "out.ipfirm")
    assert str(tmp_path / "missing.mmdb") in str(e2.value)
    assert not (tmp_path / "out.ipfirm").exists()
