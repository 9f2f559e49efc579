"""Every error path: bad database files, bad builds, bad MMDB files, and the mapping of the
core's error variants onto exception classes."""

from __future__ import annotations

import errno
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


def bad_files() -> list[Path]:
    d = SAMPLES / "bad"
    return sorted(p for p in d.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix != ".md") if d.is_dir() else []


@pytest.mark.parametrize("path", bad_files() or [None], ids=lambda p: p.name if p else "none")
def test_bundled_bad_files(path: Path | None) -> None:
    if path is None:
        loud_skip("data-samples/bad/ holds no files yet")
    assert path is not None
    for mmap in (False, True):
        try:
            db = ipfirm.Database(path, mmap=mmap)
        except ipfirm.Error as e:
            assert str(e), "a message"
            continue
        # Some damage is only visible to the full check, which mmap=True defers.
        assert mmap, f"{path.name} opened without an error"
        with db, pytest.raises(ipfirm.InvalidDatabaseError):
            db.verify()


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
