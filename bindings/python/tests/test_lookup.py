"""Single, batched and columnar lookups, checked against each other, against the core's
JSON record and against an independent reader of the same data (the ``maxminddb`` package
reading the MMDB file that was imported)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, List, Optional

import pytest

import ipfirm
from conftest import MMDB_DIR, loud_skip


def all_matches(db: ipfirm.Database) -> List[ipfirm.Match]:
    return list(db)


def probe_addresses(db: ipfirm.Database) -> List[str]:
    """First, last and one-past-last address of every range: hits, and the misses or
    neighbours right next to them."""
    out: List[str] = []
    for m in db:
        first, last = m.network.first, m.network.last
        out += [str(first), str(last)]
        if int(last) < (2**32 - 1 if last.version == 4 else 2**128 - 1):
            out.append(str(last + 1))
        if int(first) > 0:
            out.append(str(first - 1))
    return out


def test_lookup_hits_every_range(enterprise: ipfirm.Database) -> None:
    ranges = all_matches(enterprise)
    assert ranges, "the imported test database has ranges"
    for m in ranges:
        for ip in (m.network.first, m.network.last):
            got = enterprise.lookup(str(ip))
            assert got == m
            assert got is not None and got.network == m.network


def test_input_kinds_agree(isp: ipfirm.Database) -> None:
    for text in probe_addresses(isp)[:400]:
        addr = ipaddress.ip_address(text)
        by_str = isp.lookup(text)
        assert isp.lookup(addr) == by_str
        assert isp.lookup(addr.packed) == by_str
        assert isp.lookup(f"  {text} ") == by_str  # surrounding blanks are ignored
        if addr.version == 4:
            mapped = ipaddress.IPv6Address(f"::ffff:{text}")
            assert isp.lookup(mapped) == by_str
            assert isp.lookup(str(mapped)) == by_str


@pytest.mark.parametrize("bad", ["", "nonsense", "1.2.3", "1.2.3.256", "::g", "1.2.3.4/24", b"\x01\x02\x03", b""])
def test_invalid_address_is_value_error(enterprise: ipfirm.Database, bad: Any) -> None:
    with pytest.raises(ValueError, match="invalid IP address"):
        enterprise.lookup(bad)


@pytest.mark.parametrize("bad", [None, 16909060, 1.5, ["1.2.3.4"], object()])
def test_wrong_type_is_type_error(enterprise: ipfirm.Database, bad: Any) -> None:
    with pytest.raises(TypeError, match="expected an IP address"):
        enterprise.lookup(bad)


def test_errors_never_echo_the_address(enterprise: ipfirm.Database) -> None:
    secret = "203.0.113.999"
    with pytest.raises(ValueError) as e:
        enterprise.lookup(secret)
    assert secret not in str(e.value)
    with pytest.raises(ValueError) as e2:
        enterprise.lookup_many(["1.2.3.4", secret])
    assert secret not in str(e2.value) and "position 1" in str(e2.value)


def test_match_attributes_equal_core_record(sample: ipfirm.Database) -> None:
    """Every getter gives what the core's own serialised record (``to_dict``) says."""
    seen_company = seen_sources = False
    for m in sample:
        d = m.to_dict()
        assert d["network"]["first"] == str(m.network.first)
        assert d["network"]["last"] == str(m.network.last)
        assert d["network"]["cidrs"] == [str(c) for c in m.network.cidrs]
        assert d["class"] == m.class_ == ipfirm.CLASS_NAMES[m.class_code]
        assert d["identified"] == m.identified == (m.class_ in ipfirm.SHOWN_CLASSES and m.company is not None)
        assert d["reason"] == m.reason
        assert d["confidence"] == m.confidence
        assert d["asn"] == m.asn
        assert d["asn_org"] == m.asn_org
        assert d["sources"] == [{"source": s.source, "version": s.version, "record": s.record} for s in m.sources]
        seen_sources |= bool(m.sources)
        c = m.company
        if c is None:
            assert d["company"] is None
            continue
        seen_company = True
        reg = c.registry
        assert d["company"] == {
            "id": c.id,
            "name": c.name,
            "legal_name": c.legal_name,
            "country": c.country,
            "domain": c.domain,
            "registry": None if reg is None else {"scheme": reg.scheme, "id": reg.id},
            "legal_form": c.legal_form,
            "address": c.address,
            "industry_code": c.industry_code,
        }
        assert c.to_dict() == d["company"]
        assert c.name == (c.trade_name or c.legal_name)
        assert sample.company(c.id) == c
    assert seen_company and seen_sources


