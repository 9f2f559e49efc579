"""Shared fixtures: databases built once per session from the bundled ``data-samples/``.

Everything here works offline on a fresh clone: the MMDB test files and the sample build
config are in the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

import ipfirm

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "data-samples"
MMDB_DIR = SAMPLES / "sources" / "mmdb"


def loud_skip(reason: str) -> None:
    """Skips the current test and says so on stderr, so the skip shows up in CI logs
    (`-ra` lists it again in the summary)."""
    sys.stderr.write(f"\n*** SKIPPED: {reason}\n")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def tmp_session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ipfirm")


def _import(tmp: Path, name: str) -> Path:
    src = MMDB_DIR / name
    assert src.is_file(), f"bundled MMDB test file missing: {src}"
    out = tmp / (src.stem + ".ipfirm")
    if not out.exists():
        n = ipfirm.import_mmdb(src, out)
        assert n > 0
    return out


@pytest.fixture(scope="session")
def enterprise_path(tmp_session: Path) -> Path:
    """MaxMind's GeoIP2-Enterprise test database imported into ipfirm (has companies)."""
    return _import(tmp_session, "GeoIP2-Enterprise-Test.mmdb")


@pytest.fixture(scope="session")
def isp_path(tmp_session: Path) -> Path:
    """MaxMind's GeoIP2-ISP test database imported into ipfirm (IPv4 and IPv6, ASNs)."""
    return _import(tmp_session, "GeoIP2-ISP-Test.mmdb")


@pytest.fixture(scope="session")
def sample_path(tmp_session: Path) -> Path:
    """The bundled sample build (``data-samples/ipfirm.toml``) through ``ipfirm.build``."""
    out = tmp_session / "sample.ipfirm"
    if not out.exists():
        report = ipfirm.build(SAMPLES / "ipfirm.toml", out)
        assert isinstance(report, dict)
    return out


@pytest.fixture()
def enterprise(enterprise_path: Path) -> Iterator[ipfirm.Database]:
    with ipfirm.Database(enterprise_path) as db:
        yield db


@pytest.fixture()
def isp(isp_path: Path) -> Iterator[ipfirm.Database]:
    with ipfirm.Database(isp_path) as db:
        yield db


@pytest.fixture()
def sample(sample_path: Path) -> Iterator[ipfirm.Database]:
    with ipfirm.Database(sample_path) as db:
        yield db
