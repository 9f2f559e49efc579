//! Turns Python objects (str, packed bytes, `ipaddress` objects, iterables of them) into
//! `IpAddr`s, with the allocation-free fast paths that single lookups depend on.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple, PyType};

const ADDRESS_KINDS: &str =
    "an IP address: a str, packed bytes (4 or 16 bytes), or an ipaddress.IPv4Address/IPv6Address";

fn from_packed(b: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(b) {
        Some(IpAddr::V4(Ipv4Addr::from(a)))
    } else if let Ok(a) = <[u8; 16]>::try_from(b) {
        Some(IpAddr::V6(Ipv6Addr::from(a)))
    } else {
        None
    }
}

/// Why an object is not an address. The object's value is never put into the message: it
/// may be a visitor's address.
enum BadAddress {
    /// Right type, wrong contents → `ValueError`.
    Invalid,
    /// Unsupported type → `TypeError` naming the type.
    Type(String),
}

impl BadAddress {
    fn into_pyerr(self, position: Option<usize>) -> PyErr {
        let at = position.map(|i| format!(" at position {i}")).unwrap_or_default();
        match self {
            BadAddress::Invalid => PyValueError::new_err(format!("invalid IP address{at}: expected {ADDRESS_KINDS}")),
            BadAddress::Type(t) => PyTypeError::new_err(format!("expected {ADDRESS_KINDS}{at}, got {t}")),
        }
    }
}

unsafe extern "C" {
    /// In every CPython since 3.3 and in the stable ABI since 3.10; pyo3 hides it from
    /// `abi3-py39` builds, so it is declared here and only called on 3.10+ (see `utf8`).
    fn PyUnicode_AsUTF8AndSize(unicode: *mut pyo3::ffi::PyObject, size: *mut pyo3::ffi::Py_ssize_t) -> *const u8;
}

/// True when the running interpreter has `PyUnicode_AsUTF8AndSize` in its stable ABI.
fn has_utf8_and_size(py: Python<'_>) -> bool {
    static YES: PyOnceLock<bool> = PyOnceLock::new();
    *YES.get_or_init(py, || py.version_info() >= (3, 10))
}