def test_against_maxminddb_reader(isp_path: Path, isp: ipfirm.Database) -> None:
    """The independent model: MaxMind's own reader of the file that was imported."""
    maxminddb = pytest.importorskip("maxminddb")
    with maxminddb.open_database(str(MMDB_DIR / "GeoIP2-ISP-Test.mmdb"), maxminddb.MODE_AUTO) as reader:
        networks = 0
        for net, record in reader:
            networks += 1
            for ip in (net.network_address, net.broadcast_address):
                m = isp.lookup(ip)
                assert m is not None, f"{net} is in the MMDB but not in ipfirm"
                assert m.network.first <= net.network_address and net.broadcast_address <= m.network.last
                assert m.asn == record.get("autonomous_system_number")
                assert m.country == (record.get("country") or {}).get("iso_code")
        assert networks > 100
        # And nothing ipfirm answers is absent from the MMDB.
        for m in isp:
            for ip in (m.network.first, m.network.last):
                assert reader.get(ip) is not None, f"ipfirm answers {m.network} but the MMDB does not"
        for text in probe_addresses(isp):
            assert (isp.lookup(text) is None) == (reader.get(text) is None), "coverage differs"


def test_enterprise_company_from_user_type(enterprise: ipfirm.Database) -> None:
    """Shown classes carry the record's organisation as the company; filtered ones none.
    `Match.country` (served from shared interned strings) is the record's country."""
    maxminddb = pytest.importorskip("maxminddb")
    with maxminddb.open_database(str(MMDB_DIR / "GeoIP2-Enterprise-Test.mmdb"), maxminddb.MODE_AUTO) as reader:
        named = countries = 0
        for net, record in reader:
            m = enterprise.lookup(net.network_address)
            assert m is not None
            country = (record.get("country") or {}).get("iso_code")
            assert m.country == country
            countries += country is not None
            if m.class_ not in ipfirm.SHOWN_CLASSES:
                assert m.company is None and not m.identified
            elif m.company is not None:
                traits = record.get("traits", {})
                assert m.company.name in {traits.get("organization"), traits.get("isp"),
                                          traits.get("autonomous_system_organization")}
                named += 1
        assert named > 0 and countries > 10


def test_lookup_many_equals_lookup(isp: ipfirm.Database) -> None:
    ips = probe_addresses(isp)
    expected = [isp.lookup(ip) for ip in ips]
    assert isp.lookup_many(ips) == expected
    assert isp.lookup_many(tuple(ips)) == expected
    assert isp.lookup_many(iter(ips)) == expected  # any iterable
    assert isp.lookup_many(ipaddress.ip_address(ip) for ip in ips) == expected
    assert isp.lookup_many([]) == []
    assert any(m is None for m in expected) and any(m is not None for m in expected)


def test_lookup_many_errors(isp: ipfirm.Database) -> None:
    with pytest.raises(ValueError, match="position 2"):
        isp.lookup_many(["1.2.3.4", "::1", "bad"])
    with pytest.raises(TypeError, match="position 1"):
        isp.lookup_many(["1.2.3.4", 5])
    with pytest.raises(TypeError, match="single str"):
        isp.lookup_many("1.2.3.4")
    with pytest.raises(TypeError):
        isp.lookup_many(5)


def test_lookup_columns(sample: ipfirm.Database) -> None:
    np = pytest.importorskip("numpy")
    ips = probe_addresses(sample)
    matches = [sample.lookup(ip) for ip in ips]
    classes, companies = sample.lookup_columns(ips)
    assert classes.dtype == np.uint8 and companies.dtype == np.uint32
    assert classes.tolist() == [ipfirm.NO_MATCH if m is None else m.class_code for m in matches]
    assert ipfirm.NO_MATCH >= len(ipfirm.CLASS_NAMES)
    assert companies.tolist() == [
        ipfirm.NO_COMPANY if m is None or m.company is None else m.company.id for m in matches
    ]
    assert any(c != ipfirm.NO_COMPANY for c in companies.tolist())
    # The integer form for IPv4 gives the same columns.
    v4 = [ip for ip in ips if ipaddress.ip_address(ip).version == 4]
    ints = np.array([int(ipaddress.IPv4Address(ip)) for ip in v4], dtype=np.uint32)
    c2, k2 = sample.lookup_columns(ints)
    c1, k1 = sample.lookup_columns(v4)
    assert c2.tolist() == c1.tolist() and k2.tolist() == k1.tolist()
    # Strided (non-contiguous) arrays too.
    c3, _ = sample.lookup_columns(ints[::2])
    assert c3.tolist() == c1.tolist()[::2]
    empty_c, empty_k = sample.lookup_columns(np.array([], dtype=np.uint32))
    assert len(empty_c) == 0 and len(empty_k) == 0


