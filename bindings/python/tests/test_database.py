"""Iteration, reverse lookups, companies, metadata and the open/close life cycle."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import ipfirm


def test_iteration_is_ordered_and_complete(sample: ipfirm.Database) -> None:
    ranges = list(sample)
    assert ranges == list(sample.ranges())
    meta = sample.metadata
    v4 = [m for m in ranges if m.network.first.version == 4]
    v6 = [m for m in ranges if m.network.first.version == 6]
    assert ranges == v4 + v6, "IPv4 first"
    assert len(v4) == meta["ipv4_ranges"] and len(v6) == meta["ipv6_ranges"]
    for family in (v4, v6):
        for a, b in zip(family, family[1:]):
            assert a.network.last < b.network.first, "sorted and disjoint"
    # Per-class counts agree with the metadata the builder wrote.
    counts: dict[str, int] = {}
    for m in ranges:
        counts[m.class_] = counts.get(m.class_, 0) + 1
    assert counts == {k: v["ranges"] for k, v in meta["classes"].items() if v["ranges"]}


def test_iterator_protocol(enterprise: ipfirm.Database) -> None:
    it = iter(enterprise)
    assert iter(it) is it
    n = sum(1 for _ in it)
    assert n > 0
    with pytest.raises(StopIteration):
        next(it)


def test_ranges_of_every_company(sample: ipfirm.Database) -> None:
    by_company: dict[int, list[ipfirm.Match]] = {}
    for m in sample:
        if m.company is not None:
            by_company.setdefault(m.company.id, []).append(m)
    assert by_company
    for cid, ranges in by_company.items():
        c = sample.company(cid)
        assert c is not None
        assert sample.ranges_of(cid) == ranges
        assert sample.ranges_of(c) == ranges
    companies = sample.companies()
    assert len(companies) == sample.company_count == sample.metadata["companies"]
    assert [c.id for c in companies] == list(range(len(companies)))


def test_company_queries(sample: ipfirm.Database) -> None:
    with_registry = [c for c in sample.companies() if c.registry is not None]
    assert with_registry, "the sample build joins some ranges to registry companies"
    for c in with_registry[:50]:
        reg = c.registry
        assert reg is not None
        found = sample.company(f"{reg.scheme}:{reg.id}")
        assert found is not None and found.registry == reg
        assert sample.company(reg.id.lower()) is not None
        assert str(reg) == f"{reg.scheme}:{reg.id}"
    named = sample.companies()[0]
    found = sample.company(named.legal_name.upper())
    assert found is not None and found.legal_name.lower() == named.legal_name.lower()


def test_company_misses(sample: ipfirm.Database, enterprise: ipfirm.Database) -> None:
    n = sample.company_count
    assert sample.company(n) is None
    assert sample.company(-1) is None
    assert sample.company("no such company, surely") is None
    with pytest.raises(KeyError, match="no company matches"):
        sample.ranges_of("no such company, surely")
    with pytest.raises(KeyError):
        sample.ranges_of(n)
    with pytest.raises(TypeError):
        sample.company(True)
    with pytest.raises(TypeError):
        sample.ranges_of(1.5)
    other = enterprise.company(0)
    assert other is not None
    with pytest.raises(ValueError, match="another Database"):
        sample.ranges_of(other)
    assert other != sample.company(0)


def test_metadata(sample: ipfirm.Database) -> None:
    meta = sample.metadata
    assert meta["format_version"] == ipfirm.FORMAT_VERSION == sample.format_version
    assert meta["tool_version"]
    assert isinstance(meta["inputs"], list) and meta["inputs"]
    assert meta is not sample.metadata  # a fresh dict each time: mutating it changes nothing


def test_close_and_context_manager(isp_path: Path) -> None:
    db = ipfirm.Database(str(isp_path))
    assert not db.closed and db.path == isp_path
    m = next(iter(db))
    company_db = db
    db.close()
    db.close()  # twice is harmless
    assert db.closed and "closed" in repr(db)
    calls = [
        lambda: db.lookup("1.2.3.4"),
        lambda: db.lookup_many(["1.2.3.4"]),
        lambda: db.lookup_columns(["1.2.3.4"]),
        lambda: iter(db),
        lambda: db.ranges(),
        lambda: db.ranges_of(0),
        lambda: db.company(0),
        lambda: db.companies(),
        lambda: db.company_count,
        lambda: db.metadata,
        lambda: db.format_version,
        lambda: db.verify(),
    ]
    for call in calls:
        with pytest.raises(ipfirm.ClosedError, match="closed"):
            call()
    # A closed database is also a ValueError, like I/O on a closed file.
    with pytest.raises(ValueError):
        db.lookup("1.2.3.4")
    # Matches taken before close keep working.
    assert m.to_dict()["network"]["first"] == str(m.network.first)
    del company_db
    with ipfirm.Database(isp_path) as db2:
        assert not db2.closed
        it = iter(db2)
    assert db2.closed
    assert next(it) is not None  # an iterator keeps the data alive too
    gc.collect()


def test_context_manager_does_not_swallow(isp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="inside"):
        with ipfirm.Database(isp_path):
            raise RuntimeError("inside")


def test_pathlike_and_repr(isp_path: Path) -> None:
    with ipfirm.Database(isp_path) as db:
        assert str(isp_path) in repr(db)
