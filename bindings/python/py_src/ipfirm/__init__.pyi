"""Type stubs for ipfirm (the native classes live in ``ipfirm._ipfirm``)."""

import os
import pathlib
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from types import TracebackType
from typing import Any, final, Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple, Type, Union

import numpy as np
import numpy.typing as npt

from ipfirm._errors import ClosedError as ClosedError
from ipfirm._errors import ConfigError as ConfigError
from ipfirm._errors import CorruptDatabaseError as CorruptDatabaseError
from ipfirm._errors import Error as Error
from ipfirm._errors import InvalidDatabaseError as InvalidDatabaseError
from ipfirm._errors import InvalidInputError as InvalidInputError
from ipfirm._errors import IoError as IoError
from ipfirm._errors import MmdbError as MmdbError
from ipfirm._errors import NotADatabaseError as NotADatabaseError
from ipfirm._errors import SourceError as SourceError
from ipfirm._errors import UnsupportedVersionError as UnsupportedVersionError

__all__ = [
    "CLASS_NAMES",
    "FORMAT_VERSION",
    "NO_COMPANY",
    "NO_MATCH",
    "SHOWN_CLASSES",
    "ClosedError",
    "Company",
    "ConfigError",
    "CorruptDatabaseError",
    "Database",
    "Error",
    "InvalidDatabaseError",
    "InvalidInputError",
    "IoError",
    "Match",
    "MmdbError",
    "Network",
    "NotADatabaseError",
    "RangeIterator",
    "Registry",
    "Source",
    "SourceError",
    "UnsupportedVersionError",
    "__version__",
    "build",
    "import_mmdb",
]

__version__: str

#: Class names indexed by class code (``CLASS_NAMES[0] == "unknown"``).
CLASS_NAMES: Tuple[str, ...]
#: The classes that may be shown as an organisation.
SHOWN_CLASSES: FrozenSet[str]
#: The company id ``Database.lookup_columns`` gives where there is no company (0xFFFFFFFF).
NO_COMPANY: int
#: The class code ``Database.lookup_columns`` gives where no range covers the address (255).
NO_MATCH: int
#: The database format version this build reads and writes.
FORMAT_VERSION: int

_IPAddress = Union[IPv4Address, IPv6Address]
#: What a lookup accepts: text, packed bytes (4 or 16) or an ``ipaddress`` address.
_AddressLike = Union[str, bytes, IPv4Address, IPv6Address]
_StrPath = Union[str, "os.PathLike[str]"]

@final
class Network:
    """An inclusive range of addresses."""

    @property
    def first(self) -> _IPAddress: ...
    @property
    def last(self) -> _IPAddress: ...
    @property
    def cidrs(self) -> List[Union[IPv4Network, IPv6Network]]: ...
    def __contains__(self, ip: _AddressLike, /) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Registry:
    """A company's id in a public registry."""

    @property
    def scheme(self) -> str: ...
    @property
    def id(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Source:
    """A source record behind an answer."""

    @property
    def source(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def record(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Company:
    """A company profile from the database's company table."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def legal_name(self) -> str: ...
    @property
    def trade_name(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def domain(self) -> Optional[str]: ...
    @property
    def registry(self) -> Optional[Registry]: ...
    @property
    def legal_form(self) -> Optional[str]: ...
    @property
    def address(self) -> Optional[str]: ...
    @property
    def industry_code(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Match:
    """The answer for one address."""

    @property
    def network(self) -> Network: ...
    @property
    def class_(self) -> str:
        """The class name (``class`` is a keyword); one of ``CLASS_NAMES``."""
    @property
    def class_code(self) -> int: ...
    @property
    def reason(self) -> str: ...
    @property
    def confidence(self) -> int: ...
    @property
    def identified(self) -> bool: ...
    @property
    def company(self) -> Optional[Company]: ...
    @property
    def asn(self) -> Optional[int]: ...
    @property
    def asn_org(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def sources(self) -> List[Source]: ...
    def to_dict(self) -> Dict[str, Any]:
        """The JSON shape shared by the CLI, the bindings and the server."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class RangeIterator(Iterator[Match]):
    def __iter__(self) -> "RangeIterator": ...
    def __next__(self) -> Match: ...

@final
class Database:
    """An open ipfirm database. ``mmap=True`` memory-maps the file: the file must then not be
    truncated or modified in place while it is open (replace it by renaming a new file over
    it)."""

    def __new__(cls, path: _StrPath, mmap: bool = False) -> "Database": ...
    def lookup(self, ip: _AddressLike, /) -> Optional[Match]: ...
    def lookup_many(self, ips: Iterable[_AddressLike]) -> List[Optional[Match]]: ...
    def lookup_columns(
        self, ips: Union[Iterable[_AddressLike], "npt.NDArray[np.uint32]"]
    ) -> Tuple["npt.NDArray[np.uint8]", "npt.NDArray[np.uint32]"]: ...
    def ranges(self) -> RangeIterator: ...
    def __iter__(self) -> RangeIterator: ...
    def ranges_of(self, company: Union[int, str, Company]) -> List[Match]: ...
    def company(self, company: Union[int, str]) -> Optional[Company]: ...
    def companies(self) -> List[Company]: ...
    @property
    def company_count(self) -> int: ...
    @property
    def metadata(self) -> Dict[str, Any]: ...
    @property
    def format_version(self) -> int: ...
    @property
    def path(self) -> pathlib.Path: ...
    @property
    def closed(self) -> bool: ...
    def verify(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Database": ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool: ...

def build(config: _StrPath, out: _StrPath, *, strict: bool = False) -> Dict[str, Any]: ...
def import_mmdb(mmdb: _StrPath, out: _StrPath, *, source: Optional[str] = None) -> int: ...