def test_lookup_columns_rejects_other_arrays(sample: ipfirm.Database) -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match="uint32"):
        sample.lookup_columns(np.array([1, 2], dtype=np.int64))
    with pytest.raises(TypeError, match="uint32"):
        sample.lookup_columns(np.zeros((2, 2), dtype=np.uint32))
    with pytest.raises(ValueError, match="position 0"):
        sample.lookup_columns(["nope"])


def test_class_names() -> None:
    assert ipfirm.CLASS_NAMES[0] == "unknown"
    assert len(set(ipfirm.CLASS_NAMES)) == len(ipfirm.CLASS_NAMES)
    assert ipfirm.SHOWN_CLASSES <= set(ipfirm.CLASS_NAMES)
    assert {"business", "education", "government", "nonprofit"} == ipfirm.SHOWN_CLASSES


def test_match_repr_and_hash(enterprise: ipfirm.Database) -> None:
    m = next(iter(enterprise))
    assert str(m.network) in repr(m) and m.class_ in repr(m)
    assert hash(m) == hash(enterprise.lookup(m.network.first))
    assert m != "not a match"
    assert m.network.first in m.network and str(m.network.last) in m.network


def test_mmap_gives_the_same_answers(isp_path: Path, isp: ipfirm.Database) -> None:
    with ipfirm.Database(isp_path, mmap=True) as mapped:
        mapped.verify()
        ips = probe_addresses(isp)
        got = [None if m is None else m.to_dict() for m in mapped.lookup_many(ips)]
        want = [None if m is None else m.to_dict() for m in isp.lookup_many(ips)]
        assert got == want
        assert "mmap" in repr(mapped)


def first_company_match(db: ipfirm.Database) -> Optional[ipfirm.Match]:
    return next((m for m in db if m.company is not None), None)


def test_surrogates_and_non_ascii_are_value_errors(enterprise: ipfirm.Database) -> None:
    for bad in ["\ud800", "1.2.3.\u0664", "١.٢.٣.٤"]:
        with pytest.raises(ValueError, match="invalid IP address"):
            enterprise.lookup(bad)


def test_results_stay_valid_through_gc(isp: ipfirm.Database) -> None:
    """Matches and companies are taken off the cycle collector's list (they hold no Python
    references); they must survive collections and stay correct."""
    import gc

    ips = probe_addresses(isp)
    kept = isp.lookup_many(ips)
    snapshot = [None if m is None else m.to_dict() for m in kept]
    m = next(m for m in kept if m is not None)
    assert not gc.is_tracked(m) and not gc.is_tracked(m.network)
    gc.collect()
    assert [None if m is None else m.to_dict() for m in kept] == snapshot


def test_threads_share_a_database(isp: ipfirm.Database) -> None:
    """Batch calls release the GIL; concurrent calls on one Database give the same answers."""
    from concurrent.futures import ThreadPoolExecutor

    ips = probe_addresses(isp)
    want = [None if m is None else m.to_dict() for m in isp.lookup_many(ips)]
    want_cols = [c.tolist() for c in isp.lookup_columns(ips)]

    def work(i: int) -> bool:
        if i % 2:
            return [None if m is None else m.to_dict() for m in isp.lookup_many(ips)] == want
        return [c.tolist() for c in isp.lookup_columns(ips)] == want_cols

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(work, range(16)))


def test_other_address_objects_agree(isp: ipfirm.Database) -> None:
    """Subclasses of str and of the ipaddress classes, and scoped IPv6 addresses, take other
    paths than an exact str or address object; they give the same answers."""

    class Text(str):
        pass

    class V4(ipaddress.IPv4Address):
        pass

    class V6(ipaddress.IPv6Address):
        pass

    for text in probe_addresses(isp)[:400]:
        want = isp.lookup(text)
        addr = ipaddress.ip_address(text)
        assert isp.lookup(Text(text)) == want
        if addr.version == 4:
            assert isp.lookup(V4(text)) == want
        else:
            assert isp.lookup(V6(text)) == want
            # The scope is not part of the address (`.packed` drops it too).
            assert isp.lookup(ipaddress.IPv6Address(f"{text}%eth0")) == want


def test_lookup_takes_one_positional_argument(isp: ipfirm.Database) -> None:
    assert isp.lookup("1.128.0.1") == isp.lookup(ipaddress.ip_address("1.128.0.1"))
    with pytest.raises(TypeError):
        isp.lookup()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        isp.lookup("1.128.0.1", "1.128.0.2")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        isp.lookup(ip="1.128.0.1")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ipfirm.Database.lookup(object(), "1.128.0.1")  # type: ignore[arg-type]