/// Calls `f` with the UTF-8 text of `s` without copying it where the interpreter allows
/// (`PyString::to_cow` under the 3.9 stable ABI encodes into a new bytes object and copies
/// that into a `String`: the largest cost of a single lookup by address string).
fn with_utf8<R>(s: &Bound<'_, PyString>, f: impl FnOnce(&str) -> R) -> PyResult<R> {
    if has_utf8_and_size(s.py()) {
        let mut len: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` and we hold the GIL; on 3.10+ this is a stable-ABI
        // function. It returns a pointer to the string's cached UTF-8 form, owned by `s` and
        // valid while `s` is alive (it is borrowed for the whole call), or NULL with an
        // exception set.
        #[allow(unsafe_code)]
        let ptr = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut len) };
        if ptr.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        // SAFETY: CPython guarantees `len` bytes of valid UTF-8 at `ptr` (see above).
        #[allow(unsafe_code)]
        let text = unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len as usize)) };
        return Ok(f(text));
    }
    // 3.9: short strings are copied as code points into a stack buffer (every address is
    // short); `to_cow` would encode into a new bytes object and copy that again.
    let mut buf = [0 as pyo3::ffi::Py_UCS4; 64];
    // SAFETY: `s` is a live `str` and we hold the GIL. `PyUnicode_GetLength` cannot fail for
    // a `str`; `PyUnicode_AsUCS4` writes at most `buf.len()` code points (we only call it
    // when the string fits) and returns NULL with an exception set on failure.
    #[allow(unsafe_code)]
    let copied = unsafe {
        let len = pyo3::ffi::PyUnicode_GetLength(s.as_ptr());
        if (0..=buf.len() as pyo3::ffi::Py_ssize_t).contains(&len)
            && !pyo3::ffi::PyUnicode_AsUCS4(s.as_ptr(), buf.as_mut_ptr(), buf.len() as pyo3::ffi::Py_ssize_t, 0)
                .is_null()
        {
            Some(len as usize)
        } else {
            PyErr::take(s.py());
            None
        }
    };
    if let Some(len) = copied {
        let mut text = [0u8; 64];
        let mut ascii = true;
        for (t, &c) in text.iter_mut().zip(&buf[..len]) {
            ascii &= c < 0x80;
            *t = c as u8;
        }
        if ascii && let Ok(text) = std::str::from_utf8(&text[..len]) {
            return Ok(f(text));
        }
    }
    Ok(f(&s.to_cow()?))
}

/// The address in an exact `str` holding a canonical dotted quad, read without allocating;
/// `None` for anything else (the general `parse_addr` then decides, and words the error).
#[inline(always)]
pub(crate) fn fast_v4_str(obj: &Bound<'_, PyAny>) -> Option<Ipv4Addr> {
    let s = obj.cast_exact::<PyString>().ok()?;
    if !has_utf8_and_size(obj.py()) {
        return None;
    }
    let mut len: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: as in `with_utf8`: a live `str`, the GIL held, a 3.10+ stable-ABI function; the
    // bytes stay valid while `s` is alive.
    #[allow(unsafe_code)]
    let ptr = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut len) };
    if ptr.is_null() {
        // Not encodable (lone surrogates): the general path raises the ValueError.
        PyErr::take(obj.py());
        return None;
    }
    // SAFETY: `len` bytes at `ptr` (see above).
    #[allow(unsafe_code)]
    parse_v4_fast(unsafe { std::slice::from_raw_parts(ptr, len as usize) })
}

/// A dotted-quad IPv4 address in canonical form (1–3 digits per octet, no leading zeros),
/// else `None`. Everything it accepts, `str::parse::<IpAddr>` accepts with the same value, so
/// it is only a fast path: other text goes to the standard parser. One pass, no splitting:
/// the common case of a single lookup by address string.
#[inline(always)]
fn parse_v4_fast(s: &[u8]) -> Option<Ipv4Addr> {
    if !(7..=15).contains(&s.len()) {
        return None;
    }
    let (mut addr, mut octet, mut digits, mut dots) = (0u32, 0u32, 0u32, 0u32);
    for &b in s {
        if b == b'.' {
            if digits == 0 || dots == 3 {
                return None;
            }
            addr = addr << 8 | octet;
            (octet, digits, dots) = (0, 0, dots + 1);
        } else {
            let d = u32::from(b.wrapping_sub(b'0'));
            // A digit; no leading zero; at most 255 (so at most three digits).
            if d > 9 || (digits == 1 && octet == 0) {
                return None;
            }
            octet = octet * 10 + d;
            digits += 1;
            if octet > 255 {
                return None;
            }
        }
    }
    (dots == 3 && digits > 0).then(|| Ipv4Addr::from(addr << 8 | octet))
}

fn parse_text(s: &str) -> Result<IpAddr, BadAddress> {
    if let Some(a) = parse_v4_fast(s.as_bytes()) {
        return Ok(IpAddr::V4(a));
    }
    let s = s.trim();
    parse_v4_fast(s.as_bytes()).map_or_else(|| s.parse().map_err(|_| BadAddress::Invalid), |a| Ok(IpAddr::V4(a)))
}

/// `ipaddress.IPv4Address` and `ipaddress.IPv6Address` (the exact classes).
fn ipaddress_types(py: Python<'_>) -> Option<&(Py<PyType>, Py<PyType>)> {
    static TYPES: PyOnceLock<Option<(Py<PyType>, Py<PyType>)>> = PyOnceLock::new();
    TYPES
        .get_or_init(py, || {
            let m = py.import("ipaddress").ok()?;
            let get = |name: &str| m.getattr(name).ok()?.cast_into::<PyType>().ok().map(Bound::unbind);
            Some((get("IPv4Address")?, get("IPv6Address")?))
        })
        .as_ref()
}

/// The value of an exact `ipaddress.IPv4Address`/`IPv6Address`, read from its integer slot
/// `_ip` (what `int(addr)` returns, and what its `packed` property encodes: reading the
/// property runs Python code that builds a bytes object, ~3x slower). `None` for other types
/// (subclasses included) and if the slot is not an int of the right size: those take the
/// `packed` path.
fn ipaddress_value(obj: &Bound<'_, PyAny>) -> Option<IpAddr> {
    let py = obj.py();
    let (v4, v6) = ipaddress_types(py)?;
    let ty = obj.get_type();
    if ty.is(v4) {
        let ip: u32 = obj.getattr(intern!(py, "_ip")).ok()?.extract().ok()?;
        Some(IpAddr::V4(Ipv4Addr::from(ip)))
    } else if ty.is(v6) {
        let ip: u128 = obj.getattr(intern!(py, "_ip")).ok()?.extract().ok()?;
        Some(IpAddr::V6(Ipv6Addr::from(ip)))
    } else {
        None
    }
}

fn parse_addr_inner(obj: &Bound<'_, PyAny>) -> Result<IpAddr, BadAddress> {
    // An exact `str` first: one pointer comparison (`cast` asks the interpreter for the type's
    // flags, a function call under the stable ABI).
    if let Ok(s) = obj.cast_exact::<PyString>().or_else(|_| obj.cast::<PyString>()) {
        return with_utf8(s, parse_text).map_err(|_| BadAddress::Invalid)?;
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return from_packed(b.as_bytes()).ok_or(BadAddress::Invalid);
    }
    if let Some(a) = ipaddress_value(obj) {
        return Ok(a);
    }
    // ipaddress.IPv4Address / IPv6Address (and anything else exposing `.packed` bytes).
    if let Ok(packed) = obj.getattr(intern!(obj.py(), "packed"))
        && let Ok(b) = packed.cast::<PyBytes>()
    {
        return from_packed(b.as_bytes()).ok_or(BadAddress::Invalid);
    }
    let t = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".into());
    Err(BadAddress::Type(t))
}

pub(crate) fn parse_addr(obj: &Bound<'_, PyAny>) -> PyResult<IpAddr> {
    parse_addr_inner(obj).map_err(|e| e.into_pyerr(None))
}

/// Parses every item of an iterable (lists and tuples without the iterator protocol).
pub(crate) fn parse_many(obj: &Bound<'_, PyAny>) -> PyResult<Vec<IpAddr>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "expected an iterable of IP addresses, got a single str/bytes (wrap it in a list)",
        ));
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    if let Ok(list) = obj.cast::<PyList>() {
        for (i, item) in list.iter().enumerate() {
            out.push(parse_addr_inner(&item).map_err(|e| e.into_pyerr(Some(i)))?);
        }
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        for (i, item) in tuple.iter().enumerate() {
            out.push(parse_addr_inner(&item).map_err(|e| e.into_pyerr(Some(i)))?);
        }
    } else {
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(parse_addr_inner(&item?).map_err(|e| e.into_pyerr(Some(i)))?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path agrees with the standard parser on everything it accepts, and leaves
    /// alone what the standard parser rejects.
    #[test]
    fn fast_v4_parser_agrees_with_std() {
        let mut cases: Vec<String> = [
            "0.0.0.0",
            "255.255.255.255",
            "1.2.3.4",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1..2.3",
            "",
            ".",
            "1.2.3.4.",
            "a.b.c.d",
            "1.2.3.04",
            "0.0.0.00",
            "999.1.1.1",
            "1.2.3.-4",
            "+1.2.3.4",
            "1.2.3.4 ",
            "::1",
            "::ffff:1.2.3.4",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let alphabet = b"0123456789.";
            let len = (x % 16) as usize;
            cases.push((0..len).map(|i| alphabet[((x >> (i * 4)) % 11) as usize] as char).collect());
            cases.push(Ipv4Addr::from(x as u32).to_string());
        }
        for c in &cases {
            if let Some(fast) = parse_v4_fast(c.as_bytes()) {
                assert_eq!(c.parse::<IpAddr>().ok(), Some(IpAddr::V4(fast)), "{c:?}");
            } else if let Ok(IpAddr::V4(_)) = c.parse::<IpAddr>() {
                panic!("fast path rejected canonical {c:?}");
            }
        }
    }
}
